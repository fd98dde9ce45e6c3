"""Date expressions: find them in a sentence and resolve them against the publication date."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.lexicon import Gated, load, trie_regex
from tradecurbs.extraction.literals import digit_run, required
from tradecurbs.extraction.wordgates import ClauseIndex, WordClauses, present, register


@dataclass(frozen=True)
class DateMention:
    """A resolved date in a sentence; role is announced, effective or ended."""

    start: int
    end: int
    value: dt.date
    precision: str
    role: str
    rule: str


@dataclass(frozen=True)
class Anchor:
    """The publication date and how much of it is known."""

    date: dt.date | None
    precision: str | None
    # whether "3/4/2024" may put the month first (English writes both orders); others put the day first
    month_first: bool = False
    # the document's language (its primary subtag, "fr"), when known: some date words are words of one
    # language only ("hier" is yesterday in French, here in German)
    language: str = ""

    @classmethod
    def parse(cls, published: str | None, language: str | None = None) -> Anchor:
        lang = (language or "").lower().split("-")[0]
        return dataclasses.replace(cls._parse(published), month_first=lang == "en", language=lang)

    @classmethod
    def _parse(cls, published: str | None) -> Anchor:
        if not published:
            return cls(None, None)
        parts = str(published)[:10].split("-")
        try:
            nums = [int(p) for p in parts if p]
        except ValueError:
            return cls(None, None)
        if len(nums) == 3:
            return cls(dt.date(*nums), "day")
        if len(nums) == 2:
            return cls(dt.date(nums[0], nums[1], 1), "month")
        return cls(dt.date(nums[0], 1, 1), "year") if nums else cls(None, None)


def _cldr_names(locales: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Wide month names (1-12) and weekday names (0 = Monday) of each locale, from Babel's CLDR data,
    in their format (genitive) and stand-alone forms."""
    from babel import Locale

    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for loc in locales:
        locale = Locale.parse(loc)
        for context in ("format", "stand-alone"):
            for num, name in locale.months[context]["wide"].items():
                months.setdefault(name.lower().rstrip("."), int(num))
            for num, name in locale.days[context]["wide"].items():
                weekdays.setdefault(name.lower(), int(num))
    return months, weekdays


class _DateGates:
    """What each date pattern cannot match without: the words of ``literals.required`` (registered with
    the one keyword scan of ``wordgates``) and a run of digits as long as ``literals.digit_run`` says. A
    sentence runs only the patterns it meets; the patterns that may run are remembered by the date words
    a sentence holds and its longest run of digits (few such pairs recur)."""

    def __init__(self, patterns: list[tuple[str, re.Pattern[str]]], relative: list[tuple]) -> None:
        self.patterns = [(kind, pat, *_needs(pat)) for kind, pat in patterns]
        self.relative = [(rel, *_needs(rel[0])) for rel in relative]
        self.words = frozenset(
            n
            for clauses in [p[2] for p in self.patterns] + [r[1] for r in self.relative]
            for c in clauses
            for n in c
        )
        self.most_digits = max([p[3] for p in self.patterns] + [r[2] for r in self.relative], default=0)
        self.memo: dict[tuple[frozenset[int], int], tuple[tuple, tuple]] = {}
        self._pattern_index = ClauseIndex([p[2] for p in self.patterns])
        self._relative_index = ClauseIndex([r[1] for r in self.relative])

    def candidates(self, sentence: str) -> tuple[tuple, tuple]:
        """((kind, pattern) of the date patterns, (pattern, unit, offset) of the relative ones) that may
        match in the sentence, in lexicon order."""
        digits = 0
        if self.most_digits:
            digits = min(self.most_digits, max(map(len, _DIGIT_RUNS.findall(sentence)), default=0))
        key = (present(sentence) & self.words, digits)
        found = self.memo.get(key)
        if found is None:
            words = key[0]
            patterns, relative = self.patterns, self.relative
            found = (
                tuple(patterns[i][:2] for i in self._pattern_index.met(words) if patterns[i][3] <= digits),
                tuple(relative[i][0] for i in self._relative_index.met(words) if relative[i][2] <= digits),
            )
            if len(self.memo) >= _MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = found
        return found


_DIGIT_RUNS = re.compile(r"\d+")  # the same digits as ``\d`` in the patterns (Unicode decimal digits)


def _needs(pat: re.Pattern[str]) -> tuple[WordClauses, int]:
    """The word clauses and the run of digits a pattern cannot match without."""
    return register(required(pat.pattern, pat.flags)), digit_run(pat.pattern, pat.flags)


_MEMO_SIZE = 4096


