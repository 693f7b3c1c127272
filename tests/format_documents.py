"""One small document rendered as a plain text, as a web page and as a PDF, for tests and the benchmark.

Belongs here: the invented documents (a fictional ministerial meeting, in Japanese and in English)
and their renderings: ``as_txt`` (the text as a hand conversion would lay it out), ``as_html`` (a page
with a site header, navigation, breadcrumb, side links and footer around the article) and ``as_pdf``
(with reportlab: one page per ``pages`` item, Japanese set in the built-in CID fonts), and the bad
files a user may drop into raw/ (an encrypted PDF, a scan without a text layer, a page without main
text, ``FORMAT_BAD_INPUTS``). Does not belong here: assertions (the tests), the pipeline's code.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Table

JA_HEADING, JA_BODY = "HeiseiKakuGo-W5", "HeiseiMin-W3"  # reportlab's built-in Japanese CID fonts
for _font in (JA_HEADING, JA_BODY):
    pdfmetrics.registerFont(UnicodeCIDFont(_font))


@dataclass(frozen=True)
class Doc:
    """A document as its author wrote it: a title, a dateline, a publisher, and its pages of lines."""

    language: str
    title: str
    dateline: str
    publisher: str
    pages: tuple[tuple[str, ...], ...]
    table: tuple[tuple[str, str], ...] = ()  # a two-column table closing the last page

    @property
    def lines(self) -> list[str]:
        return [line for page in self.pages for line in page]


JA_MEETING = Doc(
    language="ja",
    title="第3回日ASEAN架空閣僚会合の結果",
    dateline="2031年5月14日",
    publisher="架空外務省",
    pages=(
        ("2031年5月14日、ビエンチャンで第3回日ASEAN架空閣僚会合が開催された。",),
        (
            "日本はASEAN架空基金に約2,500万米ドルを拠出することを表明した。",
            "会合には120人が参加した。",
        ),
    ),
    table=(("分野", "金額"), ("防災", "架空防災計画"), ("保健", "架空保健計画")),
)
EN_MEETING = Doc(
    language="en",
    title="Outcome of the Third Japan-ASEAN Fictional Ministers' Meeting",
    dateline="14 May 2031",
    publisher="Fictional Ministry of Foreign Affairs",
    pages=(
        ("On 14 May 2031, the third Japan-ASEAN Fictional Ministers' Meeting was held in Vientiane.",),
        (
            "Japan pledged about US$25 million to the ASEAN Fictional Fund.",
            "Some 120 officials took part in the meeting.",
        ),
    ),
    table=(("Area", "Plan"), ("Disaster management", "Fictional resilience plan"), ("Health", "Fictional care plan")),
)
MEETINGS = {"ja": JA_MEETING, "en": EN_MEETING}


def as_txt(doc: Doc) -> bytes:
    """The text as a hand conversion lays it out: a line per paragraph, blank lines between them."""
    rows = [" ".join(row) for row in doc.table]
    return ("\n\n".join([doc.title, doc.dateline, doc.publisher, *doc.lines, *rows]) + "\n").encode("utf-8")


def as_html(doc: Doc, charset: str = "utf-8", published_meta: str | None = None) -> bytes:
    """A web page: the site's header and navigation, a breadcrumb, the article, side links and a footer;
    with ``published_meta``, an article:published_time meta tag holding it."""
    e = html.escape
    nav = (
        ("ホーム", "会見・発表", "外交政策", "国・地域")
        if doc.language == "ja"
        else ("Home", "Press", "Policy", "Regions")
    )
    links = "".join(f'<li><a href="/s{i}">{e(item)}</a></li>' for i, item in enumerate(nav))
    paragraphs = "".join(f"<p>{e(line)}</p>\n" for line in doc.lines)
    table = "".join(
        "<tr>" + "".join(f"<{'th' if i == 0 else 'td'}>{e(c)}</{'th' if i == 0 else 'td'}>" for c in row) + "</tr>"
        for i, row in enumerate(doc.table)
    )
    date_meta = f'\n<meta property="article:published_time" content="{published_meta}">' if published_meta else ""
    page = f"""<!DOCTYPE html>
