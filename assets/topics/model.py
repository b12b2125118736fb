"""Topic model over `papers` in a DuckDB connection: TF-IDF in SQL, clustering in scikit-learn.

`fit_model(con, settings, previous_topic_terms)` fits a TopicModel (vocabulary with idf, unit-length topic
vectors, labels, lineage, tokenizer pattern) and scores every paper under it; `build_topics` also creates:

- topics(topic_id INTEGER, label VARCHAR, top_terms VARCHAR[], paper_count BIGINT, secondary_count BIGINT,
  share DOUBLE)
- paper_topics(paper_id, topic_id INTEGER, score DOUBLE, is_primary BOOLEAN): exactly one primary per paper
- topic_terms(topic_id INTEGER, term VARCHAR, weight DOUBLE, rank INTEGER): the unit-length topic vectors the
  papers are scored against (what the next fit's stability matching compares)
- topic_lineage(topic_id INTEGER, previous_topic_id INTEGER, similarity DOUBLE, status VARCHAR)
plus the intermediate tables topic_fit_papers, paper_terms, term_stats, paper_term_weights (fit sample only).
The pipeline keeps the model between runs and only scores new papers: assets/topics/lifecycle.py.

Scale design: term statistics and the model are computed on a deterministic sample of at most
`fit_sample_size` papers (smallest md5(paper_id)); every paper (sample included, so assignment is one rule) is
then scored against the truncated topic vectors. Each paper is tokenised once: sample papers reuse their
paper_term_weights vectors; the others are prepared by one cheap regexp pass in DuckDB and scored in batches
on term ids in numpy/scipy (assets/topics/scoring.py: raw words looked up among the raw spellings of the
vocabulary, so stop words and non-vocabulary terms fall out). Scores depend on the paper and the model only. Topic ids: 1.. by paper count (desc) then label, or the
previous model's id of the topic they match; 0 is reserved for papers without any vocabulary term ("unassigned").
"""

from __future__ import annotations

import math
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

from assets.core.duck import registered
from assets.core.sql import load_sql

if TYPE_CHECKING:  # scipy and scikit-learn are imported where a fit needs them: a refresh that only assigns
    import scipy.sparse as sp  # papers to the kept model never loads them (~2-3 s of imports)

STOPWORDS_PATH = Path(__file__).resolve().parent / "stopwords.txt"
UNASSIGNED_TOPIC_ID = 0
UNASSIGNED_LABEL = "(unassigned: no vocabulary terms)"


@dataclass(frozen=True)
class TopicSettings:
    algorithm: str = "nmf"  # "nmf" | "kmeans"
    min_topics: int = 8
    max_topics: int = 30
    k_candidates: int = 5  # how many k values in [min_topics, max_topics] are tried
    min_papers_per_topic: int = 8  # caps k at n_docs // this for small corpora
    use_bigrams: bool = True
    min_df: int = 3
    max_df_share: float = 0.5
    max_terms: int = 20_000
    fit_sample_size: int = 30_000  # ~30 topics over a 20k vocabulary; the NMF fit's time grows with it
    select_sample_size: int = 8_000  # papers used to choose k
    max_iter: int = 100
    tol: float = 1e-3  # NMF stopping tolerance (1e-2 stops at ~35 iterations but chose other k on the sample dump)
    terms_per_topic: int = 100  # length of each stored topic vector (topic_terms rows per topic)
    top_terms: int = 10
    label_terms: int = 3
    secondary_min_score: float = 0.1
    secondary_min_ratio: float = 0.6
    max_secondary: int = 2
    lineage_min_similarity: float = 0.3
    seed: int = 0
    score_batch_size: int = 50_000  # papers tokenised at once (memory follows it)
    memory_limit: str | None = "4GB"
    temp_directory: str | None = None
    threads: int | None = None
    stopwords_path: Path = field(default=STOPWORDS_PATH)


# ---------------------------------------------------------------- stop words / tokenizer parameters

_SEP = r"[\t\n\r -]+"  # what joins the words of a phrase (topic_tokenizer.sql: whitespace and hyphens)


