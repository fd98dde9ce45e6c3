"""Dates in many languages and calendars, entry into force on publication, the end of the year."""

from __future__ import annotations

import datetime as dt

import pytest

from tradecurbs.extraction import extract_document
from tradecurbs.extraction.dates import Anchor, find_dates, in_force_on_publication, until_year_end

ANCHOR = Anchor.parse("2024-02-22")


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("令和8年2月14日から施行される", dt.date(2026, 2, 14), "day"),  # Japanese era: Reiwa 8 is 2026
        ("平成31年4月1日", dt.date(2019, 4, 1), "day"),
        ("这三家银行在今年一月就通知了客户", dt.date(2024, 1, 1), "month"),  # month in Chinese numerals
        ("去年十二月", dt.date(2023, 12, 1), "month"),
        # days in Chinese numerals; a bare day after the report's is last month's
        ("欧盟六日决定", dt.date(2024, 2, 6), "day"),
        ("十月八日", dt.date(2023, 10, 8), "day"),
        ("商务部二十五日宣布", dt.date(2024, 1, 25), "day"),
        ("商务部25日宣布", dt.date(2024, 1, 25), "day"),
        ("วันที่ 28 ตุลาคม 2562", dt.date(2019, 10, 28), "day"),  # Thai Buddhist era: 2562 is 2019
        ("aralık ayında imzalandı", dt.date(2023, 12, 1), "month"),  # Turkish: in December
        ("в декабре 2022 года", dt.date(2022, 12, 1), "month"),  # Russian prepositional case
        ("el 5 de diciembre de 2024", dt.date(2024, 12, 5), "day"),
        ("2019년 7월 4일부터", dt.date(2019, 7, 4), "day"),
        ("Berne, 25.03.2022", dt.date(2022, 3, 25), "day"),
        ("En 2020, la Chine avait bloqué", dt.date(2020, 1, 1), "year"),
        # a month with its year after "de"/"del" (Spanish, Portuguese, Italian): the year written, not a guess
        ("aplicada pela Camex em dezembro de 2013", dt.date(2013, 12, 1), "month"),
        ("nel dicembre del 2013", dt.date(2013, 12, 1), "month"),
        # day numbers with an ordinal sign
        ("desde el 1.º de marzo", dt.date(2024, 3, 1), "day"),
        ("dal 1° marzo", dt.date(2024, 3, 1), "day"),
        ("dal primo marzo", dt.date(2024, 3, 1), "day"),  # the first, written out (Italian, French)
        ("le premier mars", dt.date(2024, 3, 1), "day"),
        # the start, middle or end of a month
        ("fin janvier", dt.date(2024, 1, 1), "month"),
        ("в начале марта", dt.date(2024, 3, 1), "month"),
        ("sejak Januari", dt.date(2024, 1, 1), "month"),
        # Vietnamese months, and Korean "last July"
        ("tháng 3 năm 2023", dt.date(2023, 3, 1), "month"),
        ("tháng trước", dt.date(2024, 1, 1), "month"),
        ("지난 7월부터", dt.date(2023, 7, 1), "month"),
        # counts back from the publication (a Thursday)
        ("two days earlier", dt.date(2024, 2, 20), "day"),
        ("il y a trois semaines", dt.date(2024, 2, 1), "month"),
        ("vor zwei Monaten", dt.date(2023, 12, 1), "month"),
        ("this Monday", dt.date(2024, 2, 19), "day"),
        ("nesta sexta-feira", dt.date(2024, 2, 23), "day"),
        # the week after or before the publication's, the qualifier before or after the weekday
        ("ab kommendem Montag", dt.date(2024, 2, 26), "day"),
        ("lundi prochain", dt.date(2024, 2, 26), "day"),
        ("el lunes pasado", dt.date(2024, 2, 19), "day"),
        # the start of this month, last month, the end of last year
        ("au début du mois", dt.date(2024, 2, 1), "month"),
        ("il mese scorso", dt.date(2024, 1, 1), "month"),
        ("이달 초", dt.date(2024, 2, 1), "month"),
        ("去年底", dt.date(2023, 12, 1), "month"),
        ("late last year", dt.date(2023, 12, 1), "month"),
    ],
)
def test_dates_in_many_languages_and_calendars(text: str, value: dt.date, precision: str) -> None:
    found = find_dates(text, ANCHOR)
    assert found and (found[0].value, found[0].precision) == (value, precision)


def test_the_date_of_a_thing_the_measure_hits_is_no_date_of_the_measure() -> None:
    assert find_dates("The lenders shut accounts opened after 1 March 2022.", ANCHOR) == []
    assert find_dates("1 Mart 2022'den sonra açılan yabancı hesapları kapattı.", ANCHOR) == []


