"""The model's scoring rule on term ids, in numpy/scipy: the cosine similarity of each paper's L2-normalised
sublinear TF-IDF vector (1 + ln tf) * idf, over the model's vocabulary, with each unit-length topic vector.

DuckDB prepares each paper's text (sql/topic_score_texts.sql: lower-cased, every break turned into ' . ',
whitespace and hyphens into spaces); this module splits it into raw words, looks each word up among the raw
spellings of the vocabulary's words (`TermIndex`: "memories" -> "memory"), forms the bigrams of adjacent words,
counts terms per paper in a sparse matrix and multiplies it with the topic matrix. A word that is not a
spelling of any vocabulary word can be no part of a vocabulary term, so it counts as a break; stop words and
single letters are never vocabulary words. Work and memory follow one batch of papers at a time.

The rows are those the SQL rule gives (sql/paper_topic_scores_fit.sql is that rule on the fit vectors) for
the (paper, topic) pairs sharing at least one term, the score before rounding (the caller rounds it in DuckDB,
like the SQL does), but only the ones the assignment rule (sql/paper_topic_memberships.sql) can pick: each
paper's best few and those that may tie with them. Sums run in another order than DuckDB's hash aggregate:
scores agree to ~1e-15 before rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from assets.topics.model import raw_forms

_BREAK = -1  # word id of a break, an unknown word and an empty token (at a text's start or end)
# Scores are rounded to 9 decimals later: a score more than 1e-9 below another rounds below it, so 2e-9 keeps
# every score that can round to a tie with the last one kept.
TIE_SLACK = 2e-9


@dataclass(frozen=True)
class TermIndex:
    """The vocabulary as integer lookups: raw spelling -> word id, word id -> unigram term id, (word id, word
    id) -> bigram term id, term id -> idf, and the topic matrix (terms x topics)."""

    spellings: pa.Array  # every raw spelling of every word of the vocabulary, then '' and '.'
    spelling_word: np.ndarray  # spelling index -> word id (_BREAK for '' and '.')
    unigram_term: np.ndarray  # word id -> term id of that word as a unigram term, or -1
    bigram_keys: np.ndarray  # sorted word id pairs (first * n_words + second) of the bigram terms
    bigram_term: np.ndarray  # term id of each key
    idf: np.ndarray  # term id -> idf
    topics: np.ndarray  # term id x topic column: the topic vectors' weights
    topic_ids: np.ndarray  # topic id of each column (int32)

    @classmethod
    def build(cls, vocabulary: pa.Table, vectors: pa.Table) -> TermIndex:
        """From term_stats rows (term_id, term, idf, is_bigram) and vectors_table rows (topic_id, term_id, weight)."""
        terms = vocabulary.column("term").to_pylist()
        term_ids = vocabulary.column("term_id").to_numpy()
        n_terms = int(term_ids.max()) + 1 if len(term_ids) else 0
        words = sorted({w for t in terms for w in t.split(" ")})
        word_id = {w: i for i, w in enumerate(words)}
        spellings, spelling_word = [], []
        for w in words:
            for form in raw_forms(w):
                spellings.append(form)
                spelling_word.append(word_id[w])
        unigram_term = np.full(len(words), -1, dtype=np.int32)
        keys, bigram_term = [], []
        for tid, term in zip(term_ids, terms):
            parts = term.split(" ")
            if len(parts) == 1:
                unigram_term[word_id[term]] = tid
            else:
                keys.append(word_id[parts[0]] * len(words) + word_id[parts[1]])
                bigram_term.append(tid)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        idf = np.zeros(n_terms)
        idf[term_ids] = vocabulary.column("idf").to_numpy()
        topic_col = vectors.column("topic_id").to_numpy()
        topic_ids = np.unique(topic_col).astype(np.int32)
        topics = np.zeros((n_terms, len(topic_ids)))
        topics[vectors.column("term_id").to_numpy(), np.searchsorted(topic_ids, topic_col)] = \
            vectors.column("weight").to_numpy()
        return cls(pa.array(spellings + ["", "."], pa.string()),
                   np.asarray(spelling_word + [_BREAK, _BREAK], dtype=np.int32), unigram_term,
                   np.asarray(keys, dtype=np.int64)[order], np.asarray(bigram_term, dtype=np.int32)[order],
                   idf, topics, topic_ids)


def term_counts(texts: pa.Array, index: TermIndex, with_bigrams: bool):
    """CSR matrix (paper x term id) of term counts of the prepared texts (sql/topic_score_texts.sql: each
    ends with a break, so no bigram spans two papers)."""
    import scipy.sparse as sp

    tokens = pc.ascii_split_whitespace(texts)
    doc = np.repeat(np.arange(len(texts), dtype=np.int32),
                    pc.list_value_length(tokens).fill_null(0).to_numpy())
    distinct = pc.dictionary_encode(pc.list_flatten(tokens))  # each batch's distinct tokens looked up once
    found = pc.index_in(distinct.dictionary, value_set=index.spellings).fill_null(-1).to_numpy()
    word = np.where(found >= 0, index.spelling_word[found], _BREAK).astype(np.int32)[distinct.indices.to_numpy()]
    is_word = word >= 0
    unigram = index.unigram_term[np.where(is_word, word, 0)]
    unigram[~is_word] = -1
    hit = unigram >= 0
    rows, cols = [doc[hit]], [unigram[hit]]
    if with_bigrams and len(word) > 1 and len(index.bigram_keys):
        pair = np.flatnonzero(is_word[:-1] & is_word[1:])
        keys = word[pair].astype(np.int64) * len(index.unigram_term) + word[pair + 1]
        at = np.minimum(np.searchsorted(index.bigram_keys, keys), len(index.bigram_keys) - 1)
        hit = index.bigram_keys[at] == keys
        rows.append(doc[pair[hit]])
        cols.append(index.bigram_term[at[hit]])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(index.idf)))
    counts.sum_duplicates()
    return counts


def topic_scores(texts: pa.Array, index: TermIndex, with_bigrams: bool,
                 keep_best: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(paper row, topic id, score) of the (paper, topic) pairs sharing a term, by paper row then topic id:
    each paper's `keep_best` best scores and every score within TIE_SLACK of the last of them (the
    assignment rule ranks no further, and after rounding these are all its rows that can tie with it)."""
    x = term_counts(texts, index, with_bigrams)
    x.data = (1.0 + np.log(x.data)) * index.idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    sums = np.asarray(x @ index.topics)
    scores = sums / np.where(norms > 0, norms, 1.0)[:, None]
    kept = sums > 0
    if 0 < keep_best < scores.shape[1]:
        last = -np.partition(-scores, keep_best - 1, axis=1)[:, keep_best - 1]
        kept &= scores >= (last - TIE_SLACK)[:, None]
    row, col = np.nonzero(kept)
    return row, index.topic_ids[col], scores[row, col]


def score_batches(batches: Iterable[pa.RecordBatch], index: TermIndex, with_bigrams: bool, keep_best: int,
                  workers: int = 2) -> Iterator[pa.Table]:
    """(paper_id, topic_id, score) rows of each batch of prepared texts (paper_id, text), in batch order.
    `workers` batches are scored at once: numpy, scipy and Arrow release the GIL, so they share the cores
    with DuckDB preparing the next batch."""
    def score(batch: pa.RecordBatch) -> pa.Table:
        row, topic_id, score = topic_scores(batch.column("text"), index, with_bigrams, keep_best)
        return pa.table({"paper_id": batch.column("paper_id").take(row), "topic_id": topic_id, "score": score})

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        for batch in batches:
            pending.append(pool.submit(score, batch))
            if len(pending) > workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
