"""engine.formats.delimited.read: a large file parsed in byte ranges, one thread each, reads
exactly as the whole file parsed at once (the ranges made tiny here, so small files split)."""

from __future__ import annotations

import threading

import pytest

from engine.formats import read_dataset
from engine.formats.delimited import read as reader


def _both(monkeypatch, path, parts=3, per_core=1, **kw):
    """(the dataset read whole, the dataset read in `parts` × `per_core` ranges on `parts`
    threads, the ranges used); rows of the wrong width are skipped with a warning, as in a file
    too big to re-read in Python."""
    monkeypatch.setattr(reader, "_FALLBACK_MAX_BYTES", 0)
    whole = read_dataset(path, **kw)
    monkeypatch.setattr(reader, "_PART_MIN_BYTES", 64)
    monkeypatch.setattr(reader, "_PARTS_PER_CORE", per_core)
    monkeypatch.setattr(reader, "cores", lambda: parts)
    seen = []
    real = reader._ranges
    monkeypatch.setattr(reader, "_ranges", lambda *a: seen.append(real(*a)) or seen[-1])
    split = read_dataset(path, **kw)
    return whole, split, seen[0]


def _lines(n: int) -> list[str]:
    return [f'{i},name {i},"{i % 7}.5",{"" if i % 5 else "NA"}' for i in range(n)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_ranges_read_as_the_whole_file(tmp_path, monkeypatch, newline):
    path = tmp_path / "data.csv"
    path.write_text(newline.join(["id,name,score,note"] + _lines(400)) + newline,
                    newline="")
    whole, split, ranges = _both(monkeypatch, path)
    assert len(ranges) == 3 and ranges[0][0] == 0 and ranges[-1][1] == path.stat().st_size
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    assert whole.table.equals(split.table) and split.n_rows == 400
    assert split.column("note").null_count == 320 and split.warnings == whole.warnings == []


def test_more_ranges_than_threads_read_as_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "data.csv"
    path.write_text("\n".join(["id,name,score,note"] + _lines(900)) + "\n")
    threads = set()
    real = reader._FileRange.read
    monkeypatch.setattr(reader._FileRange, "read",
                        lambda self, size=-1: threads.add(threading.get_ident()) or real(self, size))
    whole, split, ranges = _both(monkeypatch, path, parts=2, per_core=4)
    assert len(ranges) == 8 and len(threads - {threading.get_ident()}) <= 2
    assert whole.table.equals(split.table) and split.n_rows == 900


def test_ranges_keep_the_header_bom_and_a_windows_1252_file(tmp_path, monkeypatch):
    path = tmp_path / "latin.csv"
    body = "\n".join(["ville;prix"] + [f"Montréal {i};{i}.5" for i in range(300)]) + "\n"
    path.write_bytes(body.encode("cp1252"))
    whole, split, ranges = _both(monkeypatch, path)
    assert len(ranges) == 3 and split.encoding == "cp1252"
    assert whole.table.equals(split.table) and split.column("ville")[299].as_py() == \
        "Montréal 299"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "\n".join(["a,b,c,d"] + _lines(300)).encode())
    whole, split, ranges = _both(monkeypatch, bom)
    assert len(ranges) == 3 and split.columns == ["a", "b", "c", "d"]
    assert whole.table.equals(split.table) and split.column("a")[0].as_py() == "0"


def test_uneven_rows_are_reported_in_file_order(tmp_path, monkeypatch):
    """Rows of the wrong width in a large file are skipped with a warning naming the first."""
    lines = ["a,b,c"] + [f"{i},x,y" for i in range(600)]
    lines[100] = "short row 1,x"
    lines[550] = "short row 2,x"
    path = tmp_path / "uneven.csv"
    path.write_text("\n".join(lines) + "\n")
    whole, split, ranges = _both(monkeypatch, path, parts=4)
    assert len(ranges) == 4 and split.n_rows == whole.n_rows == 598
    assert whole.table.equals(split.table)
    assert split.warnings == whole.warnings and "short row 1" in split.warnings[0]


def test_values_with_line_breaks_are_read_whole(tmp_path, monkeypatch):
    """A quoted value holding a line break (beyond the sniffed head) is read right: one range."""
    lines = ["a,b"] + [f"{i},plain" for i in range(300)] + ['301,"two\nlines"'] + \
        [f"{i},plain" for i in range(302, 400)]
    path = tmp_path / "quoted.csv"
    path.write_text("\n".join(lines) + "\n")
    whole, split, _ = _both(monkeypatch, path)
    assert whole.table.equals(split.table)
    assert "two\nlines" in split.column("b").to_pylist() and split.n_rows == 399


def test_utf16_is_not_cut_at_newline_bytes(tmp_path, monkeypatch):
    path = tmp_path / "wide.tsv"
    path.write_bytes("\n".join(["a\tb"] + [f"{i}\tx{i}" for i in range(300)]).encode("utf-16"))
    whole, split, ranges = _both(monkeypatch, path)
    assert ranges == [(0, path.stat().st_size)]
    assert whole.table.equals(split.table) and split.n_rows == 300


def test_a_cut_inside_a_quoted_line_break_reads_the_file_again_whole(tmp_path, monkeypatch):
    """Values with line breaks past the sniffed head, one of them across a cut: the range
    after the cut starts mid-value, its broken row sends the read back to one range."""
    path = tmp_path / "cut.csv"
    for pad in range(60):   # shift the text until a cut falls inside a quoted value
        lines = ["a,b", "0," + "x" * pad] + [f"{i},plain" for i in range(1, 300)] + \
            [f'{i},"first half {i}\nsecond half {i}"' for i in range(300, 400)]
        data = ("\n".join(lines) + "\n").encode()
        cut = len(data) * 2 // 3
        if data[data.index(b"\n", cut) + 1:].startswith(b"second"):
            break
    path.write_bytes(data)
    whole, split, _ = _both(monkeypatch, path)
    assert whole.table.equals(split.table) and split.n_rows == 400 and not split.warnings
    assert split.column("b")[399].as_py() == "first half 399\nsecond half 399"


@pytest.mark.parametrize("stray", [None, b"\xff", b"caf\xe9"])
def test_utf8_checked_in_ranges_that_are_not_ascii(tmp_path, monkeypatch, stray):
    """Accented UTF-8 reads as it is; a byte that is not UTF-8 in the last range is found
    there (the file is read again as bytes) just as in a whole-file read."""
    lines = ["city,n"] + [f"{'Zürich' if i % 3 else 'Bern'} {i},{i}" for i in range(400)]
    data = ("\n".join(lines) + "\n").encode()
    if stray:
        data += b"Gen" + stray + b"ve,400\n"
    path = tmp_path / "cities.csv"
    path.write_bytes(data)
    whole, split, ranges = _both(monkeypatch, path)
    assert len(ranges) == 3
    assert whole.table.equals(split.table) and split.warnings == whole.warnings
    assert split.column("city")[1].as_py() == "Zürich 1"
    assert bool(split.warnings) == bool(stray)
