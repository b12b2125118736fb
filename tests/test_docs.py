"""docs/datasets.md against a real release: every public dataset is documented with exactly its published
columns (in order), their Arrow types and its key, and the document's code examples run.

Uses the session warehouse `built_warehouse` (the sample dump through a full run) read-only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from assets.core.contracts import PUBLIC_DATASETS
from assets.core.release_format import dataset_files

DOC = Path(__file__).resolve().parents[1] / "docs" / "datasets.md"

_SECTION = re.compile(r"^### (?P<name>\w+) — key `(?P<key>[^`]*)`\s*$")
_ROW = re.compile(r"^\|(.*)\|\s*$")


def documented_datasets(text: str) -> dict[str, dict]:
    """{dataset: {"key": [...], "columns": [(name, type), ...]}} from the `## Datasets` part: a
    `### <name> — key `a, b`` heading followed by a `| column | type | meaning |` table."""
    part = text.split("\n## Datasets\n", 1)[1].split("\n## ", 1)[0]
    out: dict[str, dict] = {}
    current: dict | None = None
    in_table = False
    for line in part.splitlines():
        if m := _SECTION.match(line):
            assert m["name"] not in out, f"dataset {m['name']} documented twice"
            current = out[m["name"]] = {"key": [k.strip() for k in m["key"].split(",")], "columns": []}
            in_table = False
            continue
        if line.startswith("#"):
            current = None  # a heading that is not a dataset section
            continue
        if current is None:
            continue
        m = _ROW.match(line)
        if not m:
            if in_table:  # the first table after the heading is the schema; stop at its end
                current = None
            continue
        cells = [c.strip() for c in m[1].split("|")]
        if cells[:2] == ["column", "type"]:
            in_table = True
        elif in_table and not set(cells[0]) <= set("-: "):
            current["columns"].append((cells[0].strip("`"), cells[1].strip("`")))
    return out


@pytest.fixture(scope="module")
def documented() -> dict[str, dict]:
    return documented_datasets(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def release(built_warehouse) -> Path:
    published = built_warehouse / "published"
    version = json.loads((published / "latest.json").read_text(encoding="utf-8"))["version"]
    return published / version


def test_every_public_dataset_has_a_section(documented):
    assert sorted(documented) == sorted(PUBLIC_DATASETS)


@pytest.mark.parametrize("dataset", list(PUBLIC_DATASETS))
def test_documented_columns_are_the_published_columns(dataset, documented, release):
    schema = ds.dataset([str(p) for p in dataset_files(release, dataset)], format="parquet").schema
    assert [name for name, _ in documented[dataset]["columns"]] == schema.names


@pytest.mark.parametrize("dataset", list(PUBLIC_DATASETS))
def test_documented_types_and_key_match_the_manifest(dataset, documented, release):
    entry = json.loads((release / "manifest.json").read_text(encoding="utf-8"))["datasets"][dataset]
    assert documented[dataset]["columns"] == [(c["name"], c["type"]) for c in entry["schema"]]
    assert documented[dataset]["key"] == entry["key"] == list(PUBLIC_DATASETS[dataset])


def test_code_examples_run_against_the_release(built_warehouse, monkeypatch):
    """Every ```python and ```sql block, in document order (the python blocks share one namespace),
    run from the warehouse folder as the document says; the examples only read."""
    import duckdb

    blocks = re.findall(r"```(python|sql)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks
    monkeypatch.chdir(built_warehouse)
    namespace: dict = {}
    try:
        for lang, code in blocks:
            if lang == "python":
                exec(compile(code, str(DOC), "exec"), namespace)
            else:
                with duckdb.connect() as con:
                    assert con.execute(code).fetchall()
    finally:
        con = namespace.get("con")
        if con is not None:
            con.close()
    assert namespace["papers"].num_rows > 0


def _meanings_after(text: str, marker: str) -> dict[str, str]:
    """{column: meaning} of the first `| column | type | meaning |` table after `marker`."""
    rows: dict[str, str] = {}
    for line in text.split(marker, 1)[1].splitlines()[1:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] != "column" and not set(cells[0]) <= set("-: "):
            rows[cells[0].strip("`")] = "|".join(cells[2:])
    return rows


def test_documented_meanings_are_the_one_source_of_descriptions():
    """docs/datasets.md says what assets/core/columns.yaml says (the text papers.duckdb's comments, the
    Dagster column schema and the manifests carry): every dataset, topic_lineage, validation_results,
    releases and release_files, column by column."""
    from assets.core.columns import column_descriptions

    text = DOC.read_text(encoding="utf-8")
    for dataset in PUBLIC_DATASETS:
        marker = next(line for line in text.splitlines() if line.startswith(f"### {dataset} — key"))
        assert _meanings_after(text, marker + "\n") == column_descriptions(dataset), dataset
    for table in ("topic_lineage", "validation_results", "releases", "release_files"):
        assert _meanings_after(text, f"`{table}`:\n") == column_descriptions(table), table
