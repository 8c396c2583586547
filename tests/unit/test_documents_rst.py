"""engine.formats.rst: reStructuredText tables with the heading above each as context."""

from __future__ import annotations

from engine.formats import load_document
from engine.formats.rst.read import inline, load_rst
from engine.parsers import parse_dictionary

PAGE = """\
=========
Data sets
=========

Intro paragraph with ``literal`` text.

------
people
------

.. list-table:: Columns of people
   :widths: 20 80
   :header-rows: 1

   * - Column
     - Description
   * - :code:`age`
     - Age in years,
       at the interview
   * - :code:`sex`
     - Sex, one of `male <https://example.org>`_ or female

.. code-block:: text

    | not | a table |
    +-----+---------+

homes
=====

+-----------+---------------------+
| Field     | Meaning             |
+===========+=====================+
| area_m2   | Living area         |
|           | in square metres    |
+-----------+---------------------+
| rooms     | Number of rooms     |
+-----------+---------------------+

cars
----

=========  ======================
Variable   Description
=========  ======================
price      Price in dollars
year       Model year, continued
           on a second line
=========  ======================

.. csv-table:: Extra
   :header: "Name", "Definition"

   "fuel", "Fuel type"
   "doors", "Number of doors"
"""


def test_rst_tables_with_heading_context():
    doc = load_rst(PAGE)
    assert doc.kind == "rst"
    assert [t.context for t in doc.tables] == ["people", "homes", "cars", "cars"]
    people, homes, cars, extra = doc.tables
    assert people.rows == [["Column", "Description"], ["age", "Age in years, at the interview"],
                           ["sex", "Sex, one of male or female"]]
    assert homes.rows == [["Field", "Meaning"], ["area_m2", "Living area in square metres"],
                          ["rooms", "Number of rooms"]]
    assert cars.rows == [["Variable", "Description"], ["price", "Price in dollars"],
                         ["year", "Model year, continued on a second line"]]
    assert extra.rows == [["Name", "Definition"], ["fuel", "Fuel type"],
                          ["doors", "Number of doors"]]
    assert "not | a table" not in doc.text
    assert "Intro paragraph with literal text." in doc.text


def test_inline_markup():
    assert inline(":code:`x_1` and ``y`` and `z <http://a>`_") == "x_1 and y and z"


def test_rst_file_parses_as_a_table_dictionary(tmp_path):
    path = tmp_path / "columns.rst"
    path.write_text(PAGE, encoding="utf-8")
    assert load_document(path, path.name).kind == "rst"
    s = parse_dictionary(path).schema
    assert s.names == ["age", "sex", "area_m2", "rooms", "price", "year", "fuel", "doors"]
    assert s.field("area_m2").extras["section"] == "homes"
