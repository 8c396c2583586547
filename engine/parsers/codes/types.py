"""Type words of dictionaries mapped to Table Schema types, and types read from codes."""

from __future__ import annotations

import re
from typing import Iterable

from ...model import Category

_TYPE_WORDS = {
    "number": ("numeric", "numerical", "number", "num", "continuous", "float", "double",
               "decimal", "real", "%", "percent", "percentage", "rate", "ratio", "money",
               "currency", "float64", "float32", "double precision", "proportion",
               "float number", "float numbers", "numeric value", "real number"),
    "integer": ("integer", "int", "int64", "int32", "int16", "int8", "bigint", "smallint",
                "tinyint", "count", "whole number", "whole numbers", "integer number",
                "integers", "discrete numeric"),
    "string": ("text", "string", "str", "char", "varchar", "nvarchar", "character", "free text",
               "freetext", "alphanumeric", "alpha", "charcter", "text box", "textbox",
               "descriptive text", "character string", "nchar", "memo", "open text", "object",
               "clob", "blob", "longtext", "mediumtext"),
    "date": ("date", "date_ymd", "date_mdy", "date_dmy", "yyyy-mm-dd", "mm/dd/yyyy",
             "dd/mm/yyyy", "dd.mm.yyyy", "yyyymmdd", "mm/dd/yy", "calendar date"),
    "datetime": ("datetime", "timestamp", "date-time", "date time", "date/time",
                 "datetime_ymd", "datetime_mdy", "datetime_dmy", "datetime_seconds_ymd",
                 "datetime_seconds_mdy", "datetime_seconds_dmy", "yyyy-mm-dd hh:mm:ss",
                 "yyyy-mm-dd hh:mm", "posixct", "timestamp with time zone"),
    "time": ("time", "hh:mm", "hh:mm:ss", "time_hh_mm", "time_hh_mm_ss", "time_mm_ss"),
    "year": ("year", "yyyy", "gyear"),
    "boolean": ("boolean", "bool", "yes/no", "yesno", "yes-no", "y/n", "logical",
                "true/false", "truefalse", "binary (true/false)", "flag", "bit"),
}
# Korean, Japanese and Chinese type words (whole cells)
_CJK_TYPES = {"integer": ("정수", "정수형", "整数", "整數", "整数型"),
              "number": ("숫자", "숫자형", "수치", "수치형", "실수", "실수형", "数値", "數值", "数值",
                         "小数", "浮点", "浮點"),
              "string": ("문자", "문자형", "문자열", "텍스트", "文字", "文字列", "字符", "字符串",
                         "字串", "文本", "テキスト"),
              "date": ("날짜", "일자", "日付", "日期"),
              "datetime": ("일시", "日時", "日期时间", "日期時間")}
_TYPE_LOOKUP = {w: t for t, words in _TYPE_WORDS.items() for w in words}
_TYPE_LOOKUP.update({w: t for t, words in _CJK_TYPES.items() for w in words})
_CORE_WORDS = {"numeric", "numerical", "number", "float", "double", "decimal", "continuous",
               "integer", "int", "integers", "text", "string", "char", "varchar", "character",
               "date", "datetime", "timestamp", "year", "boolean", "bool", "logical"}
_NO_TYPE = {"categorical", "qualitative", "factor", "nominal", "ordinal", "category",
            "categoric", "enum", "enumerated", "coded", "code", "symbolic", "discrete",
            "radio", "dropdown", "checkbox", "select", "list", "multiple choice"}
_SIZED = re.compile(r"^(n?varchar|n?char|character varying|text|string)\s*\(\s*\d+\s*\)$|"
                    r"^(decimal|numeric|number|float|double)\s*\(\s*\d+\s*(?:,\s*\d+\s*)?\)$|"
                    r"^(int|integer|bigint|smallint|tinyint)\s*\(\s*\d+\s*\)$")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z_]+")
_INTEGER = re.compile(r"[-+]?\d+")
_DECIMAL = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def map_type(text: str | None) -> str | None:
    """The Table Schema type a dictionary's type word means (`numeric` -> number), else None."""
    if not text:
        return None
    word = _SPACES.sub(" ", text.strip().strip("()[].:;,").strip()).lower()
    if not word or word in _NO_TYPE:
        return None
    if word in _TYPE_LOOKUP:
        return _TYPE_LOOKUP[word]
    sized = _SIZED.match(word)
    if sized:
        return "string" if sized.group(1) else "number" if sized.group(2) else "integer"
    tokens = _TOKEN.findall(word)
    if len(tokens) > 4 or any(t in _NO_TYPE for t in tokens):
        return None
    for t in tokens:  # `positive float numbers`, `date of birth`: a core word decides
        if t in _CORE_WORDS:
            return _TYPE_LOOKUP[t]
    return None


def infer_type_from_codes(categories: Iterable[Category]) -> str:
    """`integer` when every code is a whole number, `number` when numeric, else `string`."""
    values = [c.value.strip() for c in categories]
    if not values:
        return "string"
    if all(map(_INTEGER.fullmatch, values)):
        return "integer"
    if all(map(_DECIMAL.fullmatch, values)):
        return "number"
    return "string"
