"""Who imposes a measure and whom it targets, from the gazetteer mentions around a trigger."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from tradecurbs.extraction import fastre as re
from tradecurbs.extraction.gazetteer import Mention, find_companies, find_mentions, may_name_body
from tradecurbs.extraction.lexicon import load
from tradecurbs.extraction.literals import required
from tradecurbs.extraction.products import find_products
from tradecurbs.extraction.triggers import Trigger
from tradecurbs.extraction.wordgates import WordClauses, holds, present, register

_COORD = re.compile(
    r"^\s*(?:,|,\s*or|,\s*and|&|/|、)\s*$"
    r"|^\s*,?\s*(?:and|or|и|和|及|以及|与|與|및|와|과|ve|y|e|et|und|i|a|dan|và)"
    # an article after a conjunction ("de Canadá y la Unión Europea", "and the EU", "et l'Union")
    r"(?:\s+(?:the|la|el|le|les|los|las|die|der|o|il))?\s*$|^\s*(?:et|e)\s+l[’']\s*$"
)
# in a list of named actors, an article may follow the comma (not "the": "Ukraine, the Department" is a new
# clause) ("Hapag-Lloyd, le suisse MSC, le danois Maersk")
_COORD_ACTORS = re.compile(
    _COORD.pattern + r"|^\s*,\s*(?:la|el|le|les|los|las|die|der|das|o|il|lo|l[’'])\s*$"
)
_LICENSEES_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:exporters|companies|firms|makers|chipmakers|manufacturers|suppliers|sellers|vendors)\b"
)
_BRANCH_AFTER = re.compile(r"\s+(?:branch|branches|unit|subsidiary|arm|office|division)\b", re.I)
_POSSESSIVE_BEFORE = re.compile(r"['’]s\s+$")
_ENDS_IN_PREPOSITION = re.compile(r"\b(?:on|against|to|from|for|of|into|upon)\s*$", re.I)
_SPEAKER_CLAUSE = re.compile(r",\s*(?:the\s+)?$", re.I)
# (the body's seat may stand between: "the commerce ministry in Beijing said")
_SAID_AFTER = re.compile(
    r"^(?:\s+in\s+(?-i:[A-Z])[\w-]+)?\W{0,3}(?:said|says|announced|stated|told|reported|noted)\b", re.I
)
# a place right before what a measure takes owns it, and is the measure's object ("Blocking Sudanese
# Government Property", "prohibits U.S. companies from investing")
_WHERE_BEFORE = re.compile(r"\b(?:in|into|within)\s+(?:the\s+)?(?:[A-Z][\w-]*,?\s+(?:and\s+|or\s+)?){0,5}$")


def _destinations_before(sentence: str, mentions: list[Mention], trig: Trigger) -> set[int]:
    """Starts of the places before an export measure that its goods go to ("Exporting these items to China
    or Macau now requires a license"), with the places coordinated with them."""
    if trig.measure_type not in ("export_control", "export_restriction"):
        return set()
    out: set[int] = set()
    prev: Mention | None = None
    for m in mentions:
        if m.start >= trig.start or m.kind == "body":
            prev = None
            continue
        if _DESTINATION_BEFORE.search(sentence[max(0, m.start - 20) : m.start]) or (
            prev is not None and prev.start in out and _COORD.match(sentence[prev.end : m.start])
        ):
            out.add(m.start)
        prev = m
    return out


_DESTINATION_BEFORE = re.compile(r"\b(?:to|destined\s+for|bound\s+for|shipped\s+to)\s+(?:the\s+)?$", re.I)
_OWNED_AFTER = re.compile(
    r"^\s+(?:property|assets|funds|companies|firms|banks|entities|individuals|persons|vessels|ships)\b", re.I
)
_AGENT_BEFORE = re.compile(  # "a ban by the ministry", "des sanctions décidées par le Conseil"
    r"\b(?:by|from|par|por|pelo|pela|von|dal|dalla)\s+(?:the\s+|a\s+|l[’']|la\s+|le\s+|el\s+|o\s+|der\s+)?$",
    re.I,
)
# places in an agent phrase after the measure are its authors, not its targets ("agreed by the EU and AU")
_AGENT_PHRASE = re.compile(
    r"\b(?:agreed|adopted|imposed|set|announced|introduced|decided)\s+by\b"
    r"(?:(?!\b(?:on|against|to|targeting|from)\b)[^.;]){0,80}$",
    re.I,
)
_OT_BEFORE = re.compile(r"\bот\s+$")
# a measure said to take effect or to apply somewhere, and the preposition of that place
_IN_FORCE = re.compile(
    r"\b(?:gilt|gelten|in\s+Kraft|вступ\w*\s+в\s+силу|действу\w*|entr\w*\s+en\s+vigor|rige|"
    r"entr\w*\s+en\s+vigueur|s[’']applique\w*|entr\w*\s+in\s+vigore|entr\w*\s+em\s+vigor|"
    r"wchodzi\w*\s+w\s+życie|wszedł\w*\s+w\s+życie|obowiązuje|vstup\w*\s+v\s+platnost|platí|"
    r"yürürlüğe\s+gir\w*|влиза\w*\s+в\s+сила|влезе\w*\s+в\s+сила)",
    re.I,
)
_IN_PLACE_BEFORE = re.compile(
    r"\b(?:in|im|в|во|en|dans|au|aux|nell[’']|nella|nel|no|na|w|we|v|ve)\s+(?:der\s+|dem\s+|la\s+|le\s+|l[’']|el\s+)?$",
    re.I,
)
# a German passive auxiliary and its agent before a clause-final participle ("wurden von Kanada verboten")
_VERB_FINAL_PASSIVE = re.compile(
    r"\b(?:wurden|wurde|worden|werden|wird)\s+(?:\S+\s+){0,2}?(?:von|vom)\s+\S+(?:\s+\S+)?\s+$"
)
_BY_BEFORE = re.compile(
    r"(?:\b(?:by|par|por|pelo|pela|von|vom|dal|dalla|dai|dagli|przez|oleh|bị)\s+|\bdall[’'])"
    r"(?:the\s+|l[’']|la\s+|las\s+|les\s+|le\s+|el\s+|o\s+|a\s+|as\s+|der\s+|dem\s+|den\s+)?"
    # the authorities of a place act for it ("by the authorities of Chile", "por las autoridades de Chile")
    r"(?:(?:authorities|autoridades|autorités|autorità|Behörden|government|gobierno|governo|gouvernement)"
    r"\s+(?:of|de|do|da|di|du|des|del|der)\s+(?:the\s+|la\s+|el\s+|l[’'])?)?$",
    re.I,
)
_POSSESSIVE = re.compile(r"^(?:'s|’s)\b")
_RELATIVE_SUBJECT = re.compile(
    r"^\s*,\s*(?:which|who)\s+(?:has\s+|had\s+|have\s+|also\s+|already\s+|itself\s+|then\s+)*$", re.I
)
_TOPIC = re.compile(r"^\s*[:：|]")  # "Ukraine: the Federal Council adopts sanctions" (a headline's topic)
_NOT_TARGET_AFTER = re.compile(
    r"^(?:\s*(?:dollars?|-led|-brokered)|\s+Government\b"
    # part of an instrument's name: "the Iran/Syria-Military End Use rule"
    r"|/[A-Z][\w.]+-[A-Z]|-(?:Military|Foreign|Related|Specific)\b"
    # Turkish: the source of a warning or pressure ("ABD'den uyarı aldıktan sonra"), not what is aimed at
    r"|['’](?:den|dan|ten|tan)\s+(?:gelen\s+)?(?:uyarı|tehdit|baskı|talep|yaptırım\s+tehdid)\w*)"
)
_EXCEPT = re.compile(
    r"\b(?:except|excluding|other than|not apply to|exceptions? for|exempt\w*)\b[^.]{0,60}$", re.I
)
# where the places a measure aims at stop: a new clause, or the measure's reason ("... for buying Iranian
# oil", "after the US threat of sanctions")
_CLAUSE_END = re.compile(
    r";|, (?:as|while|after|because|since|which|who|citing|amid|saying|but|although|in response|following|"
    r"in line with|mirroring|joining|similar to|like|tandis que|alors que|mientras que|mentre|enquanto|"
    r"während)\b"
    # a relative clause describing the target ("makers that are regarded as rivals of Japanese suppliers")
    r"|\s(?:that|who)\s+(?:are|is|were|was)\s+(?:seen|regarded|considered|viewed|described|known)\b"
    r"| — |: "
    r"|\s(?:for\s+(?:allegedly\s+)?(?:buying|selling|helping|supplying|supporting|violating|evading|aiding|providing"
    r"|shipping|their|its)|after\s+(?:the|its|their)|after\s+(?=(?-i:[A-Z]))|because\s+of|due\s+to|amid|in\s+response\s+to"
    r"|in\s+retaliation\s+for"
    r"|citing|in\s+view\s+of|over\s+(?:its|their|alleged))\b"
    # the measure's motive, whose places are not its targets ("for fear of US sanctions", "par crainte de
    # sanctions américaines", "из-за риска санкций")
    r"|\s(?:for\s+fear\s+of|over\s+fears?\s+of|fearing|to\s+avoid|par\s+crainte\s+d|de\s+peur\s+d|pour\s+éviter"
    r"|por\s+(?:temor|miedo)\s+a|para\s+evitar|por\s+medo\s+d|per\s+(?:paura|timore)\s+d|per\s+evitare"
    r"|aus\s+Angst\s+vor|из-за\s+(?:страха|опасени\w+|риска|угрозы)|опасаясь|чтобы\s+избежать|z\s+obawy\s+przed"
    r"|ze\s+strachu\s+před|kvůli\s+obavám)"
    # a relative clause telling what the targets do ("suppliers in China that provide Russia with chips")
    r"|\s(?:that|which|who)\s+(?:have\s+|had\s+|allegedly\s+)?(?:provid|suppl|sell|sold|ship|help|support|deliver"
    r"|transfer|export|send|sent|procur)\w*\b"
    # the conduct the measure punishes, whose places are not its targets ("sanctions on two arms makers over
    # sales to Taiwan", "three shipping firms accused of carrying oil to China")
    r"|\s(?:over\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:sales|shipments|exports|deliveries|transfers|supplies|support|ties"
    r"|links|dealings|involvement|role)|(?:accused|suspected|alleged|convicted)\s+of|(?:alleged|said|believed)\s+to\s+have"
    r"|for\s+(?:allegedly\s+)?(?:moving|carrying|transporting|transferring|financing|funding|facilitating|exporting"
    r"|smuggling|sending|delivering|procuring|assisting|shipping|selling|trading))\b"
    r"|\s(?:por|pour|per|pelo)\s+(?:avoir\s+)?\w+(?:ar|er|ir|re|u|é|ado|ido)\b|\s(?:debido\s+a|a\s+causa\s+de|en\s+raison\s+de"
    r"|à\s+cause\s+de|wegen|из-за|в\s+связи\s+с|devido\s+a|a\s+causa\s+di)\b"
)
# 对 "toward", not the end of 反对 (oppose), 绝对 (absolutely) or 相对 (relatively): "反对美方…" aims nothing
_TOWARD_DUI = "(?:(?<![反绝絕相])[对對]|(?<!反)対)"
_CJK_TARGET_BEFORE = re.compile(
    # (至, 到 and 往 give a destination: "出口高阶芯片至俄罗斯", "运往伊朗")
    rf"(?:{_TOWARD_DUI}|自|从|從|向|将|將|把|(?<![截甚])至|(?<![受得达達])到|往|原产于|原產於|原产地为|原產地為|产自|產自|针对|針對|与|與|จาก|ของ|ต่อ|กับ|"
    r"ไปยัง|(?<![가-힣])대)\s*$"
)
# "对所有中国输美商品加征关税": a place after 对 (up to the verb) is what the measure is aimed at
_CJK_AIMED_PHRASE = re.compile(rf"(?:{_TOWARD_DUI}|针对|針對)[^，。；,]{{0,20}}$")
# the conduct a measure punishes, right after a place: arms sales to it, weapons or parts supplied to it
_CJK_CONDUCT_AFTER = re.compile(r"(?:军售|軍售|售武|出售武器|武器销售|武器銷售|提供武器|军事合作|軍事合作)")
# a place right after a verb of taking part or helping, in a relative clause ended by 的, is the place of the
# conduct punished ("参与伊朗石油贸易的中国公司", "协助俄罗斯规避制裁的实体"), not a target
_CJK_CONDUCT_BEFORE = re.compile(r"(?:参与|參與|涉及|涉嫌|帮助|幫助|协助|協助|支持|支援)(?:对|對|向|与|與)?$")
_CJK_RELATIVE_END = re.compile(r"[^，。,;；]{0,16}?的")
_CJK_CENTRAL_BANK = re.compile(r"\s?(?:国家银行|國家銀行|中央银行|中央銀行|央行)")
_CJK_FIRM_AFTER = re.compile(
    # (a topic or subject particle ends the place's phrase: "米国はロシアの銀行に" is no US bank)
    # (nor does a verb's object marker: "美国八日宣布将大陆的六个实体列入": the firms are not America's)
    # (nor a verb of measures: "美国宣布制裁三家中国企业": the firms are what the US sanctions)
    r"^\s?(?:(?!制裁|宣布|宣佈|决定|決定|实施|實施|禁止|限制|列入|纳入|納入)[^，。,、\sはが은는이가将將把对對]){0,10}?(?:公司|企业|企業|实体|實體|集团|集團|机构|機構|银行|銀行|개인|기관|기업|은행|회사|단체|선박|会社|メーカー|大手|団体|個人|厂商|廠商|巨头|巨頭|업체)"
)
_PRONOUN = re.compile(
    r"\b(?:it|they|its|their|the\s+(?:new\s+|latest\s+|same\s+)?(?:ban|measures?|move|decision|rules?|"
    r"regulations?|decree|country|package|order|sanctions))\b",
    re.I,
)
# a measure stated in the passive with no agent ("a ban is imposed on ..."): the document's own jurisdiction
_AGENTLESS = re.compile(
    r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+)?(?:imposed|banned|prohibited|introduced|suspended|required|restricted|halted)\b"
    r"|\b(?:запрещ[её]н\w*|введ[её]н\w*|забранен\w*|interdit\w*|prohibid\w*|proibid\w*|vietat\w*|verboten|"
    r"untersagt|zakazan\w*|zakázán\w*|yasaklandı|dilarang)\b",
    re.I,
)
# A generic firm noun standing for a firm named elsewhere ("the insurer", "the state lender").
_GENERIC_FIRM = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?"
    r"(insurer|insurance company|bank|lender|carrier|shipping line)\b(?!\s+(?:of|for)\b)",
    re.I,
)
# Which named bodies a generic noun can stand for, by the words of the body's names.
_SECTOR_WORDS = {
    "insurer": re.compile(r"insur|sinosure|保险|保險|信保", re.I),
    "insurance company": re.compile(r"insur|sinosure|保险|保險|信保", re.I),
    "bank": re.compile(r"\bbank|银行|銀行", re.I),
    "lender": re.compile(r"\bbank|银行|銀行", re.I),
    "carrier": re.compile(r"shipping|line|maritime|carrier", re.I),
    "shipping line": re.compile(r"shipping|line|maritime|carrier", re.I),
}
_FIRM_KINDS = ("private_company", "state_owned_enterprise")
FIRM_KINDS = frozenset(_FIRM_KINDS)
# unnamed actors that stand between a named place and the measure: the measure is theirs, and has no
# identifiable imposer
_UNNAMED_ACTORS = re.compile(
    r"\b(?:many|several|some|other|few|numerous|a\s+number\s+of|most|various)\s+(?:other\s+)?"
    r"(?:countries|nations|governments|states|exporters|producers|importers)\b(?![^,;]{0,20}\b(?:including|such\s+as)\b)",
    re.I,
)
# the plural of people a place is related to, none of them named ("Ukraine's neighbours", "China's allies")
_RELATED_ACTORS = re.compile(r"['’]s\s+(?:\w+\s+)?(?:neighbou?rs|allies|partners|rivals)\b", re.I)
# goods sent to a place, before the duty they will pay there ("Chinese exports to the US will be subject to")
_EXPORTS_TO = re.compile(r"\bexports?\s+(?:of\s+(?:[\w-]+\s+){0,3}?)?to\s+(?:the\s+)?$", re.I)
_IMPORTED_INTO = re.compile(
    r"\b(?:imported|imports?|entering|shipped|brought|coming)\s+(?:(?:of\s+)?[\w-]+\s+){0,4}?into\s+(?:the\s+)?$"
    # Czech and Polish: imports "do" a country ("zákaz dovozu ukrajinského obilí do Polska")
    r"|\b(?:dovoz\w*|přívoz\w*|przyw[oó]z\w*|import\w*)\s+(?:\S+\s+){0,4}?do\s+$"
    # the country where goods pay the duty ("face a 145% tariff in the United States"), or whither they go
    # ("Chinese exports to the US will be subject to a 34% tariff")
    r"|\b(?:tariffs?|duties|duty|levies)\s+(?:\w+\s+){0,2}?in\s+(?:the\s+)?$",
    re.I,
)
_PLURAL_ACTORS = re.compile(
    r"\b(?:countries|nations|companies|firms|exporters|producers|states|regions|corporations|members)\b", re.I
)


