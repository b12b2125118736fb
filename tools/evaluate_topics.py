"""Compare topic-model choices on the sample dump and the labelled arXiv corpus; also a scale benchmark.

    python -m tools.evaluate_topics [--dump PATH] [--arxiv DIR] [--limit N]
    python -m tools.evaluate_topics --bench N [--bench-dir DIR]   # synthetic N-paper timing run

Prints, per configuration: k, NPMI coherence of each topic's top-10 terms (document co-occurrence over the
corpus, vocabulary = term_stats), topic diversity (unique share of the top-25 terms), the largest topic's share,
and on arXiv NMI / V-measure of the primary topics against the first arXiv category.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import resource
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from assets.ingest.parser import paper_id_for, parse_file
from assets.topics.model import TopicSettings, build_topics, npmi_coherence, topic_diversity

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DUMP = REPO / "data" / "landing" / "hf_papers_memory.txt"
DEFAULT_ARXIV = (REPO / ".." / "shared" / "corpora" / "arxiv-daily-cs").resolve()
_CATEGORY = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")


def parse_dump(path: Path) -> pa.Table:
    """The distinct papers of a landing dump, read by the pipeline's own parser (first sighting wins)."""
    rows: dict[str, tuple[str, str]] = {}
    for paper in parse_file(path).papers:
        rows.setdefault(paper.paper_id, (paper.title, paper.abstract))
    ids = sorted(rows)
    return pa.table({"paper_id": ids, "title": [rows[i][0] for i in ids], "abstract": [rows[i][1] for i in ids]})


def load_arxiv(directory: Path, limit: int | None = None) -> tuple[pa.Table, dict[str, str]]:
    """Unique papers (by arXiv id, first occurrence in date order) and their first arXiv category."""
    seen: dict[str, tuple[str, str, str]] = {}
    for f in sorted((Path(directory) / "data").glob("*.jsonl")):
        for line in f.open(encoding="utf-8"):
            rec = json.loads(line)
            if rec["id"] in seen:
                continue
            cats = [c for c in rec.get("categories") or [] if _CATEGORY.match(c)]
            if not cats:
                continue
            seen[rec["id"]] = (" ".join(rec["title"].split()), " ".join(rec["summary"].split()), cats[0])
    ids = sorted(seen)
    if limit:
        ids = sorted(ids, key=lambda i: hashlib.md5(i.encode()).hexdigest())[:limit]
        ids.sort()
    table = pa.table({"paper_id": ids, "title": [seen[i][0] for i in ids], "abstract": [seen[i][1] for i in ids]})
    return table, {i: seen[i][2] for i in ids}


def synthetic_papers(base: pa.Table, n: int, seed: int = 0) -> pa.Table:
    """n synthetic papers: each takes a base paper's abstract sentences (mostly), two sentences of random
    other papers, and a unique title built from the base title words plus a serial number."""
    rng = np.random.default_rng(seed)
    titles = base["title"].to_pylist()
    sents = [re.split(r"(?<=[.!?])\s+", a) for a in base["abstract"].to_pylist()]
    flat = [s for ss in sents for s in ss]
    out_ids, out_t, out_a = [], [], []
    bases = rng.integers(0, len(titles), n)
    others = rng.integers(0, len(flat), (n, 2))
    for i in range(n):
        b = bases[i]
        own = sents[b]
        keep = [s for s, r in zip(own, rng.random(len(own))) if r < 0.8] or own[:1]
        abstract = " ".join(keep + [flat[others[i, 0]], flat[others[i, 1]]])
        title = f"{titles[b]} (variant {i})"
        out_ids.append(paper_id_for(title))
        out_t.append(title)
        out_a.append(abstract)
    return pa.table({"paper_id": out_ids, "title": out_t, "abstract": out_a})


# ---------------------------------------------------------------- metrics

def evaluate(con) -> dict:
    """NPMI (top-10) and diversity (top-25) of the built topics over the fit documents."""
    import scipy.sparse as sp
    vocab = {t: i for t, i in con.execute("SELECT term, term_id FROM term_stats").fetchall()}
    rows = con.execute("""SELECT r.row_idx, pt.term_id FROM paper_term_weights pt
        JOIN (SELECT paper_id, (row_number() OVER (ORDER BY paper_id) - 1) AS row_idx FROM topic_fit_papers) r
        USING (paper_id)""").fetchnumpy()
    n = con.execute("SELECT count(*) FROM topic_fit_papers").fetchone()[0]
    binary = sp.csr_matrix((np.ones(len(rows["row_idx"])), (rows["row_idx"], rows["term_id"])),
                           shape=(n, len(vocab))).tocsc()
    top = con.execute("""SELECT topic_id, list(term ORDER BY weight DESC, term) FROM topic_term_ctfidf
        GROUP BY topic_id ORDER BY topic_id""").fetchall()
    # topic_term_ctfidf uses provisional ids; only the term lists matter here
    top10 = [[vocab[t] for t in terms[:10]] for _, terms in top]
    top25 = [[vocab[t] for t in terms[:25]] for _, terms in top]
    shares = con.execute("SELECT max(share) FROM topics WHERE topic_id <> 0").fetchone()[0]
    return {"k": con.execute("SELECT count(*) FROM topics WHERE topic_id <> 0").fetchone()[0],
            "npmi": npmi_coherence(binary, top10), "diversity": topic_diversity(top25), "max_share": shares}


