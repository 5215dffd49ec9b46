"""A network read from tables: ``nodes`` and ``lanes`` as two CSV files in a folder, two sheets
of one ``.xlsx`` workbook, or a GraphML file (what ``ripple network export`` writes, see
:mod:`.table_writer`); beside them in a folder or workbook, an optional ``stock`` table of
per-node policies.

Reading gives the same mapping a network YAML file holds, which the config layer validates like
any other; a bad cell is one :class:`ConfigError` naming the file, the row, the column, the value
and what was expected. The columns are in :mod:`.table_columns`; every column with a default
may be left out. Types and ranges are checked by a pandera schema built from them.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from ..core.errors import ConfigError
from .table_columns import ALL_TABLES, DURATIONS, KEYS, ORDER, STOCK_KINDS, TABLES, Column

if TYPE_CHECKING:  # imported where a table is checked: the run's main process does without
    import pandera.pandas as pa

SUFFIXES = (".csv", ".xlsx", ".graphml")


def read_network(path: Path) -> dict[str, Any]:
    """The network mapping (``name``, ``description``, ``nodes``, ``lanes``) of the tables at
    ``path``: a folder with ``nodes.csv`` and ``lanes.csv``, a workbook with sheets ``nodes``
    and ``lanes``, or a GraphML file."""
    path = Path(path)
    if path.is_dir():
        frames = {t: (_read_csv(path / f"{t}.csv"), f"{t}.csv") for t in TABLES}
    elif path.suffix.lower() == ".xlsx" and path.is_file():
        frames = {t: (_read_sheet(path, t), f"{path.name}[{t}]") for t in TABLES}
    elif path.suffix.lower() == ".graphml" and path.is_file():
        frames = {t: (df, f"{path.name} ({t})") for t, df in _read_graphml(path).items()}
    else:
        raise ConfigError(
            "network.tables",
            str(path),
            "a folder with nodes.csv and lanes.csv, an .xlsx workbook or a .graphml file",
        )
    nodes = _rows("nodes", *frames["nodes"])
    lanes = _rows("lanes", *frames["lanes"])
    ids = {r["id"] for r in nodes}
    out_nodes = {r.pop("id"): _nest("nodes", r) for r in nodes}
    out_lanes = {}
    for i, r in enumerate(lanes):
        for end in ("src", "dst"):
            if r[end] not in ids:
                hint = _hint(str(r[end]), ids)
                raise _cell(
                    frames["lanes"][1], frames["lanes"][0], i, end, r[end], "a node id" + hint
                )
        lane_id = r.pop("id") or f"{r['src']}__{r['dst']}".lower()
        if lane_id in out_lanes:
            raise _cell(frames["lanes"][1], frames["lanes"][0], i, "id", lane_id, "a unique id")
        out_lanes[lane_id] = _nest("lanes", r)
    return {"name": path.stem, "description": "", "nodes": out_nodes, "lanes": out_lanes}


def read_stock(path: Path, kinds: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The ``stock`` table beside the network tables at ``path`` (``stock.csv`` in the folder,
    sheet ``stock`` of the workbook; none: ``{}``) as ``policy.nodes`` entries: node id -> the
    fields its row sets (an empty cell sets none). ``kinds``: every node's kind, by id."""
    path = Path(path)
    if path.is_dir() and (path / "stock.csv").is_file():
        df, where = _read_csv(path / "stock.csv"), "stock.csv"
    elif path.suffix.lower() == ".xlsx" and "stock" in _sheets(path):
        df, where = _read_sheet(path, "stock"), f"{path.name}[stock]"
    else:
        return {}
    out = {}
    for i, r in enumerate(_rows("stock", df, where)):
        node = r.pop("node")
        if node not in kinds:
            raise _cell(where, df, i, "node", node, "a node id" + _hint(node, kinds))
        if kinds[node] not in STOCK_KINDS:
            what = f"a node that holds stock ({', '.join(STOCK_KINDS)}; it is a {kinds[node]})"
            raise _cell(where, df, i, "node", node, what)
        out[node] = {k: v for k, v in _nest("stock", r).items() if v != ""}
    return out