@cache
def _role_cues() -> dict[str, re.Pattern[str]]:
    """The place-role cues of data/roles.yml, one regex per kind (object_before ends at the place)."""
    raw = load("roles")
    joined = {kind: "|".join(f"(?:{p})" for p in pats) for kind, pats in raw.items()}
    return {
        "object_before": re.compile(f"(?:{joined['object_before']})$", re.I),
        "object_after": re.compile(joined["object_after"], re.I),
        "subject_after": re.compile(joined["subject_after"], re.I),
        "target_before": re.compile(joined["target_before"], re.I),
        "victim_before": re.compile(f"(?:{joined['victim_before']})$", re.I),
        "supported_before": re.compile(f"(?:{joined['supported_before']})$", re.I),
        "victim_after": re.compile(f"^(?:{joined['victim_after']})", re.I),
        "located_before": re.compile(f"(?:{joined['located_before']})$", re.I),
        "origin_before": re.compile(f"(?:{joined['origin_before']})$", re.I),
        "aimed_before": re.compile(f"(?:{joined['aimed_before']})$", re.I),
        "outside_before": re.compile(f"(?:{joined['outside_before']})$", re.I),
        "firms_in_before": re.compile(f"(?:{joined['firms_in_before']})$", re.I),
        "passive_trigger": re.compile(joined["passive_trigger"], re.I),
        "passive_aux": re.compile(f"(?:{joined['passive_aux']})$", re.I),
        "body_of": re.compile(f"^(?:{joined['body_of']})$", re.I),
        "back_reference": re.compile(joined["back_reference"]),
    }


class _Absent:
    """Stands for a cue that cannot match in a sentence: every search or match finds nothing."""

    def search(self, text: str, *args: int) -> None:
        return None

    def match(self, text: str, *args: int) -> None:
        return None


_ABSENT = _Absent()


@cache
def _cue_words() -> dict[str, WordClauses]:
    """Per place-role cue, the words it cannot match without (``literals.required``, registered with the
    one keyword scan of ``wordgates``); empty for a cue with no such words."""
    return {kind: register(required(rx.pattern, rx.flags)) for kind, rx in _role_cues().items()}


def _cue(kind: str, sentence: str) -> re.Pattern[str] | _Absent:
    """The cue of ``kind`` for windows of ``sentence``: none when the sentence lacks the cue's words (a
    window of it lacks them too), so the regex is not run around each place."""
    words = _cue_words()[kind]
    return _role_cues()[kind] if not words or holds(words, present(sentence)) else _ABSENT


def official_noun_after(text: str, end: int) -> bool:
    """Whether a government noun follows within two words of ``end`` ("China's commerce ministry")."""
    return bool(_nouns()[0].match(text, end))


def is_object(sentence: str, m: Mention) -> bool:
    """Whether a preposition before the place or a case ending after it makes it an object."""
    return _is_object_at(sentence, m.start, m.end)


def _is_object(sentence: str, m: Mention) -> bool:
    """Whether a preposition before the place or a case ending after it makes it an object."""
    return _is_object_at(sentence, m.start, m.end)


@lru_cache(maxsize=4096)
def _is_object_at(sentence: str, start_: int, end: int) -> bool:
    """``_is_object`` for the place at [start_, end) (remembered: every trigger of a sentence asks)."""
    cues = _role_cues()
    m = Mention(start_, end, "country", None, sentence[start_:end])
    start = max(0, m.start - 30)
    before = cues["object_before"].search(sentence[start : m.start])
    # a short word opening the sentence is its article ("A China suspendeu ..."), not a preposition
    if before and start + before.start() == 0 and len(before.group(0).strip()) <= 2:
        before = None
    if before and _FOLLOWS.match(before.group(0)) and sentence.startswith(("'s ", "’s "), m.end):
        before = None  # "the surge follows India's decision to ban ...": the owner of the decision acts
    return bool(before or cues["object_after"].match(sentence[m.end : m.end + 20]))


_FOLLOWS = re.compile(r"(?:follows|followed|following)\b", re.I)


_SPACELESS = re.compile("[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af\u0e00-\u0e7f]")


# full-width marks only: the clauses of a sentence's dates ("商务部今天公告,明天起终止…" is one clause)
CJK_FULL_WIDTH_CLAUSE = re.compile("[，。；！？]")


def cjk_clause(sentence: str, trig: Trigger, marks: re.Pattern[str] | None = None) -> tuple[int, int]:
    """(start, end) of the clause of a trigger in text written without spaces: from the comma (or other
    of ``marks``) before it to the one after it."""
    marks = marks or _CJK_CLAUSE
    starts = [b.end() for b in marks.finditer(sentence, 0, trig.start)]
    # a topic clause ending in 的 belongs to the clause after it ("对美国出口的，原则上不予许可")
    while starts and sentence[: starts[-1] - 1].rstrip().endswith("的"):
        starts.pop()
    after_end = marks.search(sentence, trig.end)
    return (starts[-1] if starts else 0), (after_end.start() if after_end else len(sentence))


_CJK_COORD = re.compile(r"[、和及与與,，\s]*")  # what joins places listed together in Chinese
_CJK_ORIGIN_BEFORE = re.compile(r"(?:原产于|原產於|原产地为|原產地為|产自|產自|来自|來自)\s*$")


def _cjk_origins(sentence: str, mentions: list[Mention], before: int) -> list[str]:
    """The places of origin named before ``before`` ("原产于美国、欧盟和日本的"), with the ones coordinated
    with the first of them."""
    out: list[str] = []
    prev_end = -1
    for m in mentions:
        if m.start >= before or m.code is None or m.kind == "body":
            continue
        origin = _CJK_ORIGIN_BEFORE.search(sentence, max(0, m.start - 6), m.start)
        joined = prev_end >= 0 and _CJK_COORD.fullmatch(sentence, prev_end, m.start)
        if origin or joined:
            out.append(m.code)
            prev_end = m.end
        else:
            prev_end = -1
    return out


def is_cjk(text: str) -> bool:
    """Whether text is written in a script without spaces between words (Chinese, Japanese, Korean, Thai)."""
    return not text.isascii() and _SPACELESS.search(text) is not None


