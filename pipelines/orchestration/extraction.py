"""Extracting a batch of documents inside one run, spread over the usable cores.

Belongs here: what one worker does with one document (``extract_one``: its facts and its coverage
report) and doing it for every document of a run (``extract_batch``), naming every document that
failed. It imports only the extraction code, so that a worker process starts in well under a second.
Does not belong here: how facts are found (``pipelines.extract``), the Dagster assets that call it
(``pipelines.orchestration.definitions``), the process pool itself (``pipelines.orchestration.execution``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pipelines import extract as extraction
from pipelines.documents import Document
from pipelines.extract.coverage import document_coverage
from pipelines.orchestration.pool import map_in_processes, pool_workers
from pipelines.orchestration.progress import pause_for_tests

# Documents per worker process at least: a worker costs about 0.5 s to start (it imports the
# extraction code), a document about 20 ms to extract.
DOCUMENTS_PER_WORKER = 25


class ExtractionFailed(RuntimeError):
    """Some documents of a run could not be extracted; the message names each with its error."""


def extract_one(doc: Document) -> tuple[dict[str, list[dict]], dict]:
    """(facts by table, coverage report) of one document."""
    # Through the module, so that a test that replaces extract_source reaches this call.
    src = extraction.source_for(doc)
    facts = extraction.extract_source(src)
    return facts, document_coverage(src, facts)


def extract_batch(
    docs: Mapping[str, Document], done: Callable[[], None] | None = None
) -> dict[str, tuple[dict[str, list[dict]], dict]]:
    """extract_one for every document (by partition key), in this process or in a pool of worker
    processes (``pool.pool_workers``); raises ExtractionFailed naming every document that
    failed, after trying them all."""
    count = 0

    def one_done() -> None:
        nonlocal count
        count += 1
        if done is not None:
            done()
        if count == 1:
            pause_for_tests("extraction")

    results, failed = map_in_processes(extract_one, docs, pool_workers(len(docs), DOCUMENTS_PER_WORKER), one_done)
    if failed:
        raise ExtractionFailed("extraction failed for " + "; ".join(f"{key}: {error}" for key, error in failed.items()))
    return results