@cache
def _lexicon() -> dict:
    raw = load("dates")
    months, weekdays = _cldr_names(raw.get("cldr_locales", []))
    months.update({w.lower(): int(m) for m, words in raw["months"].items() for w in words})
    weekdays.update({w.lower(): int(d) for d, words in raw["weekdays"].items() for w in words})
    mon = trie_regex(list(months))
    wd = trie_regex(list(weekdays))
    this, nxt, last = raw["weekday_this"], raw["weekday_next"], raw["weekday_last"]
    ago = raw["ago"]
    nums = trie_regex(list(ago["numbers"]))
    units = trie_regex(list(ago["units"]))
    th_mon = trie_regex([w for w in months if _THAI.match(w)])
    th_abbr = trie_regex(list(raw["thai_month_abbr"]))
    pats = [
        ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
        # "令和5年", "平成30年度": a Japanese era year alone
        ("ja_era_y", re.compile(r"(?P<era>令和|平成)(?P<ey>\d{1,2}|元)年(?!\s*\d{1,2}\s*月)")),
        # "二〇二四年十二月三日": a whole date in Chinese numerals, as official notices sign
        (
            "zh_cn_ymd",
            re.compile(
                r"(?P<ycn>[〇零一二三四五六七八九]{4})年(?P<mcn>十[一二]|[一二三四五六七八九十])月"
                r"(?:(?P<dcn>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号號])?"
            ),
        ),
        # "113年4月1日", "民國112年6月" (Taiwan): a year of the Republic era, 1911 + N
        (
            "roc_ymd",
            re.compile(
                r"(?<![\d])(?:民國|民国)?(?P<roc>1[01]\d)\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号號])?"
            ),
        ),
        # "2024.4.1", "2024/04/01" (Chinese, Japanese, Korean): year, month, day
        (
            "ymd_sep",
            re.compile(
                r"(?<![\d.,/])(?P<y>(?:19|20)\d{2})(?P<sep>[./])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<d>\d{1,2})(?![\d]|[.,/]\d)"
                r"(?:(?<=\d)\.(?=\s*(?:부터|까지|에|$|[)）,])))?"
            ),
        ),
        # "01/04/2024", "1/4/2024": day first; in English only when one of the numbers cannot be a month
        (
            "dmy_slash",
            re.compile(
                r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/-])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})\b(?![/-])"
            ),
        ),
        # a weekday in Chinese, Japanese or Korean, maybe of the week before or after ("周一", "上周五",
        # "星期天", "月曜日", "先週金曜", "월요일", "지난주 금요일"), not "每周一" (every Monday)
        (
            "cjk_weekday",
            re.compile(
                r"(?<!每)(?P<rel>上个|上個|下个|下個|上|下|本|这|這|今)?(?:周|週|星期|礼拜|禮拜)(?P<zh>[一二三四五六日天])"
                r"|(?P<jrel>先週|来週|今週)?の?(?P<ja>[月火水木金土日])曜(?:日)?"
                r"|(?P<krel>지난\s*주|다음\s*주|이번\s*주|지난|오는|다음|이번)?\s*(?P<ko>[월화수목금토일])요일"
            ),
        ),
        # a Thai weekday, maybe "that has passed" or "next" ("เมื่อวันจันทร์", "วันศุกร์ที่ผ่านมา", "วันจันทร์หน้า")
        (
            "th_weekday",
            re.compile(r"(?P<wd>วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์))(?P<rel>ที่ผ่านมา|ที่แล้ว|หน้า)?"),
        ),
        # "11 มี.ค. 67", "1 เม.ย. 2567": a Thai abbreviated month, with a Buddhist-era year of 2 or 4 digits
        (
            "th_dm_abbr",
            re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?P<mon>{th_abbr})\s*(?P<y>\d{{4}}|\d{{2}})?(?!\d)"),
        ),
        # "ตั้งแต่เดือนเมษายน": a Thai month alone, after the word for month
        ("th_m", re.compile(rf"เดือน(?P<mon>{th_mon})(?!\s*(?:พ\.ศ\.\s*)?\d)")),
        # "เดือนมีนาคม 2565", "มีนาคม พ.ศ. 2565": a Thai month and year, written without a space before it
        (
            "th_my",
            re.compile(
                rf"(?<!\d\s)(?<!\d)(?P<mon>{th_mon})\s*(?:พ\.ศ\.\s*)?(?P<y>(?:25|19|20)\d{{2}})(?!\d)"
            ),
        ),
        # "ในปี 2562", "พ.ศ. 2562", "ปี 2019": a Thai year
        ("th_y", re.compile(r"(?:ปี|พ\.ศ\.)\s*(?P<y>(?:25|19|20)\d{2})(?!\d)")),
        # Japanese era years: 令和 N is 2018 + N, 平成 N is 1988 + N ("令和8年2月14日")
        (
            "ja_era",
            re.compile(r"(?P<era>令和|平成)(?P<ey>\d{1,2}|元)年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日?)?"),
        ),
        (
            "zh_ymd",
            re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日号號일]"),
        ),
        ("zh_ym", re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]")),
        ("zh_md", re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日号號일]")),
        # a day of the month before, after or of the publication ("下月1日", "上月28日", "来月1日")
        (
            "rel_month_day",
            re.compile(
                r"(?P<rel>下个月|下個月|下月|上个月|上個月|上月|本月|今月|来月|先月|다음\s*달|지난\s*달|이번\s*달|이달)\s*"
                r"(?P<d>\d{1,2})\s*[日号號일]"
            ),
        ),
        # the same in words of Latin or Cyrillic script ("the first of next month", "1-го числа следующего
        # месяца", "le 1er du mois prochain", "el primero del próximo mes", "zum Ersten des nächsten Monats")
        (
            "rel_month_day_w",
            re.compile(
                r"\b(?:the\s+)?(?P<d>first|1st|\d{1,2}(?:st|nd|rd|th)?)\s+(?:day\s+)?of\s+(?P<rel>next|last|this)\s+month\b"
                r"|(?<!\d)(?P<d2>\d{1,2})(?:-?го)?\s+числа\s+(?P<rel2>следующего|прошлого|этого|текущего)\s+месяца"
                r"|\b(?P<d3>1er|\d{1,2})\s+du\s+mois\s+(?P<rel3>prochain|dernier)\b"
                r"|\b(?P<d4>primero|\d{1,2})\s+del\s+(?P<rel4>próximo|pasado)\s+mes\b"
                r"|\b(?:am|zum)\s+(?P<d5>Ersten|\d{1,2}\.)\s+(?:des\s+)?(?P<rel5>nächsten|kommenden|vergangenen)\s+Monats\b",
                re.I,
            ),
        ),
        # a count of days, weeks, months or years before the publication ("两周前", "2週間前", "2주 전")
        (
            "cjk_ago",
            re.compile(
                r"(?<![\d.])(?P<n>\d{1,2}|[一两兩二三四五六七八九十])\s*"
                r"(?:(?:个|個|か|カ|ヶ|개)\s*(?P<u2>月|월)|(?P<u>天|周|週間|週|星期|年|주|일|달|년))\s*(?:前|전)(?![后後])"
            ),
        ),
        # a month in Chinese numerals and day in Chinese numerals ("十月八日", "去年十二月三日")
        (
            "zh_cn_md",
            re.compile(
                r"(?P<rel>今年|去年|明年)?(?P<mcn>十[一二]|[一二三四五六七八九十])月"
                r"(?P<dcn>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号號]"
            ),
        ),
        # a month in Chinese numerals, maybe of this or last year ("今年一月", "去年十二月")
        (
            "zh_cn_month",
            re.compile(r"(?P<rel>今年|去年|明年)?(?P<mcn>十[一二]|[一二三四五六七八九十])月(?![\d日号])"),
        ),
        # "去年10月", "昨年10月", "작년 10월": a month of the year before (or this year)
        (
            "zh_rel_ym",
            re.compile(r"(?P<rel>去年|昨年|今年|明年|来年|작년|지난해|올해|내년)\s*(?P<m>\d{1,2})\s*[月월]"),
        ),
        # "지난 7월" (Korean: last July): the latest such month before the publication
        ("ko_last_m", re.compile(r"지난\s*(?P<m>\d{1,2})\s*월")),
        # a month in digits alone ("自4月起", "4月から", "4월부터"), the nearest such month; not the first
        # months of a year ("前4月", "1-4月")
        (
            "cjk_m",
            re.compile(
                r"(?<![\d年년.前头頭首近第每至到~～\-])(?P<m>\d{1,2})\s*[月월](?!\s*\d{1,2}\s*[日号號일])(?![份]?\s*\d)"
            ),
        ),
        # a day of the month alone ("7日", "4일부터"): the nearest such day to the publication date
        ("zh_d", re.compile(r"(?<![\d月월年년.])(?P<d>\d{1,2})\s*[日일](?![间間本以내째])")),
        # a day alone in Chinese numerals ("欧盟六日决定"), not "一日" (one day) nor a count ("三日内")
        (
            "zh_cn_d",
            re.compile(
                r"(?<![\d月年〇零一二三四五六七八九十百千万萬几幾每今昨前明第])"
                r"(?P<dcn>[二三]?十[一二三四五六七八九]?|[二三四五六七八九])日(?![间間本以内內子常期])"
            ),
        ),
        # "1-Apr-2024", "01-Apr-24": day, abbreviated month and year joined by dashes
        (
            "d_mon_y",
            re.compile(rf"\b(?P<d>\d{{1,2}})-(?P<mon>{mon})-(?P<y>\d{{4}}|\d{{2}})\b(?!-)", re.I),
        ),
        # "ab 01.04.24", "od 01.04.24": a two-digit year only right after a word that opens a date
        (
            "dmy_dots_short",
            re.compile(
                r"\b(?:ab|vom|bis|am|seit|zum|od|do|dne|с|со|по|от|до|dal|al|du|au|le|el|desde|hasta|from|until)\s+"
                r"(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{2})\b(?![.,]?\d)",
                re.I,
            ),
        ),
        # "from the 20th", "с 20-го числа": a day of the month alone, written as an ordinal
        (
            "ord_day",
            re.compile(
                r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:[.,;)]|$|of\s+(?:this|the)\s+month))"
                r"|\b(?P<d2>\d{1,2})(?:-?го)?\s+числа\b",
                re.I,
            ),
        ),
        # "ngày 24/8", "ngày 24/8/2023" (Vietnamese): day and month
        ("vi_dm", re.compile(r"\bngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}))?\b", re.I)),
        # "ngày 1 tháng 4 năm 2024", "ngày 1 tháng 4" (Vietnamese): day, month and maybe year
        (
            "vi_dmy",
            re.compile(
                r"\bngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:,\s*)?(?:năm\s+|/)(?P<y>\d{4}))?\b",
                re.I,
            ),
        ),
        # "tháng 5 năm 2024", "tháng 5/2024", "tháng 5" (Vietnamese): a month
        ("vi_m", re.compile(r"\btháng\s+(?P<m>\d{1,2})(?:\s*(?:năm\s+|/)(?P<y>\d{4}))?\b(?!/)", re.I)),
        # "1.3.2024", and with a space after each dot as Czech and Slovak write it ("1. 3. 2024")
        ("dmy_dots", re.compile(r"\b(?P<d>\d{1,2})\.(?P<sp> ?)(?P<m>\d{1,2})\.(?P=sp)(?P<y>\d{4})\b")),
        (
            "mdy",
            re.compile(
                rf"\b(?P<mon>{mon})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?", re.I
            ),
        ),
        (
            "dmy",
            re.compile(
                rf"\b(?P<d>\d{{1,2}}|primo|premier)(?:st|nd|rd|th|er|\.?º|°|ª)?\.?\s+(?:of\s+|de\s+)?(?P<mon>{mon})\b\.?"
                rf"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})\b)?",
                re.I,
            ),
        ),
        # "December 2013", "December of 2013", "diciembre de 2013", "dicembre del 2013"
        ("my", re.compile(rf"\b(?P<mon>{mon})\.?,?\s+(?:of\s+|de\s+|del\s+|di\s+)?(?P<y>\d{{4}})\b", re.I)),
        # "since August last year", "in March this year": a month of the year before or of this year
        (
            "m_rel_year",
            re.compile(
                rf"\b(?P<mon>{mon})\s+(?:of\s+)?(?P<rel>last|this|next|previous)\s+year\b"
                rf"|\b(?P<mon2>{mon})\s+(?:de\s+l[’']année\s+|del\s+año\s+|des\s+)?(?P<rel2>dernière|pasado|Vorjahres|прошлого\s+года)"
                # "last November", "this June", "next January": the month's nearest such before or after
                rf"|\b(?P<rel3>last|this|next|past)\s+(?P<mon3>{mon})\b(?!\s+\d)",
                re.I,
            ),
        ),
        (
            "m",
            re.compile(
                r"\b(?:in|from|since|until|by|starting|early|late|mid|end of|beginning of|im|en|em|a|в|с|до|"
                r"w|od|do|v|ab|seit|desde|depuis|dès|hasta|anfang|ende|début|fin de|principios de|finales de|"
                rf"inizio|fine|fin|mi|в\s+начале|в\s+конце|в\s+середине|с\s+начала|до\s+конца|sejak|mulai|pada|akhir|awal|"
                rf"partir|compter|da|dal|ad|от|през|mitte|mediados|metà|meados|"
                # the start, middle or end of a month in Polish, Czech and Bulgarian ("pod koniec kwietnia",
                # "koncem dubna", "в края на април")
                rf"koniec|początku|połowie|koncem|začátku|konci|polovině|края\s+на|началото\s+на|средата\s+на)"
                rf"(?:\s+|(?<=mid)-|(?<=mi)-)(?:in\s+|de\s+|d[’']\s*)?(?P<mon>{mon})\b(?!\s+(?:de\s+|del\s+|of\s+|di\s+)?\d)"
                rf"|\b(?P<mon2>{mon})\s+ay(?:ında|ı|ından|ına)\b",
                re.I,
            ),
        ),
        # "two days earlier", "three weeks ago", "hace dos semanas", "vor zwei Wochen"
        (
            "ago",
            re.compile(
                rf"\b(?:{ago['before']}\s+(?P<n>\d{{1,2}}|{nums})\s+(?P<u>{units})\b"
                rf"|(?P<n2>\d{{1,2}}|{nums})\s+(?P<u2>{units})\s+{ago['after']}\b(?!\s+(?:than|as)\b))",
                re.I,
            ),
        ),
        # "since the beginning of 2024": the first month of that year
        (
            "year_start",
            re.compile(r"\b(?:the\s+)?(?:start|beginning|turn)\s+of\s+(?P<y>(?:19|20)\d{2})\b", re.I),
        ),
        # "late 2023", "at the end of 2023", "a finales de 2023", "2023年底": the year's December
        (
            "y_end",
            re.compile(
                r"\b(?:late|end\s+of|finales\s+de|fines\s+de|fin\s+de|fin|Ende|в\s+конце|końcem|koncem|fine|"
                r"alla\s+fine\s+del|akhir(?:\s+tahun)?|cuối\s+năm)(?:\s+|(?<=late)-)(?P<y>(?:19|20)\d{2})\b(?![-/.]\d)"
                r"|(?P<y2>(?:19|20)\d{2})\s*年\s*(?:底|末)|(?P<y3>(?:19|20)\d{2})\s*년\s*말",
                re.I,
            ),
        ),
        (
            "y",
            re.compile(
                r"\b(?:in|since|from|by|until|of|year|before|after|en|dès|depuis|em|desde|im|seit|в|во|w|v|nel|dal|tahun|năm"
                r"|с|со|od|от|sejak|ab|early|mid|partir\s+d[eoa]|compter\s+de|roku|inizio|début|principios\s+de"
                r"|roce|през|pada)"
                r"(?:\s+|(?<=mid)-)(?P<y>(?:19|20)\d{2})\b(?![-/.]\d)|(?P<y2>(?:19|20)\d{2})\s*[年년](?!\s*\d{1,2}\s*[月월])(?!\s*第)"
                # a year and the word for year after it ("2022 г.", "2022 r.", "2022 года")
                r"|\b(?P<y4>(?:19|20)\d{2})\s*(?:г\.|r\.|roku\b|года\b|году\b|godine\b)"
                # Turkish: "2014'ten bu yana", "2019 yılında", "2019'da"
                r"|\b(?P<y3>(?:19|20)\d{2})(?:[’']?(?:den|dan|ten|tan|de|da|te|ta)\b|\s+yıl(?:ında|ından)\b)",
                re.I,
            ),
        ),
        # a Turkish weekday with its case ending or "günü" ("pazartesiden itibaren", "cuma gününden itibaren")
        (
            "tr_weekday",
            re.compile(
                r"\b(?P<wd>pazartesi|salı|çarşamba|perşembe|cumartesi|cuma|pazar)"
                r"(?:\s+gün(?:ü|ünden|üne)|[’']?(?:den|dan|ye|ya|ndan|nden))\b",
                re.I,
            ),
        ),
        # a Portuguese weekday without "-feira", after the words that make it one ("nesta segunda", "na última
        # sexta", "na próxima terça"), not an ordinal ("na quinta posição")
        (
            "pt_weekday",
            re.compile(
                r"\b(?P<rel>nesta|nessa|desta|dessa|na\s+última|na\s+próxima|na\s+passada|na)\s+"
                r"(?P<wd>segunda|terça|quarta|quinta|sexta)\b(?!-)(?!\s+(?:posição|vez|fase|etapa|parte|colocad\w*|maior))",
                re.I,
            ),
        ),
        # a weekday with its day (and month) in brackets, as Brazilian papers write it: "segunda-feira (3/3)"
        ("wd_day", re.compile(rf"\b(?P<wd>{wd})\s*\((?P<d>\d{{1,2}})(?:/(?P<m>\d{{1,2}}))?\)", re.I)),
        (
            "weekday",
            re.compile(
                rf"\b(?:(?P<rel>{nxt}|{last}|{this})\s+)?(?P<wd>{wd})\b(?:\s+(?P<rel2>{nxt}|{last})\b)?", re.I
            ),
        ),
    ]
    rel = [
        (re.compile(r["re"], re.I), r["unit"], int(r["offset"]), frozenset(r.get("languages", ())))
        for r in raw["relative"]
    ]
    return {
        "months": months,
        "thai_abbr": {k: int(v) for k, v in raw["thai_month_abbr"].items()},
        "cjk_week": {w: rel for rel, words in raw["cjk_weekday_week"].items() for w in words},
        "weekdays": weekdays,
        "patterns": pats,
        "relative": rel,
        # words each pattern cannot match without (``literals.required``): absent words skip the pattern
        "needs": _DateGates(pats, rel),
        "eff_before": re.compile(raw["effective_before"], re.I),
        "doc_before": re.compile(raw["document_date_before"], re.I),
        "stat_before": re.compile(raw["statistic_before"], re.I),
        "object_before": re.compile(raw["object_date_before"], re.I),
        "object_after": re.compile(raw["object_date_after"], re.I),
        "eff_after": re.compile(raw["effective_after"]),
        "end_before": re.compile(raw["end_before"], re.I),
        "range_open": re.compile(raw["range_open"], re.I),
        "range_join": re.compile(raw["range_join"], re.I),
        "range_and": re.compile(raw["range_and"], re.I),
        "eff_sentence": Gated(raw["effective_sentence"]),
        "notice_effective": Gated(raw["notice_effective"]),
        "notice_label": Gated(raw["notice_effective_label"], re.I),
        "future": Gated(raw["weekday_future"]),
        "past": Gated(raw["weekday_past"]),
        "past_verb": re.compile(raw["weekday_past_verb"], re.I),
        "this_week": re.compile(this, re.I),
        "next_week": re.compile(nxt, re.I),
        "last_week": re.compile(last, re.I),
        "same_day": Gated(raw["announced_same_day"]),
        "past_sentence": Gated(raw["past_sentence"]),
        "future_sentence": Gated(raw["future_sentence"]),
        "on_publication": Gated(raw["effective_on_publication"]),
        "after_publication": [(Gated(r["re"]), r["days"]) for r in raw["after_publication"]],
        "year_end": Gated(raw["until_year_end"]),
        "wd_before": Gated(rf"\b(?:{wd})\b[\s,]*(?:the\s+|dem\s+|le\s+|el\s+)?$", re.I),
        "year_after": [(re.compile(r, re.I), int(o)) for o, r in raw["year_after_date"].items()],
        "year_before": [(re.compile(r), int(o)) for o, r in raw["year_before_date"].items()],
        "wd_after": Gated(rf"^[\s,(（]*(?:a\s+)?(?:{wd})\b", re.I),
    }


