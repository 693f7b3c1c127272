"""Raw documents: finding them in raw/, decoding their bytes, and reading the metadata they state.

Belongs here: which files count as documents, encodings (UTF-8 with or without BOM, UTF-16 with
BOM, Shift_JIS/CP932), refusing empty, binary, undecodable or oversized files with a clear
error, and the document-level metadata (title, language, publisher, date) as the text states it.
Does not belong here: extracting facts (see ``pipelines.extract``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipelines.normalize import JP_DATE, MONTH_NAME, fold_text, parse_english_date, parse_japanese_date

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt", ".md")
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # documented in the README: larger files are refused
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class DocumentError(ValueError):
    """A raw document that cannot be read as text. The message names the file and the reason."""


@dataclass(frozen=True)
class Document:
    document_id: str
    file_name: str
    text: str
    sha256: str
    encoding: str
    title: str | None
    language: str
    publisher: str | None
    published: str | None

    @property
    def n_chars(self) -> int:
        return len(self.text)


def document_id_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")


def list_document_paths(raw_dir: Path) -> list[Path]:
    """Regular files directly in raw/; symlinks, hidden files and folders are skipped with a warning."""
    paths = []
    for p in sorted(Path(raw_dir).iterdir()):
        if p.name.startswith("."):
            log.warning("ignoring hidden file in raw/: %s", p.name)
        elif p.is_symlink():
            log.warning("ignoring symlink in raw/: %s", p.name)
        elif p.is_dir():
            log.warning("ignoring folder in raw/: %s", p.name)
        elif p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES:
            paths.append(p)
        else:
            log.warning("ignoring %s in raw/: not a .txt or .md document", p.name)
    return paths


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode raw bytes; returns (text, encoding). Raises DocumentError with the file and reason."""
    if not data.strip():
        raise DocumentError(f"{name}: empty document")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if data.startswith(BINARY_MAGIC) or b"\x00" in data[:4096]:
            raise DocumentError(f"{name}: binary content (not a text document)")
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise DocumentError(f"{name}: binary content (control characters in decoded text)")
        return text, encoding
    raise DocumentError(f"{name}: cannot decode as {' or '.join(candidates)}")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
    return controls > max(2, len(sample) // 200)


def read_document(path: Path) -> Document:
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{path.name}: {size} bytes is above the limit of {MAX_DOCUMENT_BYTES} bytes")
    data = path.read_bytes()
    text, encoding = decode_bytes(data, path.name)
    meta = document_metadata(text)
    return Document(document_id=document_id_for(path), file_name=path.name, text=text,
                    sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, **meta)


# --- Metadata as the document states it -----------------------------------------------------------

_PUBLISHER_LINE = re.compile(r"^(?:[^\s\d].{0,30}(?:省|庁|局|代表部|機構)|Ministry of [A-Za-z ,]+)$")
_JP_DATE_LINE = re.compile(r"^" + JP_DATE + r"$")
_EN_DATE_LINE = re.compile(r"^(?:\d{1,2}\s+)?" + MONTH_NAME + r"(?:\s+\d{1,2},)?\s+\d{4}$")
_AS_OF = re.compile(r"^As of\s+(.+)$|^(.+?)(?:時点|現在)$")
HEAD_CHARS = 1200  # a date/publisher pair further in belongs to one slide, not to the document


def detect_language(text: str) -> str:
    sample = text[:5000]
    japanese = sum(1 for c in sample if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in sample if c.isascii() and c.isalpha())
    return "ja" if japanese * 3 > latin else "en"


def _parse_date_line(line: str) -> str | None:
    s = re.sub(r"\s+", "", line) if _JP_DATE_LINE.match(re.sub(r"\s+", "", line)) else line
    try:
        if _JP_DATE_LINE.match(s):
            return parse_japanese_date(s)
        if _EN_DATE_LINE.match(line):
            return parse_english_date(line)
    except ValueError:
        return None
    return None


def document_metadata(text: str) -> dict:
    """Title, language, publisher and date, only as the document states them (else None)."""
    folded = fold_text(text)
    lines = [ln.strip() for ln in folded.splitlines()]
    nonempty = [ln for ln in lines if ln]
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    # A first line of a few characters is a section label (背景, 論点), not a title.
    title = first_line if first_line and len(first_line) > 6 else None
    publisher = published = None
    head = [ln for ln in folded[:HEAD_CHARS].splitlines()]
    head = [ln.strip() for ln in head if ln.strip()]
    for i, ln in enumerate(head):
        compact = re.sub(r"\s+", "", ln) if re.search(r"[\u3040-\u9fff]", ln) else ln
        if _PUBLISHER_LINE.match(compact):
            neighbours = [head[j] for j in (i - 1, i + 1) if 0 <= j < len(head)]
            dates = [d for d in map(_parse_date_line, neighbours) if d]
            if dates:
                publisher, published = compact, dates[0]
                break
    if published is None:
        for ln in nonempty:
            if m := _AS_OF.match(ln):
                published = _parse_date_line((m.group(1) or m.group(2)).strip())
                if published:
                    break
    return {"title": title, "language": detect_language(text), "publisher": publisher, "published": published}