<html lang="{doc.language}"><head><meta charset="{charset}">
<title>{e(doc.title)} | {e(doc.publisher)}</title>
<meta property="og:site_name" content="{e(doc.publisher)}">{date_meta}
<script>var banner = "2099-01-01";</script><style>nav li {{ display: inline }}</style>
</head><body>
<header><a class="logo" href="/">{e(doc.publisher)}</a>
<nav><ul>{links}</ul></nav>
<div class="breadcrumb"><a href="/">Top</a> &gt; <a href="/press">Press</a></div></header>
<main><article>
<h1>{e(doc.title)}</h1>
<p class="date">{e(doc.dateline)}</p>
{paragraphs}<table>{table}</table>
</article>
<aside><h3>Related</h3><ul><li><a href="/asean">ASEAN</a></li><li><a href="/faq">FAQ</a></li></ul></aside></main>
<footer><ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/sitemap">Sitemap</a></li></ul>
<p>Copyright &copy; 2031 {e(doc.publisher)}. All rights reserved.</p></footer>
</body></html>
"""
    return page.encode(charset)


def as_pdf(doc: Doc, title_metadata: bool = True) -> bytes:
    """A slide deck, one slide per page: the title and dateline on the first, the table on the last,
    each paragraph a line, a page number in the corner. Byte for byte the same on every call."""
    heading, body = (JA_HEADING, JA_BODY) if doc.language == "ja" else ("Helvetica-Bold", "Helvetica")
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=landscape(A4), invariant=1)  # invariant: no clock in the file
    if title_metadata:
        c.setTitle(doc.title)
    width, height = landscape(A4)
    for number, lines in enumerate(doc.pages, 1):
        y = height - 60
        if number == 1:
            c.setFont(heading, 20)
            c.drawString(40, y, doc.title)
            c.setFont(body, 14)
            c.drawString(40, y - 30, doc.dateline)
            c.drawString(40, y - 50, doc.publisher)
            y -= 100
        c.setFont(body, 14)
        for line in lines:
            c.drawString(40, y, line)
            y -= 30
        if number == len(doc.pages) and doc.table:
            table = Table([list(r) for r in doc.table], style=[("FONT", (0, 0), (-1, -1), body, 12)])
            _, table_height = table.wrapOn(c, width, height)
            table.drawOn(c, 40, y - 20 - table_height)
        c.setFont(body, 10)
        c.drawString(width - 40, 20, str(number))
        c.showPage()
    c.save()
    return out.getvalue()


# --- Bad files --------------------------------------------------------------------------------------


def encrypted_pdf(doc: Doc = EN_MEETING) -> bytes:
    """A PDF that opens only with its password."""
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1, encrypt="open-sesame")
    c.setFont("Helvetica", 14)
    c.drawString(40, 700, doc.lines[0])
    c.save()
    return out.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """A scan: pages of shapes (standing in for page images), no text layer at all."""
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    for _ in range(pages):
        c.rect(40, 400, 500, 300, fill=1)
        c.line(40, 380, 540, 380)
        c.showPage()
    c.save()
    return out.getvalue()


def page_without_main_text() -> bytes:
    """A page that is all site furniture: navigation, a search box and a footer."""
    return b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fictional Ministry</title></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/press">Press</a></li>
<li><a href="/policy">Policy</a></li></ul></nav><form><input name="q"><button>Search</button></form></header>
<main><div id="app"></div><script>render("app")</script></main>
<footer><a href="/privacy">Privacy policy</a> | <a href="/sitemap">Sitemap</a></footer></body></html>
"""


# case: ({file name: its bytes}, what the error line must say), as ``test_bad_input.BAD_INPUTS`` has them.
FORMAT_BAD_INPUTS = {
    "encrypted-pdf": ({"briefing.pdf": encrypted_pdf()}, ["briefing.pdf", "encrypted PDF", "password"]),
    "scanned-pdf": ({"scan.pdf": scanned_pdf()}, ["scan.pdf", "no text layer: OCR is not supported"]),
    "html-named-pdf": ({"slides.pdf": as_html(EN_MEETING)}, ["slides.pdf", "not a PDF", "HTML page"]),
    "pdf-named-html": ({"press.html": as_pdf(EN_MEETING)}, ["press.html", "not an HTML page", "PDF"]),
    "text-named-html": ({"notes.htm": as_txt(EN_MEETING)}, ["notes.htm", "not an HTML page", "no HTML tags"]),
    "html-without-main-text": ({"portal.html": page_without_main_text()}, ["portal.html", "no main text"]),
}