def _year(text: str) -> int:
    """A year as written; a Thai Buddhist-era year (2400 and later) is 543 years ahead of the common era."""
    year = int(text)
    return year - 543 if year > 2400 else year


def _nearest_year(month: int, day: int, anchor: dt.date) -> int:
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            cand = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        except ValueError:
            continue
        gap = abs((cand - anchor).days)
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else anchor.year


_CN_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
_CN_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}
_CN_YEAR_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0}  # "二〇二四" is 2024


def _cn_number(text: str) -> int:
    """A number from 1 to 39 in Chinese numerals ("八" 8, "十五" 15, "二十三" 23)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return 10 * (_CN_DIGITS[tens] if tens else 1) + (_CN_DIGITS[units] if units else 0)


def _nearest_day(day: int, anchor: dt.date) -> dt.date:
    """The date with this day of the month nearest the anchor (this month, the one before or after)."""
    best: dt.date | None = None
    for shift in (-1, 0, 1):
        first = _shift_month(anchor.replace(day=1), shift)
        if day > calendar.monthrange(first.year, first.month)[1]:
            continue
        cand = first.replace(day=day)
        if best is None or abs((cand - anchor).days) < abs((best - anchor).days):
            best = cand
    if best is None:
        raise ValueError(f"no month near {anchor} has a day {day}")
    return best


def _past_day(day: int, anchor: dt.date) -> dt.date:
    """A bare day not said to come: the nearest such day, unless it falls more than a day after the report
    ("商务部23日宣布" written on the 10th is last month's 23rd; a day after is the time zones' gap)."""
    near = _nearest_day(day, anchor)
    if (near - anchor).days <= 1:
        return near
    if day <= anchor.day + 1 and day <= calendar.monthrange(anchor.year, anchor.month)[1]:
        return anchor.replace(day=day)
    first = _shift_month(anchor.replace(day=1), -1)
    return first.replace(day=day) if day <= calendar.monthrange(first.year, first.month)[1] else near


def _ago(count: str, unit_word: str, anchor: Anchor) -> tuple[dt.date, str] | None:
    """The date a count of units before the publication: a day for days, else the month it falls in."""
    ago = load("dates")["ago"]
    n = int(count) if count.isdigit() else {k.lower(): v for k, v in ago["numbers"].items()}[count.lower()]
    unit = {k.lower(): v for k, v in ago["units"].items()}[unit_word.lower()]
    ad = anchor.date
    if ad is None or (unit in ("day", "week") and anchor.precision != "day"):
        return None
    if unit == "day":
        return ad - dt.timedelta(days=n), "day"
    if unit == "week":
        return (ad - dt.timedelta(days=7 * n)).replace(day=1), "month"
    if unit == "month":
        return _shift_month(ad.replace(day=1), -n), "month"
    return _shift_month(ad.replace(day=1), -12 * n), "month"


def _shift_month(d: dt.date, months: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + months
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _weekday_date(wd: int, rel: str, ad: dt.date, future: bool | str) -> dt.date:
    """The date of weekday ``wd`` (0 = Monday) near the publication day ``ad``: "this" is that day of the
    publication's week; "next" the first after it, never the day itself; "last" the latest before it; a bare
    weekday the latest up to the day itself, or the first from it on when the sentence looks forward."""
    if rel == "this":
        # "this Monday", "nesta segunda-feira", "ce lundi", "本周一": that day of the publication's week
        return ad + dt.timedelta(days=wd - ad.weekday())
    if future == "near" and not rel:
        ahead = (wd - ad.weekday()) % 7
        return ad + dt.timedelta(days=ahead) if ahead < 7 - ahead else ad - dt.timedelta(days=7 - ahead)
    if rel in ("next", "coming") or (future and rel not in ("last", "previous")):
        # "next Friday" is never today; a bare "from Friday" written on a Friday is today.
        delta = (wd - ad.weekday()) % 7
        if rel in ("next", "coming"):
            delta = delta or 7
        return ad + dt.timedelta(days=delta)
    delta = (ad.weekday() - wd) % 7
    if rel in ("last", "previous") and delta == 0:
        delta = 7
    return ad - dt.timedelta(days=delta)


_THAI = re.compile(r"[\u0e00-\u0e7f]")


# units of a CJK count of time before the publication ("两周前", "3개월 전")
_CJK_UNITS = {"天": "day", "일": "day", "周": "week", "週間": "week", "週": "week", "星期": "week"}
_CJK_UNITS |= {"주": "week", "月": "month", "달": "month", "월": "month", "年": "year", "년": "year"}
# bare days and weekdays that point forward when the sentence starts or ends a measure with them
_BARE_DAYS = ("zh_d", "zh_cn_d", "cjk_weekday", "th_weekday", "tr_weekday", "pt_weekday", "ord_day")
# a day and month whose year words next to them may name ("1 January next year", "明年1月1日")
_DAY_MONTH = ("mdy", "dmy", "zh_md", "vi_dmy", "vi_dm")


# dates written in digits alone, and the signs that make such digits a document's number instead
_NUMERIC = ("iso", "ymd_sep", "dmy_slash", "dmy_dots", "dmy_dots_short")
_NUMBER_SIGN = re.compile(r"(?:\b(?:nr|no|n[°º]|núm|num|number|nummer|číslo|č)\.?|№|#)\s*$", re.I)


# "去年", "明年", "작년": the year before or after the publication's
_CJK_YEAR_OFFSET = {"去年": -1, "昨年": -1, "작년": -1, "지난해": -1, "明年": 1, "来年": 1, "내년": 1}


def _era_year(era: str, year: str) -> int:
    """The common-era year of a Japanese era year: 令和 N is 2018 + N, 平成 N is 1988 + N (元 is 1)."""
    return (2018 if era == "令和" else 1988) + (1 if year == "元" else int(year))


# a month without its year ("in August", "8月", "tháng 8"), nearest the report unless the sentence says when
_MONTH_ALONE = ("m", "cjk_m", "vi_m", "th_m", "zh_cn_month")


_TENSE_DAYS = 31


def _tense_shift(sentence: str, res: tuple[dt.date, str], anchor: Anchor, role: str) -> int:
    """-1 or +1 when a date without its year (and without words naming it), taken as the nearest such day or
    month, falls on the wrong side of the report for the tense of its sentence: after it in a sentence of
    the past only ("India banned exports on August 20", written in March: last year's), before it in a
    sentence of the future only ("the ban will apply from January 1", written in May: next year's). A start
    or end date may lie ahead in a sentence of the past ("adopted a ban that applies from August 20")."""
    ad = anchor.date
    if ad is None or anchor.precision == "year":
        return 0
    value, precision = res
    if precision == "day" and anchor.precision == "day":
        # within a month of the report, a day stays where it is: the day a plan was announced ("said on
        # the 11th it will ban ..."), a slip of the tense, the time zones' gap
        gap = (value - ad).days
        ahead, behind = gap > _TENSE_DAYS, gap < -_TENSE_DAYS
    else:
        months = (value.year - ad.year) * 12 + value.month - ad.month
        ahead, behind = months > 1, months < -1
    if not (ahead and role == "announced") and not behind:
        return 0
    lex = _lexicon()
    past, future = lex["past_sentence"].search(sentence), lex["future_sentence"].search(sentence)
    if ahead and past and not future:
        return -1
    if behind and future and not past:
        return 1
    return 0


def _shift_year(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (or earlier); 29 February becomes the 28th in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


_SINCE = re.compile(r"(?:since|seit|depuis)\s", re.I)
# words for both "from" and "since" ("с апреля", "desde marzo", "od kwietnia"): the latest such month before
# the report only when the sentence speaks of the past
_FROM_OR_SINCE = re.compile(r"(?:desde|с|со|od|от|sejak)\s", re.I)
_PAST_MARK = re.compile(
    r"\b(?:has|have|had|was|were|since|sudah|telah)\b|\b\w{4,}[иаея](?:ла|ло|ли|л)\b|\b\w{3,}(?:ło|ły|ła|ł)\b"
    r"|\b\w+(?:ó|aron|ieron)\b",
    re.I,
)


def _resolve(
    kind: str, m: re.Match[str], anchor: Anchor, future: bool | str = False
) -> tuple[dt.date, str] | None:
    lex = _lexicon()
    g = m.groupdict()
    ad = anchor.date
    try:
        if kind in ("iso", "zh_ymd", "dmy_dots"):
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"])), "day"
        if kind == "zh_cn_ymd":
            year = int("".join(str(_CN_YEAR_DIGITS[c]) for c in g["ycn"]))
            month = _CN_MONTHS.index(g["mcn"]) + 1
            if g.get("dcn"):
                return dt.date(year, month, _cn_number(g["dcn"])), "day"
            return dt.date(year, month, 1), "month"
        if kind == "roc_ymd":
            year = 1911 + int(g["roc"])
            if g.get("d"):
                return dt.date(year, int(g["m"]), int(g["d"])), "day"
            return dt.date(year, int(g["m"]), 1), "month"
        if kind == "ja_era_y":
            return dt.date(_era_year(g["era"], g["ey"]), 1, 1), "year"
        if kind == "ja_era":
            year = _era_year(g["era"], g["ey"])
            if g.get("d"):
                return dt.date(year, int(g["m"]), int(g["d"])), "day"
            return dt.date(year, int(g["m"]), 1), "month"
        if kind in ("zh_cn_md", "zh_cn_d"):
            if ad is None or (kind == "zh_cn_d" and anchor.precision != "day"):
                return None
            day = _cn_number(g["dcn"])
            if kind == "zh_cn_d":
                if future and ad.day <= day <= calendar.monthrange(ad.year, ad.month)[1]:
                    return ad.replace(day=day), "day"
                return _past_day(day, ad), "day"
            month = _CN_MONTHS.index(g["mcn"]) + 1
            offset = {"去年": -1, "明年": 1}.get(g.get("rel") or "", 0)
            year = ad.year + offset if g.get("rel") else _nearest_year(month, day, ad)
            return dt.date(year, month, day), "day"
        if kind == "zh_cn_month":
            if ad is None:
                return None
            month = _CN_MONTHS.index(g["mcn"]) + 1
            offset = {"去年": -1, "明年": 1}.get(g.get("rel") or "", 0)
            if not g.get("rel"):
                return dt.date(_nearest_year(month, 15, ad), month, 1), "month"
            return dt.date(ad.year + offset, month, 1), "month"
        if kind == "zh_rel_ym":
            if ad is None:
                return None
            offset = _CJK_YEAR_OFFSET.get(g["rel"], 0)
            return dt.date(ad.year + offset, int(g["m"]), 1), "month"
        if kind == "vi_m":
            month = int(g["m"])
            if not 1 <= month <= 12:
                return None
            if g.get("y"):
                return dt.date(int(g["y"]), month, 1), "month"
            if ad is None:
                return None
            return dt.date(_nearest_year(month, 15, ad), month, 1), "month"
        if kind == "ko_last_m":
            if ad is None:
                return None
            month = int(g["m"])
            return dt.date(ad.year if month < ad.month else ad.year - 1, month, 1), "month"
        if kind == "zh_d":
            if ad is None or anchor.precision != "day":
                return None
            day = int(g["d"])
            if future and ad.day <= day <= calendar.monthrange(ad.year, ad.month)[1]:
                # "28日に施行" written on the 7th: a bare day to come is this month's
                return ad.replace(day=day), "day"
            return _past_day(day, ad), "day"
        if kind == "zh_ym":
            return dt.date(int(g["y"]), int(g["m"]), 1), "month"
        if kind in ("zh_md", "mdy", "dmy", "vi_dm", "vi_dmy"):
            month = int(g["m"]) if "m" in g and g.get("m") else lex["months"][g["mon"].lower()]
            if g.get("mon") and g["mon"].lower() in ("may", "mar") and not g["mon"][0].isupper():
                return None
            day = 1 if g["d"].isalpha() else int(g["d"])  # "dal primo agosto", "le premier août"
            if g.get("y"):
                return dt.date(_year(g["y"]), month, day), "day"
            if ad is None:
                return None
            return dt.date(_nearest_year(month, day, ad), month, day), "day"
        if kind == "my":
            if g["mon"].lower() in ("may", "mar") and not g["mon"][0].isupper():
                return None
            return dt.date(_year(g["y"]), lex["months"][g["mon"].lower()], 1), "month"
        if kind == "m_rel_year":
            word = g.get("mon") or g.get("mon2") or g.get("mon3")
            if ad is None or (word.lower() in ("may", "mar") and not word[0].isupper()):
                return None
            month = lex["months"][word.lower()]
            if g.get("rel3"):
                rel = g["rel3"].lower()
                if rel == "this":
                    return dt.date(ad.year, month, 1), "month"
                if rel == "next":
                    return dt.date(ad.year if month > ad.month else ad.year + 1, month, 1), "month"
                return dt.date(ad.year if month < ad.month else ad.year - 1, month, 1), "month"
            rel = (g.get("rel") or g.get("rel2") or "").lower()
            offset = 0 if rel == "this" else 1 if rel == "next" else -1
            return dt.date(ad.year + offset, month, 1), "month"
        if kind == "m":
            word = g.get("mon") or g.get("mon2")
            if ad is None or (word.lower() in ("may", "mar") and not word[0].isupper()):
                return None
            month = lex["months"][word.lower()]
            if _SINCE.match(m.group(0)) or (_FROM_OR_SINCE.match(m.group(0)) and _PAST_MARK.search(m.string)):
                # "since December": the latest December before the report
                return dt.date(ad.year if month <= ad.month else ad.year - 1, month, 1), "month"
            return dt.date(_nearest_year(month, 15, ad), month, 1), "month"
        if kind == "y_end":
            return dt.date(int(g.get("y") or g.get("y2") or g.get("y3")), 12, 1), "month"
        if kind in ("y", "th_y"):
            return dt.date(_year(g.get("y") or g.get("y2") or g.get("y3") or g.get("y4")), 1, 1), "year"
        if kind == "th_my":
            return dt.date(_year(g["y"]), lex["months"][g["mon"]], 1), "month"
        if kind == "th_dm_abbr":
            month = lex["thai_abbr"][g["mon"]]
            day = int(g["d"])
            if g.get("y"):
                # a two-digit year is the Buddhist era's ("67" is 2567, that is 2024)
                year = _year(g["y"]) if len(g["y"]) == 4 else 2500 + int(g["y"]) - 543
                return dt.date(year, month, day), "day"
            if ad is None:
                return None
            return dt.date(_nearest_year(month, day, ad), month, day), "day"
        if kind == "rel_month_day":
            if ad is None:
                return None
            rel = re.sub(r"\s", "", g["rel"])
            shift = -1 if rel in ("上个月", "上個月", "上月", "先月", "지난달") else 0 if rel in (
                "本月", "今月", "이번달", "이달") else 1  # fmt: skip
            return _shift_month(ad.replace(day=1), shift).replace(day=int(g["d"])), "day"
        if kind == "rel_month_day_w":
            if ad is None:
                return None
            day_word = next(g[k] for k in ("d", "d2", "d3", "d4", "d5") if g.get(k))
            rel = next(g[k] for k in ("rel", "rel2", "rel3", "rel4", "rel5") if g.get(k)).lower()
            digits = re.match(r"\d+", day_word)
            day = int(digits.group(0)) if digits else 1  # first, 1er, primero, Ersten
            shift = {"last": -1, "прошлого": -1, "dernier": -1, "pasado": -1, "vergangenen": -1}.get(
                rel, 0 if rel in ("this", "этого", "текущего") else 1
            )
            first = _shift_month(ad.replace(day=1), shift)
            if day > calendar.monthrange(first.year, first.month)[1]:
                return None
            return first.replace(day=day), "day"
        if kind == "cjk_ago":
            n = g["n"]
            count = int(n) if n.isdigit() else _cn_number({"两": "二", "兩": "二"}.get(n, n))
            return _ago(str(count), _CJK_UNITS[g["u"] or g["u2"]], anchor)
        if kind in ("cjk_m", "th_m"):
            if ad is None:
                return None
            month = int(g["m"]) if kind == "cjk_m" else lex["months"][g["mon"]]
            if not 1 <= month <= 12:
                return None
            return dt.date(_nearest_year(month, 15, ad), month, 1), "month"
        if kind == "ord_day":
            if ad is None or anchor.precision != "day":
                return None
            day = int(g["d"] or g["d2"])
            if future and ad.day <= day <= calendar.monthrange(ad.year, ad.month)[1]:
                return ad.replace(day=day), "day"
            return _past_day(day, ad), "day"
        if kind in ("d_mon_y", "dmy_dots_short"):
            month = int(g["m"]) if kind == "dmy_dots_short" else lex["months"][g["mon"].lower()]
            year = int(g["y"]) if len(g["y"]) == 4 else 2000 + int(g["y"])
            return dt.date(year, month, int(g["d"])), "day"
        if kind == "ymd_sep":
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"])), "day"
        if kind == "dmy_slash":
            first, second = int(g["d"]), int(g["m"])
            if anchor.month_first and first <= 12 and second <= 12 and first != second:
                return None  # English writes both orders ("4/1/2024" in Washington, "1/4/2024" in Delhi)
            if second > 12:
                first, second = second, first
            return dt.date(_year(g["y"]), second, first), "day"
        if kind == "cjk_weekday":
            if ad is None or anchor.precision != "day":
                return None
            if g.get("zh"):
                wd, rel = "一二三四五六".find(g["zh"]), g.get("rel") or ""
                wd = 6 if wd < 0 else wd
            elif g.get("ja"):
                wd, rel = "月火水木金土日".index(g["ja"]), g.get("jrel") or ""
            else:
                wd, rel = "월화수목금토일".index(g["ko"]), re.sub(r"\s", "", g.get("krel") or "")
            return _weekday_date(wd, lex["cjk_week"].get(rel, ""), ad, future), "day"
        if kind == "pt_weekday":
            if ad is None or anchor.precision != "day":
                return None
            wd = ("segunda", "terça", "quarta", "quinta", "sexta").index(g["wd"].lower())
            rel = g["rel"].lower().split()[-1]
            which = {"última": "last", "passada": "last", "próxima": "next", "na": ""}.get(rel, "this")
            return _weekday_date(wd, which, ad, future), "day"
        if kind == "tr_weekday":
            if ad is None or anchor.precision != "day":
                return None
            return _weekday_date(lex["weekdays"][g["wd"].lower()], "", ad, future), "day"
        if kind == "th_weekday":
            if ad is None or anchor.precision != "day":
                return None
            wd = lex["weekdays"].get(g["wd"])
            if wd is None:
                wd = {"วันพฤหัส": 3}[g["wd"]]
            rel = {"ที่ผ่านมา": "last", "ที่แล้ว": "last", "หน้า": "next"}.get(g.get("rel") or "", "")
            return _weekday_date(wd, rel, ad, future), "day"
        if kind == "year_start":
            return dt.date(int(g["y"]), 1, 1), "month"
        if kind == "wd_day":
            if ad is None:
                return None
            day = int(g["d"])
            if g.get("m"):
                month = int(g["m"])
                return dt.date(_nearest_year(month, day, ad), month, day), "day"
            return _nearest_day(day, ad), "day"
        if kind == "ago":
            return _ago(g["n"] or g["n2"], g["u"] or g["u2"], anchor)
        if kind == "weekday":
            if ad is None or anchor.precision != "day":
                return None
            wd = lex["weekdays"][g["wd"].lower()]
            rel = (g.get("rel") or g.get("rel2") or "").lower()
            if rel and lex["next_week"].fullmatch(rel):
                rel = "next"
            elif rel and lex["last_week"].fullmatch(rel):
                rel = "last"
            if rel and lex["this_week"].fullmatch(rel):
                rel = "this"
            return _weekday_date(wd, rel, ad, future), "day"
    except (ValueError, KeyError):
        return None
    return None


# a date expression that starts with its own preposition ("since May", "until 2026", "seit März")
_OPENS_EFFECTIVE = re.compile(
    r"(?:since|from|starting|seit|ab|desde|depuis|dès|od|с|со|от|mulai|sejak|từ|partir|compter|dal|da)\s",
    re.I,
)
_OPENS_END = re.compile(r"(?:until|till|bis|hasta|до)\s", re.I)


# a clock time between a date's cue and the date ("effective 12:01 a.m. EDT on April 9", "from 00:01 on
# 1 January"): read past it
_CLOCK_TAIL = re.compile(
    r"(?:\bat\s+)?\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?"
    # a zone written out ("12:01 a.m. eastern standard time on")
    r"(?:\s+(?:eastern|pacific|central|mountain|Greenwich|Moscow|Beijing|Brussels|Central\s+European|local)"
    r"(?:\s+(?:standard|daylight|mean|summer))?\s+time)?(?:\s*\([^()]{0,20}\))?,?\s*"
    r"(?=(?:on\s+|the\s+)?$)",
    re.I,
)


# a short aside in brackets right after a date, such as its weekday ("4月1日（月）から")
_ASIDE = re.compile(r"^\s*[（(][^()（）]{1,12}[)）]")
# a clock time right after a CJK date ("4月1日零时起", "4월 1일 0시부터", "4月1日午前0時から")
_CJK_CLOCK = re.compile(
    r"^\s*(?:午前|午後|上午|下午|오전|오후)?\s*(?:\d{1,2}|零)\s*[时時点點시](?:\s*\d{1,2}\s*[分분])?"
)


def _year_word(sentence: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(offset from the publication's year, start and end of the phrase) when words next to a date without
    a year say which year it is in: after it ("next year", "следующего года", "del próximo año") or before it
    (CJK: "明年", "去年", "내년")."""
    lex = _lexicon()
    for regex, offset in lex["year_after"]:
        m = regex.match(sentence, end)
        if m:
            return offset, start, m.end()
    for regex, offset in lex["year_before"]:
        m = regex.search(sentence, max(0, start - 6), start)
        if m:
            return offset, m.start(), end
    return None


@lru_cache(maxsize=4096)
def _role(sentence: str, start: int, end: int) -> str:
    """announced, effective or ended: what the words around the date at ``start:end`` make it
    (remembered: a weekday or a bare day is asked for twice)."""
    lex = _lexicon()
    before = sentence[max(0, start - 40) : start]
    if ":" in before or "." in before:
        clock = _CLOCK_TAIL.search(sentence, max(0, start - 40), start)
        if clock:
            before = sentence[max(0, clock.start() - 40) : clock.start()] + sentence[clock.end() : start]
    if lex["doc_before"].search(before):
        return "announced"  # "Постановление от 21.02.2024": the date the act was issued, not its start
    if lex["end_before"].search(before) or _OPENS_END.match(sentence, start):
        return "ended"
    after = _CJK_CLOCK.sub("", _ASIDE.sub("", sentence[end : end + 40], count=1), count=1)
    if (
        lex["eff_before"].search(before)
        or lex["eff_after"].match(after[:24])
        or _OPENS_EFFECTIVE.match(sentence, start)
    ):
        return "effective"
    return "announced"


def _weekday_future(sentence: str, start: int, role: str) -> bool | str:
    """Whether a bare weekday points forward: a start or end date in a sentence about what is to come.
    "near" when the sentence only tells of the decision in the past ("banned imports from Sunday"): the
    start may lie on either side of the report, so the nearer of the two days is taken."""
    if role == "announced":
        return False
    lex = _lexicon()
    if lex["future"].search(sentence):
        return True
    if lex["past"].search(sentence, 0, start):
        return False  # "took effect on Monday", "in force since Monday"
    clause = re.split(r"[;,]\s|\.\s", sentence[:start])[-1]
    return "near" if lex["past_verb"].search(clause) or lex["past"].search(sentence, start) else True


# Explicit dates a weekday can name the day of: "Friday, July 5", "Friday 5 July", "Friday the 5th of July";
# "July 5 (Friday)", "5 July, a Friday". The explicit date wins, with the role the whole phrase gives it.
_EXPLICIT = ("date.iso", "date.zh_ymd", "date.zh_md", "date.mdy", "date.dmy", "date.dmy_dots")


# a clock time right after a date: a timestamp ("3.04.2024, 10:15", "2024-04-03 10:15")
_TIMESTAMP = re.compile(r"[,\s]\s*(?:в\s+|um\s+|à\s+)?\d{1,2}:\d{2}\b")
# a measure stated as already in force in Chinese, Japanese or Korean ("已于5日起实施", "施行された")
_CJK_PAST = re.compile(r"已|曾|された|した(?!い)|됐|되었")


# a Japanese or Korean sentence's closing verb of saying ("……から課すと発表した", "……라고 밝혔다"): its past
# tense is the saying's, not the measure's
_CJK_SAYS_TAIL = re.compile(
    r"(?:と|ことを|方針を)(?:発表|公表|明らかに|表明|説明|述べ|発言|報じ|伝え)?(?:し|され)?(?:た|ました)[。．]?\s*$"
    r"|(?:다고|라고|한다고|할\s*것이라고)\s*(?:밝혔|발표했|말했|전했)다[.]?\s*$"
)


def _cjk_day_future(sentence: str, start: int, end: int) -> bool:
    """Whether a bare CJK day ("28日") is a start or end date the sentence does not state as past (a verb of
    saying that ends the sentence does not: "10日から課すと発表した")."""
    if _role(sentence, start, end) == "announced":
        return False
    tail = _CJK_SAYS_TAIL.search(sentence, end)
    return not _CJK_PAST.search(sentence, 0, tail.start() if tail else len(sentence))


def _fold_weekdays(sentence: str, out: list[DateMention]) -> list[DateMention]:
    """A weekday next to an explicit date names that date: keep the date, spanning both, drop the weekday."""
    lex = _lexicon()
    wd_before, wd_after = lex["wd_before"], lex["wd_after"]
    if not (wd_before.may(sentence) or wd_after.may(sentence)):
        return out  # no weekday word in the sentence, so none in any part of it: nothing to fold
    spans: list[tuple[int, int]] = []
    for n, d in enumerate(out):
        if d.rule not in _EXPLICIT:
            continue
        before = wd_before.regex.search(sentence[max(0, d.start - 30) : d.start])
        if before:
            s = d.start - (min(30, d.start) - before.start())
            out[n] = DateMention(s, d.end, d.value, d.precision, _role(sentence, s, d.end), d.rule)
            spans.append((s, d.end))
            continue
        after = wd_after.regex.match(sentence[d.end : d.end + 30])
        if after:
            spans.append((d.start, d.end + after.end()))
    return [
        d for d in out if d.rule != "date.weekday" or not any(s <= d.start and d.end <= e for s, e in spans)
    ]


# the year a range's two dates share, written after the second ("April 1 to June 30, 2024", "1er avril au 30
# juin 2024", "del 1 de abril al 30 de junio de 2024", "1. April bis 30. Juni 2024")
_RANGE_YEAR = re.compile(
    r"^\s*(?:-|–|to|and|until|through|bis(?:\s+zum)?|al|au|a|ao|à|até|y|et|und|e)\s+"
    r"(?:\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:er|º|°|\.)?\s+(?:de\s+)?\w+),?\s+(?:de\s+|del\s+)?(\d{4})\b"
)


def day_words() -> str:
    """A regex alternation of every weekday name and the words for yesterday, today and tomorrow."""
    lex = _lexicon()
    return trie_regex(list(lex["weekdays"]) + load("dates")["day_words"])


def find_dates(sentence: str, anchor: Anchor) -> list[DateMention]:
    """Every date expression in the sentence, resolved, with its role."""
    return list(_find_dates(sentence, anchor))


def dateline(text: str, anchor: Anchor) -> DateMention | None:
    """The day in the dateline at the head of a wire story (``is_dateline``), if it has one."""
    head = text[:80].split("\n", 1)[0]
    if not _DASHES.search(head):
        return None  # a dateline ends in a dash (``_DATELINE_AFTER``): without one the head has none
    return next((d for d in _find_dates(head, anchor, True) if d.precision == "day"), None)


@lru_cache(maxsize=2048)
def _find_dates(sentence: str, anchor: Anchor, datelines: bool = False) -> tuple[DateMention, ...]:
    """``find_dates``, remembered: a sentence that states several measures is read once."""
    lex = _lexicon()
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    yearless: set[int] = set()  # ends of dates without their year (and without words that name it)
    may_run, may_run_relative = lex["needs"].candidates(sentence)

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for kind, pat in may_run:
        for m in pat.finditer(sentence):
            s, e = m.span()
            if not free(s, e):
                continue
            future = (kind == "weekday" and _weekday_future(sentence, s, _role(sentence, s, e))) or (
                kind in _BARE_DAYS and _cjk_day_future(sentence, s, e)
            )
            if kind in _NUMERIC and _NUMBER_SIGN.search(sentence, max(0, s - 12), s):
                continue  # the number of a document ("nr 12/3/2024", "No. 2024.3.1")
            res = _resolve(kind, m, anchor, future)
            if res is None:
                continue
            shared = None
            if kind in ("mdy", "dmy") and not m.group("y"):
                shared = _RANGE_YEAR.match(sentence[e : e + 30])
                if shared:
                    res = (res[0].replace(year=int(shared.group(1))), res[1])
            no_year = kind in _MONTH_ALONE or (
                kind in _DAY_MONTH and not m.groupdict().get("y") and not shared
            )
            if kind in _DAY_MONTH and no_year and anchor.date:
                # "1 January next year", "1 января следующего года", "明年1月1日": the year a word names
                said = _year_word(sentence, s, e)
                if said is not None:
                    offset, s, e = said
                    res = (res[0].replace(year=anchor.date.year + offset), res[1])
                    no_year = False
            if no_year and not _SINCE.match(m.group(0)):
                yearless.add(e)
            taken.append((s, e))
            out.append(DateMention(s, e, res[0], res[1], _role(sentence, s, e), f"date.{kind}"))
    if anchor.date is not None:
        for pat, unit, offset, languages in may_run_relative:
            if languages and anchor.language and anchor.language not in languages:
                continue
            for m in pat.finditer(sentence):
                s, e = m.span()
                if not free(s, e):
                    continue
                if unit == "day":
                    if anchor.precision != "day":
                        continue
                    value, prec = anchor.date + dt.timedelta(days=offset), "day"
                elif unit == "month":
                    value, prec = _shift_month(anchor.date, offset), "month"
                elif unit == "week":  # "last week": a week's date is known to its month
                    value, prec = anchor.date + dt.timedelta(days=7 * offset), "month"
                elif unit == "year_start":  # "since the start of the year": its first month
                    value, prec = dt.date(anchor.date.year + offset, 1, 1), "month"
                elif unit == "year_end":  # "late last year": its December
                    value, prec = dt.date(anchor.date.year + offset, 12, 1), "month"
                else:
                    value, prec = dt.date(anchor.date.year + offset, 1, 1), "year"
                taken.append((s, e))
                out.append(DateMention(s, e, value, prec, _role(sentence, s, e), f"date.relative.{unit}"))
    # the year of a figure ("worth $4bn in exports in 2021") is no date of the measure, nor is the
    # publication day with the clock time of a dateline ("3.04.2024, 10:15")
    stat = lex["stat_before"]
    out = [
        d
        for d in out
        if not (d.precision == "year" and stat.search(sentence[max(0, d.start - 60) : d.start]))
        and not (d.precision == "day" and d.value == anchor.date and _TIMESTAMP.match(sentence, d.end))
        and not lex["object_before"].search(sentence[max(0, d.start - 40) : d.start])
        and not lex["object_after"].match(sentence[d.end : d.end + 40])
        and datelines == is_dateline(sentence, d.start, d.end)
    ]
    out = _ranges(sentence, sorted(_fold_weekdays(sentence, out), key=lambda d: d.start))
    return tuple(_through(_by_tense(d, sentence, anchor) if d.end in yearless else d) for d in out)


def _by_tense(d: DateMention, sentence: str, anchor: Anchor) -> DateMention:
    """A day or month without its year moved to the year before or after by the tense of its sentence
    (``_tense_shift``)."""
    shift = _tense_shift(sentence, (d.value, d.precision), anchor, d.role)
    if not shift:
        return d
    value = _shift_year(d.value, -1 if shift < 0 else 1)
    return dataclasses.replace(d, value=value, rule=d.rule + (":last_year" if shift < 0 else ":next_year"))


_JOIN_SIGN = re.compile(r"\s*(?:-|–|—|~|～|至|到|から|より|부터|에서)\s*")


def _ranges(sentence: str, out: list[DateMention]) -> list[DateMention]:
    """Two dates joined as a range ("from 1 April to 30 June", "del 1 de abril al 30 de junio",
    "2024年4月1日至6月30日"): the first is the start (effective) and the second the end, whatever words
    precede each."""
    lex = _lexicon()
    for n in range(len(out) - 1):
        a, b = out[n], out[n + 1]
        between = sentence[a.end : b.start]
        if len(between) > 16 or a.role == "ended":
            continue
        opened = bool(lex["range_open"].search(sentence[max(0, a.start - 20) : a.start]))
        joined = bool(lex["range_join"].match(between)) and (opened or bool(_JOIN_SIGN.fullmatch(between)))
        if not (joined or (opened and lex["range_and"].match(between))):
            continue
        if a.role != "effective":
            out[n] = dataclasses.replace(a, role="effective", rule=a.rule + ":range_start")
        if b.role != "ended":
            out[n + 1] = dataclasses.replace(b, role="ended", rule=b.rule + ":range_end")
    return out


# a wire story's dateline: the place in capitals or capitalised words, a comma, the day, maybe the agency in
# brackets, and a dash ("NEW DELHI, March 13 (Reuters) - ...", "Brussels, 13 March - ...")
_DATELINE_BEFORE = re.compile(
    r"\s*[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){0,3}(?:\s*/\s*[A-ZÀ-Þ][\w.'’-]*)?,\s*"
)
_DATELINE_AFTER = re.compile(r"\s*(?:\([^()]{2,25}\))?\s*[-–—]{1,2}\s")
_DASHES = re.compile("[-–—]")


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the date at ``start:end`` is the dateline at the head of a wire story: the day it was filed,
    not a date of what it reports."""
    if start > 50 or not _DATELINE_BEFORE.fullmatch(text, 0, start):
        return False
    return bool(_DATELINE_AFTER.match(text, end))


def _through(d: DateMention) -> DateMention:
    """An end date known to its month or year ends on that period's last day ("until the end of 2026",
    "until March 2025"): an end date is a day, and the measure runs through the period."""
    if d.role != "ended" or d.precision not in ("month", "year"):
        return d
    last = dt.date(d.value.year, 12, 31) if d.precision == "year" else _month_last(d.value)
    return DateMention(d.start, d.end, last, "day", "ended", d.rule + ":period_end")


def _month_last(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# a sentence so far that is only a date ending in the abbreviation of "year" ("W marcu 2022 r.", "През март
# 2022 г.", "С 1 марта 2024 г."): its full stop ends the abbreviation, not the sentence
_YEAR_ABBR_OPENING = re.compile(r"\s*(?:\S+\s+){0,4}(?:19|20)\d{2}\s?(?:r|г|g|р)\.", re.I)
_YEAR_ABBR_END = re.compile(r"(?:r|г|g|р)\.", re.I)  # how it ends: a quick test before the whole


_DOTTED_YMD = re.compile(r"(?<!\d)(?:19|20)\d{2}\.\s?\d{1,2}\.\s?\d{1,2}(?!\d)")


def dot_in_date(text: str, start: int, dot: int) -> bool:
    """Whether the full stop at ``dot`` (in the sentence that starts at ``start``) belongs to a date: the
    abbreviation of "year" after a date that opens the sentence, or a Thai abbreviated month ("มี.ค.")."""
    if (
        dot
        and _YEAR_ABBR_END.match(text, dot - 1, dot + 1)
        and _YEAR_ABBR_OPENING.fullmatch(text, start, dot + 1)
    ):
        return True
    if text[dot - 1 : dot].isdigit():
        # "2024. 4. 1." (Korean): the stops after the year and the month are inside the date
        for m in _DOTTED_YMD.finditer(text, max(0, dot - 9), min(len(text), dot + 9)):
            if m.start() < dot < m.end() - 1:
                return True
    if _THAI.match(text, dot - 1 if dot else 0):
        return any(text.endswith(a, 0, dot + 1) for a in _lexicon()["thai_abbr"])
    return False


def is_statistic_year(sentence: str, start: int) -> bool:
    """Whether a year starting at ``start`` is the period of a figure ("worth $4bn in exports in 2021")."""
    return bool(_lexicon()["stat_before"].search(sentence[max(0, start - 60) : start]))


@cache
def month_names() -> frozenset[str]:
    """Every month name the date lexicon knows, lower-cased ("oktober", "ledna", "october")."""
    return frozenset(_lexicon()["months"])


def announced_same_day(text: str) -> bool:
    """Whether the text says the measure took effect on the day it was announced."""
    return bool(_lexicon()["same_day"].search(text))


def states_notice_effect(sentence: str) -> bool:
    """Whether the sentence sets the date an official notice as a whole takes effect."""
    return bool(_lexicon()["notice_effective"].search(sentence))


def notice_label_end(sentence: str) -> int | None:
    """Where the label of an entry-into-force line ends ("施行日：", "시행일:", "Effective date:"), if the
    sentence has one: the day after it (on its line or the next) is the day the notice takes effect."""
    m = _lexicon()["notice_label"].search(sentence)
    return m.end() if m else None


def states_effect(sentence: str) -> bool:
    """Whether the sentence says something takes effect (for dates stated after the measure)."""
    return bool(_lexicon()["eff_sentence"].search(sentence))


def format_date(value: dt.date | None, precision: str | None) -> str | None:
    """The date as a string at its precision: 2023-08-01, 2023-07 or 2023."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def in_force_on_publication(sentence: str) -> bool:
    """Whether the sentence puts the measure in force on the day it is published ("自公布之日起施行",
    "effective immediately", "со дня опубликования")."""
    return bool(_lexicon()["on_publication"].search(sentence))


def publication_delay(sentence: str) -> int | None:
    """The days after its publication that the sentence puts the measure in force: 0 on the day itself
    (``in_force_on_publication``), 1 on the day after, or the count of days it states; None if it says
    neither."""
    for regex, days in _lexicon()["after_publication"]:
        m = regex.search(sentence)
        if m is not None:
            if days != "n":
                return int(days)
            return int(next(v for k, v in m.groupdict().items() if v and k.startswith("n")))
    return 0 if in_force_on_publication(sentence) else None


def after_publication(day: DateMention, delay: int) -> DateMention:
    """The day a measure published on ``day`` enters into force, ``delay`` days on, with its rule."""
    if not delay:
        return DateMention(0, 0, day.value, day.precision, "effective", "date.on_publication")
    value = day.value + dt.timedelta(days=delay) if day.precision == "day" else day.value
    return DateMention(0, 0, value, day.precision, "effective", "date.after_publication")


def until_year_end(sentence: str, anchor: Anchor) -> DateMention | None:
    """December 31 of the publication year, when the sentence says the measure lasts until the year's end."""
    m = _lexicon()["year_end"].search(sentence)
    if m is None or anchor.date is None:
        return None
    return DateMention(m.start(), m.end(), dt.date(anchor.date.year, 12, 31), "day", "ended", "date.year_end")
