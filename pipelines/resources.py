"""Dagster resources: where a project's folders are. Nothing else.

Belongs here: the ``Project`` resource (raw documents in, warehouse and releases out), shared by the
assets (``pipelines.definitions``) and the sensor and schedule (``pipelines.automation``), which
take it as a typed resource parameter. It lives in its own module so that both can import it
without importing each other.
Does not belong here: reading documents, building tables or publishing (plain functions elsewhere).
"""

from pathlib import Path

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
