"""A sales history as tables: ``skus`` (the catalogue), ``sales`` (units sold per day, market
and SKU; a day without a row sold nothing) and, optionally, ``promotions`` (the days a named
promotion ran). Read from a folder of CSV files or the sheets of an ``.xlsx`` workbook, or
checked from DataFrames; a bad cell is one :class:`ConfigError` naming the file, the row (the
file's line, the header being row 1), the column, the value and what was expected.

Column names are read without regard to case or surrounding spaces; other columns are ignored
(a sales export often carries revenue or returns). Types and ranges are checked by pandera.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.errors import ConfigError
from .spec import SkuSpec

if TYPE_CHECKING:  # imported where a table is checked: a run's main process does without
    import pandera.pandas as pa

TEXT, NUMBER, COUNT, DATE = "text", "number", "count", "date"
DATE_FORMAT = "%Y-%m-%d"


@dataclass(frozen=True)
class Col:
    """A column of a sales table: its kind, meaning, lowest value and default (None: required)."""

    name: str
    kind: str
    what: str
    default: str | None = None
    low: float = 0.0


COLUMNS: dict[str, tuple[Col, ...]] = {
    "skus": (
        Col("sku", TEXT, "the SKU's id"),
        Col("class", TEXT, "its size class"),
        Col("weight_kg", NUMBER, "kg per unit"),
        Col("unit_value", NUMBER, "USD per unit, its value at cost"),
        Col("price", NUMBER, "USD per unit paid by the customer", default="0"),
    ),
    "sales": (
        Col("date", DATE, "the day of the sales"),
        Col("market", TEXT, "the market"),
        Col("sku", TEXT, "an SKU of the skus table"),
        Col("units", COUNT, "units sold that day"),
    ),
    "promotions": (
        Col("name", TEXT, "the promotion's name; the same name in another year: the same one"),
        Col("start", DATE, "its first day"),
        Col("days", COUNT, "how many days it ran", low=1.0),
    ),
}


@dataclass(frozen=True, eq=False)
class Daily:
    """Units sold on every day from the first to the last of the sales, shape
    (markets, days, SKUs); SKUs in the catalogue's order."""

    dates: pd.DatetimeIndex
    markets: tuple[str, ...]
    skus: tuple[str, ...]
    units: np.ndarray


