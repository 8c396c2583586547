"""The pieces behind the bounds: the vectorised scans against plain Python, the XML prolog
reader, ZIP part counting, YAML node counting, logic depth, mixed encodings, the settings."""

from __future__ import annotations

import io
import json
import random
import zipfile

import pytest

from engine.errors import LimitExceeded, UnsafeContent
from engine.guard import open_part, read_part
from engine.scans import check_xml_prolog, json_shape, longest_line
from engine.limits import Limits, current, override, size_text
from engine.logic import LogicSyntaxError, parse_redcap
from engine.parsers.machine._common import load_yaml
from engine.settings import SETTINGS_TABLE, Settings
from engine.textio import MIXED, decode
from harness.hostile.zipcraft import repeated, small, write_zip


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)] or [b""]


def depth_of(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


def random_json(rng: random.Random, level: int = 0):
    """Nested values whose strings are full of brackets, quotes and backslashes."""
    roll = rng.random()
    if level > 6 or roll < 0.3:
        return "".join(rng.choice('[]{}",\\ab') for _ in range(rng.randrange(6)))
    if roll < 0.65:
        return [random_json(rng, level + 1) for _ in range(rng.randrange(4))]
    return {f"k{i}[": random_json(rng, level + 1) for i in range(rng.randrange(4))}


def test_json_depth_matches_the_parsed_structure_whatever_the_chunking():
    rng = random.Random(7)
    for _ in range(200):
        value = random_json(rng)
        data = json.dumps(value).encode()
        expected = depth_of(json.loads(data))
        for size in (1, 2, 3, 7, len(data) or 1):
            assert json_shape(chunked(data, size))[0] == expected, (data, size)


def test_json_values_count_elements_and_containers():
    assert json_shape([b'[{"a": 1, "b": "x,y"}, {"a": 2, "b": 3}]'])[1] == 6


def test_longest_line_matches_python_whatever_the_chunking():
    rng = random.Random(3)
    for _ in range(100):
        lines = [b"x" * rng.randrange(30) for _ in range(rng.randrange(1, 12))]
        data = b"\n".join(lines)
        expected = max(map(len, lines))
        number = next(i for i, ln in enumerate(lines, 1) if len(ln) == expected)
        for size in (1, 4, 9, len(data) or 1):
            assert longest_line(chunked(data, size)) == (expected, number), (data, size)


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0"?><codeBook/>',
    b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a [comment] -->\n<?pi x?>\n<codeBook/>',
    b'<!DOCTYPE codeBook SYSTEM "codebook[1].dtd"><codeBook><x>[</x></codeBook>',
    b'<!DOCTYPE html><html><body>[</body></html>',
    '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
    b"<a/>",
])
def test_prologs_without_a_dtd_subset_pass(doc):
    for size in (1, 5, len(doc)):
        check_xml_prolog(chunked(doc, size), "f.xml")


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
    b'<!-- ' + b"-" * 3000 + b' --><!doctype a [ ]><a/>',
    b'<!DOCTYPE a SYSTEM "x>y" [<!ENTITY x "y">]><a/>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a/>'.encode("utf-16"),
])
def test_a_dtd_subset_is_refused_wherever_the_chunks_cut(doc):
    for size in (1, 5, 64, len(doc)):
        with pytest.raises(UnsafeContent, match="declares XML entities"):
            check_xml_prolog(chunked(doc, size), "f.xml")


def test_zipcraft_writes_valid_archives_and_lying_headers(tmp_path):
    good = write_zip(tmp_path / "a.zip", [small("s.txt", "hi"),
                                          repeated("r.xml", "<r>", "<x/>", 3 << 20, "</r>")])
    with zipfile.ZipFile(good) as zf:
        data = zf.read("r.xml")
        assert data.startswith(b"<r><x/>") and data.endswith(b"</r>")
        assert zf.getinfo("r.xml").file_size == len(data) > 3_000_000
    liar = write_zip(tmp_path / "b.zip", [repeated("r.xml", "<r>", "<x/>", 3 << 20, "</r>",
                                                   declared=100)])
    with zipfile.ZipFile(liar) as zf, pytest.raises(zipfile.BadZipFile, match="CRC"):
        zf.read("r.xml")


def test_a_part_is_refused_by_its_declared_size_and_by_its_actual_bytes(tmp_path):
    path = write_zip(tmp_path / "c.zip", [repeated("p.xml", "<r>", "<x/>", 1 << 20, "</r>")])
    with zipfile.ZipFile(path) as zf, override(max_unzipped_size=100_000):
        with pytest.raises(LimitExceeded, match="p.xml unpacks to 1.05 MB"):
            read_part(zf, "p.xml", "c.zip")
        # counted as read, whatever the headers say (open_part does not look at them)
        with pytest.raises(LimitExceeded, match="CODEBOOK_MAX_UNZIPPED_SIZE"):
            with open_part(zf, "p.xml", "c.zip") as stream:
                while stream.read(4096):
                    pass


YAML_WITH_ANCHORS = """\
defaults: &defaults {type: integer, constraints: {minimum: 0}}
fields:
  - {name: a, <<: *defaults}
  - {name: b, <<: *defaults}
  - name: c
    categories: &yn [{value: 1, label: Yes}, {value: 0, label: No}]
  - {name: d, categories: *yn}
"""


