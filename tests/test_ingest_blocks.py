"""The block parser's vectorised helpers against the per-line functions they stand for (the differential
tests in test_ingest.py compare whole parses; these pin each helper on inputs made to hit its edges)."""

from __future__ import annotations

import hashlib
import io
import random
import string

import polars as pl
import pytest

from assets.ingest import parser as parser_mod
from assets.ingest.parser import PY_WHITESPACE, FileReport, clean_line, normalize_title

SEPARATORS = " -:,.!?()'\"/_[]{}+=*&^%$#@~`|\\<>;\t"


def random_ascii_titles(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + SEPARATORS
    edge = ["", "a", "-", "---", "--a--", " x ", "a_b", "Z9", "ab-", "-ab", "a b", "A:B", "a  -  b", "_"]
    return edge + ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(3))
def test_ascii_keys_are_normalize_title(seed):
    titles = pl.Series(random_ascii_titles(seed, 5_000), dtype=pl.String)
    sliced = titles.slice(7, 1_000)  # a column that does not start at its buffer's first byte
    chunked = pl.concat([titles.slice(0, 50), titles.slice(900, 50)], rechunk=False)
    for column in (titles, sliced, chunked, titles.slice(0, 0)):
        assert parser_mod._ascii_keys(column).to_list() == [normalize_title(t) for t in column.to_list()]


def test_paper_ids_of_mixed_titles_are_paper_id_for():
    titles = random_ascii_titles(5, 500) + ["Straße Memory", "ＦＵＬＬ Width", "Café: a study", "½ ²", "Ǆ-lower"]
    random.Random(1).shuffle(titles)
    got = parser_mod._paper_ids(pl.Series(titles, dtype=pl.String))
    assert got == [parser_mod.paper_id_for(t) for t in titles]


def test_whitespace_edge_bytes_cover_every_whitespace_character():
    for ch in PY_WHITESPACE:
        assert ch.encode()[0] in parser_mod._WS_FIRST_BYTES, repr(ch)
        assert ch.encode()[-1] in parser_mod._WS_LAST_BYTES, repr(ch)


def block_lines(seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["Memory", "Title", "é", "à", "ü", "€", "x", "A.", "“q”", "\u00a0", "\u2003", "\x1c", " ", "  ", "\t",
              "\x0b", "\x0c", "\u3000", "\u0085", "\u2028"]
    return [""] + ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8))) for _ in range(3_000)]


@pytest.mark.parametrize("seed", range(4))
def test_lines_needing_cleaning_are_those_clean_line_changes(seed):
    lines = block_lines(seed)
    body = "".join(line + "\n" for line in lines).encode()
    text, offsets = parser_mod._BlockParser(None, FileReport()).decode_block(body)
    assert text.to_list() == lines and offsets is not None
    expected = [i for i, line in enumerate(lines) if clean_line(line) != line]
    assert parser_mod._needs_cleaning(text, body, offsets).tolist() == expected
    assert parser_mod._needs_cleaning(text, body, None).tolist() == expected  # without the bytes' ends


def test_decoding_a_block_strips_one_final_cr_and_falls_back_on_bytes_that_are_not_utf8():
    report = FileReport()
    blocks = parser_mod._BlockParser(None, report)
    text, offsets = blocks.decode_block(b"a\r\n\r\r\nb\rc\n\n")
    assert text.to_list() == ["a", "\r", "b\rc", ""] and offsets is None
    text, offsets = blocks.decode_block("é\n".encode("cp1252") + b"ok\n")
    assert text.to_list() == ["é", "ok"] and offsets is None and report.legacy_lines == 1


@pytest.mark.parametrize("seed", range(4))
def test_the_hashing_thread_notes_every_long_line_whatever_the_chunks(seed):
    """landing's line scan counts most chunks without looking at each newline; the lines it notes must be
    exactly the lines of MAX_LINE_BYTES bytes or more, wherever the reads cut the file."""
    from assets.ingest.landing import MAX_LINE_BYTES, _HashingRaw

    rng = random.Random(seed)
    sizes = [rng.choice([0, 5, 70, 1_000, MAX_LINE_BYTES - 1, MAX_LINE_BYTES, MAX_LINE_BYTES + 1, 3 * MAX_LINE_BYTES])
             for _ in range(60)]
    data = b"".join(b"x" * size + b"\n" for size in sizes) + b"y" * rng.choice([0, 10, MAX_LINE_BYTES])
    expected = {i + 1: size for i, size in enumerate(sizes) if size >= MAX_LINE_BYTES}
    if len(data) - data.rfind(b"\n") - 1 >= MAX_LINE_BYTES:
        expected[len(sizes) + 1] = len(data) - data.rfind(b"\n") - 1
    reader = _HashingRaw(io.BytesIO(data))
    buffer = bytearray(4 * MAX_LINE_BYTES)
    while reader.readinto(memoryview(buffer)[: rng.choice([1, 999, MAX_LINE_BYTES // 2, 2 * MAX_LINE_BYTES, len(buffer)])]):
        pass
    reader.close()
    assert reader.long_lines == expected
    assert reader.digest.hexdigest() == hashlib.sha256(data).hexdigest()
