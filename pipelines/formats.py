"""Documents as they are published: the text of an HTML page or a PDF, and what their markup states.

Belongs here: telling a file's format from its bytes (a .pdf that is not a PDF, a .html that is not
a web page), the main text of an HTML page (``trafilatura``: navigation, menus and footers left
out; paragraphs, list items and table rows one per line), its charset, and the title, date and
publisher its meta tags state; the text layer of a PDF page by page (``pdfminer.six`` layout
analysis: columns kept apart, table rows as lines), the boundary put between its pages (the slide
break the extractors already know) and where each page starts; the ``page`` of an offset; refusing
what cannot be read (encrypted, no text layer, no main text) with a ``FormatError`` saying why.
Does not belong here: reading files, text encodings of plain text, the metadata a text's header
states (``pipelines.documents``, ``pipelines.document_header``), extracting facts.

Determinism: the same bytes with the same library versions give the same text (the libraries are
pinned in requirements.lock, and every option that changes the output is set here, not left to a
default). A PDF's /CreationDate is when the file was made, not when the document was published:
it is never read as the document's date.
"""

from __future__ import annotations

import bisect
import codecs
import io
import logging
import re
from dataclasses import dataclass
from importlib.metadata import version

import lxml.html
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTContainer, LTText, LTTextBox
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

# pdfminer warns about every oddity of a PDF it reads anyway (colour spaces, missing CropBox...): not the
# user's business; what stops a document is a FormatError.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
# The libraries that make a document's text: another version may give another text (see library_versions).
TEXT_LIBRARIES = ("trafilatura", "jusText", "lxml", "lxml_html_clean", "pdfminer.six")
# A slide break as ``pipelines.extract.base.SEGMENT_BREAK`` knows it: three blank lines.
PAGE_BREAK = "\n\n\n\n"
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WITHIN = 1024  # the PDF specification lets a header start anywhere in the first 1024 bytes
HTML_SNIFF_BYTES = 4096
HTML_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body|title|meta|p|div|article|main|h1|table)[\s>/]", re.I)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
OTHER_FORMATS = {  # what a file claiming to be a web page may really be
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\xd0\xcf\x11\xe0": "an MS Office (OLE) file",
}
# Meta tags that state a page's title, date and publisher, most trusted first.
TITLE_META = ("og:title", "citation_title", "dc.title", "twitter:title")
DATE_META = (
    "article:published_time",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dc.date",
    "date",
    "pubdate",
)
PUBLISHER_META = ("og:site_name", "citation_publisher", "dc.publisher", "publisher")
# What pdfminer writes for a glyph its font maps to no character: a text layer made of these is unreadable.
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
META_DATE = re.compile(r"^\s*((?:19|20)\d{2})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:$|[T\s])")


class FormatError(ValueError):
    """A file whose format cannot be read as a document; the message says why (not which file)."""


@dataclass(frozen=True)
class Converted:
    """A document's text as extracted from its format, and what its markup states (None if nothing)."""

    text: str
    encoding: str  # the charset of a web page; "pdf" for a PDF
    page_starts: tuple[int, ...] = ()  # offset in text where each page starts (PDF only)
    title: str | None = None
    published: str | None = None
    publisher: str | None = None


def is_converted(suffix: str) -> bool:
    """Whether a file with this suffix is read through a format (HTML, PDF), not decoded as plain text."""
    return suffix.lower() in HTML_SUFFIXES + PDF_SUFFIXES


def convert(data: bytes, suffix: str) -> Converted:
    """The text and stated metadata of an HTML page or a PDF (by its suffix); FormatError if unreadable."""
    if suffix.lower() in PDF_SUFFIXES:
        return pdf_document(data)
    return html_document(data)


def library_versions() -> str:
    """The versions of TEXT_LIBRARIES: part of the extractor version, so that upgrading one of them
    extracts every document again (its text, and with it every offset, may change)."""
    return " ".join(f"{name}=={version(name)}" for name in TEXT_LIBRARIES)


