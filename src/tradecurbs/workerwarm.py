"""Imported by the worker server (``tradecurbs.workerpool``) before it forks any worker: the page parsers
and the extraction lexicons, loaded and compiled once, so that every worker forked from it has them."""

from tradecurbs.extraction.extractor import prepare
from tradecurbs.sources.pageparse import warm_up

prepare()
warm_up()
