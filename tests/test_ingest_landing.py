"""The per-file ingest writer (assets/ingest/landing.py) around the parser: control characters found by a
byte prefilter before the regex, real lengths of over-long lines noted by the hashing thread, no
hashing before a first parse, failures of the helper threads surfacing as errors with nothing left behind,
and the parser's read-ahead thread stopping with its parse.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.ingest import landing as landing_mod
from assets.ingest import parser as parser_mod
from assets.ingest.landing import CONTROL_CHARACTERS, MAX_LINE_BYTES, ingest_file
from tests.test_ingest import ABSTRACTS, TITLES, assert_ingest_same_as_reference, landing_file


@pytest.fixture(autouse=True)
def block_parser_for_every_size(monkeypatch):
    """These tests are about the block parser's threads; their files are small."""
    monkeypatch.setattr(landing_mod, "BLOCK_PARSE_MIN_BYTES", 0)


def sightings(out) -> list[dict]:
    return pq.read_table(out.sightings).to_pylist()


def rejects(out) -> list[tuple[int, str]]:
    return [(r["line_number"], r["reason"]) for r in pq.read_table(out.rejects).to_pylist()]


def accounted(report: dict) -> bool:
    parts = ("paper_lines", "duplicate_lines", "blank_lines", "boilerplate_lines", "reject_lines")
    return report["lines"] == sum(report[p] for p in parts) and report["paper_lines"] == 2 * report["papers"]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_the_control_character_prefilter_never_misses_one(kind):
    """Every character the regex rejects, at the start, middle and end of a value, in a sliced array."""
    for code in [*range(0x800), 0xFEFF, 0x1F600]:
        char = chr(code)
        for text in (char, f"ab{char}cd", f"Title {char}"):
            column = pa.array(["x" * 7, text, "y"], kind).slice(1, 1)
            if re.search(CONTROL_CHARACTERS, text):
                assert landing_mod._may_hold_control_characters(column), hex(code)


def test_the_control_character_prefilter_passes_clean_text_with_c2_characters():
    clean = ["No\u00a0break space", "20 °C ± 1", "next\u0085line", "Straße ½", "", "plain " * 200_000]
    assert not landing_mod._may_hold_control_characters(pa.array(clean, pa.large_string()))
    assert landing_mod._may_hold_control_characters(pa.array(clean + ["a\u0080b"], pa.large_string()))
    assert landing_mod._may_hold_control_characters(pa.array(["plain " * 200_000 + "\x1b"], pa.large_string()))


def test_control_characters_become_rejects_and_clean_c2_characters_stay(tmp_path, monkeypatch):
    lines: list[str] = []
    for k in range(12):
        lines += [TITLES[k], ABSTRACTS[k]]
    lines[2] = "Start\x01 " + lines[2]  # title 1 (a NUL would make the file binary)
    lines[5] = lines[5] + " esc\x1b"  # abstract 2
    lines[7] = lines[7] + " c1\u0080"  # abstract 3
    lines[9] = lines[9] + " 20\u00a0°C, next\u0085line"  # abstract 4: kept
    path = tmp_path / "controls.txt"
    path.write_bytes("\n".join(lines).encode() + b"\n")
    out = ingest_file(landing_file(path), tmp_path / "ingest")
    kept = sightings(out)
    assert [r["source_line"] for r in kept] == [1, 9, *range(11, 24, 2)]
    assert kept[1]["abstract"].endswith("20\u00a0°C, next\u0085line")
    assert rejects(out) == [
        (3, "control character U+0001 in the title: not a clean paper record"),
        (4, "control character U+0001 in the title: not a clean paper record"),
        (5, "control character U+001B in the abstract: not a clean paper record"),
        (6, "control character U+001B in the abstract: not a clean paper record"),
        (7, "control character U+0080 in the abstract: not a clean paper record"),
        (8, "control character U+0080 in the abstract: not a clean paper record"),
    ]
    assert out.report["papers"] == 9 and out.report["reject_lines"] == 6 and accounted(out.report)
    assert_ingest_same_as_reference(tmp_path / "same", path, monkeypatch)


def long_line_dump() -> tuple[bytes, dict[int, int]]:
    """A dump with over-long lines in the middle (LF and CRLF), across the 1 MiB reads, and last
    without a final newline; the byte length each reject must give (without "\\n", with "\\r")."""
    parts = [TITLES[0], ABSTRACTS[0], "w" * 200_000, TITLES[1], ABSTRACTS[1], "é" * 700_000 + "\r",
             "x" * (MAX_LINE_BYTES - 1), TITLES[2], ABSTRACTS[2], "z" * MAX_LINE_BYTES, TITLES[3], ABSTRACTS[3],
             "q" * 3_000_001]
    data = "\n".join(parts).encode()
    lengths = {3: 200_000, 6: 1_400_001, 10: MAX_LINE_BYTES, 13: 3_000_001}
    return data, lengths


