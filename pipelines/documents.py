"""Raw documents: finding them in raw/, decoding their bytes, and reading the metadata they state.

Belongs here: which files count as documents, encodings (UTF-8 with or without BOM, UTF-16 with
BOM, Shift_JIS/CP932), refusing empty, binary, undecodable or oversized files with a clear
error, and the document-level metadata (title, language, publisher, date) as the text states it.
An HTML page or a PDF is read through ``pipelines.formats`` (its main text or text layer, its pages,
what its markup states); what the markup does not state is read from the text's header as for text.
The decoded text is kept exactly as decoded (CRLF stays CRLF): every offset points into it.
Does not belong here: extracting facts (see ``pipelines.extract``), or deciding what a run does
with a rejected document (``pipelines.orchestration.staleness``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

import charset_normalizer

from pipelines.document_header import read_header
from pipelines.formats import HTML_SUFFIXES, PDF_SUFFIXES, FormatError, convert, is_converted
from pipelines.normalize import FORMAT_CHARS, char_class
from pipelines.publishers import publisher_from_url

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES
# Where each file came from (``pipelines.raw_sources``): beside the documents, not one of them.
SOURCES_FILE_NAME = "sources.csv"
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # of any format; documented in the README: larger files are refused
# Signatures of files that are not text, whatever their name says.
BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive (or DOCX/XLSX)",
    b"\xd0\xcf\x11\xe0": "MS Office (OLE) file",
    b"\x7fELF": "executable",
}
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")  # checked before UTF-16: FF FE starts both
# Control characters that do not occur in text (C0 and C1, except tab, LF, CR and form feed).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# A character that is neither whitespace nor an invisible format character: some text to read.
VISIBLE = re.compile(r"[^\s" + char_class(FORMAT_CHARS)[1:])
HTML_START = re.compile(r"[\s\ufeff]*<(?:!doctype\s+html|html)\b", re.I)
# A Latin word with CJK ideographs glued to it: 'Japan痴s', 'caf鼎'.
MOJIBAKE = re.compile(r"[A-Za-z]{2,}[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+[A-Za-z]*")


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
    page_starts: tuple[int, ...] = ()  # where each page of a PDF starts in text; () for other formats

    @property
    def n_chars(self) -> int:
        return len(self.text)


def shown(name: str) -> str:
    """A file name as messages show it: quoted when it holds a line break or other control character,
    so an error about a hostile name stays on one line."""
    return name if name.isprintable() else repr(name)


def document_id_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")


def list_document_paths(raw_dir: Path) -> list[Path]:
    """Regular files directly in raw/; symlinks, hidden files and folders are skipped with a warning."""
    paths = []
    for p in sorted(Path(raw_dir).iterdir()):
        if p.name == SOURCES_FILE_NAME:
            continue
        if p.name.startswith("."):
            log.warning("ignoring hidden file in raw/: %s", shown(p.name))
        elif p.is_symlink():
            log.warning("ignoring symlink in raw/: %s", shown(p.name))
        elif p.is_dir():
            log.warning("ignoring folder in raw/: %s", shown(p.name))
        elif p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES:
            paths.append(p)
        else:
            log.warning("ignoring %s in raw/: not a %s document", shown(p.name), "/".join(DOCUMENT_SUFFIXES))
    return paths


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode raw bytes; returns (text, encoding). Raises DocumentError with the file and reason."""
    if not data or data.isspace():  # not data.strip(): that would copy a large file
        raise DocumentError(f"{name}: empty document ({len(data)} bytes, no text)")
    if data.startswith(UTF32_BOMS):
        raise DocumentError(f"{name}: UTF-32 is not supported (save it as UTF-8)")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        kind = next((k for magic, k in BINARY_MAGIC.items() if data.startswith(magic)), None)
        if kind == "PDF":  # the input-formats reader takes a PDF by its extension
            raise DocumentError(
                f"{name}: binary content (PDF, not a text document); rename it to {Path(name).stem}.pdf"
            )
        if kind:
            raise DocumentError(f"{name}: binary content ({kind}, not a text document)")
        if b"\x00" in data[:4096]:
            raise DocumentError(f"{name}: binary content (NUL bytes, not a text document)")
        candidates = ["utf-8", "cp932"]
    first_error = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            first_error = first_error or err
            continue
        if reason := _binary_reason(text):
            raise DocumentError(f"{name}: binary content ({reason} in the text decoded as {encoding})")
        # A BOM (or BOM and spaces) alone is as empty as a file of zero bytes, and so is a text of
        # ideographic spaces, no-break spaces and zero-width characters.
        if not VISIBLE.search(text):
            raise DocumentError(
                f"{name}: empty document (only whitespace or invisible characters after decoding as {encoding})"
            )
        if HTML_START.match(text):
            raise DocumentError(
                f"{name}: an HTML page saved as a text file (it starts with {text.lstrip()[:14]!r});"
                f" rename it to {Path(name).stem}.html"
            )
        if encoding == "cp932" and (glued := _latin_mojibake(text)):
            raise DocumentError(
                f"{name}: decoded as cp932 it reads {glued!r} (CJK characters glued to Latin words in a mostly"
                f" Latin text); it is likely {likely_encoding(data)}: save it as UTF-8"
            )
        return text, encoding
    where = f"; invalid byte at offset {first_error.start}" if first_error else ""
    raise DocumentError(f"{name}: cannot decode as {' or '.join(candidates)}{where}")


