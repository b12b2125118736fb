"""Validation suites kept as code: one suite per dataset, run through GX by `assets.quality.gx_runner`.

Each `Check` names a GX Core 1.x expectation class (by class name, so this module never imports
great_expectations), its keyword arguments, a stable human-readable name, a severity ('blocking' or
'warning') and a plain-words description. Where GX has no direct expectation (shares, "exactly one
primary per paper", "lines accounted for"), the suite's `derive` function adds helper columns in polars
first and the check runs a plain GX expectation on the helper column. Only the columns a suite needs are
converted to pandas.

Length bounds, measured (code points of the stripped text; polars str.len_chars, quantiles) over
  * arXiv corpus /work/shared/corpora/arxiv-daily-cs/ (89 daily JSONL files, 14,818 unique ids):
      title    min 9,   p0.1 20,  p1 33,  p5 47,  p50 82,   p95 121,  p99 140,  p99.9 178,  max 226
      abstract min 102, p0.1 419, p1 622, p5 818, p50 1310, p95 1828, p99 1912, p99.9 1920, max 1987
  * sample dump data/landing/hf_papers_memory.txt (212 title lines, 210 abstract lines):
      title    min 14,  p1 18,  p5 38,  p50 69,   p95 109,  p99 125,  max 138
      abstract min 489, p1 642, p5 760, p50 1237, p95 1801, p99 1912, max 1915
  -> blocking bounds every real paper above meets, with head-room: title 5..300, abstract 80..5,000
     (the parser rejects lines > 20,000 chars and titles > 600). Row-level flags are tighter:
     'short_abstract' < 250 chars, 'long_title' > 200 chars (both below p0.1 / above p99.9 of arXiv).
  The HTML-tag/entity pattern below matches 0 arXiv titles and 0 abstracts (a generic `<word>` pattern
  would match 17 real abstracts: "<think>", "<query, passage>", ...), U+FFFD occurs in 0 arXiv
  abstracts, and 0 abstracts are shared by two different titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from assets.core.contracts import (
    BOILERPLATE_LINES, BOILERPLATE_PHRASE, CLAIM_DIRECTIONS, CLAIM_KINDS, CLAIM_UNIT_SCALES, CLAIM_UNITS, GLUED_BUTTONS,
)

if TYPE_CHECKING:  # polars is imported lazily inside the derive functions
    import polars as pl

BLOCKING = "blocking"
WARNING = "warning"

# ---- thresholds (see the module docstring for the measurements behind them) ----
TITLE_MIN_CHARS, TITLE_MAX_CHARS = 5, 300
ABSTRACT_MIN_CHARS, ABSTRACT_MAX_CHARS = 80, 5_000
LENGTH_MOSTLY = 0.999  # a systematic mis-parse blocks; a single odd row is flagged by paper_flags
SHORT_ABSTRACT_FLAG_CHARS = 250
LONG_TITLE_FLAG_CHARS = 200
MAX_MARKUP_SHARE = 0.005  # share of papers with HTML tags/entities left in title or abstract
MAX_REPLACEMENT_SHARE = 0.001  # share of papers containing U+FFFD
MAX_FILE_REJECT_SHARE = 0.2  # reject_lines / non-blank lines, per file
MAX_FILE_REPLACED_SHARE = 0.001  # replaced_bytes / bytes, per file
KNOWN_ENCODINGS = ("utf-8", "utf-8-sig", "ascii", "cp1252")  # what assets.ingest.parser reports ('binary' is not)
SCORE_EPS = 1e-6

# HTML tags (a known tag name, so "<think>" or "<query, passage>" in real abstracts do not count) or entities.
# Written so the regex engine can prefilter on '<' / '&' (0.04 s over 1M abstracts; a leading (?i) costs 2 s).
MARKUP_PATTERN = (
    r"</?(?i:a|abbr|b|br|div|em|font|h[1-6]|hr|i|img|li|ol|p|pre|script|span|strong|style|sub|sup|table|td|th"
    r"|tr|u|ul|html|body|head|meta|link|iframe|code|tt|small|big|center|blockquote)\b[^<>]{0,200}/?>"
    r"|&(?:amp|lt|gt|quot|nbsp|#\d{2,5}|#x[0-9a-fA-F]{2,4});"
)
REPLACEMENT_CHAR = "\ufffd"

def claim_vocabularies(with_scales: bool = False) -> tuple[tuple, ...]:
    """(UNITS, KINDS, DIRECTIONS[, UNIT_SCALES]) of the claims contract, each sorted."""
    vocab = (CLAIM_UNITS, CLAIM_KINDS, CLAIM_DIRECTIONS, *((CLAIM_UNIT_SCALES,) if with_scales else ()))
    return tuple(tuple(sorted(values)) for values in vocab)


@dataclass(frozen=True)
class Check:
    name: str  # stable, human-readable, unique within the suite
    expectation: str  # GX expectation class name in great_expectations.expectations
    kwargs: dict[str, Any]
    severity: str  # BLOCKING | WARNING
    description: str  # plain words
    optional: bool = False  # skipped (not failed) when the frame lacks the column

    @property
    def columns(self) -> tuple[str, ...]:
        keys = ("column", "column_A", "column_B")
        cols = [self.kwargs[k] for k in keys if k in self.kwargs]
        cols += list(self.kwargs.get("column_list", ()))
        return tuple(cols)


@dataclass(frozen=True)
class Suite:
    dataset: str
    checks: tuple[Check, ...]
    key_columns: tuple[str, ...]  # name the failing rows (paper ids, file names)
    derive: Callable[["pl.DataFrame"], "pl.DataFrame"] | None = None
    derive_inputs: tuple[str, ...] = ()  # source columns the derive function reads
    example_cap: int = 20  # failing-row examples kept per expectation
    version: str = "1"
    notes: str = ""

    @property
    def name(self) -> str:
        return f"{self.dataset}_suite"

    def source_columns(self, available: list[str] | tuple[str, ...]) -> list[str]:
        """Columns of the input frame to read: keys, derive inputs and directly checked source columns."""
        derived = set(derived_columns(self))
        wanted: list[str] = []
        for col in (*self.key_columns, *self.derive_inputs, *(c for chk in self.checks for c in chk.columns)):
            if col in available and col not in derived and col not in wanted:
                wanted.append(col)
        return wanted


def derived_columns(suite: Suite) -> tuple[str, ...]:
    return _DERIVED.get(suite.dataset, ())


# ---------------------------------------------------------------------------------------------------
# helper columns (polars)


def _has(df: "pl.DataFrame", *cols: str) -> bool:
    return all(c in df.columns for c in cols)


def _boilerplate(text: "pl.Expr") -> "pl.Expr":
    """Page furniture left in a text: the trending-papers banner, a whole boilerplate line, or a button word
    glued to the start ("SubscribePipeOffload"). Literal tests only: regexes anchored with ^\\s* cost ~2 s/1M."""

    found = text.str.contains(BOILERPLATE_PHRASE, literal=True) | text.str.strip_chars().is_in(sorted(BOILERPLATE_LINES))
    for word in GLUED_BUTTONS:  # texts are stripped lines (the parser strips them)
        found = found | (text.str.starts_with(word) & text.str.slice(len(word), 1).str.contains(r"^[A-Z0-9]"))
    return found.fill_null(False)


def derive_papers(df: "pl.DataFrame") -> "pl.DataFrame":
    """title_chars/abstract_chars (NULL when the text is NULL), has_boilerplate, has_markup,
    has_replacement_char, duplicate_abstract (the exact abstract text also appears under another title).
    Kept to literal tests / prefilterable regexes: ~1 s for 1M papers."""
    import polars as pl

    title = pl.col("title") if "title" in df.columns else pl.lit(None, dtype=pl.String)
    abstract = pl.col("abstract") if "abstract" in df.columns else pl.lit(None, dtype=pl.String)
    out = df.with_columns(
        title_chars=title.str.len_chars(),
        abstract_chars=abstract.str.len_chars(),
        has_boilerplate=_boilerplate(title) | _boilerplate(abstract),
        has_markup=(title.str.contains(MARKUP_PATTERN).fill_null(False)
                    | abstract.str.contains(MARKUP_PATTERN).fill_null(False)),
        has_replacement_char=(title.str.contains(REPLACEMENT_CHAR, literal=True).fill_null(False)
                              | abstract.str.contains(REPLACEMENT_CHAR, literal=True).fill_null(False)),
        # whitespace/case normalisation costs 10+ s per 1M abstracts; the parser already normalises whitespace
        _abstract_key=abstract.hash(),
        _title_key=title.str.to_lowercase().hash(),
    )
    out = out.with_columns(
        duplicate_abstract=(abstract.is_not_null()
                            & (pl.col("_title_key").n_unique().over("_abstract_key") > 1)).fill_null(False)
    )
    return out.drop("_abstract_key", "_title_key")


def derive_ingest_files(df: "pl.DataFrame") -> "pl.DataFrame":
    """unaccounted_lines = lines - (paper + duplicate + blank + boilerplate + reject lines);
    reject_share = reject_lines / non-blank lines; replaced_share = replaced_bytes / bytes; encoding_norm."""
    import polars as pl

    parts = ["paper_lines", "duplicate_lines", "blank_lines", "boilerplate_lines", "reject_lines"]
    exprs = []
    if _has(df, "lines", *parts):
        exprs.append((pl.col("lines") - pl.sum_horizontal([pl.col(p).fill_null(0) for p in parts])).alias("unaccounted_lines"))
    if _has(df, "lines", "reject_lines"):
        nonblank = pl.col("lines") - (pl.col("blank_lines").fill_null(0) if "blank_lines" in df.columns else 0)
        exprs.append(pl.when(nonblank > 0).then(pl.col("reject_lines") / nonblank).otherwise(0.0).alias("reject_share"))
    if _has(df, "bytes", "replaced_bytes"):
        exprs.append(pl.when(pl.col("bytes") > 0).then(pl.col("replaced_bytes").fill_null(0) / pl.col("bytes"))
                     .otherwise(0.0).alias("replaced_share"))
    if "encoding" in df.columns:
        exprs.append(pl.col("encoding").str.to_lowercase().str.replace_all("_", "-").str.replace(r"^utf8", "utf-8")
                     .alias("encoding_norm"))
    return df.with_columns(exprs) if exprs else df


def derive_paper_topics(df: "pl.DataFrame") -> "pl.DataFrame":
    """primary_count: number of is_primary rows of the paper (must be exactly 1)."""
    import polars as pl

    if not _has(df, "paper_id", "is_primary"):
        return df
    return df.with_columns(primary_count=pl.col("is_primary").cast(pl.Int64).fill_null(0).sum().over("paper_id"))


_DERIVED: dict[str, tuple[str, ...]] = {
    "papers": ("title_chars", "abstract_chars", "has_boilerplate", "has_markup", "has_replacement_char",
               "duplicate_abstract"),
    "ingest_files": ("unaccounted_lines", "reject_share", "replaced_share", "encoding_norm"),
    "paper_topics": ("primary_count",),
}


# ---------------------------------------------------------------------------------------------------
# check builders


def _not_null(col: str, what: str, severity: str = BLOCKING, name: str | None = None, optional=False) -> Check:
    return Check(name or f"{col}_not_null", "ExpectColumnValuesToNotBeNull", {"column": col}, severity,
                 f"every {what} has a {col}", optional)


def _unique(col: str, what: str, severity: str = BLOCKING) -> Check:
    return Check(f"{col}_unique", "ExpectColumnValuesToBeUnique", {"column": col}, severity,
                 f"every {what} has a unique {col}")


def _between(name: str, col: str, lo, hi, description: str, severity: str = BLOCKING, mostly: float | None = None,
             optional: bool = False) -> Check:
    kw: dict[str, Any] = {"column": col, "min_value": lo, "max_value": hi}
    if mostly is not None:
        kw["mostly"] = mostly
    return Check(name, "ExpectColumnValuesToBeBetween", kw, severity, description, optional)


def _rows(dataset: str, minimum: int = 1) -> Check:
    return Check(f"{dataset}_row_count_positive", "ExpectTableRowCountToBeBetween", {"min_value": minimum},
                 BLOCKING, f"the {dataset} table is not empty")


def _never(name: str, col: str, description: str, severity: str = BLOCKING, mostly: float | None = None) -> Check:
    """Boolean helper column must be False (on at most 1 - mostly of the rows)."""
    kw: dict[str, Any] = {"column": col, "value_set": [False]}
    if mostly is not None:
        kw["mostly"] = mostly
    return Check(name, "ExpectColumnValuesToBeInSet", kw, severity, description)


def _non_negative(cols: tuple[str, ...], what: str) -> list[Check]:
    return [_between(f"{c}_non_negative", c, 0, None, f"{what} {c} is never negative", optional=True) for c in cols]


def _papers() -> Suite:
    return Suite(
        "papers",
        (
            _rows("papers"),
            _not_null("paper_id", "paper"),
            _unique("paper_id", "paper"),
            Check("title_not_null", "ExpectColumnValuesToNotBeNull", {"column": "title_chars"}, BLOCKING,
                  "every paper has a title"),
            Check("abstract_not_null", "ExpectColumnValuesToNotBeNull", {"column": "abstract_chars"}, BLOCKING,
                  "every paper has an abstract"),
            _between("title_length_in_bounds", "title_chars", TITLE_MIN_CHARS, TITLE_MAX_CHARS,
                     f"titles are {TITLE_MIN_CHARS}..{TITLE_MAX_CHARS} characters long, like real papers "
                     f"(arXiv: 9..226)", mostly=LENGTH_MOSTLY),
            _between("abstract_length_in_bounds", "abstract_chars", ABSTRACT_MIN_CHARS, ABSTRACT_MAX_CHARS,
                     f"abstracts are {ABSTRACT_MIN_CHARS}..{ABSTRACT_MAX_CHARS} characters long, like real papers "
                     f"(arXiv: 102..1987)", mostly=LENGTH_MOSTLY),
            _never("no_page_boilerplate", "has_boilerplate",
                   "no page boilerplate ('Get trending papers in your email inbox', a leading 'Subscribe', ...) "
                   "is left in a title or abstract"),
            _never("markup_share_small", "has_markup",
                   f"HTML tags or entities are left in at most {MAX_MARKUP_SHARE:.1%} of papers",
                   mostly=1 - MAX_MARKUP_SHARE),
            _never("replacement_char_share_small", "has_replacement_char",
                   f"U+FFFD replacement characters (broken decoding) occur in at most {MAX_REPLACEMENT_SHARE:.1%} "
                   "of papers", mostly=1 - MAX_REPLACEMENT_SHARE),
            _never("no_duplicate_abstracts", "duplicate_abstract",
                   "no abstract appears under two different titles"),
        ),
        key_columns=("paper_id",),
        derive=derive_papers,
        derive_inputs=("title", "abstract"),
    )


def _ingest_files() -> Suite:
    counts = ("bytes", "replaced_bytes", "lines", "paper_lines", "duplicate_lines", "blank_lines",
              "boilerplate_lines", "reject_lines", "papers")
    return Suite(
        "ingest_files",
        (
            _rows("ingest_files"),
            _not_null("source_file", "ingested file"),
            _unique("source_file", "ingested file"),
            _between("lines_accounted_for", "unaccounted_lines", 0, 0,
                     "every line of every file is counted once: lines = paper + duplicate + blank + boilerplate "
                     "+ reject lines"),
            *_non_negative(counts, "a file's"),
            _between("file_reject_share_low", "reject_share", 0, MAX_FILE_REJECT_SHARE,
                     f"at most {MAX_FILE_REJECT_SHARE:.0%} of a file's non-blank lines are rejects "
                     "(failing files are quarantined)", severity=WARNING),
            Check("file_encoding_known", "ExpectColumnValuesToBeInSet",
                  {"column": "encoding_norm", "value_set": list(KNOWN_ENCODINGS)}, WARNING,
                  f"every file's encoding is a known text encoding ({', '.join(KNOWN_ENCODINGS)}); "
                  "failing files are quarantined"),
            _between("file_replaced_bytes_low", "replaced_share", 0, MAX_FILE_REPLACED_SHARE,
                     f"at most {MAX_FILE_REPLACED_SHARE:.1%} of a file's bytes were undecodable and replaced "
                     "(failing files are quarantined)", severity=WARNING),
        ),
        key_columns=("source_file",),
        derive=derive_ingest_files,
        derive_inputs=("lines", "paper_lines", "duplicate_lines", "blank_lines", "boilerplate_lines",
                       "reject_lines", "bytes", "replaced_bytes", "encoding"),
        example_cap=1_000,  # quarantined_files needs every failing file
    )


def _rejects() -> Suite:
    return Suite(
        "rejects",
        (
            Check("rejects_may_be_empty", "ExpectTableRowCountToBeBetween", {"min_value": 0}, WARNING,
                  "rejects may be empty (no rejected lines is fine)"),
            _not_null("source_file", "reject"),
            _not_null("reason", "reject"),
            _between("line_number_not_negative", "line_number", 0, None,
                     "every reject points at a 1-based line, or 0 for a whole file or folder entry"),
        ),
        key_columns=("source_file", "line_number"),
    )


def _topics() -> Suite:
    return Suite(
        "topics",
        (
            _rows("topics"),
            _not_null("topic_id", "topic"),
            _unique("topic_id", "topic"),
            _not_null("label", "topic"),
            _between("paper_count_positive", "paper_count", 1, None, "every topic has at least one paper"),
        ),
        key_columns=("topic_id",),
    )


def _paper_topics() -> Suite:
    return Suite(
        "paper_topics",
        (
            _rows("paper_topics"),
            _not_null("paper_id", "paper-topic row"),
            _not_null("topic_id", "paper-topic row"),
            Check("paper_topic_pair_unique", "ExpectCompoundColumnsToBeUnique",
                  {"column_list": ["paper_id", "topic_id"]}, BLOCKING, "a paper is linked to a topic at most once"),
            _between("score_in_unit_interval", "score", 0, 1 + SCORE_EPS, "every topic score is in [0, 1]"),
            _between("one_primary_topic_per_paper", "primary_count", 1, 1, "every paper has exactly one primary topic"),
        ),
        key_columns=("paper_id",),
        derive=derive_paper_topics,
        derive_inputs=("paper_id", "is_primary"),
    )


def _topic_terms() -> Suite:
    return Suite(
        "topic_terms",
        (
            _rows("topic_terms"),
            _not_null("topic_id", "topic term"),
            _not_null("term", "topic term"),
            Check("topic_term_pair_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["topic_id", "term"]},
                  BLOCKING, "a term is listed once per topic"),
            _between("weight_non_negative", "weight", 0, None, "term weights are never negative"),
            _between("rank_positive", "rank", 1, None, "term ranks start at 1"),
        ),
        key_columns=("topic_id", "term"),
    )


def _categories() -> Suite:
    return Suite(
        "categories",
        (
            _rows("categories"),
            _not_null("category_id", "category"),
            _unique("category_id", "category"),
            _not_null("name", "category"),
        ),
        key_columns=("category_id",),
    )


def _paper_categories() -> Suite:
    return Suite(
        "paper_categories",
        (
            _not_null("paper_id", "paper-category row"),
            _not_null("category_id", "paper-category row"),
            Check("paper_category_pair_unique", "ExpectCompoundColumnsToBeUnique",
                  {"column_list": ["paper_id", "category_id"]}, BLOCKING,
                  "a paper is linked to a category at most once"),
        ),
        key_columns=("paper_id", "category_id"),
    )


def _claims() -> Suite:
    units, kinds, directions, scales = claim_vocabularies(with_scales=True)
    return Suite(
        "claims",
        (
            _not_null("paper_id", "claim"),
            _not_null("value", "claim"),
            Check("unit_in_vocabulary", "ExpectColumnValuesToBeInSet", {"column": "unit", "value_set": list(units)},
                  BLOCKING, "every claim unit is in the claims vocabulary (UNITS)"),
            Check("kind_in_vocabulary", "ExpectColumnValuesToBeInSet", {"column": "kind", "value_set": list(kinds)},
                  BLOCKING, "every claim kind is in the claims vocabulary (KINDS)"),
            Check("direction_in_vocabulary", "ExpectColumnValuesToBeInSet",
                  {"column": "direction", "value_set": list(directions)}, BLOCKING,
                  "every claim direction is in the claims vocabulary (DIRECTIONS)"),
            Check("unit_scale_in_vocabulary", "ExpectColumnValuesToBeInSet",
                  {"column": "unit_scale", "value_set": list(scales)}, BLOCKING,
                  "every claim unit scale is in the claims vocabulary (UNIT_SCALES)", optional=True),
            _between("span_start_non_negative", "span_start", 0, None, "claim spans start inside the abstract"),
            Check("span_end_after_start", "ExpectColumnPairValuesAToBeGreaterThanB",
                  {"column_A": "span_end", "column_B": "span_start"}, BLOCKING,
                  "every claim span ends after it starts"),
            Check("span_text_matches_abstract", "ExpectColumnValuesToBeInSet",
                  {"column": "span_matches_abstract", "value_set": [True]}, BLOCKING,
                  "every claim's text is exactly abstract[span_start:span_end] (code points)", optional=True),
            Check("paper_claim_index_unique", "ExpectCompoundColumnsToBeUnique",
                  {"column_list": ["paper_id", "claim_index"]}, BLOCKING, "claim indexes are unique per paper",
                  optional=True),
        ),
        key_columns=("paper_id", "claim_index"),
        notes="vocabularies: assets.metrics.claims UNITS/KINDS/DIRECTIONS when defined, else local fallbacks",
    )


def _paper_metrics() -> Suite:
    return Suite(
        "paper_metrics",
        (
            _not_null("paper_id", "paper-metrics row"),
            _unique("paper_id", "paper-metrics row"),
            *_non_negative(("title_words", "abstract_words", "sentences", "claims", "acronyms"), "a paper's"),
        ),
        key_columns=("paper_id",),
    )


def _topic_metrics() -> Suite:
    return Suite(
        "topic_metrics",
        (
            _not_null("topic_id", "topic-metrics row"),
            _unique("topic_id", "topic-metrics row"),
            *_non_negative(("papers", "median_abstract_words", "papers_with_claims"), "a topic's"),
            Check("papers_with_claims_at_most_papers", "ExpectColumnPairValuesAToBeGreaterThanB",
                  {"column_A": "papers", "column_B": "papers_with_claims", "or_equal": True}, BLOCKING,
                  "a topic cannot have more papers with claims than papers", optional=True),
        ),
        key_columns=("topic_id",),
    )


_BUILDERS: dict[str, Callable[[], Suite]] = {
    "papers": _papers,
    "ingest_files": _ingest_files,
    "rejects": _rejects,
    "topics": _topics,
    "paper_topics": _paper_topics,
    "topic_terms": _topic_terms,
    "categories": _categories,
    "paper_categories": _paper_categories,
    "claims": _claims,
    "paper_metrics": _paper_metrics,
    "topic_metrics": _topic_metrics,
}
DATASETS: tuple[str, ...] = tuple(_BUILDERS)


def get_suite(dataset: str) -> Suite:
    """The suite for a dataset (raises KeyError naming the known datasets)."""
    try:
        return _BUILDERS[dataset]()
    except KeyError:
        raise KeyError(f"no validation suite for {dataset!r}; known: {', '.join(DATASETS)}") from None