def _hint(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the choice closest to ``word``, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _sheets(path: Path) -> list[str]:
    """The names of the workbook's sheets."""
    try:
        with pd.ExcelFile(path) as xl:
            return [str(s) for s in xl.sheet_names]
    except (ValueError, OSError) as exc:
        raise ConfigError(str(path), type(exc).__name__, "a readable .xlsx workbook") from None


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ConfigError("network.tables", str(path), "a CSV file (it is missing)")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", skipinitialspace=True)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), type(exc).__name__, "a readable CSV file") from None
    df.attrs["lines"] = _data_lines(path)
    return df


def _data_lines(path: Path) -> list[int]:
    """The file's line number of each data row (comments and blank lines skipped)."""
    lines = [
        i + 1
        for i, ln in enumerate(path.read_text(errors="replace").splitlines())
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    return lines[1:]  # the first is the header


def _read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    try:
        df = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
    except ValueError as exc:
        raise ConfigError(str(path), sheet, f"a workbook with a sheet '{sheet}' ({exc})") from None
    except OSError as exc:
        raise ConfigError(str(path), type(exc).__name__, "a readable .xlsx workbook") from None
    df.attrs["lines"] = [i + 2 for i in range(len(df))]  # row 1 is the header
    return df


def _read_graphml(path: Path) -> dict[str, pd.DataFrame]:
    try:
        g = nx.read_graphml(path, force_multigraph=True)
    except Exception as exc:  # noqa: BLE001 - networkx raises many kinds on a bad file
        raise ConfigError(str(path), type(exc).__name__, "a GraphML file") from None
    # a node only a lane names (no attributes, no element of its own): not a node of the table
    nodes = pd.DataFrame(
        [{"id": n, **a} for n, a in g.nodes(data=True) if a or not g.degree(n)], dtype=object
    )
    lanes = pd.DataFrame(
        [{"id": k, "src": u, "dst": v, **a} for u, v, k, a in g.edges(keys=True, data=True)],
        dtype=object,
    )
    if ORDER in lanes:  # networkx lists edges by source node: back to the table's order
        lanes = lanes.sort_values(ORDER, kind="stable").drop(columns=ORDER).reset_index(drop=True)
    frames = {}
    for name, df in (("nodes", nodes), ("lanes", lanes)):
        df = df.fillna("").map(str)  # an attribute a node or lane lacks: its default
        df.attrs["lines"] = [i + 1 for i in range(len(df))]
        frames[name] = df
    return frames


def _cell(where: str, df: pd.DataFrame, i: int, column: str, value: Any, expected: str):
    lines = df.attrs.get("lines") or []
    row = lines[i] if i < len(lines) else i + 2
    return ConfigError(f"{where} row {row} column {column}", value, expected)


def _rows(table: str, df: pd.DataFrame, where: str) -> list[dict[str, Any]]:
    """The table's rows, typed and defaulted, or a ConfigError for the first bad cell."""
    columns = {c.name: c for c in ALL_TABLES[table]}
    df = df.rename(columns=lambda c: str(c).strip())
    for name in df.columns:
        if name not in columns:
            hint = _hint(name, columns)
            raise ConfigError(
                f"{where} column {name}", "", "a column of the table: " + ", ".join(columns) + hint
            )
    for c in columns.values():
        if c.default is None and c.name not in df.columns:
            raise ConfigError(f"{where} column {c.name}", "", "this column (it is required)")
    df = df.map(lambda v: str(v).strip())
    for name in df.columns:
        if columns[name].kind is not str:
            for i, v in enumerate(df[name]):
                if v.lower().lstrip("+-") in ("nan", "inf", "infinity"):
                    raise _cell(where, df, i, name, v, "a finite number")
    key = KEYS.get(table, "")
    if key in df.columns:
        dup = df[key].duplicated()
        if dup.any():
            i = int(dup.to_numpy().argmax())
            raise _cell(where, df, i, key, df[key].iloc[i], f"a unique {key} (it repeats)")
    import pandera.pandas as pa

    schema = _schema(table, [columns[n] for n in df.columns])
    df = df.replace("", None)  # an empty cell takes the column's default
    try:
        typed = schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _first_failure(exc, df, where, columns) from None
    out = []
    for i in range(len(typed)):
        row: dict[str, Any] = {}
        for c in columns.values():
            v = typed[c.name].iloc[i] if c.name in typed else None
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
                if c.default is None:
                    raise _cell(where, df, i, c.name, "", "a value (this column is required)")
                v = c.default
            row[c.name] = v
        out.append(row)
    return out


def _schema(table: str, cols: list[Column]) -> pa.DataFrameSchema:
    """Types, ranges and uniqueness of the columns present."""
    import pandera.pandas as pa

    spec = {}
    for c in cols:
        checks = []
        if c.low is not None:
            checks.append(pa.Check.ge(c.low, ignore_na=True))
        if c.high is not None:
            checks.append(pa.Check.le(c.high, ignore_na=True))
        if c.choices:
            checks.append(pa.Check.isin(c.choices, ignore_na=True))
        if c.kind is str:
            spec[c.name] = pa.Column(str, checks=checks, nullable=c.default is not None)
        else:
            dtype = "Int64" if c.kind is int else float
            spec[c.name] = pa.Column(dtype, checks=checks, coerce=True, nullable=True)
    return pa.DataFrameSchema(spec, strict=True)


def _first_failure(
    exc: pa.errors.SchemaErrors, df: pd.DataFrame, where: str, columns: dict[str, Column]
) -> ConfigError:
    fc = exc.failure_cases.dropna(subset=["index"]).sort_values("index", kind="stable")
    r = fc.iloc[0]
    c = columns[str(r["column"])]
    i = int(r["index"])
    value = df[c.name].iloc[i]
    value = "" if not isinstance(value, str) and pd.isna(value) else value  # an empty cell
    if c.kind is str:
        return _cell(where, df, i, c.name, value, c.what if c.choices else f"a value ({c.what})")
    what = "a whole number" if c.kind is int else "a finite number"
    rng = (
        f" in [{c.low:g}, {c.high:g}]"
        if c.low is not None and c.high is not None
        else f" >= {c.low:g}"
        if c.low is not None
        else ""
    )
    return _cell(where, df, i, c.name, value, f"{what}{rng} ({c.what}, {c.unit or 'no unit'})")


def _nest(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row as the config's nesting: durations as ``{dist, mean, cv, low, high}``, numbers as
    Python numbers, a factory's classes as a list."""
    out: dict[str, Any] = {}
    for name, v in row.items():
        if hasattr(v, "item"):
            v = v.item()
        out[name] = v
    for prefix in DURATIONS[table]:
        d = {k: out.pop(f"{prefix}_{k}") for k in ("dist", "mean", "cv", "low", "high")}
        for k in ("low", "high"):
            if d[k] == "":
                d[k] = None
        out[prefix] = d
    if table == "nodes":
        out["makes"] = [m.strip() for m in str(out["makes"]).split(";") if m.strip()]
    return out