_CJK_PASSIVE = re.compile(
    r"^[^。]{0,6}?(?:課され|科され|発動され|適用され|課せられ|禁止され|停止され|부과되|부과받|금지되|금지됐|중단되|중단됐)"
    r"|^され"
)
# the subject is excluded from a list of favoured destinations ("일본은 ... 가 지역에서 제외되어")
_CJK_EXCLUDED = re.compile(r"^[^。.]{0,24}?(?:제외되|제외됐|除外され|から外され|対象外と)")
_CJK_AGENT = re.compile(r"^(?:から|より|によって|による|에\s*의해|로부터|으로부터)")
_CJK_CLAUSE = re.compile(r"[，。；;]|,(?![\d\s])")  # a comma and a space separate list items (Korean)
_THAI_TARGET_BEFORE = re.compile(r"(?:จาก|ไปยัง|ไป|ต่อ|กับ|แก่)\s*(?:ประเทศ)?\s*$")
_THAI_FIRMS_BEFORE = re.compile(r"(?:บริษัท|ธนาคาร|หน่วยงาน|องค์กร)(?:ของ)?\s*(?:ประเทศ)?\s*$")
# Thai names the goods, banks or firms a measure hits before their country ("ภาษีนำเข้าสินค้าไทย", Thai
# goods; "คว่ำบาตรธนาคารรัสเซีย", Russian banks): after the trigger, the country is aimed at
_THAI_HIT_BEFORE = re.compile(r"(?:สินค้า|ธนาคาร(?:กลาง)?|บริษัท|เรือ|น้ำมัน)(?:ของ)?\s*(?:ประเทศ)?\s*$")
_TOWARD = ("对", "對", "対", "대")  # a place written with one of these before it is aimed at ("对美", "대북")


def _toward(m: Mention) -> bool:
    """Whether the mention is a place written with a "toward" prefix ("对美", "대북"); a country's own name
    that starts with the same character ("대만", Taiwan) is not."""
    return m.kind == "demonym" and m.text.startswith(_TOWARD)


@dataclass(frozen=True)
class Imposer:
    """An imposing jurisdiction with the body that names it and the rule that found it."""

    code: str
    body: str | None
    kind: str | None
    rule: str
    start: int | None = None


@cache
def _nouns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = load("firms")
    return (
        re.compile(r"^\s*(?:[\w-]+\s+){0,2}?" + raw["official_nouns"] + r"\b", re.I),
        re.compile(raw["firm_nouns"], re.I),
    )


def _last_noun(sentence: str, trig: Trigger) -> re.Match[str] | None:
    """The last generic firm noun within 120 characters before the trigger (offsets of the sentence)."""
    nouns = list(_GENERIC_FIRM.finditer(sentence, max(0, trig.start - 120), trig.start))
    return nouns[-1] if nouns else None


@cache
def _regulator_nouns() -> re.Pattern[str]:
    return re.compile(load("firms")["regulator_nouns"], re.I)


@cache
def _directives() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = load("firms")
    return re.compile(raw["directive_to_firms"], re.I), re.compile(raw["reports_after_regulator"], re.I)


def regulator_acts(text: str) -> bool:
    """Whether the text before a refusal has the state make the firms refuse: a central bank or regulator
    named as the actor (not one that only reports what banks did: "the central bank said local banks had
    stopped ..."), or any authority directing the firms ("told banks to stop", ``firms.yml``)."""
    directive, reports = _directives()
    if directive.search(text):
        return True
    m = _regulator_nouns().search(text)
    return m is not None and not reports.search(text, m.end())


def firm_noun(text: str) -> bool:
    """Whether text names a kind of firm that can refuse a service (banks, insurers...)."""
    return bool(_nouns()[1].search(text))


@cache
def _firms_after_place() -> re.Pattern[str]:
    """Firms named within three words after a place; the words between qualify them, and a verb is no such
    word ("Nigeria has banned banks from ...": the banks are what the state acts on)."""
    verb = (
        r"(?:has|have|had|is|are|was|were|will|would|\w+ed|told|bans?|bars?|orders?|forbids?|forbade|urges?)\b"
    )
    return re.compile(r"(?:(?!" + verb + r")[\w-]+\s+){0,3}?" + _nouns()[1].pattern, re.I)


# "state" before firms qualifies them ("India's state refiners", "China's state-owned banks"): firms, not
# the state
_STATE_OWNED = re.compile(r"(?:state|state-owned|state-run|government-owned|government-run)\s+", re.I)


def unnamed_firms_at(sentence: str, start: int) -> bool:
    """Whether the place named at ``start`` qualifies firms nobody names ("a Turkish lender", "China's
    largest banks", "bancos turcos"), not a government ("the Turkish government told banks ...")."""
    official = _nouns()[0]
    place, _, rest = sentence[start : start + 60].partition(" ")
    state = _STATE_OWNED.match(rest)
    state_firms = state is not None and _firms_after_place().match(rest, state.end()) is not None
    if not state_firms and (
        official.match(" " + rest)
        or _regulator_nouns().search(sentence, max(0, start - 24), start)
        or _regulator_nouns().match(rest)
    ):
        # "the central bank of Nigeria barred lenders", "Nigeria's central bank barred ...": the state acts
        return False
    after_place = _firms_after_place().match(rest)
    return bool(after_place or _ROMANCE_FIRM_BEFORE.search(sentence[max(0, start - 30) : start]))


def _owned_by(sentence: str, trig: Trigger, m: Mention) -> bool:
    """Whether ``m`` is the owner of the sanctions the trigger names, after them in the genitive or after a
    Romance preposition ("les sanctions de l'UE", "die Sanktionen der EU")."""
    if m.start >= trig.end:
        gap = sentence[trig.end : m.start]
        owned = _ROMANCE_OWNER.match(gap) or _GENITIVE_OWNER.match(gap)
        return trig.measure_type == "sanction" and owned is not None
    inside = sentence[max(trig.start, m.start - 40) : m.start]
    return trig.start < m.start and _ROMANCE_OWNED.search(inside) is not None


@cache
def _eu_members() -> frozenset[str]:
    return frozenset(load("gazetteer")["eu_members"])


def _outside_adopter(sentence: str, mentions: list[Mention], trig: Trigger) -> Mention | None:
    """The country outside the EU (or its government), named before a verb of taking over that opens the
    trigger or stands right before it ("to adopt the sanctions the EU imposed"), when the measure taken over
    is the EU's (named after the verb): it adopts the measure as its own."""
    verb_at: int | None = trig.start if _TAKES_OVER.match(trig.text) else None
    if verb_at is None:
        verb = _TAKES_OVER_BEFORE.search(sentence, max(0, trig.start - 50), trig.start)
        if verb is None:
            return None
        verb_at = verb.start()
    if not any(m.code == "EU" and m.start > verb_at for m in mentions):
        return None
    before = [m for m in mentions if m.end <= verb_at and m.kind in ("country", "capital", "body") and m.code]
    if not before or before[-1].code in _eu_members() or before[-1].code in _UNIONS:
        return None
    if _CLAUSE_BREAK.search(sentence, before[-1].end, verb_at):
        return None
    return before[-1]


@cache
def _named_lists() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The lists whose name says who keeps them (``named_lists`` in the trigger lexicon), in order."""
    return tuple((re.compile(e["re"], re.I), e["owner"]) for e in load("triggers")["named_lists"])


def _named_list_owner(sentence: str, trig: Trigger) -> Imposer | None:
    """The keeper of the list a listing names, when the list's name says it ("the Entity List")."""
    for pattern, owner in _named_lists():
        if pattern.search(sentence, trig.start, min(len(sentence), trig.end + 40)):
            return Imposer(owner, None, "government", "imposer.named_list")
    return None


@cache
def _licensing_rules() -> frozenset[str]:
    """The trigger rules that say a licence is needed (``licensing_rules`` in the trigger lexicon)."""
    return frozenset(load("triggers")["licensing_rules"])


def _can_impose(m: Mention, sentence: str, firm_ok: bool) -> bool:
    if m.kind == "body":
        return True
    if _BRANCH_AFTER.match(sentence, m.end) and _POSSESSIVE_BEFORE.search(sentence, 0, m.start):
        return False  # "Bank of China's Singapore branch": where the unit is, not who acts
    if not sentence[: m.start].strip() and _TOPIC.match(sentence[m.end : m.end + 3]):
        return False
    if sentence.count("(", 0, m.start) > sentence.count(")", 0, m.start):
        return False  # inside parentheses: the name of an instrument or a list, not its author
    # "将美国PVH集团列入...": a firm's country is what a measure aims at, unless the firms refuse a service
    # (a central bank, 国家银行 or 中央银行, is the state's own: "乌克兰国家银行禁止……")
    if (
        not firm_ok
        and is_cjk(m.text)
        and _CJK_FIRM_AFTER.match(sentence[m.end : m.end + 24])
        and not _CJK_CENTRAL_BANK.match(sentence, m.end)
    ):
        return False
    if firm_ok and _cue("firms_in_before", sentence).search(sentence[max(0, m.start - 40) : m.start]):
        return True  # "bank-bank di Uni Emirat Arab menolak ...": the firms of that place refuse
    if _is_object(sentence, m) or _toward(m):
        return False
    if m.kind == "demonym":
        after = sentence[m.end : m.end + 40]
        official, firm = _nouns()
        # the adjective after its noun ("un banco turco", "el Gobierno boliviano")
        if firm_ok and _ROMANCE_FIRM_BEFORE.search(sentence[max(0, m.start - 30) : m.start]):
            return True
        if _ROMANCE_OFFICIAL_BEFORE.search(sentence[max(0, m.start - 30) : m.start]):
            return True
        return bool(official.match(after)) or (
            firm_ok and bool(re.match(r"^\s*(?:[\w-]+\s+){0,3}?" + firm.pattern, after, re.I))
        )
    return True


def _fits(noun: str, m: Mention) -> bool:
    if m.kind != "body" or not m.body or m.body.get("kind") not in _FIRM_KINDS:
        return False
    names = [str(m.body.get("name", ""))] + [str(a) for a in m.body.get("aliases", [])]
    return any(_SECTOR_WORDS[noun.lower()].search(n) for n in names)


def resolve_generic(
    sentence: str, mentions: list[Mention], trig: Trigger, earlier: list[Mention] | None = None
) -> Imposer | None:
    """The named firm a generic noun before the trigger ("the insurer would no longer cover ...") stands
    for: the nearest fitting named firm of the sentence before the noun, else one in the sentence after it,
    else the most recent fitting firm named earlier in the document (``earlier``, in document order)."""
    last = _last_noun(sentence, trig)
    if last is None:
        return None
    noun, cut = last.group(1), last.start()
    here = [m for m in mentions if _fits(noun, m)]
    pool = [m for m in here if m.end <= cut][::-1] + [m for m in here if m.start >= trig.end]
    pool += [m for m in reversed(earlier or []) if _fits(noun, m)]
    if not pool:
        return None
    m = pool[0]
    imp = _as_imposer(m, "imposer.coref", None)
    return Imposer(imp.code, imp.body, imp.kind, imp.rule, trig.start) if imp else None


def named_firms(text: str) -> list[Mention]:
    """Named firm bodies (banks, insurers...) of a text, in order: the antecedents for ``resolve_generic``."""
    if not may_name_body(text, FIRM_KINDS):
        return []
    return [
        m for m in find_mentions(text) if m.kind == "body" and m.body and m.body.get("kind") in _FIRM_KINDS
    ]


def _as_imposer(m: Mention, rule: str, fallback: str | None) -> Imposer | None:
    code = m.code or fallback
    if code is None:
        return None
    body = m.body["name"] if m.body else None
    kind = m.body["kind"] if m.body else "government"
    return Imposer(code, body, kind, f"{rule}:{m.kind}" + (f":{body}" if body else ""), m.start)


