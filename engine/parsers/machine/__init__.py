"""Machine-readable codebooks: Table Schema/Data Package, CSVW, JSON Schema, dbt property files,
FHIR Questionnaire, DDI, ODM/REDCap XML, SPSS syntax, Stata dictionaries and do-files, SAS
programs, CSPro dictionaries, and XML, JSON or YAML in no standard schema.

Each format has its own module; this package only lists their specs for the registry.  The
sniffs look at content (root element, `resourceType`, command words), so these parsers win over
the generic tabular and text ones only for files that really are in their format.
"""

from __future__ import annotations

from .. import ParserSpec
from .cspro import parse_cspro, sniff_cspro
from .csvw import parse_csvw, sniff_csvw
from .dbt import parse_dbt, sniff_dbt
from .ddi import parse_ddi, sniff_ddi
from .fhir import parse_fhir, sniff_fhir
from .json_generic import parse_json, sniff_json
from .jsonschema import parse_jsonschema, sniff_jsonschema
from .odm import parse_odm, sniff_odm
from .sas import parse_sas, sniff_sas
from .setup_text import cspro_text, sas_text, spss_text, stata_dct_text, stata_do_text
from .spss import parse_spss, sniff_spss
from .stata import parse_stata, sniff_stata
from .stata_do import parse_stata_do, sniff_stata_do
from .tableschema import parse_tableschema, sniff_tableschema
from .xml_generic import parse_xml, sniff_xml

PARSERS = [
    ParserSpec(format="fhir-questionnaire", extensions=(".json",), parse=parse_fhir,
               sniff=sniff_fhir, priority=10),
    ParserSpec(format="table-schema", extensions=(".json", ".yaml", ".yml"),
               parse=parse_tableschema, sniff=sniff_tableschema, priority=20),
    ParserSpec(format="csvw", extensions=(".json",), parse=parse_csvw, sniff=sniff_csvw,
               priority=21),
    ParserSpec(format="dbt", extensions=(".yaml", ".yml"), parse=parse_dbt, sniff=sniff_dbt,
               priority=21),
    ParserSpec(format="json-schema", extensions=(".json", ".yaml", ".yml"),
               parse=parse_jsonschema, sniff=sniff_jsonschema, priority=22),
    ParserSpec(format="json", extensions=(".json", ".yaml", ".yml"), parse=parse_json,
               sniff=sniff_json, priority=45),
    ParserSpec(format="ddi", extensions=(".xml",), parse=parse_ddi, sniff=sniff_ddi, priority=10),
    ParserSpec(format="odm-xml", extensions=(".xml",), parse=parse_odm, sniff=sniff_odm,
               priority=10),
    ParserSpec(format="xml", extensions=(".xml",), parse=parse_xml, sniff=sniff_xml,
               priority=40),
    ParserSpec(format="spss-syntax", extensions=(".sps", ".syntax"), parse=parse_spss,
               sniff=sniff_spss, priority=20),
    ParserSpec(format="stata-dct", extensions=(".dct",), parse=parse_stata, sniff=sniff_stata,
               priority=20),
    ParserSpec(format="sas", extensions=(".sas",), parse=parse_sas, sniff=sniff_sas,
               priority=20),
    ParserSpec(format="stata-do", extensions=(".do", ".ado"), parse=parse_stata_do,
               sniff=sniff_stata_do, priority=20),
    ParserSpec(format="cspro-dcf", extensions=(".dcf",), parse=parse_cspro, sniff=sniff_cspro,
               priority=20),
]
# the same programs saved as plain text: a stricter sniff, and the best reading wins
_TEXT = (".txt", ".text")
PARSERS += [
    ParserSpec(format="spss-syntax", extensions=_TEXT, parse=parse_spss, sniff=spss_text,
               priority=20, competes=True),
    ParserSpec(format="sas", extensions=_TEXT, parse=parse_sas, sniff=sas_text, priority=20,
               competes=True),
    ParserSpec(format="stata-do", extensions=_TEXT, parse=parse_stata_do, sniff=stata_do_text,
               priority=20, competes=True),
    ParserSpec(format="stata-dct", extensions=_TEXT, parse=parse_stata, sniff=stata_dct_text,
               priority=20, competes=True),
    ParserSpec(format="cspro-dcf", extensions=_TEXT, parse=parse_cspro, sniff=cspro_text,
               priority=20, competes=True),
]
