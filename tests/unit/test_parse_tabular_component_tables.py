"""An HTML data dictionary whose field table (`coluna | descrição`) is followed by tables of
the parts that compose other column names (`Oportunidade | Descrição`, `Pessoas |
Descrição`), trimmed from IPEA's aopdata 'Dicionário de dados [PT]' (set 12 case
html-pt-ipea-aopdata-dicionario): a table read without a header whose first row heads its
text column and names its first column as something else than the fields lists no fields."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.parsers import parse_dictionary


def test_tables_of_name_parts_are_no_fields():
    result = parse_dictionary(fixture_path("wild12/ipea_aopdata_dic_trimmed.html"))
    names = [f.name for f in result.schema.fields]
    assert names[:5] == ["year", "id_hex", "abbrev_muni", "name_muni", "code_muni"]
    assert "Oportunidade" not in names and "Pessoas" not in names
    assert "TT" not in names and "PT" not in names
