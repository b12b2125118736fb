"""Curated research-area taxonomy (assets/topics/taxonomy.yaml): load, validate, apply in DuckDB.

`load_taxonomy(path=None)` returns a Taxonomy; `apply_taxonomy(con, taxonomy)` creates `categories` and
`paper_categories` in `con` (from its `papers` table) with sql/categories.sql and sql/paper_categories.sql; the
rules are passed in as registered Arrow tables, never pasted into SQL. Another file is chosen with the
argument (the `taxonomy_path` setting). `categorised_papers` gives the same `paper_categories` from the
per-paper cache (assets/core/paper_cache.py): a paper's matches are a function of its title and abstract, so
each content is matched once per version of the rules and the SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import yaml

from assets.core.duck import registered
from assets.core.paper_cache import CacheStats, PaperStep, empty_todo, fingerprint, paper_rows
from assets.core.sql import load_sql
from assets.core.table_changes import merge_rows

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent / "taxonomy.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Bump when matching changes for a reason the rules and sql/paper_categories.sql do not show.
TAXONOMY_MATCH_VERSION = 1
MATCH_BATCH_ROWS = 100_000  # contents matched per query: the query's memory follows it, not the corpus


class TaxonomyError(ValueError):
    """The taxonomy file is missing or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    version: str
    categories: tuple[Category, ...]
    path: Path


def _normalise_keyword(k: str) -> str:
    return " ".join(re.split(r"[\s\-]+", k.strip().lower()))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    path = Path(path or DEFAULT_TAXONOMY_PATH)

    def fail(msg: str) -> TaxonomyError:
        return TaxonomyError(f"taxonomy {path}: {msg}")

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise fail(f"cannot read file ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise fail(f"not valid YAML: {e}") from e
    if not isinstance(doc, dict):
        raise fail("top level must be a mapping with 'version' and 'categories'")
    version = doc.get("version")
    if not isinstance(version, (str, int, float)) or str(version).strip() == "":
        raise fail("missing or empty 'version'")
    cats = doc.get("categories")
    if not isinstance(cats, list) or not cats:
        raise fail("'categories' must be a non-empty list")
    out, seen = [], set()
    for i, c in enumerate(cats):
        where = f"categories[{i}]"
        if not isinstance(c, dict):
            raise fail(f"{where} must be a mapping")
        unknown = set(c) - {"id", "name", "description", "keywords"}
        if unknown:
            raise fail(f"{where} has unknown keys {sorted(unknown)}")
        cid = c.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise fail(f"{where}.id must be a snake_case string, got {cid!r}")
        if cid in seen:
            raise fail(f"duplicate category id {cid!r}")
        seen.add(cid)
        name = c.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"{where} ({cid}) needs a non-empty 'name'")
        desc = c.get("description", "")
        if not isinstance(desc, str):
            raise fail(f"{where} ({cid}).description must be a string")
        kws = c.get("keywords")
        if not isinstance(kws, list) or not kws or not all(isinstance(k, str) and k.strip() for k in kws):
            raise fail(f"{where} ({cid}).keywords must be a non-empty list of non-empty strings")
        norm = []
        for k in kws:
            n = _normalise_keyword(k)
            if not re.fullmatch(r"[a-z0-9]+(?: [a-z0-9]+)*", n):
                raise fail(f"{where} ({cid}) keyword {k!r}: letters, digits, spaces and hyphens only")
            if n not in norm:
                norm.append(n)
        out.append(Category(cid, name.strip(), desc.strip(), tuple(norm)))
    return Taxonomy(str(version).strip(), tuple(out), path)


def rules_table(tax: Taxonomy) -> pa.Table:
    """One row per (category, keyword); `pattern` is the keyword as a whole-word RE2 regex in which a space
    matches any run of spaces/hyphens (data bound into SQL through this table, not formatted in)."""
    ids, kws, pats = [], [], []
    for c in tax.categories:
        for k in c.keywords:
            ids.append(c.id)
            kws.append(k)
            pats.append(r"\b" + r"[\s\-]+".join(re.escape(w) for w in k.split(" ")) + r"\b")
    return pa.table({"category_id": ids, "keyword": kws, "pattern": pats})