@dataclass(frozen=True, eq=False)
class SalesTables:
    """The checked tables: ``skus`` (sku, class, weight_kg, unit_value, price), ``sales`` (date
    as datetime64, market, sku, units as int64) and ``promotions`` (name, start, days)."""

    skus: pd.DataFrame
    sales: pd.DataFrame
    promotions: pd.DataFrame

    @property
    def markets(self) -> tuple[str, ...]:
        """The markets, in order of first appearance."""
        return tuple(pd.unique(self.sales["market"]))

    def daily(self) -> Daily:
        """The sales as a dense array, zeros where no row was given."""
        dates = pd.date_range(self.sales["date"].min(), self.sales["date"].max(), freq="D")
        markets = self.markets
        skus = tuple(self.skus["sku"])
        units = np.zeros((len(markets), len(dates), len(skus)), dtype=np.int64)
        day = ((self.sales["date"] - dates[0]) // pd.Timedelta(days=1)).to_numpy()
        m = pd.Categorical(self.sales["market"], categories=list(markets)).codes
        s = pd.Categorical(self.sales["sku"], categories=list(skus)).codes
        units[m, day, s] = self.sales["units"].to_numpy()
        return Daily(dates, markets, skus, units)

    def sku_specs(self, base_rate: np.ndarray) -> tuple[SkuSpec, ...]:
        """The catalogue as the specs of :class:`~sim.config.spec.DemandSpec`, with
        ``base_rate`` (units per day, one per SKU)."""
        t = self.skus
        rows = zip(t["sku"], t["class"], t["weight_kg"], t["unit_value"], t["price"])
        return tuple(
            SkuSpec(i, str(s), str(c), float(w), float(v), float(base_rate[i]), float(p))
            for i, (s, c, w, v, p) in enumerate(rows)
        )


def read_sales_tables(path: Path) -> SalesTables:
    """The tables at ``path``: a folder with ``skus.csv``, ``sales.csv`` and maybe
    ``promotions.csv``, or a workbook with sheets ``skus``, ``sales`` and maybe ``promotions``."""
    path = Path(path)
    frames: dict[str, tuple[pd.DataFrame | None, str]] = {}
    for t in COLUMNS:
        optional = t == "promotions"
        if path.is_dir():
            frames[t] = (_read_csv(path / f"{t}.csv", optional), f"{t}.csv")
        elif path.suffix.lower() == ".xlsx" and path.is_file():
            frames[t] = (_read_sheet(path, t, optional), f"{path.name}[{t}]")
        else:
            raise ConfigError(
                "demand.history",
                str(path),
                "a folder with skus.csv and sales.csv (and promotions.csv), or an .xlsx "
                "workbook with sheets skus and sales (and promotions)",
            )
    skus, sales = frames["skus"][0], frames["sales"][0]
    assert skus is not None and sales is not None  # required: read or refused above
    names = [frames[t][1] for t in COLUMNS]
    return sales_tables(skus, sales, frames["promotions"][0], names=names)


def sales_tables(
    skus: pd.DataFrame,
    sales: pd.DataFrame,
    promotions: pd.DataFrame | None = None,
    names: list[str] | None = None,
) -> SalesTables:
    """Check the three tables (any cell types; read as text) into :class:`SalesTables`.
    ``names`` name them in errors (default ``skus.csv``, ``sales.csv``, ``promotions.csv``).
    A DataFrame's ``attrs["lines"]`` gives each row's line in its file (default: index + 2)."""
    where = names or [f"{t}.csv" for t in COLUMNS]
    if promotions is None:
        promotions = pd.DataFrame(columns=[c.name for c in COLUMNS["promotions"]])
    sk = _typed("skus", skus, where[0], empty_ok=False)
    _unique(sk, ["sku"], "sku", where[0], skus, "a unique SKU id")
    sa = _typed("sales", sales, where[1], empty_ok=False)
    known = set(sk["sku"])
    bad = ~sa["sku"].isin(known)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        value = sa["sku"].iloc[i]
        close = difflib.get_close_matches(value, sorted(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise cell(where[1], sales, i, "sku", value, "an SKU of the skus table" + hint)
    one = "one row per date, market and SKU"
    _unique(sa, ["date", "market", "sku"], "sku", where[1], sales, one)
    pr = _typed("promotions", promotions, where[2], empty_ok=True)
    return SalesTables(sk, sa, pr)


def row_of(df: pd.DataFrame, i: int) -> int:
    """The file's row of data row ``i`` (0-based) of ``df``: its ``attrs["lines"]``, else
    ``i + 2`` (the header being row 1)."""
    lines = df.attrs.get("lines") or []
    return int(lines[i]) if i < len(lines) else i + 2


def cell(
    where: str, df: pd.DataFrame, i: int, column: str, value: object, expected: str
) -> ConfigError:
    """The error of data row ``i`` (0-based) of ``df`` at ``column``."""
    return ConfigError(f"{where} row {row_of(df, i)} column {column}", value, expected)


def _expected(c: Col) -> str:
    if c.kind == TEXT:
        return f"a value ({c.what})"
    if c.kind == DATE:
        return f"a date YYYY-MM-DD ({c.what})"
    number = "a whole number" if c.kind == COUNT else "a finite number"
    return f"{number} >= {c.low:g} ({c.what})"


def _typed(table: str, df: pd.DataFrame, where: str, empty_ok: bool) -> pd.DataFrame:
    """The table's known columns, typed, or a ConfigError for its first bad cell."""
    cols = COLUMNS[table]
    df = df.rename(columns=lambda c: str(c).strip().lower())
    for c in cols:
        if c.default is None and c.name not in df.columns:
            close = difflib.get_close_matches(c.name, [str(n) for n in df.columns], n=1)
            hint = f"; is {close[0]} meant?" if close else ""
            expected = f"a column {c.name} in the header ({c.what}{hint})"
            raise ConfigError(f"{where} row 1 column {c.name}", "", expected)
    if len(df) == 0 and not empty_ok:
        expected = "rows of data (the table has only its header)"
        raise ConfigError(f"{where} row 2 column {cols[0].name}", "", expected)
    text = pd.DataFrame(index=df.index)
    for c in cols:
        s = _text(df[c.name]) if c.name in df.columns else None
        if s is None or c.default is not None:
            s = pd.Series(c.default, index=df.index) if s is None else s.replace("", c.default)
        if c.kind == DATE:  # a date cell of a workbook reads as "2023-01-02 00:00:00"
            s = s.str.replace(r" 00:00:00$", "", regex=True)
        text[c.name] = s
    typed = text.copy()
    for c in cols:
        if c.kind in (NUMBER, COUNT):
            typed[c.name] = pd.to_numeric(text[c.name], errors="coerce").astype(float)
    import pandera.pandas as pa

    try:
        typed = _schema(cols).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases.dropna(subset=["index"])
        order = {c.name: k for k, c in enumerate(cols)}
        fc = fc.assign(at=fc["column"].map(order)).sort_values(["index", "at"], kind="stable")
        r = fc.iloc[0]
        i = text.index.get_loc(r["index"])
        c = cols[order[str(r["column"])]]
        raise cell(where, df, int(i), c.name, text[c.name].iloc[i], _expected(c)) from None
    for c in cols:
        if c.kind == DATE:
            typed[c.name] = pd.to_datetime(typed[c.name], format=DATE_FORMAT)
        elif c.kind == COUNT:
            typed[c.name] = typed[c.name].astype(np.int64)
    return typed.reset_index(drop=True)


def _text(column: pd.Series) -> pd.Series:
    """A column as stripped text, a missing value (of a DataFrame not read from a file) as
    an empty cell."""
    return column.where(column.notna(), "").astype(str).str.strip()


def _schema(cols: tuple[Col, ...]) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    spec = {}
    for c in cols:
        if c.kind == TEXT:
            spec[c.name] = pa.Column(str, pa.Check.str_length(min_value=1))
        elif c.kind == DATE:
            spec[c.name] = pa.Column(str, pa.Check(_parses, name="date"))
        else:
            checks = [pa.Check(np.isfinite, name="finite"), pa.Check.ge(c.low)]
            if c.kind == COUNT:
                checks.append(pa.Check(lambda s: s % 1 == 0, name="whole"))
            spec[c.name] = pa.Column(float, checks)
    return pa.DataFrameSchema(spec)


def _parses(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format=DATE_FORMAT, errors="coerce").notna()


def _unique(
    typed: pd.DataFrame, key: list[str], column: str, where: str, raw: pd.DataFrame, what: str
) -> None:
    dup = typed.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().argmax())
        first = int((typed[key] == typed[key].iloc[i]).all(axis=1).to_numpy().argmax())
        again = f"{what} (it repeats row {row_of(raw, first)})"
        raise cell(where, raw, i, column, typed[column].iloc[i], again)


def _read_csv(path: Path, optional: bool) -> pd.DataFrame | None:
    if not path.is_file():
        if optional:
            return None
        raise ConfigError("demand.history", str(path), "a CSV file (it is missing)")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), type(exc).__name__, "a readable CSV file") from None
    lines = [
        i + 1
        for i, ln in enumerate(path.read_text(errors="replace").splitlines())
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    df.attrs["lines"] = lines[1:]  # the first is the header
    return df


def _read_sheet(path: Path, sheet: str, optional: bool) -> pd.DataFrame | None:
    try:
        df = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
    except ValueError as exc:
        if optional and "not found" in str(exc):
            return None
        raise ConfigError(str(path), sheet, f"a workbook with a sheet '{sheet}' ({exc})") from None
    except OSError as exc:
        raise ConfigError(str(path), type(exc).__name__, "a readable .xlsx workbook") from None
    df.attrs["lines"] = [i + 2 for i in range(len(df))]  # row 1 is the header
    return df


def write_sales_tables(tables: SalesTables, out: Path) -> Path:
    """Write the tables to ``out``: a folder of CSV files (a path without a suffix) or an
    ``.xlsx`` workbook. Returns ``out``."""
    frames = {
        "skus": tables.skus,
        "sales": tables.sales.assign(date=tables.sales["date"].dt.strftime(DATE_FORMAT)),
        "promotions": tables.promotions.assign(
            start=tables.promotions["start"].dt.strftime(DATE_FORMAT)
        ),
    }
    if out.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(out, engine="openpyxl") as xl:
            for t, df in frames.items():
                df.to_excel(xl, sheet_name=t, index=False)
    elif out.suffix == "":
        out.mkdir(parents=True, exist_ok=True)
        for t, df in frames.items():
            df.to_csv(out / f"{t}.csv", index=False)
    else:
        raise ConfigError("--out", str(out), "a folder (CSV tables) or an .xlsx workbook")
    return out
