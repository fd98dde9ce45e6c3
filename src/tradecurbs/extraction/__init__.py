"""Rule-based extraction of trade-restriction events from news and official texts.

``extract_document(doc)`` returns one dict per event the document states; ``explain_document(doc)``
shows, sentence by sentence, the triggers seen and why each was kept or rejected; ``extract_jsonl``
runs the extractor over a JSONL file of documents (the ``tradecurbs extract`` command);
``parallel.extract_many`` runs it over many documents in several processes.
"""

from __future__ import annotations

from typing import Any

from tradecurbs.extraction.extractor import EXTRACTOR_VERSION, run
from tradecurbs.extraction.jsonio import extract_jsonl

__all__ = ["EXTRACTOR_VERSION", "explain_document", "extract_document", "extract_jsonl"]


def extract_document(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The events stated in one document (see schemas/mentions.yml for the fields)."""
    return run(doc, explain=False)[0]


def explain_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Per-sentence trace of the extraction: triggers, kept or rejected with the reason, field rules."""
    mentions, trace = run(doc)
    return {
        "doc_id": doc.get("id"),
        "extractor_version": EXTRACTOR_VERSION,
        "sentences": trace,
        "mentions": mentions,
    }
