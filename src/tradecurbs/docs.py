"""Keep README's column docs in step with schemas/: ``python -m tradecurbs.docs`` rewrites them."""

from __future__ import annotations

import sys
from pathlib import Path

from tradecurbs.contracts import column_docs_markdown

BEGIN = "<!-- tables:begin (generated from schemas/ by `python -m tradecurbs.docs`) -->"
END = "<!-- tables:end -->"


def render_readme(text: str) -> str:
    """README text with the generated block between the markers replaced."""
    head, found, rest = text.partition(BEGIN)
    if not found or END not in rest:
        raise ValueError("README has no generated tables block (markers missing)")
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{column_docs_markdown()}\n{END}{tail}"


def main(path: str = "README.md") -> None:
    readme = Path(path)
    readme.write_text(render_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