def test_yaml_anchors_of_a_real_schema_load():
    doc = load_yaml(YAML_WITH_ANCHORS, "s.yaml")
    assert doc["fields"][1] == {"name": "b", "type": "integer", "constraints": {"minimum": 0}}
    assert doc["fields"][3]["categories"][1]["label"] == "No"


def test_yaml_nodes_are_counted_with_aliases_expanded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcde", "bcdef"))
    with override(max_yaml_nodes=1_000_000):   # 10^6 strings expanded: just past the bound
        with pytest.raises(LimitExceeded, match="CODEBOOK_MAX_YAML_NODES"):
            load_yaml(bomb, "b.yaml")
    with override(max_yaml_nodes=2_000_000):
        assert len(load_yaml(bomb, "b.yaml")["f"]) == 10


def test_yaml_nesting_is_bounded():
    with override(max_nesting=20):
        with pytest.raises(LimitExceeded, match="CODEBOOK_MAX_NESTING"):
            load_yaml("[" * 30 + "]" * 30, "n.yaml")
        assert load_yaml("[" * 10 + "]" * 10, "n.yaml") == [[[[[[[[[[]]]]]]]]]]


@pytest.mark.parametrize("expr, ok", [
    ("(" * 49 + "[a] = 1" + ")" * 49, True),
    ("(" * 50 + "[a] = 1" + ")" * 50, False),
    ("not " * 49 + "[a]", True),
    ("not " * 60 + "[a]", False),
    (" + ".join(["[q]"] * 150) + " > 3", True),      # a long sum: a quarter level per operator
    (" + ".join(["[q]"] * 250) + " > 3", False),
    ("-" * 60 + "[a] > 1", False),
])
def test_logic_depth_is_bounded_as_it_is_parsed(expr, ok):
    if ok:
        assert parse_redcap(expr) is not None
    else:
        with pytest.raises(LogicSyntaxError, match="CODEBOOK_MAX_LOGIC_DEPTH"):
            parse_redcap(expr)


def test_logic_depth_bound_follows_the_setting():
    with override(max_logic_depth=5):
        with pytest.raises(LogicSyntaxError, match="more than 5 levels"):
            parse_redcap("((((([a] = 1)))))")


def test_mixed_utf8_and_cp1252_is_decoded_part_by_part():
    data = "Café crème\n".encode() + "Crème brûlée, informação\n".encode("cp1252")
    text, encoding = decode(data)
    assert encoding == MIXED and text == "Café crème\nCrème brûlée, informação\n"


def test_damage_is_not_taken_for_cp1252():
    text, encoding = decode("Café été ".encode() + b"Ch\xcc\xc1vez")
    assert encoding == MIXED and text.endswith("Ch\ufffd\ufffdvez")


def test_pure_encodings_are_not_called_mixed():
    assert decode("Café crème".encode("cp1252")) == ("Café crème", "cp1252")
    assert decode("Café crème".encode()) == ("Café crème", "utf-8")


def test_bound_settings_have_one_default_and_name_their_variable():
    table = {attr: (var, default) for var, attr, _, default, _ in SETTINGS_TABLE}
    from_env, plain = Settings.from_env({}), Settings()
    for f in Limits.__dataclass_fields__:
        assert getattr(from_env, f) == getattr(plain, f) == getattr(Limits(), f), f
        assert table[f][0] == "CODEBOOK_" + f.upper()
    assert Limits.from_settings(Settings.from_env({"CODEBOOK_MAX_CELLS": "7"})).max_cells == 7


def test_override_restores_the_bounds():
    before = current()
    with override(max_columns=3) as inner:
        assert current().max_columns == 3 == inner.max_columns
    assert current() == before


@pytest.mark.parametrize("n, text", [(256 * 10**6, "256 MB"), (8 << 20, "8 MiB"),
                                     (2147483655, "2.15 GB"), (1 << 30, "1 GiB"),
                                     (999, "999 bytes")])
def test_size_text(n, text):
    assert size_text(n) == text


def test_bounded_reader_is_a_plain_stream():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x.xml", "<a>" + "b" * 10_000 + "</a>")
    with zipfile.ZipFile(buf) as zf, open_part(zf, "x.xml", "x.zip") as stream:
        assert stream.read(3) == b"<a>" and len(stream.read()) == 10_004


def test_the_line_bound_skips_binary_files_and_reads_utf16_xml(tmp_path):
    from engine.guard import check_dictionary_file

    blob = b"\x00\x01" + b"x" * 5000
    (tmp_path / "labels.sav").write_bytes(blob)
    (tmp_path / "notes.txt").write_bytes(blob[2:])
    with override(max_line_length=1000):
        check_dictionary_file(tmp_path / "labels.sav", "labels.sav")     # not line-based
        with pytest.raises(LimitExceeded, match="line 1 is too long"):
            check_dictionary_file(tmp_path / "notes.txt", "notes.txt")
    bomb = '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16-le")
    (tmp_path / "codebook.dat").write_bytes(bomb)
    with pytest.raises(UnsafeContent):
        check_dictionary_file(tmp_path / "codebook.dat", "codebook.dat")
