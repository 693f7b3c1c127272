"""Dead runs are recovered: a killed `make release` leaves no run STARTED and no worker process
alive once it runs again; Ctrl-C says "interrupted" and what was kept; and the progress reports of
long work, on a terminal and otherwise.

The killed runs are real: `python -m pipelines.cli release` in a subprocess, held in a phase by the
test hook JAC_TEST_PAUSE_AT (``pipelines.orchestration.progress.pause_for_tests``), then killed.
"""

from __future__ import annotations

import io
import os
import pty
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest
from conftest import REPO, cli_env, dagster_home, dagster_instance, make_project

from pipelines.orchestration.progress import Progress, progress_of
from pipelines.orchestration.runner import HOST_TAG, PID_TAG, STARTED_TAG, process_tags, recover_dead_runs
from pipelines.publish.store import read_index

# Invented documents: a few dates and numbers each, enough of them for two extraction processes.
DOCS = {
    f"note-{i:02d}-en.txt": f"Invented cooperation note {i}\n\n"
    f"In March 20{10 + i}, {100 + i} officials were trained in Hanoi.\n"
    f"The programme received USD {i + 1}.5 million in 20{11 + i}.\n"
    for i in range(6)
}


def _raw() -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in DOCS.items()}


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def _add_run(instance, tags: dict[str, str], status=dg.DagsterRunStatus.STARTED) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(dg.DagsterRun(job_name="release", run_id=run_id, status=status, tags=tags))
    return run_id


def test_runs_of_a_dead_make_release_are_marked_failed_and_free_the_publishing_slot(tmp_path):
    """A run whose process is gone ends FAILURE (the one holding jac/publishes too); runs of a live
    process, of another host, of the daemon (no pid tag) or already finished are left alone."""
    here = process_tags()
    with dagster_instance(tmp_path / "home") as instance:
        dead = _add_run(instance, {**here, PID_TAG: str(_dead_pid()), "jac/publishes": "releases"})
        reused = _add_run(instance, {**here, STARTED_TAG: "1"})  # this pid, but a process started earlier
        alive = _add_run(instance, here)
        elsewhere = _add_run(instance, {**here, PID_TAG: str(_dead_pid()), HOST_TAG: "another-host"})
        daemons = _add_run(instance, {"jac/publishes": "releases"})
        finished = _add_run(instance, {**here, PID_TAG: str(_dead_pid())}, dg.DagsterRunStatus.SUCCESS)

        assert sorted(recover_dead_runs(instance)) == sorted([dead, reused])
        status = {run_id: instance.get_run_by_id(run_id).status for run_id in (dead, reused, alive, elsewhere)}
        assert status == {
            dead: dg.DagsterRunStatus.FAILURE,
            reused: dg.DagsterRunStatus.FAILURE,
            alive: dg.DagsterRunStatus.STARTED,
            elsewhere: dg.DagsterRunStatus.STARTED,
        }
        assert instance.get_run_by_id(daemons).status == dg.DagsterRunStatus.STARTED
        assert instance.get_run_by_id(finished).status == dg.DagsterRunStatus.SUCCESS
        messages = [e.message for e in instance.all_logs(dead) if e.dagster_event and e.dagster_event.is_run_failure]
        assert messages and "is gone" in messages[0]
        assert recover_dead_runs(instance) == []  # once


def test_the_dagster_instance_the_makefile_writes_has_run_monitoring_on(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home(tmp_path / "home")))
    with dg.DagsterInstance.get() as instance:
        assert instance.run_monitoring_enabled
        assert 0 < instance.run_monitoring_start_timeout_seconds <= 600
        assert instance.run_monitoring_max_runtime_seconds > 0


def _children(pid: int) -> set[int]:
    """Every descendant process of pid (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = {int(k) for k in (task / "children").read_text().split()}
        except OSError:
            continue
        for kid in kids:
            found |= {kid} | _children(kid)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_gone(pids: set[int], seconds: float = 15) -> set[int]:
    deadline = time.monotonic() + seconds
    while (left := {p for p in pids if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _read_until(stream, marker: str, seconds: float = 240) -> str:
    """Lines of stream until one holds marker (the process is then paused there)."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never came; output:\n{''.join(seen)[-3000:]}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_worker_processes_end_when_their_parent_is_killed(tmp_path):
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from pool_functions import nap; from pipelines.orchestration.pool import map_in_processes;"
        "print('started', flush=True); map_in_processes(nap, {str(i): i for i in range(4)}, 2)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(REPO / "tests")], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        _read_until(proc.stdout, "started", 60)
        deadline = time.monotonic() + 60
        while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) >= 2, workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        assert _wait_gone(workers) == set()
    finally:
        proc.kill()
        for pid in _children(proc.pid):
            os.kill(pid, signal.SIGKILL)


