"""Dagster resources: where a project's folders are, and where the table assets are stored.

Belongs here: the ``Project`` resource (raw documents in, warehouse and releases out), shared by the
assets (``pipelines.definitions``) and the sensor and schedule (``pipelines.automation``), which
take it as a typed resource parameter; and ``TableStore``, the IO manager of the table assets, which
can hand a step its tables to load one at a time. It lives in its own module so that both can import
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


class StoredTable:
    """A table the TableStore wrote, read from its file each time load() is called."""

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> Any:
        with open(self.path, "rb") as handle:
            return pickle.load(handle)


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


class _TablePickles(dg.IOManager):
    def __init__(self, base_dir: Path):
        self.base_dir = base_dir

    def _path(self, key: dg.AssetKey) -> Path:
        return self.base_dir.joinpath(*key.path)

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        path = self._path(context.asset_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        with open(tmp, "wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def load_input(self, context: dg.InputContext) -> Any:
        stored = StoredTable(self._path(context.asset_key))
        return stored if context.definition_metadata.get(LOAD_IN_STEP) else stored.load()


# AssetIn metadata for an input the step loads itself: it receives a StoredTable, not the table.
LOAD_IN_STEP = "load_in_step"


class TableStore(dg.ConfigurableIOManagerFactory):
    """IO manager of the table assets: each table pickled in the instance's storage folder, where
    Dagster's filesystem IO manager keeps it. An input declared with
    ``AssetIn(metadata={LOAD_IN_STEP: True})`` receives a StoredTable instead, loaded when the step
    asks (``StoredTables``)."""

    base_dir: str | None = None

    def create_io_manager(self, context: dg.InitResourceContext) -> _TablePickles:
        return _TablePickles(Path(self.base_dir or context.instance.storage_directory()))
