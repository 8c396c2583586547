"""A manual that heads each variable with its name alone on a line, as the PDF's text layer gives
it (trimmed from the Inter-American Development Bank's `D.1.1 Documentación armonización
microdatos encuestas de hogares.pdf`, set 12 case pdf-es-bid-scl-armonizacion-manual): a field's
numbered code list written `1 Unipersonal: ...` is no list of attributes of its own, a numbered
section heading ends the body above it, and `1<TAB>Jefe` is a code line as `2 Cónyuge` is."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines

_COUNTS = [("nconyuges_ch", "cónyuges o esposos/as"), ("nhijos_ch", "hijos/as"),
           ("notropari_ch", "otros parientes"), ("notronopari_ch", "otros No parientes"),
           ("nempdom_ch", "empleados domésticos")]
_LINES = [
    "3.1. Variables de identificación",
    "La mayor parte de este grupo de variables hace referencia a la información original que se",
    "encuentra al inicio de las bases de datos de las encuestas.",
    "anio_c", "Hace referencia al año que se realizó la encuesta.",
    "mes_c", "Hace referencia al mes en el que se realizó la encuesta.",
    "idh_ch", "Identificador del hogar. Es una cadena que concatena las variables llaves de la "
              "base original.",
    "idp_ci", "Identificador del individuo. Es el número de la persona dentro del hogar.",
    "factor_ch", "Es el factor de ponderación de los hogares en la base.",
    "3.2.Variables demográficas",
    "En esta sección se describen las variables que se relacionan con las características "
    "individuales. Es",
    "decir, el sexo, edad, etnia, estado civil y relación de parentesco con el jefe del hogar.",
    "sexo_ci", "Es una variable categórica que indica el sexo del individuo.",
    "1\tMasculino", "2\tFemenino",
    "relacion_ci",
    "Variable que indica la relación de parentesco del individuo con respecto al jefe de hogar.",
    "1\tJefe", "2 Cónyuge / esposo/a / compañero/a", "3 Hijo/a", "4 Otros parientes",
    "5 Otros no parientes", "6\tServicio doméstico",
    *[line for name, who in _COUNTS
      for line in (name, f"Variable que indica la cantidad de {who} en el hogar.")],
    "clasehog_ch", "Identifica el tipo de hogar según la cantidad de individuos.",
    "1 Unipersonal: hogares formados por un solo miembro.",
    "2 Nuclear: hogares con o sin cónyuge formados por un jefe(a) y sus hijos.",
    "3 Ampliado: hogares nucleares con al menos un pariente o por un jefe y al menos otro "
    "pariente.",
    "4 Compuesto: hogar nuclear o ampliado y al menos un integrante no pariente.",
    "nmayor21_ch", "Indica el número total de miembros del hogar con 21 años o más de edad.",
    "nmenor21_ch", "Indica el número total de miembros del hogar con menos de 21 años.",
    "nmayor65_ch", "Indica el número total de miembros del hogar con 65 años o más de edad.",
    "nmenor6_ch", "Indica el número total de miembros del hogar con menos de 6 años.",
    "nmenor1_ch", "Indica el número total de miembros del hogar con menos de 1 año.",
    "3.3. Variables de Diversidad",
    "En esta sección se describen las variables que se relacionan con la identidad étnico-racial.",
]


def _fields():
    fields, _ = fields_from_lines(_LINES, lambda message: None)
    return {f.name: f for f in fields}


def test_the_names_alone_on_their_lines_head_the_fields():
    fields = _fields()
    assert "Unipersonal" not in fields and "Nuclear" not in fields
    assert {"anio_c", "sexo_ci", "relacion_ci", "clasehog_ch", "nmenor1_ch"} <= set(fields)
    assert len(fields) == 18


def test_a_numbered_section_heading_ends_the_body_above_it():
    fields = _fields()
    assert fields["factor_ch"].description == \
        "Es el factor de ponderación de los hogares en la base."
    assert "Diversidad" not in fields["nmenor1_ch"].description


def test_code_lines_after_a_tab_or_a_blank_make_one_list():
    fields = _fields()
    assert [(str(c.value), c.label) for c in fields["sexo_ci"].categories] == [
        ("1", "Masculino"), ("2", "Femenino")]
    assert [str(c.value) for c in fields["relacion_ci"].categories] == [
        "1", "2", "3", "4", "5", "6"]
    assert fields["relacion_ci"].categories[0].label == "Jefe"
