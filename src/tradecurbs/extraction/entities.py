"""Names of firms and organisations in a sentence: the entities a listing or a sanction names.

Known firms come from data/firms.yml; others are found by their legal form ("... Co., Ltd.", "JSC ...",
"... 有限公司", «...» after ООО/АО), so a listing of firms nobody listed beforehand still names them.
"""

from __future__ import annotations

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.gazetteer import find_companies

_WORD = r"(?![\w-]*-based\b)[A-Z][\w&.'’-]*"
_CAP = rf"(?:{_WORD}|&|of|de|for)"
_LATIN = re.compile(
    rf"\b(?:(?:OJSC|PJSC|JSC|LLC|OOO|AO|PAO)\s+)?{_WORD}(?:\s+{_CAP}){{0,6}}\s+"
    r"(?:Co\.,?\s+Ltd\.?|Co\.|Company|Corp\.?|Corporation|Inc\.?|Ltd\.?|Limited|LLC|L\.L\.C\.|GmbH|AG|S\.A\.|"
    r"JSC|OJSC|PJSC|PLC|plc|Group|Holdings?|Technologies|Technology|Industries|Bank|Shipping)(?!\w)"
    r"|\b(?:OJSC|PJSC|JSC|LLC)\s+[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4}"
)
# a Chinese firm name starts after a function word or a separator ("将X公司、Y公司列入")
_CJK = re.compile(
    r"(?:^|(?<=[将把对對和与與及、，,。；\s“「《(（:：]))(?:(?![将把对對和与與及])[\u4e00-\u9fff]){2,24}?"
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司)"
)
_QUOTED = re.compile(r"(?:ООО|АО|ПАО|ЗАО|ОАО|банк|Банк)\s*«([^»]{2,60})»")


def find_entities(sentence: str) -> list[str]:
    """Names of firms and organisations in the sentence, in order, each once."""
    found: list[tuple[int, str]] = [(s, name) for s, name, _ in find_companies(sentence)]
    found += [(m.start(), m.group(0).strip(" ,")) for m in _LATIN.finditer(sentence)]
    found += [(m.start(), m.group(0)) for m in _CJK.finditer(sentence)]
    found += [(m.start(), m.group(1)) for m in _QUOTED.finditer(sentence)]
    out: list[str] = []
    for _, name in sorted(found, key=lambda f: (f[0], -len(f[1]))):
        if any(name in kept for kept in out):
            continue
        out = [kept for kept in out if kept not in name] + [name]
    return out
