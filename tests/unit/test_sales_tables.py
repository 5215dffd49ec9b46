"""Sales history tables: read from CSV files or a workbook into typed tables; every bad table is
one ConfigError naming the file, the row (the file's line) and the column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config.sales import read_sales_tables, sales_tables, write_sales_tables
from sim.config.sales_synth import draw_history, realistic_truth
from sim.core.errors import ConfigError

SKUS = """sku,class,weight_kg,unit_value,price
A,small,0.5,10,20
B,small,0.4,12,25
C,bulky,12,80,150
"""
SALES = """date,market,sku,units
2024-01-01,US,A,3
2024-01-01,US,B,1
2024-01-02,US,A,2
2024-01-02,EU,C,1
2024-01-03,EU,A,4
2024-01-05,US,C,2
"""
PROMOTIONS = """name,start,days
sale,2024-01-03,2
"""


def _folder(tmp_path: Path, **texts: str) -> Path:
    files = {"skus": SKUS, "sales": SALES, "promotions": PROMOTIONS, **texts}
    for name, text in files.items():
        if text is not None:
            (tmp_path / f"{name}.csv").write_text(text)
    return tmp_path


def _cell(text: str, row: int, column: str, value: str) -> str:
    """``text`` (a CSV) with the cell at file row ``row`` (the header is 1) set to ``value``."""
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def test_good_tables_are_read_typed(tmp_path):
    t = read_sales_tables(_folder(tmp_path))
    assert t.sales["date"].dtype.kind == "M" and t.sales["units"].dtype == np.int64
    assert t.skus["weight_kg"].tolist() == [0.5, 0.4, 12.0]
    assert t.markets == ("US", "EU")
    d = t.daily()
    assert d.units.shape == (2, 5, 3)  # markets, the days 1 to 5 January, SKUs
    assert d.units[0, :, 0].tolist() == [3, 2, 0, 0, 0]  # US, A: no row is no sale
    assert t.promotions["days"].tolist() == [2]


def test_price_and_promotions_are_optional(tmp_path):
    skus = "\n".join(ln.rsplit(",", 1)[0] for ln in SKUS.splitlines()) + "\n"
    folder = _folder(tmp_path, skus=skus, promotions=None)
    t = read_sales_tables(folder)
    assert t.skus["price"].tolist() == [0.0, 0.0, 0.0] and len(t.promotions) == 0
    spec = t.sku_specs(np.array([1.0, 2.0, 3.0]))
    assert spec[2].id == "C" and spec[2].size_class == "bulky" and spec[2].base_rate == 3.0


def test_headers_ignore_case_and_extra_columns(tmp_path):
    sales = SALES.replace("date,market,sku,units", "Date, Market ,SKU,Units,revenue")
    sales = "\n".join(ln + ",9.99" if i else ln for i, ln in enumerate(sales.splitlines()))
    t = read_sales_tables(_folder(tmp_path, sales=sales + "\n"))
    assert list(t.sales.columns) == ["date", "market", "sku", "units"]


@pytest.mark.parametrize("name", ["tables", "history.xlsx"])
def test_written_tables_read_back_the_same(tmp_path, name):
    rng = np.random.default_rng(5)
    t = draw_history(realistic_truth(rng, n_skus=8, years=1), rng)
    back = read_sales_tables(write_sales_tables(t, tmp_path / name))
    pd.testing.assert_frame_equal(back.sales, t.sales, check_dtype=False)
    pd.testing.assert_frame_equal(back.skus, t.skus, check_dtype=False)
    pd.testing.assert_frame_equal(back.promotions, t.promotions, check_dtype=False)


BAD = {  # case: (table, its text, the row and column named)
    "units not a number": ("sales", _cell(SALES, 3, "units", "three"), "row 3 column units"),
    "negative units": ("sales", _cell(SALES, 4, "units", "-2"), "row 4 column units"),
    "fractional units": ("sales", _cell(SALES, 2, "units", "2.5"), "row 2 column units"),
    "infinite units": ("sales", _cell(SALES, 6, "units", "inf"), "row 6 column units"),
    "empty units": ("sales", _cell(SALES, 5, "units", ""), "row 5 column units"),
    "impossible date": ("sales", _cell(SALES, 2, "date", "2024-02-30"), "row 2 column date"),
    "date not YYYY-MM-DD": ("sales", _cell(SALES, 7, "date", "01/05/2024"), "row 7 column date"),
    "empty market": ("sales", _cell(SALES, 3, "market", ""), "row 3 column market"),
    "unknown SKU": ("sales", _cell(SALES, 5, "sku", "D"), "row 5 column sku"),
    "repeated day, market and SKU": (
        "sales",
        SALES + "2024-01-02,US,A,7\n",
        "row 8 column sku",
    ),
    "missing units column": (
        "sales",
        "\n".join(ln.rsplit(",", 1)[0] for ln in SALES.splitlines()) + "\n",
        "row 1 column units",
    ),
    "empty sales": ("sales", "date,market,sku,units\n", "row 2 column date"),
    "repeated SKU id": ("skus", SKUS + "B,bulky,3,4,5\n", "row 5 column sku"),
    "negative weight": ("skus", _cell(SKUS, 2, "weight_kg", "-0.5"), "row 2 column weight_kg"),
    "value not a number": (
        "skus",
        _cell(SKUS, 3, "unit_value", "12 USD"),
        "row 3 column unit_value",
    ),
    "negative price": ("skus", _cell(SKUS, 4, "price", "-1"), "row 4 column price"),
    "missing class column": (
        "skus",
        SKUS.replace("sku,class,", "sku,klass,"),
        "row 1 column class",
    ),
    "empty catalogue": ("skus", "sku,class,weight_kg,unit_value,price\n", "row 2 column sku"),
    "promotion of no days": ("promotions", _cell(PROMOTIONS, 2, "days", "0"), "row 2 column days"),
    "promotion start not a date": (
        "promotions",
        _cell(PROMOTIONS, 2, "start", "July"),
        "row 2 column start",
    ),
    "a comment line counts as a row": (
        "sales",
        _cell(SALES.replace("2024-01-02,US,A,2", "# a note\n2024-01-02,US,A,2"), 5, "units", "x"),
        "row 5 column units",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_table_is_one_error_naming_file_row_and_column(tmp_path, case):
    table, text, where = BAD[case]
    with pytest.raises(ConfigError) as info:
        read_sales_tables(_folder(tmp_path, **{table: text}))
    assert info.value.key == f"{table}.csv {where}"
    assert "\n" not in str(info.value) and "expected" in str(info.value)


def test_the_first_bad_row_is_named_whatever_the_kind_of_fault(tmp_path):
    text = _cell(_cell(SALES, 3, "units", "-1"), 6, "units", "many")
    with pytest.raises(ConfigError) as info:
        read_sales_tables(_folder(tmp_path, sales=text))
    assert info.value.key == "sales.csv row 3 column units" and info.value.value == "-1"


def test_a_repeat_names_the_row_it_repeats(tmp_path):
    with pytest.raises(ConfigError, match="repeats row 4"):
        read_sales_tables(_folder(tmp_path, sales=SALES + "2024-01-02,US,A,7\n"))


def test_an_unknown_sku_suggests_a_close_one(tmp_path):
    skus = SKUS.replace("\nA,", "\nSKU-001,")
    with pytest.raises(ConfigError, match="did you mean SKU-001"):
        read_sales_tables(_folder(tmp_path, skus=skus, sales=SALES.replace(",A,", ",SKU-01,")))


def test_a_bad_sheet_cell_names_the_workbook_sheet_row_and_column(tmp_path):
    book = tmp_path / "history.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        pd.read_csv(pd.io.common.StringIO(SKUS)).to_excel(xl, sheet_name="skus", index=False)
        sales = pd.read_csv(pd.io.common.StringIO(SALES), dtype=str)
        sales.loc[2, "units"] = "-4"
        sales.to_excel(xl, sheet_name="sales", index=False)
    with pytest.raises(ConfigError) as info:
        read_sales_tables(book)
    assert info.value.key == "history.xlsx[sales] row 4 column units"


def test_a_missing_file_or_sheet_is_named(tmp_path):
    (tmp_path / "skus.csv").write_text(SKUS)
    with pytest.raises(ConfigError, match="sales.csv"):
        read_sales_tables(tmp_path)
    book = tmp_path / "only_skus.xlsx"
    pd.read_csv(pd.io.common.StringIO(SKUS)).to_excel(book, sheet_name="skus", index=False)
    with pytest.raises(ConfigError, match="sheet 'sales'"):
        read_sales_tables(book)
    with pytest.raises(ConfigError, match="a folder with skus.csv"):
        read_sales_tables(tmp_path / "nothing.txt")


def test_dataframes_are_checked_as_files_are():
    skus = pd.read_csv(pd.io.common.StringIO(SKUS))
    sales = pd.read_csv(pd.io.common.StringIO(SALES))
    sales.loc[1, "units"] = -1
    with pytest.raises(ConfigError) as info:
        sales_tables(skus, sales, names=["catalogue", "orders", "promos"])
    assert info.value.key == "orders row 3 column units"