def _release(root: Path, home: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "release", "--root", str(root)],
        cwd=REPO,
        env={**cli_env(home, root), "JAC_EXTRACT_WORKERS": "2", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("phase", ["extraction", "publishing"])
def test_release_killed_with_sigkill_is_recovered_by_the_next_run(tmp_path, phase):
    """`make release` killed with SIGKILL (its main process: the workers are not signalled) during
    extraction or publishing: its workers end with it; the next run marks its runs failed, frees
    the publishing slot, and publishes; no run is left STARTED."""
    root = make_project(tmp_path / "project", _raw())
    home = dagster_home(tmp_path / "home")
    first = _release(root, home, JAC_TEST_PAUSE_AT=phase)
    try:
        _read_until(first.stderr, f"paused at {phase}")
        workers = _children(first.pid)
        if phase == "extraction":
            assert len(workers) >= 2, workers  # the extraction processes are running
        os.kill(first.pid, signal.SIGKILL)
        first.wait(30)
        assert _wait_gone(workers) == set(), "worker processes of the killed run are still alive"
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    with dagster_instance(home) as instance:
        left = [r.run_id for r in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))]
    assert left, "the killed run left no STARTED run: the test did not kill it mid-run"
    assert not (root / "releases" / "index.json").exists()

    second = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "release", "--root", str(root)],
        cwd=REPO,
        env=cli_env(home, root),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert "runs of a killed earlier run marked failed" in second.stdout
    assert read_index(root / "releases")["latest"] == "1.0.0"
    with dagster_instance(home) as instance:
        assert not instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert {instance.get_run_by_id(r).status for r in left} == {dg.DagsterRunStatus.FAILURE}


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["extraction", "publishing"])
def test_ctrl_c_says_interrupted_and_what_was_kept(tmp_path, phase):
    root = make_project(tmp_path / "project", _raw())
    home = dagster_home(tmp_path / "home")
    run = _release(root, home, JAC_TEST_PAUSE_AT=phase)
    try:
        _read_until(run.stderr, f"paused at {phase}")
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 130, err[-3000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted: releases/ unchanged"), err[-3000:]
    assert "pandera" not in err.lower() and "check" not in last
    assert ("0 of 6 in this run" in last) if phase == "extraction" else ("6 in this run" in last)
    assert not (root / "releases" / "index.json").exists()


# --- Progress ----------------------------------------------------------------------------------------


def test_progress_off_a_terminal_is_one_summary_line():
    stream = io.StringIO()
    clock = iter([0.0] + [1.0] * 10 + [12.5]).__next__
    progress = Progress("extracting", "extracted", 500, "documents", stream, clock)
    for _ in range(10):
        progress.advance(50)
    progress.finish(completed=True)
    assert stream.getvalue() == "extracted 500 documents in 12.5 s (40.0 documents/s)\n"

    failed = io.StringIO()
    with pytest.raises(RuntimeError), progress_of("extracting", "extracted", 3, "documents", failed):
        raise RuntimeError("stops")
    assert failed.getvalue() == ""  # nothing claims the work was done


def test_progress_on_a_terminal_is_one_line_updated_in_place_a_few_times_a_second():
    main, secondary = pty.openpty()
    with os.fdopen(secondary, "w") as terminal:
        now = [0.0]
        progress = Progress("extracting", "extracted", 100, "documents", terminal, lambda: now[0])
        for i in range(100):
            now[0] = i * 0.01  # 100 documents in one second
            progress.advance()
        progress.finish(completed=True)
    chunks = []
    while True:  # every byte written, until the terminal's other end is closed
        try:
            chunk = os.read(main, 100_000)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    shown = b"".join(chunks).decode().replace("\r\n", "\n")  # the terminal turns "\n" into "\r\n"
    updates = [u for u in shown.split("\r") if u]
    # The first document, then at most 4 updates a second, then the final state on its own line.
    assert 3 <= len(updates) <= 7, updates
    assert updates[0] == "\x1b[Kextracting: 1/100 documents, 0.0 s, - documents/s"
    assert updates[-1].startswith("\x1b[Kextracting: 100/100 documents, 1.0 s, 1") and shown.endswith("\n")
    assert shown.count("\n") == 1
