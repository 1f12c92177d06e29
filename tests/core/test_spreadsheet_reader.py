"""The one decoder of uploaded CSV files (issue 14): what Excel writes in a Finnish or
Swedish locale, and nothing else."""

from __future__ import annotations

import pytest

from silta.core.spreadsheets import csv_separator, decimal_point, decode_csv

TEXT = "nimi;summa\r\nÄänekoski;1 234,50\r\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_each_excel_encoding_gives_the_same_text_and_separator(encoding) -> None:
    assert decode_csv(TEXT.encode(encoding)) == (TEXT, ";")


def test_a_comma_header_keeps_the_comma() -> None:
    assert decode_csv(b"a,b;c\n1,2\n") == ("a,b;c\n1,2\n", ",")
    assert csv_separator("a;b;c,d\n") == ";"


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_bytes_that_are_neither_say_where(prefix) -> None:
    data = prefix + b"a;b\n\x81\n"
    with pytest.raises(UnicodeDecodeError) as caught:
        decode_csv(data)
    assert data[caught.value.start : caught.value.start + 1] == b"\x81"


@pytest.mark.parametrize(
    ("written", "read"),
    [("7,5", "7.5"), ("1 234,50", "1234.50"), ("-3,25", "-3.25"), ("6", "6"), ("7.5", "7.5"),
     ("1,2,3", "1,2,3"), ("", ""), (" 8 ", "8")],
)  # fmt: skip
def test_a_decimal_comma_becomes_a_point(written, read) -> None:
    assert decimal_point(written) == read
