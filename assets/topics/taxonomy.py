"""Curated research-area taxonomy (assets/topics/taxonomy.yaml): load, validate, apply in DuckDB.

`load_taxonomy(path=None)` returns a Taxonomy; `apply_taxonomy(con, taxonomy)` creates `categories` and
`paper_categories` in `con` (from its `papers` table) with sql/categories.sql and sql/paper_categories.sql; the
rules are passed in as registered Arrow tables, never pasted into SQL. Another file is chosen with the
argument (the `taxonomy_path` setting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import yaml

from assets.core.sql import load_sql

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent / "taxonomy.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


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


def categories_table(tax: Taxonomy) -> pa.Table:
    return pa.table({"category_id": [c.id for c in tax.categories], "name": [c.name for c in tax.categories],
                     "description": [c.description for c in tax.categories],
                     "taxonomy_version": [tax.version] * len(tax.categories)})


def apply_taxonomy(con, tax: Taxonomy | None = None) -> None:
    tax = tax or load_taxonomy()
    con.register("taxonomy_categories", categories_table(tax))
    con.register("taxonomy_rules", rules_table(tax))
    try:
        con.execute(f"CREATE OR REPLACE TABLE categories AS {load_sql('categories')}")
        con.execute(f"CREATE OR REPLACE TABLE paper_categories AS {load_sql('paper_categories')}")
    finally:
        con.unregister("taxonomy_categories")
        con.unregister("taxonomy_rules")
