"""Names the synthetic corpus draws on: invented outlets and gazettes, real-world-like actors and goods."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outlet:
    """An invented news site: its id (for source ids), name, host, sections and layout skin."""

    id: str
    name: str
    host: str
    sections: tuple[str, ...]
    skin: str
    timezone: str


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "harbourline",
        "Harbourline Times",
        "www.harbourline.example",
        ("world", "business", "markets", "policy"),
        "hl",
        "Europe/London",
    ),
    Outlet(
        "meridian",
        "Meridian Ledger",
        "news.meridianledger.example",
        ("economy", "trade", "companies"),
        "ml",
        "America/New_York",
    ),
    Outlet(
        "cargocommodities",
        "Cargo and Commodities Daily",
        "www.cargocommodities.example",
        ("shipping", "metals", "agriculture", "energy"),
        "cc",
        "Asia/Singapore",
    ),
    Outlet(
        "northgate",
        "Northgate Business Review",
        "www.northgatereview.example",
        ("finance", "industry", "tech"),
        "nb",
        "Europe/Berlin",
    ),
    Outlet(
        "continental",
        "The Continental Post",
        "www.continentalpost.example",
        ("europe", "asia", "americas", "opinion"),
        "cp",
        "Europe/Paris",
    ),
    Outlet(
        "pacificrim",
        "Pacific Rim Wire",
        "www.pacificrimwire.example",
        ("region", "markets", "supply-chains"),
        "pr",
        "Asia/Tokyo",
    ),
)


@dataclass(frozen=True)
class Gazette:
    """An invented official notice site of one imposing jurisdiction."""

    code: str
    name: str
    host: str


GAZETTES: dict[str, Gazette] = {
    "US": Gazette("US", "Trade Notices Bulletin (United States)", "notices.us-trade-bulletin.example"),
    "CN": Gazette("CN", "Commerce Announcements Digest (China)", "notices.cn-commerce-digest.example"),
    "EU": Gazette("EU", "Union Trade Measures Register", "register.eu-trade-measures.example"),
    "JP": Gazette("JP", "Economy and Trade Notices (Japan)", "notices.jp-trade-notices.example"),
    "IN": Gazette("IN", "Foreign Trade Notifications (India)", "notices.in-foreign-trade.example"),
    "ID": Gazette("ID", "Mining and Trade Regulations (Indonesia)", "notices.id-trade-regs.example"),
    "GB": Gazette("GB", "Sanctions and Export Notices (United Kingdom)", "notices.uk-export-notices.example"),
    "RU": Gazette("RU", "Government Decrees Digest (Russia)", "notices.ru-decrees.example"),
    "TR": Gazette("TR", "Trade Ministry Circulars (Turkey)", "notices.tr-trade-circulars.example"),
    "NL": Gazette("NL", "Export Licensing Notices (Netherlands)", "notices.nl-export-licensing.example"),
    "MY": Gazette("MY", "Agriculture and Trade Notices (Malaysia)", "notices.my-agri-trade.example"),
    "AR": Gazette("AR", "Trade Resolutions (Argentina)", "notices.ar-trade-resolutions.example"),
    "CA": Gazette("CA", "Sanctions Regulations (Canada)", "notices.ca-sanctions.example"),
}


@dataclass(frozen=True)
class Country:
    """How a jurisdiction is written: name, adjective, and a capital used as a metonym."""

    code: str
    name: str
    adjective: str
    capital: str


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("US", "the United States", "American", "Washington"),
        Country("CN", "China", "Chinese", "Beijing"),
        Country("EU", "the European Union", "European", "Brussels"),
        Country("JP", "Japan", "Japanese", "Tokyo"),
        Country("IN", "India", "Indian", "New Delhi"),
        Country("ID", "Indonesia", "Indonesian", "Jakarta"),
        Country("GB", "Britain", "British", "London"),
        Country("RU", "Russia", "Russian", "Moscow"),
        Country("TR", "Turkey", "Turkish", "Ankara"),
        Country("NL", "the Netherlands", "Dutch", "The Hague"),
        Country("MY", "Malaysia", "Malaysian", "Kuala Lumpur"),
        Country("AR", "Argentina", "Argentine", "Buenos Aires"),
        Country("CA", "Canada", "Canadian", "Ottawa"),
        Country("IR", "Iran", "Iranian", "Tehran"),
        Country("BY", "Belarus", "Belarusian", "Minsk"),
        Country("KP", "North Korea", "North Korean", "Pyongyang"),
        Country("AU", "Australia", "Australian", "Canberra"),
        Country("KR", "South Korea", "South Korean", "Seoul"),
        Country("VE", "Venezuela", "Venezuelan", "Caracas"),
        Country("SY", "Syria", "Syrian", "Damascus"),
    )
}

# Bodies, by imposer: the alias a sentence uses, as the extractor's gazetteer knows it.
BODIES: dict[str, tuple[str, ...]] = {
    "US": ("the US Commerce Department", "the Bureau of Industry and Security", "the US Treasury"),
    "CN": ("China's Ministry of Commerce", "China's Commerce Ministry", "the Chinese Commerce Ministry"),
    "EU": ("the European Commission", "the Council of the EU"),
    "JP": ("Japan's trade ministry", "the Ministry of Economy, Trade and Industry"),
    "IN": ("the Directorate General of Foreign Trade", "India's government"),
    "ID": ("Indonesia's mining ministry", "the Indonesian government"),
    "GB": ("HM Treasury", "the British government"),
    "RU": ("the Russian government", "the Kremlin"),
    "TR": ("Turkey's trade ministry", "the Turkish Trade Ministry"),
    "NL": ("the Dutch government",),
    "MY": ("Malaysia's government", "the Malaysian government"),
    "AR": ("Argentina's government", "the Argentine government"),
    "CA": ("Canada's government", "the Canadian government"),
}

# Goods as sentences name them; each is a term of the extractor's product table.
CRITICAL_MINERALS = ("gallium", "germanium", "graphite", "antimony", "rare earths", "tungsten")
CHIP_GOODS = ("advanced chips", "chipmaking equipment", "lithography machines")
JP_CHIP_INPUTS = ("hydrogen fluoride", "photoresist", "fluorinated polyimide")
FOOD_EXPORTS = {
    "IN": ("non-basmati white rice", "sugar", "onions", "wheat"),
    "ID": ("nickel ore", "bauxite", "palm oil"),
    "MY": ("chicken",),
    "RU": ("wheat", "gasoline", "diesel"),
    "AR": ("beef",),
    "CN": ("fertilizer",),
    "TR": ("steel",),
}
IMPORT_BANS = {  # imposer: (target, goods)
    "CN": (("JP", ("seafood",)), ("AU", ("coal", "timber", "beef")), ("US", ("chicken", "pork"))),
    "EU": (("RU", ("steel", "coal", "crude oil", "diamonds", "gold")), ("BY", ("timber", "fertilizer"))),
    "US": (("RU", ("crude oil", "liquefied natural gas", "vodka", "diamonds")), ("IR", ("steel",))),
    "GB": (("RU", ("gold", "steel", "vodka")),),
    "JP": (("RU", ("coal", "vodka")),),
}
SANCTIONS = {  # imposer: targets
    "EU": ("RU", "BY", "IR"),
    "US": ("RU", "IR", "KP", "VE"),
    "GB": ("RU", "BY", "IR"),
    "CA": ("RU", "IR"),
    "JP": ("RU",),
    "CN": ("US",),
}
LISTED_FIRMS = {  # imposer: (list name, firms)
    "US": ("Entity List", ("Huawei", "ZTE", "SMIC", "Hikvision", "DJI", "YMTC")),
    "CN": ("unreliable entity list", ("Lockheed Martin", "Raytheon", "Skydio", "General Atomics", "PVH")),
}
REFUSERS = {  # (imposer, refusing firm, kind of service): targets
    ("CN", "Industrial and Commercial Bank of China", "payments"): ("RU",),
    ("CN", "China Construction Bank", "payments"): ("RU",),
    ("CN", "Chouzhou Commercial Bank", "payments"): ("RU", "BY"),
    ("CN", "Sinosure", "insurance"): ("RU",),
    ("TR", "Ziraat Bank", "payments"): ("RU",),
    ("TR", "Halkbank", "payments"): ("RU",),
    ("US", "Visa", "operations"): ("RU",),
    ("US", "Mastercard", "operations"): ("RU",),
}
TARIFFS = {  # imposer: (target, goods)
    "US": (("CN", ("steel", "aluminium", "electric vehicles", "solar panels", "semiconductors")),),
    "EU": (("CN", ("electric vehicles", "steel")),),
    "CN": (("US", ("corn", "pork", "crude oil")), ("AU", ("coal", "beef"))),
    "CA": (("CN", ("electric vehicles", "steel", "aluminium")),),
    "IN": (("US", ("steel", "cotton")),),
}

# People and places for ordinary news.
FIRST_NAMES = (
    "Amara",
    "Bruno",
    "Chen",
    "Dalia",
    "Erik",
    "Farah",
    "Gustavo",
    "Hana",
    "Ivan",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomoko",
    "Umar",
    "Vera",
    "Wen",
    "Yusuf",
)
LAST_NAMES = (
    "Abbott",
    "Bergstrom",
    "Castillo",
    "Dubois",
    "Eklund",
    "Fischer",
    "Gallagher",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quint",
    "Romano",
    "Sato",
    "Tanaka",
    "Underwood",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zhou",
)
CITIES = (
    "Rotterdam",
    "Singapore",
    "Hamburg",
    "Busan",
    "Santos",
    "Durban",
    "Antwerp",
    "Valencia",
    "Mumbai",
    "Jakarta",
    "Houston",
    "Vancouver",
    "Lagos",
    "Melbourne",
    "Gdansk",
    "Genoa",
    "Osaka",
    "Istanbul",
)
COMPANIES = (
    "Aldmoor Logistics",
    "Brightwater Foods",
    "Corvane Systems",
    "Deltamark Retail",
    "Eastvale Energy",
    "Fernhill Pharma",
    "Greyline Motors",
    "Halcyon Software",
    "Ironleaf Construction",
    "Juniper Airways",
    "Keswick Insurance Group",
    "Lumora Textiles",
    "Marlow Telecom",
    "Northbrook Paper",
    "Oakridge Media",
    "Pinecrest Hotels",
    "Quarry Point Cement",
    "Redwell Biotech",
    "Silverlake Appliances",
    "Tidewater Ports",
)
