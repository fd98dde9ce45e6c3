"""Ordinary news prose: titles and paragraphs on markets, companies, ports, weather, sport and culture.

The sentences are built from slots filled at random, and their wording avoids every phrase that
states a trade measure, so that pages made of them carry no event.
"""

from __future__ import annotations

import random

from benchmarks.corpus import vocab

TOPICS: dict[str, tuple[str, ...]] = {
    "markets": (
        "Shares in {city} closed {updown} {pct1}% on {weekday} as investors weighed fresh data on "
        "factory output.",
        "The benchmark index has {gained} {pct2}% so far this year, led by {sector} stocks.",
        "Bond yields edged {updown2} after a weaker than expected reading on consumer confidence.",
        "Analysts at {company} said the rally could run further if wage growth keeps cooling.",
        "Trading volumes were thin ahead of a long weekend in several markets.",
        "The currency slipped against the dollar for a third straight session, to its weakest in "
        "{months} months.",
        "{name}, a strategist at {company}, said investors were watching quarterly earnings closely.",
        "Copper prices {gained} {pct1}% in London, while gold held near its recent record.",
    ),
    "companies": (
        "{company} reported quarterly revenue of {money} billion, {beat} analyst forecasts.",
        "The group said it would open {count} new sites in {city} over the next two years.",
        "Its chief executive, {name}, told reporters the company was hiring engineers at a steady pace.",
        "{company} plans to spend {money} billion on new equipment and software by {year}.",
        "Margins improved as freight and energy costs eased from last year's peaks.",
        "The board proposed a dividend of {cents} cents a share, in line with the previous year.",
        "Staff at the {city} plant will move to a four-shift pattern from the autumn, the company said.",
        "{company} shares rose {pct1}% in early trading after the results.",
    ),
    "ports": (
        "Container volumes at the port of {city} rose {pct2}% in {month} compared with a year earlier.",
        "Freight rates on the route between Asia and northern Europe eased for a {ordinal} week.",
        "Port officials in {city} said a new berth would be ready by the end of {year}.",
        "{name}, who runs a forwarding firm in {city}, said bookings had picked up since spring.",
        "Shipping lines added capacity on transpacific routes as demand for consumer goods recovered.",
        "Dock workers and employers in {city} reached a wage agreement after two weeks of talks.",
        "Average waiting times for vessels fell to under {count} hours, the lowest since records began.",
    ),
    "weather": (
        "Heavy rain is expected across the coast of {country} over the weekend, forecasters said.",
        "Temperatures in {city} reached {temp} degrees Celsius on {weekday}, close to the record "
        "for {month}.",
        "Farmers said the late frost had damaged part of the apple crop in the north.",
        "The national weather service advised drivers to take care on mountain roads.",
        "A dry spring has left reservoirs at {pct2}% of capacity, officials said.",
    ),
    "sport": (
        "{city} FC won {score} at home on {weekday}, moving up to {ordinal} place in the table.",
        "{name} set a personal best in the 800 metres at the indoor meeting in {city}.",
        "The national cycling team named {count} riders for next month's stage race.",
        "Tickets for the final in {city} sold out within an hour, organisers said.",
        "The coach praised his side's defending after a goalless first half.",
    ),
    "culture": (
        "A retrospective of the painter {name} opens at the {city} museum of modern art in {month}.",
        "The festival in {city} drew more than {count} thousand visitors over four days.",
        "{name}'s debut novel, set in a harbour town, has been shortlisted for a national prize.",
        "The orchestra will tour {count} cities next season, its director said.",
        "Restoration work on the cathedral roof in {city} is due to finish in {year}.",
    ),
    "tech": (
        "{company} released a new version of its planning software for mid-sized manufacturers.",
        "Researchers in {city} said a new battery design could charge in under {count} minutes.",
        "The start-up raised {money} million in a funding round led by {company}.",
        "Demand for data centre capacity in {city} has doubled since {year2}, a survey found.",
        "{name}, a professor of computer science, said the results needed to be repeated by other teams.",
    ),
    "economy": (
        "Inflation in {country} slowed to {pct1}% in {month}, the statistics office said.",
        "The central bank kept its main interest rate unchanged at {pct1}% on {weekday}.",
        "Retail sales grew {pct1}% from the previous month, helped by warm weather.",
        "Unemployment held at {pct1}%, close to its lowest level in a decade.",
        "Economists at {company} raised their growth forecast for {year} to {pct1}%.",
        "Business surveys pointed to a modest pick-up in new orders for manufacturers.",
        "Exports of machinery grew {pct2}% on the year, customs data showed.",
    ),
}
# Sentences that follow a report of a measure: reactions and market colour, never a measure themselves.
EVENT_CONTEXT: tuple[str, ...] = (
    "Officials said the step was taken to protect national interests.",
    "Traders in {city} said prices moved higher after the news.",
    "{name}, an analyst at {company}, said buyers would look for other suppliers.",
    "Industry groups said they were studying the details of the measure.",
    "The decision follows months of talks with trading partners, people familiar with the matter said.",
    "The foreign ministry of the country concerned called the move unjustified.",
    "Shipping agents in {city} said cargoes already at sea were unlikely to be affected.",
    '"We expect more clarity in the coming weeks," said {name}, who advises manufacturers on trade.',
    "Companies affected were given guidance on how to apply for approvals.",
    "Market reaction was muted, with most of the measure expected by investors.",
)
TITLES: dict[str, tuple[str, ...]] = {
    "markets": (
        "Stocks in {city} end {updown} as investors weigh data",
        "Bond yields drift as traders await figures",
    ),
    "companies": ("{company} beats forecasts on strong demand", "{company} to open {count} new sites"),
    "ports": ("Port of {city} handles record volumes", "Freight rates ease on Asia-Europe route"),
    "weather": ("Heavy rain forecast for the weekend", "Heat in {city} nears record for {month}"),
    "sport": ("{city} FC climb the table", "Tickets for the {city} final sell out"),
    "culture": ("{name} retrospective opens in {city}", "Festival in {city} draws record crowds"),
    "tech": ("{company} updates planning software", "Battery research in {city} promises faster charging"),
    "economy": ("Inflation in {country} slows in {month}", "Central bank holds rates steady"),
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # May is left out: the extractor reads it as a modal verb
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")
SECTORS = ("banking", "energy", "technology", "healthcare", "industrial", "retail")


class _Slots(dict):
    """Slot values drawn on first use, so a template pays only for the slots it names."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = _SLOT_MAKERS[key](self.rng)
        self[key] = value
        return value


_SLOT_MAKERS = {
    "city": lambda r: r.choice(vocab.CITIES),
    "company": lambda r: r.choice(vocab.COMPANIES),
    "name": lambda r: f"{r.choice(vocab.FIRST_NAMES)} {r.choice(vocab.LAST_NAMES)}",
    "country": lambda r: r.choice(("Canada", "Brazil", "Poland", "Chile", "Kenya", "Vietnam", "Spain")),
    "updown": lambda r: r.choice(("up", "down")),
    "updown2": lambda r: r.choice(("higher", "lower")),
    "gained": lambda r: r.choice(("gained", "lost")),
    "beat": lambda r: r.choice(("ahead of", "short of")),
    "pct1": lambda r: f"{r.uniform(0.1, 4.9):.1f}",
    "pct2": lambda r: str(r.randint(3, 40)),
    "money": lambda r: f"{r.uniform(1.1, 48.0):.1f}",
    "cents": lambda r: str(r.randint(5, 90)),
    "count": lambda r: str(r.randint(3, 30)),
    "months": lambda r: str(r.randint(2, 18)),
    "temp": lambda r: str(r.randint(28, 41)),
    "score": lambda r: f"{r.randint(1, 4)}-{r.randint(0, 2)}",
    "year": lambda r: str(r.randint(2015, 2027)),
    "year2": lambda r: str(r.randint(2012, 2020)),
    "month": lambda r: r.choice(MONTHS),
    "weekday": lambda r: r.choice(WEEKDAYS),
    "ordinal": lambda r: r.choice(ORDINALS),
    "sector": lambda r: r.choice(SECTORS),
}


def sentence(template: str, rng: random.Random) -> str:
    """One sentence from a template, slots filled at random."""
    return template.format_map(_Slots(rng))


def topic_title(topic: str, rng: random.Random) -> str:
    """A headline for an ordinary story on a topic."""
    return sentence(rng.choice(TITLES[topic]), rng)


def paragraphs(topic: str, rng: random.Random, words: int) -> list[str]:
    """Paragraphs of ordinary prose on a topic, about ``words`` words in all."""
    pool = TOPICS[topic]
    other = TOPICS[rng.choice(sorted(TOPICS))]
    out: list[str] = []
    count = 0
    while count < words:
        n = rng.randint(2, 5)
        para = " ".join(sentence(rng.choice(pool if rng.random() < 0.8 else other), rng) for _ in range(n))
        out.append(para)
        count += para.count(" ") + 1
    return out


def event_context(rng: random.Random, n: int) -> list[str]:
    """Sentences of reaction and colour that follow a report of a measure."""
    return [sentence(t, rng) for t in rng.sample(EVENT_CONTEXT, k=min(n, len(EVENT_CONTEXT)))]
