"""``tradecurbs extract``: a JSONL of documents to a JSONL of events, in one or several processes.

With one worker the documents stream through ``extraction.jsonio.extract_jsonl``; with more, they are
read at once and extracted by ``extraction.parallel.extract_many``, which returns each document's
events in input order: the output file is the same byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path


def extract_file(input_path: Path, output_path: Path, workers: int = 1) -> int:
    """Extract every document of ``input_path`` into ``output_path``; returns the number of events."""
    from tradecurbs.extraction.jsonio import extract_jsonl, to_record
    from tradecurbs.extraction.parallel import extract_many

    if workers <= 1:
        return extract_jsonl(input_path, output_path)
    with open(input_path, encoding="utf-8") as src:
        docs = [json.loads(line) for line in src if line.strip()]
    count = 0
    with open(output_path, "w", encoding="utf-8") as dst:
        for events in extract_many(docs, workers=workers):
            for event in events:
                dst.write(json.dumps(to_record(event), ensure_ascii=False) + "\n")
                count += 1
    return count