_PASSIVE_TARGET = re.compile(
    # "China was hit with ...", "Australia's wine exporters were hit with ..."
    r"^(?:['’]s(?:\s+[\w-]+){1,3})?\s+(?:was|were|is|are|has been|have been|will be|had been)\s+(?:also\s+)?"
    r"(?:hit|slapped|targeted)\s+with\b"
    r"|^\s+(?:faces?|faced|will face)\b",
    re.I,
)
# a place in the possessive before a firm ("China's top chipmaker SMIC") is the firm's home: what a listing
# or a sanction of that firm aims at, not its author
_FIRM_OF_PLACE = re.compile(
    r"^['’]s\s+(?!(?:[\w-]+\s+){0,2}?central\s+bank)(?:[\w-]+\s+){0,3}?(?:compan(?:y|ies)|firms?|(?:chip)?makers?|manufacturers?|producers?|"
    r"suppliers?|conglomerates?|giants?|champions?|entities|banks?|lenders?|carriers?|airlines?|refiner(?:y|ies))\b",
    re.I,
)
_AUTHOR_VERB = re.compile(
    r"\s+(?:has\s+|had\s+|have\s+)?(?:announced|imposed|unveiled|levied|introduced|slapped|placed|adopted)\b"
)
# a measure named by its noun ("sanctions package", "tariffs"): a place written right before it qualifies it
_NOUN_MEASURE = re.compile(
    r"(?:\d+(?:st|nd|rd|th)\s+)?(?:sanctions?|tariffs?|duties|export\s+controls?|embargo|ban)\b", re.I
)
# the buyer of a blocked deal, whatever noun follows its country ("the takeover ... by a Chinese state fund")
_DEAL_PARTY = re.compile(r"\b(?:by|to)\s+(?:an?\s+|the\s+)?$", re.I)
_OBJECT_OF = re.compile(r"\b(?:of|on|against|targeting|for)\s+(?:[\w-]+\s+){0,2}$", re.I)
_PASSIVE_AUX = re.compile(r"\b(?:was|were|is|are|been|be|being|got|get|gets)\s+(?:also\s+|now\s+)?$", re.I)
_PASSIVE_LISTING = re.compile(
    r"\b(?:were|was|have been|has been|had been|are|is|be)\s+(?:also\s+)?(?:added|placed|put|included)\b",
    re.I,
)
_ROMANCE_FIRM_BEFORE = re.compile(
    r"\b(?:bancos?|banca|banche|banques?|aseguradoras?|seguradoras?|assureurs?|navieras?|armadores?|armatori)\s+$",
    re.I,
)
# the adjective after its noun: "le président américain", "el gobierno argentino", "il governo italiano"
_ROMANCE_OFFICIAL_BEFORE = re.compile(
    r"\b(?:président|gouvernement|ministère|ministre|gobierno|presidente|ministerio|governo|ministro|"
    r"presidência|autorités|autoridades|autorità|administration|administración|administração)\s+$",
    re.I,
)
# a body after these before the measure is another verb's object or agent ("a trade war waged by President
# Trump, announcing tariffs"; "engagé par le président Trump")
_BODY_OBJECT = re.compile(
    r"(?:\b(?:against|on|to|from|with|into|for|by|at|par|por|pelo|pela|von|dal|dalla|contre|contra|gegen)"
    r"|\b(?:respond\w*|répond\w*|rispond\w*|reag\w*)\s+(?:a|à|to))\s+"
    r"(?:the\s+|le\s+|la\s+|el\s+|o\s+|a\s+|der\s+|dem\s+)?(?:président\s+|presidente\s+|president\s+)?$",
    re.I,
)
# words inside a trigger before the measure it answers ("hits back at Trump tariffs with levies"): that
# measure's owner is not the answer's author
_ANSWERED_BEFORE = re.compile(
    r"\b(?:back\s+(?:at|against)|in\s+response\s+to|in\s+retaliation\s+for)\b", re.I
)
_GOODS_ORIGIN = re.compile(r"\b(?:of|from)\s+(?:the\s+)?$", re.I)
# an adjective of a country that qualifies a measure noun names the measure's owner, not its target: after
# the noun in Romance languages ("i dazi americani", "les sanctions européennes", "tarifas americanas"),
# before it in Slavic languages and German ("американские санкции", "amerikanische Zölle", "EU-Sanktionen")
_MEASURE_BEFORE_ADJECTIVE = re.compile(
    r"\b(?:sanzioni|sanciones|sanções|sanctions|dazi|aranceles|tarifas|tarifaço|surtaxes?|sobretaxas?|"
    r"droits\s+de\s+douane|misure\s+restrittive|mesures\s+restrictives|medidas\s+restrictivas|"
    r"medidas\s+restritivas)\s+(?:(?:econ[oó]mic\w*|économiques|financ\w*|comerciales|commerciali|"
    r"provisionales|provvisori|provisoires|definitiv\w*|adicionales|adicionais|aggiuntivi|additionnelles|"
    r"supplémentaires|petroleras|secondari\w*|secundari\w*)\s+)?$",
    re.I,
)
_ADJECTIVE_BEFORE_MEASURE = re.compile(
    r"^(?:-|\s+(?:(?:ответн|нов|экономическ|финансов|торгов|неуе|weiter|neu|zusätzlich|wirtschaftlich)\w*\s+)?)"
    r"(?:санкци\w*|пошлин\w*|мита\b|митата\b|sankcj\w*|sankce|sankcí|ceł\b|cła\b|cla\b|Sanktion\w*|"
    r"Strafzöll\w*|Zöll\w*|Strafmaßnahmen|zakaz\w*|zákaz\w*|запрет\w*|забран\w*|embarg\w*|ембарг\w*|эмбарго)",
    re.I,
)


def _adjective_after_measure(sentence: str, m: Mention, lo: int = 0) -> bool:
    """Whether the place is a demonym written after a measure noun that starts at or after ``lo`` ("les
    droits de douane européens"). (Romance adjectives are written in lower case: "UK sanctions Chinese
    firms" is English, and a verb.)"""
    return (
        m.kind == "demonym"
        and m.text[:1].islower()
        and _MEASURE_BEFORE_ADJECTIVE.search(sentence, max(lo, m.start - 60), m.start) is not None
    )


def _past_clause_end(sentence: str, trig: Trigger, m: Mention) -> bool:
    """Whether a clause end or the measure's motive stands between the trigger and a place after it ("...
    les virements russes par crainte de sanctions américaines": the owner of other sanctions)."""
    return m.start >= trig.end and _CLAUSE_END.search(sentence, trig.end, m.start) is not None


def _owner_adjective(sentence: str, m: Mention) -> bool:
    """Whether the place qualifies a measure noun as its owner ("i dazi americani", "американские санкции",
    "EU-Sanktionen"): a demonym on either side of the noun, or a country joined to it by a hyphen."""
    if _adjective_after_measure(sentence, m):
        return True
    after = sentence[m.end : m.end + 40]
    if m.kind == "country" and not after.startswith("-"):
        return False
    return m.kind in ("demonym", "country") and bool(_ADJECTIVE_BEFORE_MEASURE.match(after))


# "le train de sanctions de l'UE", "las sanciones de la UE": the owner of sanctions named right after them
_ROMANCE_OWNER = re.compile(
    r"^\s+(?:de\s+l[’']|de\s+la\s+|du\s+|del\s+|de\s+los\s+|da\s+|do\s+|dell[’']|della\s+|de\s+)$", re.I
)
_GENITIVE_OWNER = re.compile(r"^\s+(?:der|des)\s+$")
# a Slavic sanctions noun with its owner in the genitive right after it ("санкции ЕС", "санкциите на ЕС")
_SLAVIC_OWNED = re.compile(r"(?:санкци\w*|sankcj\w*|sankce|sankcí|sankcemi)\s+(?:на\s+)?$", re.I)
# a Romance or German sanctions noun with its owner after a preposition or article, inside the phrase of a
# passive ("las sanciones de la UE contra Bielorrusia fueron prorrogadas", "die Sanktionen der EU")
_ROMANCE_OWNED = re.compile(
    r"(?:sanciones|sanções|sanzioni|sanctions|Sanktionen)(?:\s+\w+)?\s+"
    r"(?:de\s+l[’']|de\s+la\s+|du\s+|del\s+|de\s+los\s+|da\s+|do\s+|dell[’']|della\s+|de\s+|der\s+|des\s+)$",
    re.I,
)
# verbs by which a country takes over another power's measure ("übernimmt die Sanktionen der EU", "a repris
# les sanctions de l'UE", "adopted the EU's sanctions")
_TAKES_OVER = re.compile(
    r"(?:übernimm|übernehm|übernahm|übernomm|adopt|reprend|repris|align|recepi|adot|aderi|přebír|převz|přijal|"
    r"przyj|присоедини|приня|(?:schließ|schloss)\w*\s+sich|angeschlossen|sum(?:ó|a|an|aron|arse)\s+a|join(?:s|ed|ing)?(?!\w))\w*",
    re.I,
)
# the same verb right before a trigger, with the article (and a word) between: "to adopt the sanctions ..."
_TAKES_OVER_BEFORE = re.compile(rf"\b{_TAKES_OVER.pattern}\s+(?:\S+\s+){{0,5}}$", re.I)
_ACTOR_KINDS = ("country", "capital", "body")
# a verb of copying before a place in the possessive: the place's measure is the model the subject copies
# ("Ottawa matched Washington's 100% tariff on Chinese EVs")
_COPIES = re.compile(
    r"\b(?:match\w*|mirror\w*|cop(?:y|ies|ied|ying)|emulat\w*|echo\w*|replicat\w*|imitat\w*)\s+(?:the\s+)?$",
    re.I,
)


# a possessive pronoun inside a refusal's object ("stopped accepting its transfers")
_ITS_IN = re.compile(r"\b(?:its|their)\b", re.I)
# firms named by a possessive pronoun right before a refusal ("that its participating banks would cease")
_ITS_FIRMS = re.compile(
    r"\b(?:its|their)\s+(?:[\w-]+\s+){0,2}?(?:banks|lenders|members|insurers|firms|companies|subsidiaries)"
    r"(?:\s+[\w’']+){0,3}\s*$",
    re.I,
)
# Turkish: a genitive right before a possessed object of a refusal ("Rus firmasının hesaplarını
# kapattı": the Russian firm's accounts) names whose accounts they are, not who closes them
_TR_GENITIVE_END = re.compile(r"(?<!içi)(?:ın|in|un|ün)\s*$")
# Turkish "after doing" (a converb closing a clause of what happened before the measure)
_TR_AFTER_DOING = re.compile(r"\w+(?:dıktan|dikten|duktan|dükten|tıktan|tikten|tuktan|tükten)\s+sonra\b")
_TR_POSSESSED = re.compile(r"\w+(?:ını|ini|unu|ünü)\b")


def _owner_of_refused(sentence: str, m: Mention, trig: Trigger) -> bool:
    """Whether the place (within three words before a Turkish refusal, in its phrase) owns the accounts or
    cards refused."""
    if trig.measure_type != "service_refusal" or not _TR_POSSESSED.match(trig.text):
        return False
    gap = sentence[m.end : trig.start]
    words = gap.split()
    return (
        len(words) <= 3
        and not any(c in gap for c in ",;:")
        and not any(w[:1].isupper() for w in words)  # no other name between them
        and bool(_TR_GENITIVE_END.search(gap))
    )


def _its_firms_antecedent(sentence: str, mentions: list[Mention], trig: Trigger) -> Mention | None:
    """The place a possessive pronoun before a refusal's firms stands for: the nearest named before it."""
    m = _ITS_FIRMS.search(sentence, max(0, trig.start - 80), trig.start)
    if m is None:
        return None
    return next(
        (x for x in reversed(mentions) if x.end <= m.start() and x.code and x.kind in ("country", "demonym")),
        None,
    )


def _model_owner(sentence: str, m: Mention) -> bool:
    """Whether the place is the owner, in the possessive, of a measure the sentence's subject copies."""
    return bool(_POSSESSIVE.match(sentence[m.end : m.end + 2])) and bool(
        _COPIES.search(sentence, max(0, m.start - 30), m.start)
    )