def test_a_count_of_days_in_chinese_numerals_is_no_date() -> None:
    assert find_dates("须在三日内完成", ANCHOR) == [] and find_dates("一日之内", ANCHOR) == []


def test_a_count_compared_with_a_plan_is_no_date() -> None:
    assert find_dates("two years earlier than planned", ANCHOR) == []


def test_a_start_and_an_end_in_russian() -> None:
    found = find_dates("квоты действуют с 1 июня по 30 ноября 2024 года", ANCHOR)
    assert [(d.value, d.role) for d in found] == [
        (dt.date(2024, 6, 1), "effective"),
        (dt.date(2024, 11, 30), "ended"),
    ]


def test_in_force_on_publication_in_several_languages() -> None:
    for text in (
        "The order is effective immediately.",
        "本公告自发布之日起实施。",
        "Постановление вступает в силу со дня его официального опубликования.",
        "La resolución entra en vigor a partir de su publicación.",
        "The measures take effect immediately.",
        "La prohibición rige con efecto inmediato.",
        "Le décret entre en vigueur immédiatement.",
        "Запрет вступает в силу немедленно.",
        "Yasak hemen yürürlüğe girdi.",
        "该措施立即生效。",
        "수출 금지는 즉시 시행된다.",
    ):
        assert in_force_on_publication(text), text


def test_an_end_known_to_its_month_or_year_is_its_last_day() -> None:
    ends = [d for d in find_dates("the quotas apply until the end of 2026", ANCHOR) if d.role == "ended"]
    assert [(d.value, d.precision) for d in ends] == [(dt.date(2026, 12, 31), "day")]
    ends = [d for d in find_dates("the ban runs until March 2025", ANCHOR) if d.role == "ended"]
    assert [(d.value, d.precision) for d in ends] == [(dt.date(2025, 3, 31), "day")]


def test_a_clock_time_between_a_cue_and_its_date_is_read_past() -> None:
    found = find_dates("retroactive to 00:01 a.m. EST (0501 GMT) on April 5", ANCHOR)
    assert [(d.value, d.role) for d in found] == [(dt.date(2024, 4, 5), "effective")]


def test_a_dateline_timestamp_dates_nothing() -> None:
    anchor = Anchor.parse("2024-04-03")
    assert find_dates("Lender halts transfers to Minsk 3.04.2024, 10:15", anchor) == []


def test_until_the_end_of_the_year_is_december_31() -> None:
    for text in (
        "Запрет будет действовать до конца года.",
        "Забраната за внос ще действа до края на годината.",  # Bulgarian
        "Zakaz obowiązuje do końca roku.",  # Polish
    ):
        end = until_year_end(text, ANCHOR)
        assert end is not None and end.value == dt.date(2024, 12, 31) and end.role == "ended", text


def _events(text: str, language: str = "en", kind: str = "news", published: str = "2024-12-03") -> list:
    doc = {"id": "d", "title": "", "text": text, "published": published, "source_kind": kind,
           "language": language}  # fmt: skip
    return extract_document(doc)


def test_a_measure_in_force_on_publication_takes_effect_that_day() -> None:
    [event] = _events("China banned exports of gallium to the United States, effective immediately.")
    assert event["effective_on"] == dt.date(2024, 12, 3)
    assert event["rules"]["effective_on"] == "date.on_publication"


def test_a_measure_until_the_end_of_the_year_ends_on_december_31() -> None:
    [event] = _events("Правительство ввело запрет на экспорт бензина до конца года.", language="ru")
    assert event["ended_on"] == dt.date(2024, 12, 31)


def test_a_date_the_text_states_beats_the_publication_date_when_mentions_merge() -> None:
    text = (
        "Chinese banks stop payments from Russia. "
        "The three banks stopped payments from Russia in January, clients said."
    )
    events = [e for e in _events(text, published="2024-02-22") if e["measure_type"] == "service_refusal"]
    assert events and events[0]["announced_on"] == dt.date(2024, 1, 1)
    assert events[0]["announced_precision"] == "month"


def test_the_dateline_of_an_official_resolution_is_its_date_of_issue() -> None:
    text = (
        "Lima, 9 de febrero de 2018\n"
        "La Comisión impuso derechos antidumping definitivos sobre las importaciones de cierres originarios "
        "de China."
    )
    doc = {"id": "r", "title": "", "text": text, "published": "2018-02", "source_kind": "official",
           "language": "es", "url": "https://busquedas.elperuano.pe/a"}  # fmt: skip
    [event] = extract_document(doc)
    assert event["announced_on"] == dt.date(2018, 2, 9)


def test_a_notice_republished_later_speaks_of_the_day_it_was_signed() -> None:
    text = "商务部决定，自即日起停止进口某国的鲜冻禽肉。特此公告。 商务部 2024年3月4日"
    doc = {
        "id": "n",
        "url": "https://finance.example.cn/notice",
        "title": "",
        "text": text,
        "published": "2024-03-06",
        "source_kind": "news",
        "language": "zh-Hans",
    }
    events = extract_document(doc)
    assert events and all(str(e["effective_on"]) == "2024-03-04" for e in events)


