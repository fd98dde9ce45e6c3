"""tradecurbs: an open, dated, sourced dataset of trade-restriction events."""

__version__ = "0.1.0"