def page_of(page_starts: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The 1-based page holding text offset ``offset``; None for a document without pages."""
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, offset))


# --- HTML -----------------------------------------------------------------------------------------


def _other_format(data: bytes) -> str | None:
    head = data[:16].lstrip()
    return next((kind for magic, kind in OTHER_FORMATS.items() if head.startswith(magic)), None)


def decode_html(data: bytes) -> tuple[str, str]:
    """(markup, charset): a BOM, else the charset a <meta> tag declares, else UTF-8, else CP932."""
    for bom, charset in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            candidates = [charset]
            break
    else:
        declared = META_CHARSET.search(data[:HTML_SNIFF_BYTES])
        candidates = ["utf-8", "cp932"]
        if declared:
            try:
                name = codecs.lookup(declared.group(1).decode("ascii")).name
            except LookupError:
                raise FormatError(
                    f"the page declares an unknown charset {declared.group(1).decode('ascii')!r}"
                ) from None
            # Browsers read Shift_JIS as its superset CP932 (Windows-31J); so do we.
            candidates = ["cp932" if name in ("shift_jis", "cp932", "ms932") else name]
    for charset in candidates:
        try:
            return data.decode(charset), charset
        except UnicodeDecodeError:
            continue
    raise FormatError(f"cannot decode the page as {' or '.join(candidates)}")


def html_document(data: bytes) -> Converted:
    """The main text of a web page, one paragraph, list item or table row per line (blank lines
    between them), with the title, date and publisher its meta tags state (else its <h1>/<title>
    for the title)."""
    if kind := _other_format(data):
        raise FormatError(f"not an HTML page: the file is {kind}")
    markup, charset = decode_html(data)
    if not HTML_TAG.search(markup[:HTML_SNIFF_BYTES]):
        raise FormatError("not an HTML page: no HTML tags in its first 4 KB (save it with a .txt name if it is text)")
    text = _main_text(markup)
    if not text:
        raise FormatError("no main text found in the page (only navigation, or a page that needs JavaScript)")
    meta, h1, title_tag = _stated_in_markup(markup)
    return Converted(
        text=text,
        encoding=charset,
        title=_first(meta, TITLE_META) or h1 or title_tag,
        published=next((d for d in (_meta_date(meta.get(k)) for k in DATE_META) if d), None),
        publisher=_first(meta, PUBLISHER_META),
    )


def _main_text(markup: str) -> str:
    import trafilatura  # imported on first use (0.2 s): a process reading only text documents does not pay it

    text = trafilatura.extract(
        markup,
        output_format="txt",
        fast=False,  # the fallback extractors too: deterministic, and better on short pages
        favor_precision=True,  # leave out what may be boilerplate rather than keep it
        favor_recall=False,
        include_comments=False,
        include_tables=True,  # a table row is a line: '| 防災 | 1,000万米ドル |'
        include_images=False,
        include_formatting=False,
        include_links=False,
        deduplicate=False,  # a cache shared across calls would make the text depend on what was read before
        with_metadata=False,
        target_language=None,
    )
    # One block (paragraph, heading, list item, table row) per line, as trafilatura lays them out, and a
    # blank line between blocks, as between a PDF's text boxes: each block is a statement of its own.
    return "\n\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _stated_in_markup(markup: str) -> tuple[dict[str, str], str | None, str | None]:
    """(meta name or property -> content, first <h1>, <title>), each whitespace-normalised."""
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # lxml refuses some markup it cannot parse: the page then states nothing
        return {}, None, None
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = _clean(el.get("content"))
        if key and value and key not in meta:
            meta[key] = value
    h1 = next((t for el in tree.iter("h1") if (t := _clean(el.text_content()))), None)
    title = next((t for el in tree.iter("title") if (t := _clean(el.text_content()))), None)
    return meta, h1, title


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


def _meta_date(value: str | None) -> str | None:
    """A meta tag's date at the precision it states (2031-05-14T10:00+09:00 -> 2031-05-14)."""
    if not value or not (m := META_DATE.match(value)):
        return None
    y, mo, d = m.groups()
    if mo and not 1 <= int(mo) <= 12 or d and not 1 <= int(d) <= 31:
        return None
    return "-".join([y, *(f"{int(p):02d}" for p in (mo, d) if p)])


# --- PDF ------------------------------------------------------------------------------------------


def pdf_document(data: bytes) -> Converted:
    """The text layer of a PDF, page by page with lines as laid out, pages separated by PAGE_BREAK;
    its title from the /Title it states (else None: the header of its text is read by the caller)."""
    if PDF_MAGIC not in data[:PDF_MAGIC_WITHIN]:
        head = data[:HTML_SNIFF_BYTES].decode("latin-1")  # any bytes: only ASCII tags are looked for
        kind = _other_format(data) or ("an HTML page" if HTML_TAG.search(head) else None)
        raise FormatError(f"not a PDF: the file is {kind}" if kind else "not a PDF: no %PDF- header")
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        pages = _page_texts(document)
    except PDFPasswordIncorrect:
        raise FormatError("encrypted PDF: it needs a password to open (save an unencrypted copy)") from None
    except PDFEncryptionError as err:
        raise FormatError(f"encrypted PDF: cannot decrypt it ({err})") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise FormatError(f"not a readable PDF ({type(err).__name__}: {err})") from None
    if not any(p.strip() for p in pages):
        raise FormatError(f"no text layer: OCR is not supported ({len(pages)} pages, all images or drawings)")
    if _mostly_unmapped(pages):
        raise FormatError(
            "no usable text layer: its fonts map most glyphs to no character ((cid:N) codes); OCR is not supported"
        )
    starts, at = [], 0
    for page in pages:
        starts.append(at)
        at += len(page) + len(PAGE_BREAK)
    return Converted(text=PAGE_BREAK.join(pages), encoding="pdf", page_starts=tuple(starts), title=_pdf_title(document))


def _page_texts(document: PDFDocument) -> list[str]:
    """Each page's text as pdfminer lays it out: each text box's lines, a blank line between boxes.
    One resource manager for the document: its fonts are read once, not once a page."""
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    texts = []
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        texts.append(_layout_text(device.get_result()).strip())
    return texts


def _mostly_unmapped(pages: list[str]) -> bool:
    """Whether most of the text (not counting spaces) is glyph codes pdfminer could not map to characters."""
    unmapped = sum(len(code) for page in pages for code in UNMAPPED_GLYPH.findall(page))
    return unmapped * 2 > sum(len("".join(page.split())) for page in pages)


def _layout_text(item) -> str:
    if isinstance(item, LTTextBox):
        return item.get_text() + "\n"
    if isinstance(item, LTContainer):
        return "".join(_layout_text(child) for child in item)
    if isinstance(item, LTText):
        return item.get_text()
    return ""


def _pdf_title(document) -> str | None:
    for info in document.info:
        value = resolve1(info.get("Title"))
        if isinstance(value, bytes):
            value = decode_text(value)
        title = _clean(value) if isinstance(value, str) else None
        if title and title.lower() not in ("untitled", "unknown", "none"):
            return title
    return None
