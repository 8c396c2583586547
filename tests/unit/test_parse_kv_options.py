"""Key-value blocks of a PDF code book (`Nombre de la variable:` / `Descripción:` / `Tipo de
variable:`), lines as the PDF's text layer gives them (trimmed from Fundar's `libro_de_codigos.pdf`,
set 12 case pdf-es-fundar-libro-codigos-software): a link's `https://` is no key, the heading
above each block is no part of the previous value, options listed with bullets after a line
ending in a colon are the variable's values, and `Variable numérica` is a type."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines

_INFO = ["Información técnica", "● Fecha: 2024-10-21", "● Link:",
         "https://github.com/datos-Fundar/software_trayectorias/tree/main/diccionarios",
         "● Formato: CSV (UTF-8)", "Variables"]
_LINES = [
    "Diccionario Categorías", *_INFO,
    "Puestos de trabajo",
    "Nombre de la variable: puestos_trabajo",
    "Descripción: Palabras clave para identificar y clasificar los puestos de trabajo de los",
    "perfiles de LinkedIn.",
    "Tipo de variable: Variable string.",
    "Roles",
    "Nombre de la variable: rol_ocupacional",
    "Descripción: clasificación de los distintos roles ocupacionales existentes en la industria",
    "de software. Puede tener las siguientes opciones:",
    "●\tDesarrollo", "●\tCalidad", "●\tDiseño",
    "Tipo de variable: Variable string.",
    "Diccionario Orientación Software", *_INFO,
    "Provincia",
    "Nombre de la variable: provincia",
    "Descripción: Provincia correspondiente a la localidad donde se encuentra la institución",
    "educativa. Los valores pueden ser:",
    "● Buenos Aires", "● Catamarca", "● Corrientes",
    "Tipo de variable: Variable string.",
    "Base universitaria", *_INFO,
    "Año",
    "Nombre de la variable: anio",
    "Descripción: Años correspondiente a los valores de la base de datos, disponibles del",
    "2011 a 2022.",
    "Tipo de variable: Variable numérica.",
    "Régimen",
    "Nombre de la variable: regimen",
    "Descripción: Régimen educativo seguido por el establecimiento, con las siguientes",
    "opciones:",
    "• Estatal", "• Privado", "• Internacional",
    "Tipo de variable: Variable string.",
]


def _fields():
    fields, _ = fields_from_lines(_LINES, lambda message: None)
    return {f.name: f for f in fields}


def test_blocks_start_at_the_variable_name_not_at_a_link():
    assert list(_fields()) == ["puestos_trabajo", "rol_ocupacional", "provincia", "anio",
                               "regimen"]


def test_the_heading_above_a_block_stays_out_of_the_value_before_it():
    fields = _fields()
    assert fields["puestos_trabajo"].type == "string"
    assert "Roles" not in (fields["puestos_trabajo"].title or "")
    assert "Roles" not in fields["puestos_trabajo"].description
    assert fields["anio"].type == "number"


def test_bulleted_options_after_a_colon_are_the_values():
    fields = _fields()
    assert [(c.value, c.label) for c in fields["rol_ocupacional"].categories] == [
        ("Desarrollo", "Desarrollo"), ("Calidad", "Calidad"), ("Diseño", "Diseño")]
    assert [c.value for c in fields["provincia"].categories] == [
        "Buenos Aires", "Catamarca", "Corrientes"]
    assert [c.value for c in fields["regimen"].categories] == [
        "Estatal", "Privado", "Internacional"]
    assert fields["provincia"].description.startswith("Provincia correspondiente")
    assert "●" not in fields["rol_ocupacional"].description


def test_a_wrapped_line_ending_in_a_colon_is_no_key():
    assert _fields()["provincia"].description == (
        "Provincia correspondiente a la localidad donde se encuentra la institución educativa. "
        "Los valores pueden ser:")


def test_bulleted_bands_of_a_count_are_values_as_written():
    lines = [
        *_LINES,
        "Desempleo",
        "Nombre de la variable: tiempo_desempleo",
        "Descripción: Esta variable considera a todos los períodos de desempleo reportados por",
        "una persona. Se expresa en los siguientes rangos de tiempo:",
        "●\t0", "●\t1 a 3", "●\t4 a 6", "●\t7 a 12", "●\t> 1 año",
        "Tipo de variable: Variable string.",
    ]
    fields, _ = fields_from_lines(lines, lambda message: None)
    field = next(f for f in fields if f.name == "tiempo_desempleo")
    assert [(c.value, c.label) for c in field.categories] == [
        ("0", "0"), ("1 a 3", "1 a 3"), ("4 a 6", "4 a 6"), ("7 a 12", "7 a 12"),
        ("> 1 año", "> 1 año")]
    assert field.description.endswith("rangos de tiempo:")
