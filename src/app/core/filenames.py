"""User-supplied file names: cleaned once at upload, emitted safely in headers (RFC 6266 / RFC 8187)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\"<>|:*?]+')


def display_filename(name: str, *, max_length: int = 255) -> str:
    """The name we keep and show: no directories, control characters (CR/LF, NUL), quotes or
    shell-special characters; Unicode letters stay (`报告.png` is a fine name)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    return cleaned[:max_length] or "file"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''…` — the header is always plain ASCII."""
    clean = display_filename(name)
    ascii_fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\%' else "_" for c in clean) or "file"
    header = f'{disposition}; filename="{ascii_fallback}"'
    if ascii_fallback != clean:
        header += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return header