_FACES = re.compile(r"(?:face|faces|faced|facing)\b", re.I)
_FROM_BY_BEFORE = re.compile(r"\b(?:from|by|in)\s+(?:the\s+)?$", re.I)
_BY_OFFICIAL = re.compile(
    r"^\W{0,3}(?:by\s+(?:the\s+)?(?:ministry|government|authorities|cabinet|regulator)\b|от\s+правителството|"
    r"правительством|par\s+le\s+gouvernement|por\s+el\s+gobierno|pelo\s+governo|dal\s+governo|"
    r"von\s+der\s+Regierung|przez\s+rząd|vládou)",
    re.I,
)
# a speech verb right before a place after the trigger makes it the speaker ("..., a annoncé l'UE")
_SAID_BEFORE = re.compile(
    r"(?:\bsaid|\baccording to|a annoncé|a déclaré|"
    r"a\s+(?:par\s+exemple\s+)?(?:écrit|indiqué|souligné|précisé|expliqué|affirmé)|"
    r"selon|ha anunciado|anunció|informó|según|anunciou|segundo|"
    r"ha annunciato|secondo|teilte|erklärte|laut|сообщил\w*|заявил\w*|по данным|"
    r"ogłosił\w*|poinformował\w*|oznámil\w*|uvedl\w*|oznámila|uvedla)\s+"
    r"(?:l[’']|la\s+|le\s+|el\s+|o\s+|a\s+|die\s+|der\s+|the\s+)?$",
    re.I,
)


def _objects(sentence: str, mentions: list[Mention]) -> set[int]:
    """Starts of the places that are objects: after a preposition ("sanctions against Canada"), coordinated
    with such a place ("against Canada, Mexico and China"), or the subject of a passive measure ("China was
    hit with a tariff")."""
    out: set[int] = set()
    prev: Mention | None = None
    for m in mentions:
        if m.kind == "body" and _BODY_OBJECT.search(sentence[max(0, m.start - 30) : m.start]):
            out.add(m.start)  # "retaliates against Trump tariffs"
        elif m.kind != "body" and (
            _is_object(sentence, m)
            or (is_cjk(m.text) and _CJK_AIMED_PHRASE.search(sentence[max(0, m.start - 20) : m.start]))
            or _PASSIVE_TARGET.match(sentence[m.end : m.end + 40])
            or _cue("origin_before", sentence).search(sentence[max(0, m.start - 40) : m.start])
            or (prev is not None and prev.start in out and _COORD.match(sentence[prev.end : m.start]))
        ):
            out.add(m.start)
        prev = m
    # a Turkish case ending on the last of places joined by "ve" marks them all ("Çin ve Malezya'dan": from
    # both)
    for first, second in zip(reversed(mentions[:-1]), reversed(mentions[1:]), strict=True):
        if (
            second.start in out
            and first.start not in out
            and first.kind != "body"
            and _TR_AND.fullmatch(sentence, first.end, second.start)
            and _TR_CASE.match(sentence, second.end)
        ):
            out.add(first.start)
    return out


_TR_AND = re.compile(r"\s+(?:ve|ile|veya)\s+")
_TR_CASE = re.compile(r"['’](?:ya|ye|a|e|dan|den|tan|ten|na|ne|nın|nin|ı|i|u|ü)\b")


_OF_MEASURE = re.compile(r"^\s+(?:de|d[’']|of|des|du)\s*$", re.I)


def _nominal_agents(sentence: str, mentions: list[Mention], trig: Trigger) -> set[int]:
    """Starts of the bodies that are the agent of a nominal measure right after them ("l'annonce par Donald
    Trump de droits de douane", "the announcement by the ministry of export controls")."""
    return {m.start for m in mentions if m.kind == "body" and _OF_MEASURE.match(sentence[m.end : trig.start])}


def _list_owner(
    sentence: str, mentions: list[Mention], trig: Trigger, fallback: str | None
) -> Imposer | None:
    """The owner of the list a listing trigger names ("added to China's unreliable entity list", "the
    Commerce Department's Entity List"): it imposes the listing, whoever the sentence's subject is."""
    # the owner stands right before the list's name, after "to"/"on" ("added China's Huawei to its list")
    last_to = max(
        (x.end() for x in re.finditer(r"\b(?:to|on)\s", sentence[trig.start : trig.end])), default=0
    )
    inside = [m for m in mentions if trig.start + last_to <= m.start < trig.end and m.kind != "demonym"]
    for m in reversed(inside):
        if _POSSESSIVE.match(sentence[m.end : m.end + 3]):
            return _as_imposer(m, "imposer.list_owner", fallback)
    return None


_BREAKDOWN = re.compile(r"(?:\w+\s+)?\d+\s+(?:[\w-]+\s+){0,2}?(?:in|from|based\s+in|of)\s", re.I)
_PARTIES_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:firms?|compan(?:y|ies)|entit(?:y|ies)|individuals|officials|banks?|lenders|vessels|"
    r"tankers|airlines|suppliers|makers|manufacturers|contractors|exporters|importers|traders)\b",
    re.I,
)
_INNER_RELATIVE = re.compile(r",\s*(?:which|who)\b[^,]*$", re.I)
_WAR_AFTER = re.compile(
    r"\s+(?:invasion|war|aggression|attack|offensive|invaz\w*|inwazj\w*|válk\w*|wojn\w*|agres\w*|"
    r"вторжени\w*|агресси\w*|войн\w*|invasi[oó]n\w*|guerre|guerra|Krieg\w*|Angriff\w*)\b",
    re.I,
)
_UNDER = re.compile(
    r"(?:came|come|comes|fell|falls|fall)\s+under\b|(?:is|are|was|were)\s+(?:now\s+)?under\b"
    # "попал под санкции", "попадна под санкциите", "objęty sankcjami", "dostala se pod sankce"
    r"|^(?:попал[аио]?|попадут|попадает|попадна\w*|оказал\w*)\s+под\b|^objęt\w*|^dosta\w*\s+(?:se\s+)?pod\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[;,]|\b(?:and|but|which|who)\b")
_UNIONS = frozenset({"EU", "UN"})
# the powers whose name before a measure's noun says whose measure it is ("EU sanctions", "US tariffs"); any
# other place written there says whom it hits ("Russia sanctions")
_OWNERS = _UNIONS | {"US", "GB"}
_OWNED_MEASURE = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}?(?:sanctions|tariffs|duties|restrictions|export\s+controls|embargo)\b"
)


_TR_FROM = re.compile(r"['’](?:den|dan|ten|tan)\b")
_TR_TO = re.compile(r"['’](?:ye|ya|e|a)\b")


def _turkish_source(sentence: str, mentions: list[Mention], trig: Trigger) -> Mention | None:
    """The place in the ablative before one in the dative, both before a Turkish measure's noun ("Türkiye'den
    ABD'ye misilleme": from Türkiye to the US)."""
    places = [m for m in mentions if m.end <= trig.start and m.kind in ("country", "capital") and m.code]
    for n, m in enumerate(places):
        if _TR_FROM.match(sentence, m.end) and any(_TR_TO.match(sentence, o.end) for o in places[n + 1 :]):
            return m
    return None


def _body_country(sentence: str, mentions: list[Mention], body: Mention) -> str | None:
    """The country a generic national body is said to be of: an adjective right before it ("Amerykański
    Departament Handlu"), or a name right after it ("the Treasury of the US", "Tesouro dos EUA", "Минфин
    США", "tribunal de Estados Unidos")."""
    before = next((m for m in reversed(mentions) if m.end <= body.start), None)
    if (
        before is not None
        and before.kind in ("demonym", "country")
        and before.code
        and not sentence[before.end : body.start].strip()
    ):
        return before.code
    for m in mentions:
        if m.start < body.end:
            continue
        gap = sentence[body.end : m.start]
        if m.code and (
            (m.kind in ("country", "capital") and _role_cues()["body_of"].match(gap))
            # the adjective after its noun ("il ministero del Commercio cinese", "el Gobierno boliviano")
            or (m.kind == "demonym" and not gap.strip())
        ):
            return m.code
        return None
    return None


def _gap_between_firms(sentence: str, mentions: list[Mention], start: int, end: int) -> str:
    """The text between two coordinated actors, without the adjectives of the next one and a closing
    bracket ("(Hapag), le danois Maersk et le suisse MSC")."""
    gap = list(sentence[start:end])
    for d in mentions:
        if d.kind == "demonym" and start <= d.start and d.end <= end:
            gap[d.start - start : d.end - start] = " " * (d.end - d.start)
    return "".join(gap).replace(")", " ")


# "under the EU's third package", "under US sanctions law": the owner of the act a measure is taken under
_UNDER_BEFORE = re.compile(r"\bunder\s+(?:the\s+)?$", re.I)
_OWNED_ACT_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?(?:package|sanctions|regime|regulations?|rules|law|decree|order|measures)\b",
    re.I,
)


_COUNTERPARTY_BEFORE = re.compile(r"\b(?:from|to|with|of)\s+(?:the\s+)?$", re.I)
_SUPPLIED_BEFORE = re.compile(
    r"\b(?:supply|supplying|supplied|sell(?:ing)?\s+to|sold\s+to|ship(?:ping)?\s+to|export(?:ing)?\s+to|deliver(?:ing)?\s+to)\s+"
    r"(?:the\s+)?$",
    re.I,
)


_WORDS_FROM = re.compile(r"((?:[\w-]+\s+){1,3})from\s+(?:the\s+)?$", re.I)


def _product_from(sentence: str, start: int) -> bool:
    """Whether goods of the product table come "from" the place at ``start`` ("steel from Vietnam")."""
    m = _WORDS_FROM.search(sentence, max(0, start - 40), start)
    return bool(m and find_products(m.group(1)))


def _under_owner(sentence: str, mentions: list[Mention], trig: Trigger) -> Mention | None:
    """The place or body whose act the measure is taken under, in the trigger's clause after it."""
    for m in mentions:
        if (
            m.start >= trig.end
            and m.code
            and m.kind in ("country", "body", "capital", "demonym")
            and (m.body or {}).get("kind") != "private_company"
            and _UNDER_BEFORE.search(sentence, max(0, m.start - 12), m.start)
            and _OWNED_ACT_AFTER.match(sentence, m.end)
            and not _CLAUSE_END.search(sentence, trig.end, m.start)
        ):
            return m
    return None