def fold_word(w: str) -> str:
    """Plural folding of one word, the rules of topic_fold in topic_tokenizer.sql."""
    if len(w) >= 5 and w.endswith("ies"):
        return w[:-3] + "y"
    if (len(w) >= 5 and w.endswith("sses")) or (len(w) >= 4 and w.endswith("xes")):
        return w[:-2]
    if len(w) >= 4 and w.endswith("s") and w[-2] not in "isu":
        return w[:-1]
    return w


def fold_plural(text: str) -> str:
    """fold_word applied to every word (run of a-z) of text."""
    return re.sub(r"[a-z]+", lambda m: fold_word(m.group(0)), text)


def raw_forms(word: str) -> list[str]:
    """Every spelling fold_word maps to `word`: the raw words the scorer looks up (assets/topics/scoring.py)."""
    cands = [word, word + "s", word + "es"] + ([word[:-1] + "ies"] if word.endswith("y") else [])
    return [c for c in cands if fold_word(c) == word]


def load_stopwords(path: Path = STOPWORDS_PATH) -> list[str]:
    words = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if not re.fullmatch(r"[a-z]+(?:[ -][a-z]+)*", line):
            raise ValueError(f"{path}: bad stop word {raw!r} (letters, spaces and hyphens only)")
        words.append(line)
    return words


def stop_words(words: list[str]) -> list[str]:
    """The single stop words and their folded forms (a word is a stop word when its folded form is one)."""
    single = [w for w in words if not re.search(r"[ -]", w)]
    return sorted({fold_word(w) for w in single} | {w for w in single if fold_word(w) == w})


def stop_word_pattern(words: list[str]) -> str:
    """RE2 pattern fully matching a folded stop word or a single letter; bound as $stop_word_pattern."""
    return "[a-z]|" + "|".join(re.escape(w) for w in sorted(stop_words(words), key=lambda w: (-len(w), w)))


def break_pattern(words: list[str]) -> str:
    """RE2 pattern of everything that breaks a run of words: any stop phrase ("state of the art", in any
    spelling that folds to it, words joined by whitespace/hyphens) and any run of characters other than
    a-z, whitespace and hyphens; bound as $break_pattern. Small: single stop words are not in it."""
    alts = set()
    for w in words:
        parts = re.split(r"[ -]+", w)
        if len(parts) < 2:
            continue
        for form in {tuple(parts), tuple(fold_word(p) for p in parts)}:
            alts.add(_SEP.join("(?:" + "|".join(sorted(raw_forms(p))) + ")" for p in form))
    alts = sorted(alts, key=lambda f: (-len(f), f))  # longest first: the longer phrase wins
    phrases = r"\b(?:" + "|".join(alts) + r")\b|" if alts else ""
    return phrases + r"[^a-z\t\n\r -]+"


# ---------------------------------------------------------------- SQL helpers

# Tables the topic stage (re)creates; the statements are constants, never assembled from names.
_DROP_TABLE = {
    "topic_fit_papers": "DROP TABLE IF EXISTS topic_fit_papers",
    "paper_terms": "DROP TABLE IF EXISTS paper_terms",
    "term_stats": "DROP TABLE IF EXISTS term_stats",
    "paper_term_weights": "DROP TABLE IF EXISTS paper_term_weights",
    "paper_topic_scores": "DROP TABLE IF EXISTS paper_topic_scores",
    "topic_fit_memberships": "DROP TABLE IF EXISTS topic_fit_memberships",
    "paper_topic_memberships": "DROP TABLE IF EXISTS paper_topic_memberships",
    "topic_term_ctfidf": "DROP TABLE IF EXISTS topic_term_ctfidf",
    "topic_terms": "DROP TABLE IF EXISTS topic_terms",
    "topic_lineage": "DROP TABLE IF EXISTS topic_lineage",
    "topics": "DROP TABLE IF EXISTS topics",
    "paper_topics": "DROP TABLE IF EXISTS paper_topics",
    "topic_scores": "DROP TABLE IF EXISTS topic_scores",
    "topic_score_targets": "DROP TABLE IF EXISTS topic_score_targets",
    "paper_topic_contents": "DROP TABLE IF EXISTS paper_topic_contents",
    "topic_score_cache": "DROP TABLE IF EXISTS topic_score_cache",
    "topic_score_new": "DROP TABLE IF EXISTS topic_score_new",
}


