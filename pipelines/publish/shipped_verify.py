"""Check a downloaded release without the project: shipped in every version as ``verify.py``.

    unzip japan-asean-cooperation-<version>.zip
    python3 japan-asean-cooperation-<version>/verify.py      (or: cd into the folder, python3 verify.py)

Checks every file of the version folder against SHA256SUMS (a changed, missing or unlisted file
fails), and every row of every table with provenance (the tables whose columns include document_id,
char_start, char_end and quote, read from datapackage.json): its quote must equal
sources/<document_id>.txt[char_start:char_end], counted in Unicode code points; and each document's
text must have the n_chars documents.csv states. Prints one line per problem and exits 1, or prints
"N files, M quotes verified" and exits 0. An optional argument names another version folder.

Belongs here: only what a user needs to check a release, with the Python standard library alone (no
project code, no third-party package: this file is copied into the release byte for byte and runs
under any Python 3.8 or later). Does not belong here: the project's own checks before publishing
(``pipelines.publish.package``, ``pipelines.publish.verification``), which may call these functions.
"""

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

SUMS = "SHA256SUMS"
PROVENANCE = ("document_id", "char_start", "char_end", "quote")
DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")  # never a path: a tampered id cannot point outside sources/
SHOWN = 60  # characters of a quote and of the text shown from where they differ


def file_digest(path):
    digest = hashlib.sha256()
    with open(str(path), "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_files(folder):
    """(files checked, problems): every file listed in SHA256SUMS has its digest, and every file of the
    folder (but SHA256SUMS, the version's zip and hidden files) is listed."""
    folder = Path(folder)
    problems = []
    try:
        lines = (folder / SUMS).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        return 0, [f"{SUMS}: cannot be read ({err.strerror or err})"]
    listed = set()
    for number, line in enumerate(lines, start=1):
        digest, sep, rel = line.partition("  ")
        parts = Path(rel).parts
        if not sep or not rel or Path(rel).is_absolute() or ".." in parts:
            problems.append(f"{SUMS} line {number}: not '<sha256>  <relative path>'")
            continue
        listed.add(rel)
        path = folder / rel
        if not path.is_file():
            problems.append(f"{rel}: listed in {SUMS} but missing")
        elif file_digest(path) != digest.lower():
            problems.append(f"{rel}: SHA-256 differs from {SUMS} (the file was changed)")
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        top_zip = "/" not in rel and rel.endswith(".zip")
        if path.is_file() and not hidden and not top_zip and rel != SUMS and rel not in listed:
            problems.append(f"{rel}: not listed in {SUMS}")
    return len(listed), problems


def _rows(path):
    with open(str(path), encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _difference(quote, found):
    """Where the two first differ (code points into the quote), with a little of each from there."""
    at = next((i for i, (a, b) in enumerate(zip(quote, found)) if a != b), min(len(quote), len(found)))
    start = max(0, at - 10)
    return f"at character {at}: {quote[start : start + SHOWN]!r} vs {found[start : start + SHOWN]!r}"


def check_quotes(folder):
    """(quotes checked, problems): every row of every table with provenance against the shipped texts."""
    folder = Path(folder)
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return 0, [f"datapackage.json: cannot be read ({err})"]
    texts: dict = {}  # document_id -> text, or None when it cannot be read (said once)
    problems = []

    def text_of(document_id):
        if document_id not in texts:
            texts[document_id] = None
            if not DOCUMENT_ID.match(document_id):
                problems.append(f"document id {document_id!r} is not a document id")
                return None
            try:
                # Bytes decoded as they are: newline translation would shift every offset after a CRLF.
                texts[document_id] = (folder / "sources" / (document_id + ".txt")).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as err:
                problems.append(f"sources/{document_id}.txt: cannot be read ({err})")
        return texts[document_id]

    checked = 0
    resources = [r for r in package.get("resources", []) if str(r.get("path", "")).endswith(".csv")]
    for resource in resources:
        names = [f.get("name") for f in resource.get("schema", {}).get("fields", [])]
        if resource.get("name") == "documents" and "n_chars" in names:
            for number, row in enumerate(_rows(folder / resource["path"]), start=1):
                text = text_of(row["document_id"])
                if text is not None and str(len(text)) != row["n_chars"]:
                    problems.append(
                        "{} row {} ({}): n_chars {} but sources/{}.txt has {} characters".format(
                            resource["path"], number, row["document_id"], row["n_chars"], row["document_id"], len(text)
                        )
                    )
        if not all(column in names for column in PROVENANCE):
            continue
        key = (resource.get("schema", {}).get("primaryKey") or ["document_id"])[0]
        for number, row in enumerate(_rows(folder / resource["path"]), start=1):
            checked += 1
            where = "{} row {} ({})".format(resource["path"], number, row.get(key))
            text = text_of(row["document_id"])
            if text is None:
                problems.append("{}: no text for document {!r}".format(where, row["document_id"]))
                continue
            try:
                start, end = int(row["char_start"]), int(row["char_end"])
            except ValueError:
                problems.append(f"{where}: char_start/char_end are not integers")
                continue
            if not 0 <= start < end <= len(text):
                problems.append(f"{where}: offsets {start}:{end} outside the text ({len(text)} characters)")
            elif text[start:end] != row["quote"]:
                problems.append(
                    f"{where}: quote differs from sources/{row['document_id']}.txt[{start}:{end}] "
                    + _difference(row["quote"], text[start:end])
                )
    return checked, problems


def verify(folder):
    """(summary line, problems) for one version folder."""
    files, file_problems = check_files(folder)
    quotes, quote_problems = check_quotes(folder)
    return f"{files} files, {quotes} quotes verified", file_problems + quote_problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parent
    summary, problems = verify(folder)
    for problem in problems:
        print("error: " + problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {folder}: the release does not verify", file=sys.stderr)
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