def find_imposers(
    sentence: str,
    mentions: list[Mention],
    trig: Trigger,
    previous: Imposer | None,
    home: str | None,
    official: bool,
    earlier: list[Mention] | None = None,
    taken: frozenset[int] = frozenset(),
    home_rule: str = "",
) -> list[Imposer]:
    """Imposers of the trigger: the nearest capable mention before it (with the ones coordinated with it),
    else a body inside or after it, else the named firm a generic noun ("the insurer") stands for,
    else the previous imposer of the document. ``taken``: starts of places that are the objects of earlier
    triggers of the sentence ("China ... blacklists US companies, suspends exports": not the US)."""
    firm_ok = trig.measure_type in ("service_refusal", "export_restriction", "import_restriction")
    licensing = trig.rule in _licensing_rules()
    # a named body before the measure tells which country a generic one stands for (one after it is an object)
    specific = next((m.code for m in mentions if m.kind == "body" and m.code and m.end <= trig.start), None)
    fallback = specific or (previous.code if previous else None) or home
    # a national body named generically ("the government", "the trade ministry") stands for a country,
    # never for the EU or the UN that the story named before it
    national = next(
        (c for c in (specific, previous.code if previous else None, home) if c and c not in _UNIONS), None
    )

    def imposer_of(m: Mention, rule: str) -> Imposer | None:
        level = m.body.get("level") if m.body and m.code is None else None
        own = _body_country(sentence, mentions, m) if level == "national" else None
        if own is not None:
            # "the Treasury of the US", "un juez federal de Estados Unidos", "Министерството ... на САЩ"
            return _as_imposer(m, rule + ":of", own)
        return _as_imposer(m, rule, national if level == "national" else fallback)

    owner = _under_owner(sentence, mentions, trig)
    if owner is not None:
        # "banks were cut off from SWIFT under the EU's third package": whose package it is, imposes
        imp = imposer_of(owner, "imposer.under_owner")
        if imp:
            return [imp]
    source = _turkish_source(sentence, mentions, trig)
    if source is not None:
        # "ABD'den Çin'e yeni yaptırım": the place in the ablative acts on the one in the dative
        imp = imposer_of(source, "imposer.tr_from")
        if imp:
            return [imp]
    if _FACES.match(trig.text):
        # "Australian wine faced tariffs of up to 218% from China": the one who faces the measure is its
        # target; the agent after "from" or "by", or the place "in" which they face it, imposes it
        agent = next(
            (
                m
                for m in mentions
                if m.start >= trig.end
                and m.kind in _ACTOR_KINDS
                and _FROM_BY_BEFORE.search(sentence, max(0, m.start - 12), m.start)
            ),
            None,
        )
        imp = imposer_of(agent, "imposer.faced_from") if agent is not None else None
        if imp:
            return [imp]
    if _CJK_PASSIVE.match(sentence[trig.end : trig.end + 12]):
        # "日本はトランプ政権から相互関税が課される": the agent is marked by から, the subject is the target
        agents = [m for m in mentions if _CJK_AGENT.match(sentence[m.end : m.end + 6])]
        if agents:
            imp = imposer_of(agents[0], "imposer.passive_agent")
            return [imp] if imp else []
    if (
        _PASSIVE_AUX.search(sentence, max(0, trig.start - 16), trig.start)
        or _cue("passive_aux", sentence).search(sentence[max(0, trig.start - 24) : trig.start])
        or _VERB_FINAL_PASSIVE.search(sentence[max(0, trig.start - 48) : trig.start])
        or _role_cues()["passive_trigger"].search(trig.text)
    ):
        # "Australia's wine exporters were hit with tariffs by China": the agent after "by" imposes; in a
        # verb-final clause it stands inside the phrase ("Investitionen ... wurden von Kanada verboten")
        # the agent after the phrase first: a place inside it after "dalla" or "von" is more often an origin
        for m in sorted(mentions, key=lambda m: m.start < trig.end):
            if (
                # the agent before a clause-final participle: "wurden von Großbritannien sanktioniert"
                (
                    trig.start < m.start
                    or (trig.start - 40 < m.start and "," not in sentence[m.end : trig.start])
                )
                and m.start - trig.end <= 60
                and m.kind in ("country", "capital", "body")
                and (
                    _BY_BEFORE.search(sentence[max(0, m.start - 40) : m.start])
                    # Bulgarian "от" marks the agent of a passive ("бяха удължени от ЕС")
                    or _OT_BEFORE.search(sentence[max(0, m.start - 8) : m.start])
                )
            ):
                imp = imposer_of(m, "imposer.passive_by")
                if imp:
                    return [imp]
        # an agent with no preposition right after the participle (the instrumental of Slavic languages:
        # "byl pozastaven nizozemskou vládou"), or the subject after a clause-final verb ("... zavedla
        # Evropská komise")
        right_after = next((m for m in mentions if m.start >= trig.end), None)
        if (
            right_after is not None
            and right_after.kind in ("country", "capital", "body", "demonym")
            and not sentence[trig.end : right_after.start].strip()
            # (a phrase that ends in its preposition has its object next: "duties be imposed on Chinese ...")
            and not _ENDS_IN_PREPOSITION.search(trig.text)
        ):
            imp = imposer_of(right_after, "imposer.passive_next")
            if imp:
                return [imp]
    adopter = _outside_adopter(sentence, mentions, trig)
    if adopter is not None:
        # "Die Schweiz übernimmt die neuen Sanktionen der EU": a country outside the Union takes them over
        imp = imposer_of(adopter, "imposer.adopter")
        if imp:
            return [imp]
    if _NOUN_MEASURE.match(trig.text):
        # "the duties Ottawa announced", "the sanctions that Washington imposed": the clause's subject
        inner = [
            m
            for m in mentions
            if trig.start < m.start < trig.end
            and m.kind in ("country", "capital", "body")
            and not _is_object(sentence, m)
        ]
        if inner and _AUTHOR_VERB.match(sentence, inner[0].end, trig.end):
            imp = imposer_of(inner[0], "imposer.relative_author")
            if imp:
                return [imp]
    owner = next(
        (m for m in mentions if m.start == trig.start and m.kind in ("country", "capital") and m.code), None
    )
    if owner is not None and sentence[owner.end : owner.end + 1] == "-":
        # "the U.S.-designated Promsvyazbank", "EU-sanctioned firms": the place the measure is named after
        imp = imposer_of(owner, "imposer.hyphen_owner")
        return [imp] if imp else []
    antecedent = next((m for m in reversed(mentions) if m.end <= trig.start), None)
    if antecedent is not None and _RELATIVE_SUBJECT.match(sentence[antecedent.end : trig.start]):
        # "In regard to China, which imposed tariffs on U.S. goods": the relative pronoun's antecedent acts
        imp = imposer_of(antecedent, "imposer.relative")
        return [imp] if imp else []
    for m in mentions:
        if (
            m.start > trig.start
            and m.kind in ("country", "body")
            and m.code in _UNIONS | {"US", "GB"}
            and trig.measure_type == "sanction"
            and (
                _owned_by(sentence, trig, m)
                or _SLAVIC_OWNED.search(sentence[max(trig.start, m.start - 30) : m.start])
            )
        ):
            # "l'adoption du nouveau train de sanctions de l'UE": the EU's sanctions, whoever takes them up;
            # "попал под санкции Евросоюза", "objęty sankcjami UE": the owner in the genitive
            imp = imposer_of(m, "imposer.owner")
            return [imp] if imp else []
    for m in mentions:
        if (
            trig.start <= m.start < trig.end
            and m.code in _OWNERS
            and m.kind in ("country", "body")
            and _OWNED_MEASURE.match(sentence, m.end)
            and not _ANSWERED_BEFORE.search(sentence, trig.start, m.start)
        ):
            # "the lifting of EU economic sanctions": the sanctioning power named before its measure owns it
            imp = imposer_of(m, "imposer.owner")
            return [imp] if imp else []
    owner = _list_owner(sentence, mentions, trig, fallback) if trig.measure_type == "entity_listing" else None
    if owner is not None:
        return [owner]
    if (
        trig.measure_type == "entity_listing"
        and not any(m.code for m in mentions if m.end <= trig.start and m.kind in _ACTOR_KINDS)
        and (named := _named_list_owner(sentence, trig))
    ):
        # "setzte das Handelsministerium elf amerikanische Unternehmen auf die Liste unzuverlässiger
        # Unternehmen": a ministry the sentence does not place keeps the list it names
        return [named]
    trailing_owner = next(
        (
            m
            for m in mentions
            if m.code
            and trig.start < m.start < trig.end + 40
            and _adjective_after_measure(sentence, m, trig.start)
            and not _past_clause_end(sentence, trig, m)
        ),
        None,
    )
    if trailing_owner is not None:
        # "Pékin riposte aux droits de douane européens": the adjective after the measure's noun names its
        # owner, whoever the sentence's subject is
        imp = imposer_of(trailing_owner, "imposer.owner_adjective")
        if imp:
            return [imp]
    if trig.measure_type == "service_refusal" and (its := _its_firms_antecedent(sentence, mentions, trig)):
        # "informed by Armenia's card system that its participating banks would cease serving Russian cards"
        imp = imposer_of(its, "imposer.its_firms")
        if imp:
            return [imp]
    objects = _objects(sentence, mentions) - _nominal_agents(sentence, mentions, trig)
    before = [
        m
        for m in mentions
        if m.end <= trig.start
        and not (not firm_ok and _FIRM_OF_PLACE.match(sentence[m.end : m.end + 60]))
        and (
            m.start not in objects
            or (
                firm_ok and _cue("firms_in_before", sentence).search(sentence[max(0, m.start - 40) : m.start])
            )
        )
        and m.start not in taken
        and not _model_owner(sentence, m)
        and not _owner_of_refused(sentence, m, trig)
        and (
            _can_impose(m, sentence, firm_ok)
            # "Chinese exporters will need a licence": the licence is their own government's requirement
            or (licensing and m.kind == "demonym" and bool(_LICENSEES_AFTER.match(sentence, m.end)))
        )
    ]
    generic = resolve_generic(sentence, mentions, trig, earlier) if firm_ok else None
    last = _last_noun(sentence, trig) if generic is not None else None
    if generic is not None and last is not None and (not before or before[-1].end <= last.start()):
        return [generic]
    subjects = [m for m in before if _cue("subject_after", sentence).match(sentence[m.end : m.end + 6])]
    if subjects:
        before = before[: before.index(subjects[-1]) + 1]
    if (
        official
        and home
        and home_rule.startswith("default.domain")
        and not any(m.kind == "body" for m in before)
    ):
        # an official notice speaks for its own government: the places it names are what it is about
        return [Imposer(home, None, "government", "imposer.home_notice")]
    if (
        len(before) >= 2
        and (
            (not sentence[before[-1].end : trig.start].strip() and _NOUN_MEASURE.match(trig.text))
            # "EU's 14th Russia sanctions package bans LNG transshipment": the package's owner acts
            or (before[-1].code not in _OWNERS and _OWNED_MEASURE.match(sentence, before[-1].end))
        )
        and _POSSESSIVE.match(sentence[before[-2].end : before[-2].end + 2])
        and len(sentence[before[-2].end : before[-1].start]) <= 14
    ):
        # "EU's 14th Russia sanctions package": the owner in the possessive imposes, the place that
        # qualifies the measure is its target
        imp = imposer_of(before[-2], "imposer.possessive")
        return [imp] if imp else []
    if before and _UNNAMED_ACTORS.search(sentence[before[-1].end : trig.start]):
        return []  # "... after which several other producers were pushed to limit sales abroad"
    if not before and _RELATED_ACTORS.search(sentence, max(0, trig.start - 60), trig.start):
        return []  # "Ukraine's neighbours extended their bans": actors the text does not name
    if before:
        group = [before[-1]]
        for m in reversed(before[:-1]):
            if (
                m.kind == "demonym"
                and group[-1].kind == "body"
                and not sentence[m.end : group[-1].start].strip()
            ):
                continue  # "le danois Maersk": the firm's adjective, not an actor of its own
            if _COORD_ACTORS.match(_gap_between_firms(sentence, mentions, m.end, group[-1].start)):
                group.append(m)
            else:
                break
        out = [imposer_of(m, "imposer.before") for m in reversed(group)]
        last = group[-1]
        if last.kind == "body":
            # "Гръцките и италианските власти": each adjective coordinated with the one before a generic body
            # names an author of its own
            adjective = next((d for d in reversed(mentions) if d.end <= last.start), None)
            while (
                adjective is not None
                and adjective.kind == "demonym"
                and not sentence[adjective.end : last.start].strip()
            ):
                earlier = next((d for d in reversed(mentions) if d.end <= adjective.start), None)
                if (
                    earlier is None
                    or earlier.kind != "demonym"
                    or not earlier.code
                    or not _COORD.match(sentence[earlier.end : adjective.start])
                ):
                    break
                out.insert(0, _as_imposer(earlier, "imposer.coordinated_adjective", earlier.code))
                last, adjective = adjective, earlier
        return [i for i in out if i]
    object_end = -1  # the end of the last place inside the trigger that is its object
    for m in mentions:
        if not trig.start <= m.start < trig.end:
            continue
        if (
            m.kind != "body"
            and (
                _is_object(sentence, m)
                # "added firms from Russia and Belarus to its list": joined to an object, an object too
                or (object_end >= 0 and _COORD.match(sentence[object_end : m.start]))
            )
        ):
            object_end = m.end
            continue
        if (
            m.kind in ("body", "country", "capital")
            and not (m.kind != "body" and is_cjk(trig.text))
            and not _OWNED_AFTER.match(sentence[m.end : m.end + 14])
        ):
            imp = imposer_of(m, "imposer.inside")
            return [imp] if imp else []
    for n, m in enumerate(mentions):
        if m.start < trig.end:
            continue
        if m.kind in ("country", "body") and (
            _GENITIVE_OWNER.match(sentence[trig.end : m.start])
            or (
                trig.measure_type in ("sanction", "embargo")
                and _ROMANCE_OWNER.match(sentence[trig.end : m.start])
            )
        ):
            # "das Kohleembargo der EU": the owner in the genitive right after the measure
            imp = imposer_of(m, "imposer.owner")
            return [imp] if imp else []
        if (m.kind == "body" or (m.kind in ("country", "capital") and m.code)) and _SAID_BEFORE.search(
            sentence[max(0, m.start - 24) : m.start]
        ):
            imp = imposer_of(m, "imposer.speaker")
            return [imp] if imp else []
        if m.kind == "body" and (
            _SAID_AFTER.match(sentence[m.end : m.end + 32])
            or _AGENT_BEFORE.search(sentence[max(0, m.start - 14) : m.start])
        ):
            imp = imposer_of(m, "imposer.after")
            return [imp] if imp else []
        if (
            m.kind in ("country", "capital")
            and m.code
            and _SPEAKER_CLAUSE.search(sentence[max(0, m.start - 8) : m.start])
            and _SAID_AFTER.match(sentence[m.end : m.end + 32])
        ):
            # "the bloc will no longer import Russian diesel, the EU said": the speaker named after the
            # measure, in a clause of its own, is its author
            imp = imposer_of(m, "imposer.speaker_after")
            return [imp] if imp else []
        if m.kind in ("country", "capital", "demonym") and _BY_BEFORE.search(
            sentence[max(0, m.start - 8) : m.start]
        ):
            # "sanctions by Canada, Japan and their partners": the agent and the ones coordinated with it
            group = [m]
            for o in mentions[n + 1 :]:
                if o.kind == "body" or not _COORD.match(
                    re.sub(r"\bthe\s+", "", sentence[group[-1].end : o.start])
                ):
                    break
                group.append(o)
            return [i for i in (imposer_of(g, "imposer.by") for g in group) if i]
    if trig.measure_type in ("tariff_increase", "import_restriction"):
        for m in mentions:
            if m.kind == "country" and (
                (m.start > trig.start and _IMPORTED_INTO.search(sentence[max(0, m.start - 30) : m.start]))
                or (m.start < trig.start and _EXPORTS_TO.search(sentence[max(0, m.start - 40) : m.start]))
            ):
                # "a 10% tariff on all goods imported into the United States from China": the country the
                # goods enter levies the duty
                imp = imposer_of(m, "imposer.import_destination")
                return [imp] if imp else []
    if _IN_FORCE.search(sentence):
        # "В ЕС вступил в силу запрет на ввоз ...", "ab Juli gilt ein Einfuhrverbot ... in der EU": the
        # jurisdiction where the measure takes effect imposes it
        where = next(
            (
                m
                for m in mentions
                if m.kind in ("country", "body")
                and m.code
                and _IN_PLACE_BEFORE.search(sentence[max(0, m.start - 12) : m.start])
            ),
            None,
        )
        if where is not None:
            imp = imposer_of(where, "imposer.in_force_in")
            if imp:
                return [imp]
    owner = next(
        (
            m
            for m in mentions
            if m.code
            and trig.start - 40 <= m.start < trig.end + 40
            and _owner_adjective(sentence, m)
            and not _past_clause_end(sentence, trig, m)
        ),
        None,
    )
    if owner is not None:
        # "Le sanzioni europee contro la Bielorussia sono state prorogate": the owner named by its adjective
        imp = imposer_of(owner, "imposer.owner_adjective")
        if imp:
            return [imp]
    if trig.measure_type in ("entity_listing", "sanction") and (named := _named_list_owner(sentence, trig)):
        # "three drone makers were added to the Entity List": no author named, the list's keeper lists them
        return [named]
    head = sentence[: trig.start]
    if home and _BY_OFFICIAL.match(sentence[trig.end : trig.end + 30]):
        return [Imposer(home, None, "government", "imposer.home_agent")]
    if (
        previous is not None
        and not _PLURAL_ACTORS.search(head)
        # a firm refuses; it never imposes a state's measure ("Gard ... no longer insures oil sold above the
        # price cap": the cap is not Gard's)
        and (firm_ok or previous.kind not in FIRM_KINDS)
    ):
        return [Imposer(previous.code, previous.body, previous.kind, "imposer.previous")]
    # a document in its country's own language (or on its official domain) that names no other place
    # before the measure speaks of its own government's measure
    # (a place that names the firms a measure takes is its object: "决定将以下28家美国实体列入……")
    domestic = home_rule.startswith(("default.language", "default.domain")) and not any(
        m.end <= trig.start
        and m.kind != "body"
        and m.start not in objects
        and not (is_cjk(m.text) and _CJK_FIRM_AFTER.match(sentence[m.end : m.end + 24]))
        for m in mentions
    )
    if home and (
        official
        or domestic
        or _PRONOUN.search(head)
        or _AGENTLESS.search(sentence[trig.start : trig.end + 30])
    ):
        return [Imposer(home, None, "government", "imposer.home")]
    return []