def run_config(papers: pa.Table, settings: TopicSettings, labels: dict[str, str] | None = None) -> dict:
    from sklearn.metrics import normalized_mutual_info_score, v_measure_score
    con = duckdb.connect()
    con.register("papers_arrow", papers)
    con.execute("CREATE TABLE papers AS SELECT * FROM papers_arrow")
    t0 = time.perf_counter()
    build_topics(con, settings)
    out = {"seconds": time.perf_counter() - t0, **evaluate(con)}
    if labels:
        got = dict(con.execute("SELECT paper_id, topic_id FROM paper_topics WHERE is_primary").fetchall())
        ids = sorted(got)
        out["nmi"] = normalized_mutual_info_score([labels[i] for i in ids], [got[i] for i in ids])
        out["v_measure"] = v_measure_score([labels[i] for i in ids], [got[i] for i in ids])
    con.close()
    return out


CONFIGS = {
    "nmf+bigrams": dict(algorithm="nmf", use_bigrams=True),
    "nmf unigrams": dict(algorithm="nmf", use_bigrams=False),
    "kmeans+bigrams": dict(algorithm="kmeans", use_bigrams=True),
}


def print_table(title: str, results: dict[str, dict]) -> None:
    cols = ["k", "npmi", "diversity", "max_share", "nmi", "v_measure", "seconds"]
    print(f"\n{title}")
    print(f"{'config':<16}" + "".join(f"{c:>11}" for c in cols))
    for name, r in results.items():
        cells = []
        for c in cols:
            v = r.get(c)
            cells.append(f"{'-':>11}" if v is None else f"{v:>11.3f}" if isinstance(v, float) else f"{v:>11}")
        print(f"{name:<16}" + "".join(cells))


def bench(n: int, bench_dir: Path, settings: TopicSettings) -> None:
    bench_dir.mkdir(parents=True, exist_ok=True)
    path = bench_dir / f"papers_{n}.parquet"
    if not path.exists():
        import pyarrow.parquet as pq
        pq.write_table(synthetic_papers(parse_dump(DEFAULT_DUMP), n), path, compression="zstd")
    con = duckdb.connect()
    con.execute("SET temp_directory = ?", [str(bench_dir / "duckdb_tmp")])
    source = con.read_parquet(str(path))  # a view over the file: papers are streamed, not loaded
    source.create_view("papers")
    t0 = time.perf_counter()
    summary = build_topics(con, settings)
    secs = time.perf_counter() - t0
    print(json.dumps({k: v for k, v in summary.items() if k != "topic_ids"}, default=str))
    print(con.execute("SELECT topic_id, label, paper_count, share FROM topics ORDER BY topic_id").fetchall())
    print(f"bench n={n} build_topics seconds={secs:.1f} "
          f"maxrss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, default=DEFAULT_DUMP)
    ap.add_argument("--arxiv", type=Path, default=DEFAULT_ARXIV)
    ap.add_argument("--limit", type=int, default=6000, help="arXiv papers used (deterministic md5 sample)")
    ap.add_argument("--bench", type=int, help="instead: time build_topics on N synthetic papers")
    ap.add_argument("--bench-dir", type=Path, default=Path("/tmp/topics_bench"))
    ap.add_argument("--threads", type=int)
    args = ap.parse_args(argv)
    if args.bench:
        bench(args.bench, args.bench_dir, TopicSettings(threads=args.threads))
        return

    dump = parse_dump(args.dump)
    small = dict(min_df=2, min_topics=4, max_topics=12, min_papers_per_topic=10)
    print_table(f"sample dump {args.dump.name}: {dump.num_rows} papers",
                {name: run_config(dump, TopicSettings(**cfg, **small)) for name, cfg in CONFIGS.items()})
    if args.arxiv and (args.arxiv / "data").is_dir():
        papers, labels = load_arxiv(args.arxiv, args.limit)
        print_table(f"arXiv {args.arxiv.name}: {papers.num_rows} papers, {len(set(labels.values()))} first "
                    f"categories", {name: run_config(papers, TopicSettings(**cfg), labels)
                                    for name, cfg in CONFIGS.items()})


if __name__ == "__main__":
    main()
