"""Deterministic synthetic dumps in the real format, for throughput tests and the benchmark.

Titles and abstracts recombine the sample dump's real titles and abstract sentences, so text
statistics stay realistic. Every title is unique: each starts with a made-up method name derived
bijectively from the paper's index ("Kobaret: ..."), the way real titles name their method, and the
abstract names it too ("We present Kobaret. ...").
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from assets.core.contracts import BOILERPLATE_LINES
from assets.ingest.parser import GLUED_PREFIX

SAMPLE_DUMP = Path(__file__).resolve().parents[1] / "data" / "landing" / "hf_papers_memory.txt"
HEADER = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]  # 70 syllables
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def method_name(index: int) -> str:
    """A unique pronounceable name for every non-negative index (base-70 syllables)."""
    syllables = []
    n = index + len(_SYLLABLES) ** 2  # offset so every name has at least three syllables
    while n:
        n, digit = divmod(n, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    return "".join(syllables).capitalize()


def sample_pool(sample: Path = SAMPLE_DUMP) -> tuple[list[str], list[str]]:
    """(title tails, abstract sentences) of the sample dump."""
    lines = [l for l in sample.read_text(encoding="utf-8").splitlines() if l.strip() and l not in BOILERPLATE_LINES]
    titles = [GLUED_PREFIX.sub("", l) for l in lines[0::2]]
    abstracts = lines[1::2]
    tails = [t.split(": ", 1)[1] if ": " in t else t for t in titles]
    sentences = [s for a in abstracts for s in _SENTENCE_SPLIT.split(a) if len(s) > 30]
    return tails, sentences


def synthetic_abstracts(papers: int, seed: int = 0, sample: Path = SAMPLE_DUMP) -> list[str]:
    """`papers` abstracts recombined from the sample dump's sentences, as generate_dump writes them."""
    _, sentences = sample_pool(sample)
    rng = random.Random(seed)
    return [" ".join(rng.choice(sentences) for _ in range(rng.randint(4, 9))) for _ in range(papers)]


def generate_dump(path: Path, papers: int, seed: int = 0, sample: Path = SAMPLE_DUMP) -> int:
    """Write a dump of `papers` papers to `path` (same bytes for the same arguments); returns bytes written."""
    tails, sentences = sample_pool(sample)
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(HEADER) + "\nSubscribe")
        chunk: list[str] = []
        for i in range(papers):
            name = method_name(i)
            title = f"{name}: {tails[rng.randrange(len(tails))]}"
            # a real abstract names its method (the parser checks that a title and its abstract share words)
            abstract = " ".join([f"We present {name}."] + [rng.choice(sentences) for _ in range(rng.randint(4, 9))])
            chunk.append(f"{title}\n{abstract}")
            if len(chunk) == 10_000:
                out.write("\n".join(chunk) + "\n")
                chunk = []
        out.write("\n".join(chunk))
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    size = generate_dump(args.path, args.papers, args.seed)
    print(f"wrote {args.papers:,} papers, {size / 1e6:.1f} MB to {args.path}")


if __name__ == "__main__":
    main()