# a verb after a country that opens a clause after a comma: any lower-case word but a conjunction or an
# article of a list ("Romania bans sugar imports, Bulgaria weighs its own"; "..., Hungary said")
_CLAUSE_VERB_AFTER = re.compile(
    r"\s+(?!(?:and|or|und|oder|et|ou|y|o|e|i|a|ve|и|или|dan|và|as|the|to|of|in|on|for|with|from|via|including|"
    r"plus|such|among|over|amid|after|before|until|since|at|by)\b)"
    r"[a-zà-ÿąćęłńóśźżčřšžůа-яё][\w-]*"
)


# places with their rates after a semicolon, the measure elided ("; South Korea, 25%; and the EU, 20%")
_RATE_LIST = re.compile(
    r"(?:;\s*(?:and\s+)?(?:the\s+)?[^;,\d]{2,40},\s*(?:at\s+)?\d+(?:[.,]\d+)?\s*(?:%|percent|per\s+cent)(?=[;,.\s]|$))+"
)


# a clause of its own joined after a comma ("..., and the Netherlands announced its own curbs")
_JOINED_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s+(?:the\s+)?$")


def _new_subject_clause(sentence: str, mentions: list[Mention], start: int, end: int) -> int:
    """Where a country right after a comma starts a clause of its own, as its verb shows ("Rumunia zamyka
    granicę dla zboża, Bułgaria rozważa zakaz"): the end of the measure's clause; else ``end``. A list of
    places goes on: a conjunction, comma or preposition follows its members ("Russia, Belarus and Iran")."""
    for m in mentions:
        if not start < m.start < end or m.kind != "country":
            continue
        lead = sentence[m.start - 2 : m.start] == ", " or _JOINED_CLAUSE.search(
            sentence, max(0, m.start - 16), m.start
        )
        if lead and _CLAUSE_VERB_AFTER.match(sentence, m.end):
            return sentence.rindex(",", 0, m.start)
    return end


# measures whose parties, when no place of theirs is named, are aimed at for whom they supply or support
_SECONDARY = ("sanction", "entity_listing")


