"""Dagster resources: where a project's folders are, and where the table assets are stored.

Belongs here: the ``Project`` resource (raw documents in, warehouse and releases out), shared by the
assets (``pipelines.orchestration.definitions``) and the sensor and schedule (``pipelines.orchestration.automation``), which
take it as a typed resource parameter; and ``PickleStore``, the IO manager of every asset, which
can hand a step its tables to load one at a time (a stored file that cannot be read back raises
``CorruptStoreError``, naming it). It lives in its own module so that both can import
it without importing each other.
Does not belong here: reading documents, building tables or publishing (plain functions elsewhere).
"""

import os
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg


class Project(dg.ConfigurableResource):
    """Where the project's folders are: raw documents in, warehouse and releases out."""

    root: str = "."

    @property
    def raw_dir(self) -> Path:
        return Path(self.root) / "raw"

    @property
    def releases_dir(self) -> Path:
        return Path(self.root) / "releases"

    @property
    def warehouse_path(self) -> Path:
        return Path(self.root) / "warehouse" / "japan-asean-cooperation.duckdb"


class CorruptStoreError(RuntimeError):
    """A stored value cannot be read back (emptied or truncated file). Its message names the file in
    a form ``project_state.unreadable_stored_files`` reads back from a failed run."""


UNREADABLE = "unreadable stored intermediate"


class StoredTable:
    """A value the PickleStore wrote, read from its file each time load() is called."""

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> Any:
        with open(self.path, "rb") as handle:
            try:
                return pickle.load(handle)
            except (EOFError, pickle.UnpicklingError, ValueError, AttributeError, ImportError, IndexError) as err:
                raise CorruptStoreError(f"{UNREADABLE} <{self.path}> ({type(err).__name__}: {err})") from None


class StoredTables(Mapping[str, Any]):
    """Tables by name, each loaded when asked for and not kept: a step that goes through them one at
    a time holds one table at a time, where inputs would hold them all for the whole step."""

    def __init__(self, stored: Mapping[str, StoredTable]):
        self._stored = dict(stored)

    def __getitem__(self, name: str) -> Any:
        return self._stored[name].load()

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


class _Pickles(dg.IOManager):
    """Each asset pickled at <base>/<asset key>, each partition at <base>/<asset key>/<partition>:
    the layout of Dagster's filesystem IO manager, which wrote this store before this class did."""

    def __init__(self, base_dir: Path):
        self.base_dir = base_dir

    def _path(self, key: dg.AssetKey, partition: str | None = None) -> Path:
        path = self.base_dir.joinpath(*key.path)
        return path if partition is None else path / partition

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if context.dagster_type.typing_type is type(None):
            return  # an asset that stores nothing (it returns a MaterializeResult)
        if not context.has_asset_partitions:
            self._write(context, obj, self._path(context.asset_key))
            return
        keys = context.asset_partition_keys
        if len(keys) == 1:
            self._write(context, obj, self._path(context.asset_key, keys[0]))
            return
        # A step over several partitions (a batch run) gives its value by partition key, as it
        # reads them (load_input), each stored where a run of that partition alone would store it.
        if not isinstance(obj, Mapping) or set(obj) != set(keys):
            raise ValueError(
                f"{context.asset_key.to_user_string()}: a step over {len(keys)} partitions must give a "
                f"dict by partition key, one value for each of them"
            )
        for key in keys:
            self._write(context, obj[key], self._path(context.asset_key, key), metadata=False)
        context.add_output_metadata({"path": dg.MetadataValue.path(str(self._path(context.asset_key)))})

    def _write(self, context: dg.OutputContext, obj: Any, path: Path, metadata: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        with open(tmp, "wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        if metadata:
            # Where the value is, in the materialization's metadata (as Dagster's own IO manager records it).
            context.add_output_metadata({"path": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> Any:
        if not context.has_asset_partitions:
            stored = StoredTable(self._path(context.asset_key))
            return stored if context.definition_metadata.get(LOAD_IN_STEP) else stored.load()
        if context.has_partition_key:  # a step of one partition reads that partition of its input
            return StoredTable(self._path(context.asset_key, context.asset_partition_key)).load()
        # A step over every partition gets them all, by partition key (also when there is only one:
        # Dagster's IO manager would then hand over the value itself).
        return {key: StoredTable(self._path(context.asset_key, key)).load() for key in context.asset_partition_keys}


# AssetIn metadata for an input the step loads itself: it receives a StoredTable, not the table.
LOAD_IN_STEP = "load_in_step"


class PickleStore(dg.ConfigurableIOManagerFactory):
    """IO manager of every asset: pickles in the instance's storage folder, laid out as Dagster's
    filesystem IO manager lays them out, written atomically and read without logging an event per
    partition (Dagster's writes a DEBUG event to the run's event log for every partition it loads: in
    a release run, 18 inputs x every document, each a database write). An input declared with
    ``AssetIn(metadata={LOAD_IN_STEP: True})`` receives a StoredTable instead, loaded when the step
    asks (``StoredTables``).

    It stands in for Dagster's public ``dg.FilesystemIOManager`` (commit 3b90f37), for speed and for
    one behaviour. Measured gain (BENCHMARKS.md, ``make bench`` on 1b9110a: the bare job of the
    project's shape stored by Dagster's IO manager, "the issue's floor", against the same job stored
    by PickleStore, "the like-for-like floor"): incremental run (one document changed) 4.04 -> 3.40 s
    at 1x, 6.64 -> 3.58 s at 10x, 31.92 -> 4.27 s at 100x, where the table steps took 14.68 -> 0.74 s
    and the provenance checks 12.46 -> 0.39 s; full run at 100x 202.9 -> 158.3 s. The behaviour: a
    step that reads every partition always gets a dict by partition key; Dagster's hands over the
    value itself when there is only one partition (raw/ with one document), and the table steps then
    failed their input type check.
    Otherwise it agrees with Dagster's, tested in tests/test_stand_ins.py on a DataFrame, a dict and
    a partitioned asset: the same files under the same relative paths, the same values loaded, the
    same ``path`` metadata, and a store written by Dagster's read as it is. Its files are pickled with
    the highest protocol (Dagster's: protocol 4), so their bytes differ; either reads the other's.
    (Dagster's also escapes ``..`` segments and a leading ``/`` in a partition key; document file
    names, the partition keys here, hold no ``/``.)"""

    base_dir: str | None = None

    def create_io_manager(self, context: dg.InitResourceContext) -> _Pickles:
        base_dir = self.base_dir
        if not base_dir:
            if context.instance is None:
                raise dg.DagsterInvariantViolationError("PickleStore needs a base_dir or a Dagster instance")
            base_dir = context.instance.storage_directory()
        return _Pickles(Path(base_dir))
