"""Decode HTML bytes: byte-order mark, then HTTP charset, then <meta charset>, then detection."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# labels that browsers read as a wider superset (WHATWG Encoding Standard)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    name = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        info = codecs.lookup(name.strip().lower())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # zlib, base64, rot13...: bytes-to-bytes codecs
        return None
    canonical = info.name
    return _SUPERSETS.get(canonical, _SUPERSETS.get(name.strip().lower(), canonical))


def http_charset(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header, if any (and known)."""
    match = _HTTP_CHARSET.search(content_type or "")
    return _codec(match.group(1)) if match else None


def decode_html(content: bytes, content_type: str | None = None) -> str:
    """The text of an HTML page, decoded with the charset it declares (or one detected)."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name, errors="replace")
    candidates = [http_charset(content_type)]
    match = _META_CHARSET.search(content[:4096])
    candidates.append(_codec(match.group(1)) if match else None)
    for name in candidates:
        if name:
            try:
                return content.decode(name)
            except UnicodeDecodeError:
                continue  # a wrong declaration: try the next clue
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # a dependency of trafilatura

    best = from_bytes(content, preemptive_behaviour=False).best()  # declarations were tried above
    return str(best) if best is not None else content.decode("utf-8", errors="replace")
