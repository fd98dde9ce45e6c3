"""Dates and encodings as sources give them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tradecurbs.sources.dates import parse_datetime
from tradecurbs.sources.encoding import decode_html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-02", datetime(2024, 1, 2, tzinfo=UTC)),  # a bare date keeps its calendar day
        ("2024-03-05T10:30:00+08:00", datetime(2024, 3, 5, 2, 30, tzinfo=UTC)),
        ("2024-03-05T02:30:00Z", datetime(2024, 3, 5, 2, 30, tzinfo=UTC)),
        ("2024-03-05 10:30", datetime(2024, 3, 5, 2, 30, tzinfo=UTC)),  # naive: the source's zone
        ("2007-08-20-23:59:59", datetime(2007, 8, 20, 15, 59, 59, tzinfo=UTC)),
        ("发布日期：2024年3月5日 10:30", datetime(2024, 3, 5, 2, 30, tzinfo=UTC)),
        ("2024年03月05日", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("March 5, 2024", datetime(2024, 3, 5, tzinfo=UTC)),
        # RSS dates written in the feed's own language
        ("Seg, 24 Set 2018 19:42:40 -0300", datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),
        ("Pzt, 05 Şub 2024 10:00:00 +0300", datetime(2024, 2, 5, 7, tzinfo=UTC)),
        ("lun., 05 févr. 2024 10:00:00 +0100", datetime(2024, 2, 5, 9, tzinfo=UTC)),
        ("Mi, 24 Dez 2025 08:00:00 GMT", datetime(2025, 12, 24, 8, tzinfo=UTC)),
        ("mié, 10 abr 2024 12:00:00 +0200", datetime(2024, 4, 10, 10, tzinfo=UTC)),
        ("Пн, 05 фев 2024 10:00:00 +0300", datetime(2024, 2, 5, 7, tzinfo=UTC)),
        ("5 мая 2024", datetime(2024, 5, 5, tzinfo=UTC)),
        ("2024년 2월 5일", datetime(2024, 2, 5, tzinfo=UTC)),
        ("2024年3月5日（火）10:30", datetime(2024, 3, 5, 2, 30, tzinfo=UTC)),
        ("05.02.2024", datetime(2024, 2, 5, tzinfo=UTC)),  # dotted dates are day first
        ("Seg, 31 Fev 2018 10:00:00 -0300", None),  # no such day
        ("no date here", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value, "Asia/Shanghai") == expected


@pytest.mark.parametrize(
    ("html", "codec", "content_type"),
    [
        ('<meta charset="gb2312"><p>商务部公告 出口管制</p>', "gb2312", None),
        # detection alone gets these two wrong: the declarations must be read
        ('<meta charset="koi8-r"><p>Запрет на вывоз пшеницы продлён</p>', "koi8-r", None),
        ("<p>Zakaz wywozu zboża, ś ć ł</p>", "iso-8859-2", "text/html; charset=ISO-8859-2"),
        ("<p>Запрет на вывоз пшеницы</p>", "cp1251", "text/html; charset=windows-1251"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>暂停进口</p>', "gbk", None),
        (
            "<p>utf-8 wins over a wrong meta: ünïcödé</p><meta charset=ascii>",
            "utf-8",
            "text/html; charset=utf-8",
        ),
    ],
)
def test_decode_html(html: str, codec: str, content_type: str | None) -> None:
    assert decode_html(html.encode(codec), content_type) == html


def test_decode_html_ignores_a_declaration_the_bytes_contradict() -> None:
    html = '<meta charset="utf-8"><p>关于对原产于测试地区的进口商品加征关税的公告，自公布之日起施行。</p>'
    assert decode_html(html.encode("gb18030")) == html  # the bytes are not UTF-8: detection decides


def test_publication_dates_far_in_the_future_are_no_dates() -> None:
    from datetime import timedelta

    assert parse_datetime("2999-01-01") is None
    soon = datetime.now(UTC) + timedelta(days=30)
    assert parse_datetime(soon.isoformat()) is not None
