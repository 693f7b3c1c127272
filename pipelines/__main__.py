"""``python -m pipelines ...``: the same command line as ``python -m pipelines.cli ...`` (e.g.
``python -m pipelines add FILE --url URL --accessed DATE``). Nothing else belongs here."""

from pipelines.cli import main
from pipelines.orchestration.execution import end_process, freeze_imports

if __name__ == "__main__":
    freeze_imports()  # as pipelines.cli does: every module of the code location is imported by now
    end_process(main())