# helpers of the date finder: the order of numeric days, full stops inside dates, wire datelines, days
# after publication, ranges, and a yearless day in a sentence of the past


def test_numeric_day_order_depends_on_language_and_on_numbers_that_cannot_be_months() -> None:
    english, other = Anchor.parse("2024-03-14", "en"), Anchor.parse("2024-03-14", "pt")
    assert [d.value for d in find_dates("a partir de 02/04/2024", other)] == [dt.date(2024, 4, 2)]
    assert find_dates("from 02/04/2024", english) == []  # either order is possible in English
    assert [d.value for d in find_dates("from 4/20/2024", english)] == [dt.date(2024, 4, 20)]
    assert [d.value for d in find_dates("from 20/4/2024", english)] == [dt.date(2024, 4, 20)]
    assert find_dates("Regulation No 12/3/2024 of the board", other) == []  # a document's number


def test_full_stops_inside_dates_do_not_end_sentences() -> None:
    from tradecurbs.extraction.text import split_sentences

    korean = "정부는 2024. 5. 2.부터 수출을 금지한다. 다음 문장이다."
    assert [s.text for s in split_sentences(korean)][0].endswith("금지한다.")
    polish = "W maju 2023 r. Rada przyjęła zakaz. Potem nic."
    assert split_sentences(polish)[0].text == "W maju 2023 r. Rada przyjęła zakaz."
    thai = "เมื่อวันที่ 2 พ.ค. 67 รัฐบาลประกาศห้ามส่งออก"
    assert len(split_sentences(thai)) == 1


def test_a_german_ordinal_after_an_article_ends_no_sentence() -> None:
    from tradecurbs.extraction.text import split_sentences

    text = (
        "Bern übernimmt das 13. Sanktionspaket der EU. Der Bundesrat tagt im 2. Quartal erneut. "
        "Es waren 14. Dann kam nichts."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Bern übernimmt das 13. Sanktionspaket der EU.",
        "Der Bundesrat tagt im 2. Quartal erneut.",
        "Es waren 14.",
        "Dann kam nichts.",
    ]


def test_a_wire_dateline_is_no_date_of_the_story_but_its_day_of_filing() -> None:
    from tradecurbs.extraction.context import dateline_date

    text = "SEOUL, May 2 (Yonhap) - The ministry halted shipments on Tuesday."
    anchor = Anchor.parse("2024-05-04", "en")
    assert find_dates(text, anchor)[0].value == dt.date(2024, 4, 30)  # only the weekday is a date
    assert dateline_date(text, anchor).value == dt.date(2024, 5, 2)
    assert dateline_date(text, Anchor.parse("2024-06-30", "en")) is None  # filed too long before


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("The order takes effect immediately.", 0),
        ("Il decreto entra in vigore il giorno successivo alla sua pubblicazione.", 1),
        ("Nařízení nabývá účinnosti dnem následujícím po dni vyhlášení.", 1),
        ("The rule enters into force 15 days after its publication.", 15),
        ("Rozporządzenie wchodzi w życie po upływie 7 dni od dnia ogłoszenia.", 7),
        ("La presente decisión entrará en vigor el vigésimo día siguiente al de su publicación.", 20),
        ("The rule was discussed at length.", None),
    ],
)
def test_days_after_publication(sentence: str, days: int | None) -> None:
    from tradecurbs.extraction.dates import publication_delay

    assert publication_delay(sentence) == days


def test_two_joined_dates_start_and_end_a_measure() -> None:
    anchor = Anchor.parse("2024-05-02", "es")
    start, end = find_dates("la veda rige del 3 de junio al 9 de agosto", anchor)
    assert (start.role, start.value, end.role, end.value) == (
        "effective",
        dt.date(2024, 6, 3),
        "ended",
        dt.date(2024, 8, 9),
    )
    # a plain "y" joins a range only after "entre"
    first, second = find_dates("las medidas del 3 de junio y del 9 de agosto", anchor)
    assert first.role == second.role == "announced"


def test_a_yearless_day_of_the_past_that_would_fall_after_the_report_is_last_years() -> None:
    anchor = Anchor.parse("2024-05-02", "en")
    assert find_dates("The ministry halted the trade on November 9.", anchor)[0].value == dt.date(2023, 11, 9)
    assert find_dates("The ministry will halt the trade on November 9.", anchor)[0].value == dt.date(
        2024, 11, 9
    )
    # a start date may lie ahead in a sentence of the past
    assert find_dates("The ban adopted last week applies from August 9.", anchor)[-1].value == dt.date(
        2024, 8, 9
    )