def create_table(con, table: str, sql_name: str, params: dict | None = None) -> None:
    """(Re)create `table` from sql/<sql_name>.sql through the relation API: no SQL text is pasted together."""
    con.execute(_DROP_TABLE[table])
    con.sql(load_sql(sql_name), params=params or {}).create(table)


def drop_table(con, table: str) -> None:
    con.execute(_DROP_TABLE[table])


def configure(con, s: TopicSettings) -> None:
    """Memory, spill and thread settings of `con`, and the tokenizer macros every topic SQL file uses."""
    if s.memory_limit:
        con.execute("SET memory_limit = ?", [s.memory_limit])
    if s.temp_directory:
        con.execute("SET temp_directory = ?", [s.temp_directory])
    if s.threads:
        con.execute("SET threads = ?", [s.threads])
    con.execute("SET preserve_insertion_order = false")
    con.execute(load_sql("topic_tokenizer"))


def prepare_terms(con, s: TopicSettings) -> str:
    """Create topic_fit_papers, paper_terms, term_stats, paper_term_weights; return the break pattern."""
    configure(con, s)
    words = load_stopwords(s.stopwords_path)
    pattern = break_pattern(words)
    create_table(con, "topic_fit_papers", "topic_fit_papers", {"sample_size": s.fit_sample_size})
    create_table(con, "paper_terms", "paper_terms",
            {"break_pattern": pattern, "stop_word_pattern": stop_word_pattern(words), "with_bigrams": s.use_bigrams})
    create_table(con, "term_stats", "term_stats",
            {"min_df": s.min_df, "max_df_share": s.max_df_share, "max_terms": s.max_terms})
    create_table(con, "paper_term_weights", "paper_term_weights")
    return pattern


def fit_matrix(con) -> tuple[sp.csr_matrix, list[str], list[str]]:
    """CSR (fit papers sorted by paper_id x term_id) of paper_term_weights, paper ids, vocabulary. float32: the
    NMF solver keeps the input's precision, and float32 halves its time; the topic vectors are rounded anyway."""
    import scipy.sparse as sp
    paper_ids = [r[0] for r in con.execute("SELECT paper_id FROM topic_fit_papers ORDER BY paper_id").fetchall()]
    vocab = [r[0] for r in con.execute("SELECT term FROM term_stats ORDER BY term_id").fetchall()]
    t = con.sql(
        """SELECT r.row_idx, w.term_id, w.weight FROM paper_term_weights w
           JOIN (SELECT paper_id, (row_number() OVER (ORDER BY paper_id) - 1)::INTEGER AS row_idx
                 FROM topic_fit_papers) r USING (paper_id)""").to_arrow_table()
    x = sp.csr_matrix(
        (t["weight"].to_numpy().astype(np.float32),
         (t["row_idx"].to_numpy(), t["term_id"].to_numpy())),
        shape=(len(paper_ids), len(vocab)))
    x.sort_indices()
    return x, paper_ids, vocab


# ---------------------------------------------------------------- clustering