def first_word_pattern(tax: Taxonomy) -> str:
    """RE2 pattern of any keyword's first word as a whole word; bound as $first_word_pattern."""
    words = sorted({k.split(" ")[0] for c in tax.categories for k in c.keywords}, key=lambda w: (-len(w), w))
    return r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"


def categories_table(tax: Taxonomy) -> pa.Table:
    return pa.table({"category_id": [c.id for c in tax.categories], "name": [c.name for c in tax.categories],
                     "description": [c.description for c in tax.categories],
                     "taxonomy_version": [tax.version] * len(tax.categories)})


def create_categories(con: duckdb.DuckDBPyConnection, tax: Taxonomy) -> None:
    """The `categories` table in `con`."""
    with registered(con, {"taxonomy_categories": categories_table(tax)}):
        con.execute(f"CREATE OR REPLACE TABLE categories AS {load_sql('categories')}")


def apply_taxonomy(con: duckdb.DuckDBPyConnection, tax: Taxonomy | None = None) -> None:
    """`categories` and `paper_categories` (over every paper of `con`'s `papers`, uncached) in `con`."""
    tax = tax or load_taxonomy()
    create_categories(con, tax)
    with registered(con, {"taxonomy_rules": rules_table(tax)}):
        con.execute("DROP TABLE IF EXISTS paper_categories")
        con.sql(load_sql("paper_categories"), params={"first_word_pattern": first_word_pattern(tax)}) \
            .create("paper_categories")


def match_version(tax: Taxonomy) -> str:
    """Changes with the rules (not the YAML layout, names or descriptions), the matching SQL and DuckDB."""
    rules = repr(rules_table(tax).select(["category_id", "keyword"]).to_pylist())
    sql = load_sql("paper_categories")
    return f"v{TAXONOMY_MATCH_VERSION}-{fingerprint(rules, sql, f'duckdb {duckdb.__version__}')}"


def paper_categories_step(con: duckdb.DuckDBPyConnection, tax: Taxonomy) -> PaperStep:
    """sql/paper_categories.sql over the contents to compute, their content hash standing in as paper_id."""
    rules = rules_table(tax)
    params = {"first_word_pattern": first_word_pattern(tax)}

    def compute(todo: pl.DataFrame) -> pl.DataFrame:
        papers = todo.select(pl.col("content_hash").alias("paper_id"), "title", "abstract").to_arrow()
        with registered(con, {"papers": papers, "taxonomy_rules": rules}):
            matched = con.sql(load_sql("paper_categories"), params=params).to_arrow_table()
        return pl.from_arrow(matched).rename({"paper_id": "content_hash"})

    result_schema = dict(compute(empty_todo(["title", "abstract"])).drop("content_hash").schema)
    return PaperStep("paper_categories", match_version(tax), ("title", "abstract"), result_schema, compute,
                     batch_rows=MATCH_BATCH_ROWS)


def categorised_papers(con: duckdb.DuckDBPyConnection, tax: Taxonomy, papers: pl.DataFrame | pl.LazyFrame,
                       cache_dir: Path) -> tuple[duckdb.DuckDBPyRelation, CacheStats]:
    """`paper_categories` for `papers` (paper_id, title, abstract) in the SQL's order and types, matching
    only contents the cache lacks (a LazyFrame's texts are held only while they are matched)."""
    rows, stats = paper_rows(cache_dir, paper_categories_step(con, tax), papers)
    return con.from_arrow(rows.to_arrow()).order("paper_id, category_id"), stats


def merged_paper_categories(con: duckdb.DuckDBPyConnection, tax: Taxonomy, papers: Path, previous: Path,
                            changed: list, cache_dir: Path) -> tuple[pl.DataFrame, CacheStats]:
    """`paper_categories` when `previous` (sorted by paper_id, category_id) holds it for every paper but
    the `changed` ones under the same match_version: only those are read from `papers` and matched (or taken
    from the cache); every other row is kept. Equal to categorised_papers over the whole corpus, because a
    paper's matches depend only on its title, abstract and the rules."""
    ids = pl.Series(changed, dtype=pl.String).implode()
    todo = pl.scan_parquet(papers).select("paper_id", "title", "abstract").filter(pl.col("paper_id").is_in(ids))
    rows, stats = paper_rows(cache_dir, paper_categories_step(con, tax), todo.collect(), whole_corpus=False)
    return merge_rows(pl.read_parquet(previous), rows.sort("paper_id", "category_id"), changed), stats
