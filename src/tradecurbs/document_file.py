"""Read one document (the input of ``tradecurbs explain``) from a JSON file, with errors a user can act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tradecurbs.usererrors import UserError

EXPECTED = "one document as a JSON object with id, url, title, text and published"


def read_document(path: Path) -> dict[str, Any]:
    """The document in ``path``; UserError when the file is missing, not JSON, or not one document."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"no such file: {path}; explain takes {EXPECTED}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text; explain takes {EXPECTED}") from None
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno}"
        raise UserError(f"{path} is not JSON ({where}); explain takes {EXPECTED}") from None
    if not isinstance(document, dict):
        kind = "list" if isinstance(document, list) else type(document).__name__
        raise UserError(f"{path} holds a JSON {kind}; explain takes {EXPECTED}")
    if not isinstance(document.get("text"), str):
        raise UserError(f"{path} has no text field; explain takes {EXPECTED}")
    return document
