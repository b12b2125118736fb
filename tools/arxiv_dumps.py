"""Daily dumps in the papers-website format, written from the real arXiv listings in
`../shared/corpora/arxiv-daily-cs` (one JSONL file per day): the real-text test of the parser. The
listings' ids, titles and abstracts (arXiv metadata, CC0) are packed into `tests/data/arxiv_daily_cs.json.xz`
so the tests run from a clone alone; `--pack` writes that file again from the corpus folder.

Each day becomes one dump: the two page-header lines, "Subscribe" glued to the first title, then a
title line and an abstract line per paper, no final newline (as the sample dump). The days overlap
as the real listings do (a paper listed on several days, weekend files that repeat Friday's), and each
dump also repeats the previous day's last `carry` papers. Whitespace inside a title or abstract (arXiv
wraps both across lines) becomes one space, which is what the parser's line cleaning does too.

    python -m tools.arxiv_dumps OUT_DIR [--days N] [--check]   # --check: parse them, report every miss
    python -m tools.arxiv_dumps --pack [--corpus DIR]          # rewrite the packed listings from the corpus
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tools.synthetic import HEADER

CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "arxiv-daily-cs" / "data"
PACKED = Path(__file__).resolve().parents[1] / "tests" / "data" / "arxiv_daily_cs.json.xz"


@dataclass(frozen=True)
class ArxivPaper:
    arxiv_id: str
    title: str
    abstract: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def read_days(source: Path = PACKED, days: int | None = None) -> list[tuple[str, list[ArxivPaper]]]:
    """(day, papers in listing order) for the first `days` days (all when None), from the packed
    listings (a file) or the corpus folder of daily JSONL files."""
    if source.is_file():
        return _read_packed(source)[:days]
    files = sorted(source.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no daily *.jsonl files in {source}")
    out = []
    for path in files[:days]:
        papers = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                papers.append(ArxivPaper(row["id"], _one_line(row["title"]), _one_line(row["summary"])))
        out.append((path.stem, papers))
    return out


def _read_packed(path: Path) -> list[tuple[str, list[ArxivPaper]]]:
    packed = json.loads(lzma.decompress(path.read_bytes()))
    papers = [ArxivPaper(*row) for row in packed["papers"]]
    return [(day, [papers[i] for i in indices]) for day, indices in packed["days"]]


def pack(days: list[tuple[str, list[ArxivPaper]]], path: Path) -> None:
    """Each distinct (id, title, abstract) once, and each day as indices into them."""
    index: dict[ArxivPaper, int] = {}
    packed_days = [(day, [index.setdefault(p, len(index)) for p in papers]) for day, papers in days]
    rows = [[p.arxiv_id, p.title, p.abstract] for p in index]
    data = json.dumps({"days": packed_days, "papers": rows}, ensure_ascii=False).encode("utf-8")
    path.write_bytes(lzma.compress(data, preset=9))


def write_dumps(out_dir: Path, days: list[tuple[str, list[ArxivPaper]]], carry: int = 3) -> list[Path]:
    """One dump per day (`hf_papers_<day>.txt`); each also repeats the previous day's last `carry` papers."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, previous = [], []
    for day, papers in days:
        listed = previous[-carry:] + papers if carry else papers
        lines = list(HEADER)
        for i, paper in enumerate(listed):
            lines += [("Subscribe" if i == 0 else "") + paper.title, paper.abstract]
        path = out_dir / f"hf_papers_{day}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
        previous = papers
    return paths


def distinct_papers(days: list[tuple[str, list[ArxivPaper]]]) -> dict[str, ArxivPaper]:
    """The papers of these days by arXiv id (the last listing of an id wins, as the later dump does)."""
    return {paper.arxiv_id: paper for _, papers in days for paper in papers}


def expected_pairs(days: list[tuple[str, list[ArxivPaper]]]) -> dict[str, set[tuple[str, str]]]:
    """Every (title, abstract) listed, by the parser's paper id of the title."""
    from assets.ingest.parser import paper_id_for

    pairs: dict[str, set[tuple[str, str]]] = {}
    for _, papers in days:
        for p in papers:
            pairs.setdefault(paper_id_for(p.title), set()).add((p.title, p.abstract))
    return pairs


def check(out_dir: Path, source: Path, days: int | None) -> int:
    """Write the dumps, parse each with the pipeline's parser and print every paper that is not found
    with its own abstract, every paper not found at all and every reject; exit 1 when there is any."""
    from assets.ingest.parser import parse_file

    listing = read_days(source, days=days)
    paths = write_dumps(out_dir, listing)
    expected = expected_pairs(listing)
    found: set[str] = set()
    problems = 0
    t0 = time.perf_counter()
    for path in paths:
        result = parse_file(path)
        for reject in result.rejects:
            problems += 1
            print(f"reject {path.name}:{reject.line_number}: {reject.reason}: {reject.raw[:120]!r}")
        for paper in result.sightings:
            found.add(paper.paper_id)
            if (paper.title, paper.abstract) not in expected.get(paper.paper_id, ()):
                problems += 1
                print(f"mispaired {path.name}:{paper.title_line}: {paper.title[:80]!r}")
    for pid in sorted(set(expected) - found):
        problems += 1
        print(f"missing: {sorted(expected[pid])[0][0][:80]!r}")
    print(f"{len(paths)} dumps, {len(distinct_papers(listing)):,} distinct arXiv ids, {len(expected):,} distinct "
          f"titles, {len(found):,} found, {problems} problems, parsed in {time.perf_counter() - t0:.1f} s")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.arxiv_dumps", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, nargs="?")
    parser.add_argument("--days", type=int, help="only the first N days (default: all 89)")
    parser.add_argument("--check", action="store_true", help="parse the dumps and report every miss")
    parser.add_argument("--corpus", type=Path, help="read the corpus folder instead of the packed listings")
    parser.add_argument("--pack", action="store_true", help=f"write {PACKED.name} from the corpus folder")
    args = parser.parse_args(argv)
    if args.pack:
        pack(read_days(args.corpus or CORPUS_DIR), PACKED)
        print(f"wrote {PACKED}")
        return 0
    if args.out_dir is None:
        parser.error("OUT_DIR is required unless --pack")
    source = args.corpus or PACKED
    if args.check:
        return check(args.out_dir, source, args.days)
    paths = write_dumps(args.out_dir, read_days(source, days=args.days))
    print(f"wrote {len(paths)} dumps to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