@pytest.mark.parametrize("block_bytes", [None, 65_536])
def test_rejected_long_lines_say_their_real_length_in_bytes(tmp_path, monkeypatch, block_bytes):
    if block_bytes:
        monkeypatch.setattr(parser_mod, "BLOCK_BYTES", block_bytes)
    data, lengths = long_line_dump()
    path = tmp_path / "long.txt"
    path.write_bytes(data)
    out = ingest_file(landing_file(path), tmp_path / "ingest")
    found = dict(rejects(out))
    assert set(found) == {3, 6, 7, 10, 13}
    for number, size in lengths.items():
        assert found[number] == f"line too long ({size:,} bytes) for a title or abstract", number
    assert found[7].startswith("line too long (") and found[7].endswith(" chars) for a title or abstract")
    assert len(sightings(out)) == 4 and accounted(out.report)
    assert out.report["sha256"] == hashlib.sha256(data).hexdigest() and out.report["bytes"] == len(data)


def test_a_first_parse_reads_the_landing_file_once(tmp_path, monkeypatch):
    path = tmp_path / "dump.txt"
    path.write_bytes("\n".join(f"{t}\n{a}" for t, a in zip(TITLES, ABSTRACTS)).encode())
    hashed: list[Path] = []
    real = landing_mod.sha256_file

    def counting(p: Path) -> str:
        hashed.append(Path(p))
        return real(p)

    monkeypatch.setattr(landing_mod, "sha256_file", counting)
    first = ingest_file(landing_file(path), tmp_path / "ingest")
    assert path not in hashed  # only the outputs were hashed (for checksums.json)
    again = ingest_file(landing_file(path), tmp_path / "ingest")
    assert path in hashed and again.reused and again.folder == first.folder


def test_a_failure_in_the_hashing_thread_fails_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "dump.txt"
    path.write_bytes(("\n".join(f"{t}\n{a}" for t, a in zip(TITLES, ABSTRACTS)) + "\n").encode() * 40)

    def broken(self, chunk, offset):
        raise OSError("scan failed")

    monkeypatch.setattr(landing_mod._HashingRaw, "_note_long_lines", broken)
    with pytest.raises(OSError, match="scan failed"):
        ingest_file(landing_file(path), tmp_path / "ingest")
    assert [p for p in (tmp_path / "ingest" / "dump.txt").iterdir()] == []


def test_a_failure_in_the_writer_thread_fails_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "dump.txt"
    path.write_bytes(("\n".join(f"{t}\n{a}" for t, a in zip(TITLES, ABSTRACTS)) + "\n").encode() * 40)

    def broken(frame, source_file):
        raise ValueError("conversion failed")

    monkeypatch.setattr(landing_mod, "_frame_batch", broken)
    with pytest.raises(ValueError, match="conversion failed"):
        ingest_file(landing_file(path), tmp_path / "ingest")
    assert [p for p in (tmp_path / "ingest" / "dump.txt").iterdir()] == []


def test_a_parse_stopped_early_stops_its_read_ahead_thread(tmp_path, monkeypatch):
    import gc
    import threading

    from assets.ingest.parser import FileReport, iter_records

    monkeypatch.setattr(parser_mod, "BLOCK_BYTES", 4096)
    path = tmp_path / "dump.txt"
    path.write_bytes(("\n".join(f"{t}\n{a}" for t, a in zip(TITLES, ABSTRACTS)) + "\n").encode() * 20)
    with open(path, "rb") as stream:
        blocks = iter_records(stream, FileReport()).blocks()
        next(blocks)
        assert any(t.name == "read ahead" for t in threading.enumerate())
        blocks.close()
        del blocks
        gc.collect()
    assert not any(t.name == "read ahead" for t in threading.enumerate())


def test_a_read_error_surfaces_from_the_read_ahead_thread(tmp_path, monkeypatch):
    from assets.ingest.parser import FileReport, iter_records

    monkeypatch.setattr(parser_mod, "BLOCK_BYTES", 4096)
    path = tmp_path / "dump.txt"
    path.write_bytes(("\n".join(f"{t}\n{a}" for t, a in zip(TITLES, ABSTRACTS)) + "\n").encode() * 5)

    class Failing(io.BufferedReader):
        reads = 0

        def read(self, size=-1):
            Failing.reads += 1
            if Failing.reads == 3:
                raise OSError("disk gone")
            return super().read(size)

    with open(path, "rb", buffering=0) as raw:
        with pytest.raises(OSError, match="disk gone"):
            list(iter_records(Failing(raw), FileReport()).blocks())
