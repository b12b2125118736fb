"""Resources: where the pipeline reads and writes, and its tunable settings. Read at run time, never at import."""

from __future__ import annotations

from pathlib import Path

import dagster as dg


def _local_folder(value: str, variable: str) -> Path:
    """Stages work on local folders only: an s3:// location is run by `make run` on a local scratch copy
    (workflows/remote.py); anywhere else a URL must fail, never become a folder named `s3:`."""
    from assets.core.object_store import parse_location

    if parse_location(value, variable) is not None:
        raise ValueError(f"{variable}={value}: runs launched by Dagster need a local or mounted folder; "
                         "object storage is supported by `make run` (python -m workflows.cli run)")
    return Path(value).expanduser().resolve()


class PipelinePaths(dg.ConfigurableResource):
    """The landing folder of raw dumps and the warehouse folder every stage writes under."""

    landing_dir: str
    warehouse_dir: str

    @property
    def landing(self) -> Path:
        return _local_folder(self.landing_dir, "PAPERS_LANDING_DIR")

    @property
    def warehouse(self) -> Path:
        return _local_folder(self.warehouse_dir, "PAPERS_WAREHOUSE_DIR")

    @property
    def ingest(self) -> Path:
        """Per-file parse outputs, one folder per landing-file partition."""
        return self.warehouse / "ingest"

    @property
    def tables(self) -> Path:
        """Corpus-wide tables as Parquet, as this run's stages write and read them: a staging folder,
        promoted to `promoted_tables` only when the run's blocking checks passed and it published."""
        return self.warehouse / "staging" / "tables"

    @property
    def promoted_tables(self) -> Path:
        """`warehouse/tables/`: the tables of the last run that passed its gates (what readers see)."""
        return self.warehouse / "tables"

    @property
    def quality(self) -> Path:
        return self.warehouse / "quality"

    @property
    def topic_model(self) -> Path:
        """The topic stage's kept model, its score cache and its last decision (assets/topics/model_store.py)."""
        return self.warehouse / "topic_model"

    @property
    def published(self) -> Path:
        return self.warehouse / "published"

    @property
    def cache(self) -> Path:
        """Per-paper step results, by content hash and step version (assets/core/paper_cache.py)."""
        return self.warehouse / "cache"

    @property
    def scratch(self) -> Path:
        """DuckDB spill space."""
        return self.warehouse / "tmp"

    @property
    def database(self) -> Path:
        return self.warehouse / "papers.duckdb"

    def table(self, name: str) -> Path:
        return self.tables / f"{name}.parquet"


class PipelineSettings(dg.ConfigurableResource):
    """Knobs a user may turn without touching code."""

    min_topics: int = 4
    max_topics: int = 30
    taxonomy_path: str = ""  # empty: the bundled assets/topics/taxonomy.yaml
    keep_releases: int = 5
    duckdb_memory_limit: str = "4GB"
    topic_refit: bool = False  # refit the topic model on the next run (else only when it is stale)
    topic_refit_added_share: float = 0.25  # stale when this share of papers was not in the fit's corpus
    topic_refit_weak_rise: float = 0.05  # stale when the share of weakly assigned papers rose this much