def _latin_mojibake(text: str) -> str | None:
    """The first Latin word with a CJK character glued inside or after it ('Japan痴s'), in a text whose
    letters are mostly Latin: what a Windows-1252 (or other Latin) file looks like decoded as CP932
    (its curly quotes and accented letters read as the lead bytes of double-byte characters)."""
    sample = text[:200_000]
    glued = MOJIBAKE.search(sample)
    if glued is None:
        return None
    latin = sum(map(len, _LATIN_RUN.findall(sample)))
    other = sum(map(len, _JAPANESE_RUN.findall(sample)))
    return glued[0] if latin > 4 * other else None


def likely_encoding(data: bytes) -> str:
    """The encoding charset-normalizer finds most likely for these bytes (or 'unknown')."""
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    return best.encoding if best is not None else "unknown"


def _binary_reason(text: str) -> str | None:
    """Why a decoded text is not text: NUL anywhere, or more control characters than a text has
    (counted over the whole text, not a sample, so a binary tail is found too)."""
    if "\x00" in text:
        return "NUL characters"
    limit = max(2, len(text) // 200)
    count = 0
    for _ in CONTROL.finditer(text):
        count += 1
        if count > limit:
            return f"more than {limit} control characters"
    return None


def read_document(path: Path) -> Document:
    """Read and decode one raw document; DocumentError names the file and why it is refused."""
    path = Path(path)
    name = shown(path.name)
    document_id = document_id_for(path)
    if not document_id:
        raise DocumentError(
            f"{name}: the file name gives an empty document id (name it with letters a-z, digits and hyphens)"
        )
    try:
        # O_NOFOLLOW: a symlink swapped in after raw/ was listed is refused, not followed;
        # O_NONBLOCK: a FIFO is refused below instead of blocking the run until someone writes.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if os.path.islink(path):
            raise DocumentError(f"{name}: is a symlink; only regular files in raw/ are read") from err
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"{name}: not a regular file")
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(f"{name}: {info.st_size} bytes is above the limit of {MAX_DOCUMENT_BYTES} bytes")
        # Read the size stat gave (a buffer sized to the limit would triple the memory of a
        # small file); a file that grows or shrinks while it is read is refused, not half read.
        data = handle.read(info.st_size)
        if len(data) != info.st_size or handle.read(1):
            raise DocumentError(f"{name}: changed while it was being read; run again once it is saved")
    page_starts: tuple[int, ...] = ()
    if is_converted(path.suffix):
        try:
            converted = convert(data, path.suffix)
        except FormatError as err:
            raise DocumentError(f"{name}: {err}") from None
        text, encoding, page_starts = converted.text, converted.encoding, converted.page_starts
        meta = document_metadata(text)
        # What the markup states comes first; the text's header fills in the rest.
        for key in ("title", "publisher", "published"):
            meta[key] = getattr(converted, key) or meta[key]
    else:
        text, encoding = decode_bytes(data, name)
        meta = document_metadata(text)
    return Document(
        document_id=document_id,
        file_name=path.name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        page_starts=page_starts,
        **meta,
    )


def text_digest(text: str) -> str:
    """SHA-256 of the decoded text: the same document saved in two encodings has the same digest."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Metadata as the document states it -----------------------------------------------------------

_JAPANESE_RUN = re.compile("[\u3040-\u30ff\u4e00-\u9fff]+")
_LATIN_RUN = re.compile("[A-Za-z]+")


def detect_language(text: str) -> str:
    sample = text[:5000]
    # Characters counted run by run: a Python loop over every character costs more than the extraction.
    japanese = sum(map(len, _JAPANESE_RUN.findall(sample)))
    latin = sum(map(len, _LATIN_RUN.findall(sample)))
    return "ja" if japanese * 3 > latin else "en"


def document_metadata(text: str) -> dict:
    """Title, language, publisher and date, only as the document states them (else None): read from
    the page's header by ``pipelines.document_header``."""
    header = read_header(text)
    return {
        "title": header.title,
        "language": detect_language(text),
        "publisher": header.publisher,
        "published": header.published,
    }


def with_site_publisher(doc: Document, url: str | None) -> Document:
    """The document with its publisher named by its URL's site where the page itself names none
    (``pipelines.publishers``): what the page states always comes first."""
    if doc.publisher is not None:
        return doc
    return replace(doc, publisher=publisher_from_url(url, doc.language))
