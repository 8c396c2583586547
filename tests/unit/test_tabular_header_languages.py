"""Header words beyond the five main languages (Indonesian, Dutch, Turkish, Polish, Swedish),
and a description closed by a bracketed list of short code labels (engine/parsers/tabular)."""

from __future__ import annotations

from engine.parsers import parse_dictionary
from engine.parsers.tabular.columns import candidates, map_header

INDONESIAN = """## Blok III
| Kolom | Pertanyaan / Indikator |
|---|---|
| R301 | Status pemerintahan desa (1=Desa, 2=Kelurahan, 3=Nagari) |
| R302 | Jumlah penduduk (orang) |
| R601GK5 | Angin puting beliung – Keberadaan korban (A=Hilang, B=Terluka, D=Tidak ada korban) |

## Blok IV
| Kolom | Pertanyaan |
|---|---|
| R401 | Sumber penghasilan utama (1=Pertanian, 2=Industri) |
| R402 | Target variable (1 - client with payment difficulties on one of the loans, 0 - all other cases) |
"""


def test_indonesian_tables(tmp_path):
    path = tmp_path / "kamus.md"
    path.write_text(INDONESIAN, encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert list(fields) == ["R301", "R302", "R601GK5", "R401", "R402"]   # no `Kolom` field
    assert fields["R301"].description == "Status pemerintahan desa"
    assert [c.label for c in fields["R301"].categories] == ["Desa", "Kelurahan", "Nagari"]
    # a letter code is no prefix of the text's first word (`A=` vs `Angin`)
    assert fields["R601GK5"].description == "Angin puting beliung – Keberadaan korban"
    assert [c.value for c in fields["R601GK5"].categories] == ["A", "B", "D"]
    assert fields["R401"].description == "Sumber penghasilan utama"
    # codes explained at length are part of what the description says
    assert fields["R402"].description.endswith("0 - all other cases)")


def test_header_words_of_other_languages():
    assert map_header(["Variabele", "Omschrijving", "Waarden"])[0] == {
        "name": 0, "description": 1, "values": 2}
    assert map_header(["Değişken adı", "Açıklama", "Birim"])[0] == {
        "name": 0, "description": 1, "unit": 2}
    assert map_header(["Nazwa zmiennej", "Opis", "Typ danych"])[0] == {
        "name": 0, "description": 1, "type": 2}
    assert map_header(["Variabelnamn", "Beskrivning", "Värden"])[0] == {
        "name": 0, "description": 1, "values": 2}
    assert not candidates("Tip amount")