def fit_topic_vectors(x: sp.csr_matrix, k: int, algorithm: str, seed: int, max_iter: int = 100,
                      tol: float = 1e-3) -> np.ndarray:
    """k x V non-negative topic-term matrix (rows not normalised, float64). BLAS and OpenMP run one thread:
    their threads spin against DuckDB's and each other on 2 cores (NMF k=30 of a random sparse 30,000 x 20,000
    matrix: 10-15 s wall and 13-17 s CPU with the default threads, 4.5-5 s with one), and one thread sums in
    one order."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _fit_topic_vectors(x, k, algorithm, seed, max_iter, tol)


def _fit_topic_vectors(x: sp.csr_matrix, k: int, algorithm: str, seed: int, max_iter: int, tol: float) -> np.ndarray:
    from sklearn.exceptions import ConvergenceWarning
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # max_iter is a deliberate time cap
    if algorithm == "nmf":
        from sklearn.decomposition import NMF
        model = NMF(n_components=k, init="nndsvd", solver="cd", beta_loss="frobenius", tol=tol,
                    max_iter=max_iter, random_state=seed, shuffle=False)
        model.fit(x)
        return np.asarray(model.components_, dtype=np.float64)
    if algorithm == "kmeans":
        from sklearn.cluster import KMeans
        model = KMeans(n_clusters=k, n_init=3, max_iter=max_iter, random_state=seed)
        model.fit(x)  # rows are unit length, so euclidean k-means ~ spherical k-means
        return np.clip(np.asarray(model.cluster_centers_, dtype=np.float64), 0, None)
    raise ValueError(f"unknown topic algorithm {algorithm!r} (expected 'nmf' or 'kmeans')")


def truncate_unit(h: np.ndarray, n_terms: int) -> np.ndarray:
    """Keep each row's n_terms largest weights, L2-normalise; rounded so ties and reruns are stable."""
    out = np.zeros_like(h)
    for i, row in enumerate(h):
        top = np.argsort(-row, kind="stable")[:n_terms]
        top = top[row[top] > 0]
        out[i, top] = row[top]
        norm = np.linalg.norm(out[i])
        if norm > 0:
            out[i] /= norm
    return np.round(out, 10)