def find_targets(
    sentence: str,
    mentions: list[Mention],
    trig: Trigger,
    imposers: list[Imposer],
    stop: int | None = None,
    floor: int | None = None,
) -> tuple[list[str], str]:
    """Target jurisdictions of the trigger (up to ``stop``, where a later measure's imposer stands; places
    before it but after ``floor``, the end of the previous measure of the sentence, are that measure's:
    "tariffs on Russian and Belarusian goods and a ban on the export of luxury goods to Russia")."""
    own = {i.code for i in imposers}
    cjk = is_cjk(trig.text)
    codes: list[str] = []
    supported: list[str] = []  # whom the parties a measure hits supply or support
    if cjk:
        prev_aimed, prev_end = False, -1
        passive = bool(_CJK_PASSIVE.match(sentence[trig.end : trig.end + 12])) or bool(
            _CJK_EXCLUDED.match(sentence[trig.end : trig.end + 30])
        )
        clause_start, clause_end = cjk_clause(sentence, trig)
        for m in mentions:
            if m.kind == "body" or m.code in own or m.code is None:
                continue
            if not clause_start <= m.start < clause_end:
                continue
            if _CJK_CONDUCT_AFTER.match(sentence, m.end):
                continue  # "参与对台军售的美国企业": the place of the conduct punished, not a target
            conduct = _CJK_CONDUCT_BEFORE.search(sentence[max(0, m.start - 4) : m.start])
            if conduct and _CJK_RELATIVE_END.match(sentence, m.end):
                supported.append(m.code)  # "协助俄罗斯规避制裁的实体": aimed at only when nothing else is
                continue
            if _cue("victim_after", sentence).match(sentence[m.end : m.end + 30]):
                continue  # "ロシアのウクライナ侵攻を受け": the victim of a war, no target
            before, after = sentence[max(0, m.start - 4) : m.start], sentence[m.end : m.end + 24]
            firm = _CJK_FIRM_AFTER.match(after)
            listing = trig.measure_type == "entity_listing"
            aimed = (
                _CJK_TARGET_BEFORE.search(before)
                # Thai writes its prepositions as words without spaces ("จากประเทศจีน": from China)
                or (
                    m.text[:1] >= "\u0e00"
                    and m.text[:1] <= "\u0e7f"
                    and (
                        _THAI_TARGET_BEFORE.search(sentence, 0, m.start)
                        or (m.start >= trig.end and _THAI_HIT_BEFORE.search(sentence, 0, m.start))
                    )
                )
                or (passive and _cue("subject_after", sentence).match(after))
                or (
                    m.start < trig.start
                    and _CJK_AIMED_PHRASE.search(sentence[max(0, m.start - 20) : m.start])
                )
                or trig.start <= m.start < trig.end
                or 0 <= m.start - trig.end <= 2  # "暂停进口日本水产品": right after the verb, its object
                or _toward(m)
                or _role_cues()["object_after"].match(after)
            )
            if prev_end >= 0 and _CJK_COORD.fullmatch(sentence, prev_end, m.start):
                aimed = aimed or prev_aimed
            prev_aimed, prev_end = bool(aimed), m.end
            # Thai names the firms before their country ("บริษัทจีน", "บริษัทของจีน": Chinese companies)
            thai_firms = listing and bool(_THAI_FIRMS_BEFORE.search(sentence, 0, m.start))
            if (
                (aimed and not listing)
                or thai_firms
                or (firm and _owns_firms(sentence, mentions, m, m.end + firm.end()))
            ):
                codes.append(m.code)
        for _, _, code in find_companies(sentence):
            codes.append(code)
        if not set(codes) - own and _role_cues()["back_reference"].search(sentence, clause_start, trig.end):
            # "裁定原产于美国、欧盟和日本的进口……存在倾销，自……起对上述产品征收反倾销税": the goods the
            # measure refers back to were given their origins in a clause before it
            codes += _cjk_origins(sentence, mentions, clause_start)
        if not set(codes) - own and trig.measure_type in _SECONDARY:
            codes += supported
        return sorted(set(codes) - own), "target.cjk"
    end_m = _CLAUSE_END.search(sentence, trig.end)
    if end_m and end_m.group(0) == ": " and _BREAKDOWN.match(sentence, end_m.end()):
        # "added 37 entities to the Entity List: 22 in China, 9 in Russia": the colon counts them by place
        end_m = _CLAUSE_END.search(sentence, end_m.end())
    if (
        end_m
        and end_m.group(0).startswith(", which")
        and not any(trig.end <= m.start < end_m.start() and m.code not in own for m in mentions if m.code)
    ):
        # "the tariffs unveiled by Trump, which raise the rate on Chinese goods": the clause describes them
        end_m = _CLAUSE_END.search(sentence, end_m.end())
    end = end_m.start() if end_m else len(sentence)
    if stop is not None:
        end = min(end, stop)
    end = min(end, _new_subject_clause(sentence, mentions, trig.end, end))
    # "Vietnam was hit with a tariff of 46%; Thailand, 36%": the measure again, for each place
    rates = (
        _RATE_LIST.match(sentence, end) if end_m and end == end_m.start() and end_m.group(0) == ";" else None
    )
    listed = (end, rates.end()) if rates else (0, 0)
    last_end = -1
    destinations = _destinations_before(sentence, mentions, trig)
    passive_agent = min(
        (i.start for i in imposers if i.rule.startswith("imposer.passive") and i.start is not None),
        default=-1,
    )
    destination = trig.measure_type == "entity_listing" and re.search(
        r"\bdestinations?\b", sentence[trig.start :], re.I
    )
    for m in mentions:
        if m.code is None or m.code in own:
            continue
        if m.code in _UNIONS and _owned_by(sentence, trig, m):
            continue  # "a repris les sanctions de l'UE contre la Russie": whose sanctions, not whom they hit
        if listed[0] <= m.start < listed[1] and m.kind == "country":
            codes.append(m.code)
            continue
        if m.kind == "body" and (
            not (
                m.start > trig.start
                and _role_cues()["target_before"].search(sentence[max(0, m.start - 45) : m.start])
            )
            or (m.body or {}).get("kind") == "multilateral"
        ):
            # a body is a target only as the object of a measure ("... of the Government of Russia"), and
            # a multilateral one never is ("cut off from SWIFT", "referred to the WTO")
            continue
        if m.start >= end:
            continue
        if floor is not None and floor <= m.start < trig.start and m.kind == "demonym":
            continue
        if _owner_adjective(sentence, m):
            continue  # "les sanctions européennes contre la Russie": whose sanctions, not whom they hit
        if m.end <= trig.start and _TR_AFTER_DOING.search(sentence, m.end, trig.start):
            continue  # "ABD'den uyarı aldıktan sonra ... kapattı": a place in a clause of what came before
        if (
            m.kind == "country"
            and m.end <= trig.start
            and not sentence[m.end : trig.start].strip()
            and _NOUN_MEASURE.match(trig.text)
        ):
            codes.append(m.code)  # "Russia sanctions package", "China tariffs": what the measure hits
            last_end = m.end
            continue
        # before the trigger: a demonym, the subject of a passive ("China was hit with ..."), or a place whose
        # case ending marks it as the object ("ABD, Rusya'ya yaptırım uyguladı")
        marked = (
            bool(_role_cues()["object_after"].match(sentence[m.end : m.end + 20]))
            or m.start in destinations
            # the subject of a passive whose agent imposes ("Drei Banken wurden von ... sanktioniert")
            or (m.start < trig.start and m.start < passive_agent)
            # whose goods face the measure ("Australia's wine faced tariffs of up to 218% from China")
            or (
                m.end <= trig.start
                and _FACES.match(trig.text) is not None
                and not _CLAUSE_BREAK.search(sentence, m.end, trig.start)
            )
            or (
                trig.measure_type in ("entity_listing", "sanction")
                and bool(_cue("located_before", sentence).search(sentence[max(0, m.start - 40) : m.start]))
            )
        )
        if (
            trig.measure_type == "import_restriction"
            and m.kind != "demonym"
            and _WHERE_BEFORE.search(sentence[max(0, m.start - 40) : m.start])
        ):
            continue  # "barred ... from being released for free circulation in Poland": where, not whom
        origin = trig.measure_type in ("tariff_increase", "import_restriction") and (
            bool(_cue("origin_before", sentence).search(sentence[max(0, m.start - 40) : m.start]))
            or _product_from(sentence, m.start)
        )
        marked = (
            marked
            or origin
            or bool(_cue("aimed_before", sentence).search(sentence[max(0, m.start - 20) : m.start]))
        )
        if (
            m.start < trig.start
            and not origin
            and (
                m.start < trig.start - (120 if marked else 40)
                or not (m.kind == "demonym" or marked or _PASSIVE_TARGET.match(sentence[m.end : m.end + 40]))
            )
        ):
            continue
        after = sentence[m.end : m.end + 14]
        if _NOT_TARGET_AFTER.match(after) or (
            # what an easing exempts is what it aims at ("exempted Taiwan from the rule", "exemptent les
            # smartphones chinois des droits")
            trig.measure_type != "easing" and _EXCEPT.search(sentence[max(0, m.start - 60) : m.start])
        ):
            continue
        if _cue("victim_before", sentence).search(sentence[max(0, m.start - 60) : m.start]):
            continue
        if _cue("supported_before", sentence).search(sentence[max(0, m.start - 60) : m.start]):
            supported.append(m.code)
            continue
        if _cue("victim_after", sentence).match(sentence[m.end : m.end + 30]):
            continue  # "Rusya'nın Ukrayna'yı işgali", "ロシアのウクライナ侵攻": the victim of a war
        if _cue("outside_before", sentence).search(sentence[max(0, m.start - 24) : m.start]):
            continue
        if m.start > trig.start and _AGENT_PHRASE.search(sentence[max(0, trig.start - 60) : m.start]):
            continue
        if m.start >= trig.end and _UNDER_BEFORE.search(sentence, max(0, m.start - 12), m.start) and (
            _OWNED_ACT_AFTER.match(sentence, m.end)
        ):
            continue  # "under the EU's third package": whose act it is, not whom it hits
        inside = trig.start <= m.start < trig.end
        if inside and _INNER_RELATIVE.search(sentence, trig.start, m.start):
            continue  # "add a missile maker, which sells weapons to Taiwan, to the list"
        if inside and _NOUN_MEASURE.match(trig.text) and _AUTHOR_VERB.match(sentence, m.end, trig.end):
            continue  # "adopt the sanctions the EU imposed": the relative clause's author, not a target
        if trig.measure_type in ("export_restriction", "export_control") and _GOODS_ORIGIN.search(
            sentence[max(0, m.start - 10) : m.start]
        ):
            continue  # "re-export of U.S. vehicles", "vehicles from EU states": the goods' origin
        if m.kind == "demonym":
            if _WAR_AFTER.match(sentence, m.end):
                continue  # "after the Russian invasion of Ukraine": the aggressor, not what the measure hits
            if (
                _nouns()[0].match(after)
                and not inside  # "sanctioned five Iranian officials": the verb's object
                and not _OBJECT_OF.search(sentence[max(0, m.start - 30) : m.start])
                and not (
                    trig.rule == "sanction.block_deal" and _DEAL_PARTY.search(sentence, trig.start, m.start)
                )
            ):
                # "Chinese officials said": the speaker; "the assets of three Nicaraguan officials": aimed at
                continue
            codes.append(m.code)
        elif (
            destination
            or inside
            or marked
            or after.startswith(("'s", "’s"))
            or (m.start < trig.start and _PASSIVE_TARGET.match(sentence[m.end : m.end + 40]))
            # the verb's object named by its country ("blacklists US defence firms")
            or (0 <= m.start - trig.end <= 1 and _PARTIES_AFTER.match(sentence, m.end))
            or _role_cues()["target_before"].search(sentence[max(0, m.start - 45) : m.start])
            or last_end >= 0
            and _COORD.match(sentence[last_end : m.start])
        ):
            codes.append(m.code)
        else:
            continue
        last_end = m.end
    if _UNDER.match(trig.text):
        # "the NSPK came under US blocking sanctions": the subject is what the sanctions hit
        subject = next((m for m in reversed(mentions) if m.end <= trig.start and m.code), None)
        if subject is not None and not _CLAUSE_BREAK.search(sentence, subject.end, trig.start):
            codes.append(subject.code)
    if trig.measure_type in ("sanction", "service_refusal"):
        # a named firm the sanction hits, in it or after it in its clause ("banned Aeroflot from landing"), or
        # whose cards or payments firms refuse ("stopped accepting Mir cards")
        codes += [code for at, _, code in find_companies(sentence) if trig.start <= at < end]
    if trig.measure_type == "service_refusal" and not set(codes) - own and _ITS_IN.search(trig.text):
        # "Russia's largest lender said Kazakh banks had stopped accepting its transfers": whose payments
        # are refused is the place the pronoun stands for, named before the refusing firms
        first = mentions[0] if mentions else None
        if first and first.kind != "body" and first.end <= trig.start and first.code not in own | {None}:
            codes.append(first.code)
    if trig.measure_type in ("export_restriction", "import_restriction") and not set(codes) - own:
        # a named firm the halted trade is with, or whose goods it stops ("stop buying crude from Rosneft",
        # "halted shipments to Huawei", "ban sales of Kaspersky Lab's software"): its home is the counterparty
        codes += [
            code
            for at, _, code in find_companies(sentence)
            if trig.start <= at < end and _COUNTERPARTY_BEFORE.search(sentence, max(0, at - 12), at)
        ]
    if trig.rule == "xc.revoke_licence":
        # a named firm that may no longer be supplied ("revoked licences that let Intel supply Huawei"); a
        # licence now needed to sell to a listed firm stays the listing's consequence
        codes += [
            code
            for at, _, code in find_companies(sentence)
            if trig.start <= at < end and _SUPPLIED_BEFORE.search(sentence, max(0, at - 24), at)
        ]
    if trig.measure_type == "entity_listing":
        codes += [code for _, _, code in find_companies(sentence)]
        if _PASSIVE_LISTING.search(sentence[max(0, trig.start - 20) : trig.start + 12]):
            # "Two U.S. drone makers were added to China's list": the listed firms' country
            codes += [m.code for m in mentions if m.end <= trig.start and m.code and m.kind != "body"]
    if not set(codes) - own and trig.measure_type in _SECONDARY:
        codes += supported  # "secondary sanctions on foreign banks helping Russia": no other target named
    return sorted(set(codes) - own), "target.destinations" if destination else "target.context"


_CJK_AND = re.compile(r"[和及与與、,，\s]*")


def _owns_firms(sentence: str, mentions: list[Mention], m: Mention, firm_end: int) -> bool:
    """Whether the firms named after a place are its own: no other place stands between them, unless it is
    joined to the first by "and" ("对大陆和香港的十九个实体": firms of both)."""
    prev_end = m.end
    for o in mentions:
        if o.kind == "body" or o.start < m.end or o.end > firm_end:
            continue
        if not _CJK_AND.fullmatch(sentence, prev_end, o.start):
            return False
        prev_end = o.end
    return True


_ANY_COMMA = re.compile("[,，；;]")


_NEW_SUBJECT = re.compile(
    r"\s+(?:will|would|has|have|had|is|was|said|says|also|then|later|could|can|shall|plans?|announced|imposed|"
    r"responded)\b"
)
_JOINED_BEFORE = re.compile(r"\b(?:and|but|while|whereas|as)\s+(?:the\s+)?$")


def objects_of(sentence: str, mentions: list[Mention], trig: Trigger) -> frozenset[int]:
    """Starts of the places a trigger takes as its object: those after it, before the next comma, and any
    place or body inside it ("Blocking Sudanese Government Property and Prohibiting Transactions ...")."""
    comma = _ANY_COMMA.search(sentence, trig.end)
    stop = comma.start() if comma else len(sentence)
    for m in mentions:
        if trig.end <= m.start < stop and _NEW_SUBJECT.match(sentence, m.end) and _JOINED_BEFORE.search(
            sentence, max(0, m.start - 10), m.start
        ):
            # "... to 30% and Beijing will cut its levies": a place opening a clause of its own is its subject
            stop = m.start
            break
    return frozenset(
        m.start
        for m in mentions
        if (trig.end <= m.start < stop and m.kind != "body") or trig.start <= m.start < trig.end
    )