def npmi_coherence(binary: sp.csc_matrix, top_term_ids: list[list[int]]) -> float:
    """Mean NPMI over all term pairs of each topic's top terms, document co-occurrence in `binary`."""
    n = binary.shape[0]
    scores = []
    for ids in top_term_ids:
        if len(ids) < 2:
            continue
        sub = binary[:, ids]
        co = (sub.T @ sub).toarray()
        df = np.diag(co)
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                if co[a, b] == 0 or df[a] == 0 or df[b] == 0:
                    scores.append(-1.0)
                    continue
                p_ab = co[a, b] / n
                p_a, p_b = df[a] / n, df[b] / n
                if p_ab >= 1.0:
                    scores.append(1.0)
                    continue
                scores.append(math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return float(np.mean(scores)) if scores else 0.0


def topic_diversity(top_term_ids: list[list[int]]) -> float:
    all_terms = [t for ids in top_term_ids for t in ids]
    return len(set(all_terms)) / len(all_terms) if all_terms else 0.0


def top_ids(h: np.ndarray, n: int) -> list[list[int]]:
    return [[int(j) for j in np.argsort(-row, kind="stable")[:n] if row[j] > 0] for row in h]


def candidate_ks(s: TopicSettings, n_docs: int) -> list[int]:
    hi = max(2, min(s.max_topics, n_docs // max(1, s.min_papers_per_topic)))
    lo = max(2, min(s.min_topics, hi))
    if s.k_candidates <= 1 or hi == lo:
        return [hi if s.k_candidates <= 1 else lo]
    ks = sorted({int(round(v)) for v in np.linspace(lo, hi, s.k_candidates)})
    return ks


def choose_k(x: sp.csr_matrix, s: TopicSettings) -> tuple[int, list[dict]]:
    """Fit each candidate k on a deterministic subsample; pick the highest NPMI coherence x diversity."""
    n = x.shape[0]
    ks = candidate_ks(s, n)
    if len(ks) == 1:
        return ks[0], []
    rows = np.arange(n)
    if n > s.select_sample_size:
        rows = np.sort(np.random.default_rng(s.seed).choice(n, s.select_sample_size, replace=False))
    sub = x[rows]
    binary = (sub > 0).astype(np.float64).tocsc()
    trials = []
    for k in ks:
        h = fit_topic_vectors(sub, k, s.algorithm, s.seed, s.max_iter, s.tol)
        npmi = npmi_coherence(binary, top_ids(h, 10))
        div = topic_diversity(top_ids(h, 25))
        trials.append({"k": k, "npmi": npmi, "diversity": div, "score": npmi * div})
    best = max(trials, key=lambda t: (round(t["score"], 9), -t["k"]))
    return best["k"], trials


# ---------------------------------------------------------------- scoring

def vectors_table(h: np.ndarray, topic_ids: list[int]) -> pa.Table:
    """The non-zero topic weights as (topic_id, term_id, weight) rows: what assets/topics/scoring.py scores against."""
    ti, tj = np.nonzero(h)
    return pa.table({
        "topic_id": pa.array(np.asarray(topic_ids, dtype=np.int32)[ti]),
        "term_id": pa.array(tj.astype(np.int32)),
        "weight": pa.array(h[ti, tj].astype(np.float64)),
    })


def score_papers(con, source: str, vectors: pa.Table, pattern: str, s: TopicSettings,
                 reuse_fit_vectors: bool = True) -> None:
    """(Re)create paper_topic_scores for the papers of table/view `source` (paper_id, title, abstract) against
    `vectors` (vectors_table) and term_stats, and the view topic_scored_papers of the papers scored. With
    reuse_fit_vectors, fit-sample papers are scored from paper_term_weights; the others are tokenised once
    (assets/topics/scoring.py, `score_batch_size` papers at a time, keeping the rows assign_memberships can
    pick)."""
    from assets.topics.scoring import TermIndex, score_batches

    papers = con.table(source).set_alias("source")
    papers.select("paper_id").create_view("topic_scored_papers", replace=True)
    drop_table(con, "paper_topic_scores")
    if reuse_fit_vectors:
        fit = con.table("topic_fit_papers").select("paper_id").set_alias("fit")
        papers.join(fit, "paper_id", how="anti").create_view("topic_score_input", replace=True)
        papers.join(fit, "paper_id", how="semi").select("paper_id").create_view("topic_score_fit_input", replace=True)
        with registered(con, {"topic_model_terms": vectors}):
            con.sql(load_sql("paper_topic_scores_fit")).create("paper_topic_scores")
    else:
        papers.create_view("topic_score_input", replace=True)
        _insert_scores(con, pa.table({"paper_id": pa.array([], pa.string()), "topic_id": pa.array([], pa.int32()),
                                      "score": pa.array([], pa.float64())}), create=True)
    index = TermIndex.build(con.table("term_stats").select("term_id", "term", "idf").to_arrow_table(), vectors)
    texts = con.sql(load_sql("topic_score_texts"), params={"break_pattern": pattern})
    # the reader holds the connection: the rows are inserted once it is drained
    scored = list(score_batches(texts.to_arrow_reader(s.score_batch_size), index, s.use_bigrams,
                                keep_best=1 + s.max_secondary))
    while scored:
        _insert_scores(con, scored.pop(0))


def _insert_scores(con, rows: pa.Table, create: bool = False) -> None:
    """Append (paper_id, topic_id, score) rows to paper_topic_scores, the score rounded in DuckDB as the
    fit-vector route (sql/paper_topic_scores_fit.sql) rounds it."""
    rel = con.from_arrow(rows).select("paper_id", "topic_id", duckdb.SQLExpression("round(score, 9) AS score"))
    if create:
        rel.create("paper_topic_scores")
    else:
        rel.insert_into("paper_topic_scores")


def assign_memberships(con, table: str, s: TopicSettings) -> None:
    """(Re)create `table` (paper_id, topic_id, score, is_primary) from the last score_papers call, by the
    assignment rule of sql/paper_topic_memberships.sql."""
    create_table(con, table, "paper_topic_memberships", {
        "max_secondary": s.max_secondary, "secondary_min_score": s.secondary_min_score,
        "secondary_min_ratio": s.secondary_min_ratio, "unassigned_topic_id": UNASSIGNED_TOPIC_ID})


# ---------------------------------------------------------------- labels, ids, lineage

def make_label(terms: list[str], n: int, pool: int = 10) -> str:
    """n of the `pool` most distinctive terms, bigrams first (more readable: "kv cache / long context"),
    skipping a word already shown inside a chosen bigram."""
    chosen: list[str] = []
    top = terms[:pool]
    for t in [t for t in top if " " in t] + [t for t in top if " " not in t]:
        words = set(t.split())
        if any(words <= set(c.split()) or words >= set(c.split()) for c in chosen):
            continue
        chosen.append(t)
        if len(chosen) == n:
            break
    return " / ".join(chosen)


def match_previous(new_vecs: dict[int, dict[str, float]], prev_vecs: dict[int, dict[str, float]],
                   min_similarity: float) -> dict[int, tuple[int, float]]:
    """Hungarian matching of new topics (by provisional key) to previous topic ids on cosine similarity."""
    new_keys, prev_keys = sorted(new_vecs), sorted(prev_vecs)
    if not new_keys or not prev_keys:
        return {}
    sim = np.zeros((len(new_keys), len(prev_keys)))
    for a, nk in enumerate(new_keys):
        nv = new_vecs[nk]
        nn = math.sqrt(sum(v * v for v in nv.values())) or 1.0
        for b, pk in enumerate(prev_keys):
            pv = prev_vecs[pk]
            pn = math.sqrt(sum(v * v for v in pv.values())) or 1.0
            sim[a, b] = sum(w * pv.get(t, 0.0) for t, w in nv.items()) / (nn * pn)
    from scipy.optimize import linear_sum_assignment
    rows, cols = linear_sum_assignment(-np.round(sim, 12))
    return {new_keys[r]: (prev_keys[c], float(sim[r, c]))
            for r, c in zip(rows, cols) if sim[r, c] >= min_similarity}


def _previous_vectors(previous_topic_terms: pa.Table | None) -> dict[int, dict[str, float]]:
    if previous_topic_terms is None:
        return {}
    d = previous_topic_terms.to_pydict()
    out: dict[int, dict[str, float]] = {}
    for tid, term, w in zip(d["topic_id"], d["term"], d["weight"]):
        if tid is None or tid == UNASSIGNED_TOPIC_ID:
            continue
        out.setdefault(int(tid), {})[term] = float(w)
    return out


# ---------------------------------------------------------------- the fitted model

@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model: everything that scores a paper (tokenizer pattern, vocabulary with idf, topic
    vectors) and names its topics. Scoring a paper under it needs no other paper."""

    vocabulary: pa.Table  # term_stats: term_id, term, df, cf, idf, is_bigram
    topic_terms: pa.Table  # topic_id, term, weight, rank: the unit-length topic vectors
    topics: pa.Table  # topic_id, label, top_terms; includes the reserved unassigned topic
    lineage: pa.Table  # topic_id, previous_topic_id, similarity, status
    break_pattern: str
    summary: dict = field(default_factory=dict, compare=False)  # k, k_trials, sizes, seconds of the fit

    def vectors(self) -> pa.Table:
        """The topic vectors as vectors_table rows (term ids of this model's vocabulary)."""
        joined = self.topic_terms.join(self.vocabulary.select(["term", "term_id"]), "term")
        return joined.select(["topic_id", "term_id", "weight"])


class Clock:
    """Seconds per named step, for logs and metadata."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._t, 2)
        self._t = now


def fit_model(con: duckdb.DuckDBPyConnection, settings: TopicSettings | None = None,
              previous_topic_terms: pa.Table | None = None) -> TopicModel:
    """Fit a model on the `papers` of `con` and score every paper under it: leaves paper_topic_scores and
    paper_topic_memberships (by paper_id, final topic ids) in `con`, derived by the same rule as scoring a
    paper under the saved model. Topic ids continue `previous_topic_terms` where topics match."""
    s = settings or TopicSettings()
    clock = Clock()
    pattern = prepare_terms(con, s)
    clock.lap("terms")
    n_papers = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
    x, _, vocab = fit_matrix(con)
    if x.shape[0] == 0 or x.shape[1] == 0 or x.nnz == 0:
        raise ValueError(f"no topic vocabulary: {x.shape[0]} fit papers, {x.shape[1]} terms "
                         f"(min_df={s.min_df}, max_df_share={s.max_df_share})")
    clock.lap("matrix")
    k, trials = choose_k(x, s)
    clock.lap("choose_k")
    h = truncate_unit(fit_topic_vectors(x, k, s.algorithm, s.seed, s.max_iter, s.tol), s.terms_per_topic)
    clock.lap("fit")
    h = h[[i for i in range(h.shape[0]) if h[i].any()]]

    # Pass 1: score the fit sample with provisional keys 1..k; drop topics nobody chose as primary.
    prov = list(range(1, h.shape[0] + 1))
    score_papers(con, "topic_fit_papers", vectors_table(h, prov), pattern, s)
    assign_memberships(con, "topic_fit_memberships", s)
    used = {r[0] for r in con.execute(
        "SELECT DISTINCT topic_id FROM topic_fit_memberships WHERE is_primary AND topic_id <> ?",
        [UNASSIGNED_TOPIC_ID]).fetchall()}
    if len(used) < len(prov):
        h = h[[i for i, key in enumerate(prov) if key in used]]
        prov = list(range(1, h.shape[0] + 1))
        score_papers(con, "topic_fit_papers", vectors_table(h, prov), pattern, s)
        assign_memberships(con, "topic_fit_memberships", s)
    clock.lap("score_sample")
    ranked_terms = _ranked_terms(con, s)

    # Pass 2: score every paper (the sample's scores already are every paper's when the sample is the corpus).
    if n_papers > x.shape[0]:
        score_papers(con, "papers", vectors_table(h, prov), pattern, s)
    assign_memberships(con, "paper_topic_memberships", s)
    clock.lap("score_all")
    counts = dict(con.execute("SELECT topic_id, count(*) FROM paper_topic_memberships WHERE is_primary "
                              "GROUP BY topic_id").fetchall())

    # Canonical order: paper count desc, then label; previous ids kept where matched.
    labels = {key: make_label(ranked_terms.get(key, []), s.label_terms) for key in prov}
    order = sorted(prov, key=lambda key: (-counts.get(key, 0), labels[key], key))
    new_vecs = {key: {vocab[j]: float(h[i, j]) for j in np.nonzero(h[i])[0]} for i, key in enumerate(prov)}
    prev_vecs = _previous_vectors(previous_topic_terms)
    matches = match_previous(new_vecs, prev_vecs, s.lineage_min_similarity)
    next_id = max([UNASSIGNED_TOPIC_ID, *prev_vecs]) + 1
    final_id: dict[int, int] = {}
    lineage = []
    for key in order:
        if key in matches:
            final_id[key] = matches[key][0]
            lineage.append((final_id[key], matches[key][0], round(matches[key][1], 9), "matched"))
        else:
            final_id[key] = next_id
            next_id += 1
            lineage.append((final_id[key], None, None, "new"))

    # The memberships again under the final ids (ties between equal scores go to the lower final id).
    _rename_scored_topics(con, prov, final_id)
    assign_memberships(con, "paper_topic_memberships", s)
    model = TopicModel(
        vocabulary=con.sql("SELECT term_id, term, df::BIGINT AS df, cf::BIGINT AS cf, idf, is_bigram "
                           "FROM term_stats ORDER BY term_id").to_arrow_table(),
        topic_terms=_topic_terms_table(h, prov, final_id, vocab),
        topics=_topic_meta_table(prov, final_id, labels, ranked_terms, s),
        lineage=pa.table({
            "topic_id": pa.array([r[0] for r in lineage], pa.int32()),
            "previous_topic_id": pa.array([r[1] for r in lineage], pa.int32()),
            "similarity": pa.array([r[2] for r in lineage], pa.float64()),
            "status": pa.array([r[3] for r in lineage], pa.string())}).sort_by("topic_id"),
        break_pattern=pattern,
    )
    clock.lap("assign")
    model.summary.update({"seconds": clock.laps, "k": len(prov), "k_trials": trials, "fit_papers": x.shape[0],
                          "vocabulary": len(vocab), "papers": n_papers, "topic_ids": [final_id[k] for k in order]})
    return model


def _ranked_terms(con, s: TopicSettings) -> dict[int, list[str]]:
    """Each provisional topic's most distinctive terms (c-TF-IDF over the fit sample's primary topics)."""
    con.execute("CREATE OR REPLACE TEMP VIEW topic_fit_assignments AS "
                "SELECT paper_id, topic_id FROM topic_fit_memberships WHERE is_primary")
    create_table(con, "topic_term_ctfidf", "topic_term_ctfidf")
    ct = con.execute("SELECT topic_id, term FROM topic_term_ctfidf "
                     "QUALIFY row_number() OVER (PARTITION BY topic_id ORDER BY round(weight, 12) DESC, term) <= ? "
                     "ORDER BY topic_id, round(weight, 12) DESC, term", [max(s.top_terms, 25)]).fetchall()
    ranked: dict[int, list[str]] = {}
    for tid, term in ct:
        ranked.setdefault(tid, []).append(term)
    return ranked


def _rename_scored_topics(con, prov: list[int], final_id: dict[int, int]) -> None:
    """paper_topic_scores with provisional keys replaced by the final topic ids."""
    con.register("topic_id_map", pa.table({"prov": pa.array(prov, pa.int32()),
                                           "topic_id": pa.array([final_id[k] for k in prov], pa.int32())}))
    con.execute("CREATE OR REPLACE TEMP TABLE topic_scores_final AS SELECT s.paper_id, m.topic_id, s.score "
                "FROM paper_topic_scores AS s JOIN topic_id_map AS m ON s.topic_id = m.prov")
    drop_table(con, "paper_topic_scores")
    con.execute("CREATE TABLE paper_topic_scores AS SELECT * FROM topic_scores_final")
    con.execute("DROP TABLE topic_scores_final")
    con.unregister("topic_id_map")


def _topic_terms_table(h: np.ndarray, prov: list[int], final_id: dict[int, int], vocab: list[str]) -> pa.Table:
    rows: dict[str, list] = {"topic_id": [], "term": [], "weight": [], "rank": []}
    for i, key in enumerate(prov):
        ids = [j for j in np.argsort(-h[i], kind="stable") if h[i, j] > 0]
        for r, j in enumerate(ids, start=1):
            rows["topic_id"].append(final_id[key])
            rows["term"].append(vocab[j])
            rows["weight"].append(float(h[i, j]))
            rows["rank"].append(r)
    return pa.table({"topic_id": pa.array(rows["topic_id"], pa.int32()), "term": pa.array(rows["term"], pa.string()),
                     "weight": pa.array(rows["weight"], pa.float64()), "rank": pa.array(rows["rank"], pa.int32())}
                    ).sort_by([("topic_id", "ascending"), ("rank", "ascending")])


def _topic_meta_table(prov, final_id, labels, ranked_terms, s: TopicSettings) -> pa.Table:
    ids = [final_id[key] for key in prov] + [UNASSIGNED_TOPIC_ID]
    names = [labels[key] for key in prov] + [UNASSIGNED_LABEL]
    terms = [ranked_terms.get(key, [])[: s.top_terms] for key in prov] + [[]]
    return pa.table({"topic_id": pa.array(ids, pa.int32()), "label": pa.array(names, pa.string()),
                     "top_terms": pa.array(terms, pa.list_(pa.string()))}).sort_by("topic_id")


def write_model_tables(con, model: TopicModel) -> None:
    """Create topic_terms, topic_lineage and topics (counts and shares aggregated over `paper_topics`)."""
    for table in ("topic_terms", "topic_lineage", "topics"):
        drop_table(con, table)
    con.from_arrow(model.topic_terms).create("topic_terms")
    con.from_arrow(model.lineage).create("topic_lineage")
    con.register("topic_meta", model.topics)
    con.sql(load_sql("topics"), params={"unassigned_topic_id": UNASSIGNED_TOPIC_ID}).create("topics")
    con.unregister("topic_meta")


def build_topics(con: duckdb.DuckDBPyConnection, settings: TopicSettings | None = None,
                 previous_topic_terms: pa.Table | None = None) -> dict:
    """Fit and build topics, paper_topics, topic_terms, topic_lineage in `con` from its `papers` table, with no
    model kept (evaluation and tests; the pipeline keeps its model: assets/topics/lifecycle.py).

    Returns the fit summary (k, k-selection trials, sizes, seconds) for logging."""
    model = fit_model(con, settings, previous_topic_terms)
    con.execute("CREATE OR REPLACE TABLE paper_topics AS SELECT * FROM paper_topic_memberships "
                "ORDER BY paper_id, NOT is_primary, score DESC, topic_id")
    write_model_tables(con, model)
    return model.summary
