"""A network from tables and back: CSV files, a workbook and GraphML give the network spec they
were written from; a bad cell is one ConfigError naming the file, row, column and value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.config.tables import read_network, write_network
from sim.config.validate import network_spec
from sim.core.errors import ConfigError

from ..conftest import scenario


@pytest.fixture(scope="module")
def net():
    return scenario([])[0].network


@pytest.mark.parametrize("name", ["tables", "net.xlsx", "net.graphml"])
def test_round_trip_gives_the_same_network(net, tmp_path, name):
    out = write_network(net, tmp_path / name)
    back = network_spec({**read_network(out), "name": net.name, "description": net.description})
    assert back == net


def test_an_empty_template_has_every_column(tmp_path):
    out = write_network(None, tmp_path / "template.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"nodes", "lanes", "columns"}
    assert len(sheets["nodes"]) == 0 and "service_time_mean" in sheets["nodes"].columns
    assert set(sheets["columns"]["table"]) == {"nodes", "lanes"}


def test_only_the_required_columns_are_needed(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "# a factory and a market\nid,kind,makes\nF,factory,all\nM,market,\n"
    )
    (tmp_path / "lanes.csv").write_text("src,dst,mode\nF,M,road\n")
    m = read_network(tmp_path)
    assert m["nodes"]["F"]["capacity"] == 1 and m["nodes"]["F"]["makes"] == ["all"]
    assert m["lanes"]["f__m"]["transit"] == {
        "dist": "deterministic",
        "mean": 0.0,
        "cv": 0.0,
        "low": None,
        "high": None,
    }


@pytest.fixture()
def tables(net, tmp_path) -> Path:
    return write_network(net, tmp_path / "t")


def _edit(path: Path, table: str, fix) -> None:
    df = pd.read_csv(path / f"{table}.csv", dtype=str, keep_default_na=False)
    df = fix(df)
    df.to_csv(path / f"{table}.csv", index=False)


def _set(table: str, row: int, column: str, value: str):
    def fix(df):
        df.loc[row, column] = value
        return df

    return table, fix


BAD = {
    "negative capacity": (_set("nodes", 4, "capacity", "-1"), "nodes.csv row 6 column capacity"),
    "text capacity": (_set("nodes", 4, "capacity", "eight"), "nodes.csv row 6 column capacity"),
    "fractional capacity": (_set("nodes", 4, "capacity", "2.5"), "column capacity"),
    "nan latitude": (_set("nodes", 0, "lat", "nan"), "nodes.csv row 2 column lat"),
    "inf cost": (_set("lanes", 3, "cost_per_kg", "inf"), "lanes.csv row 5 column cost_per_kg"),
    "latitude out of range": (_set("nodes", 1, "lat", "91"), "nodes.csv row 3 column lat"),
    "probability above 1": (_set("lanes", 2, "loss_prob", "1.5"), "column loss_prob"),
    "inspection above 1": (_set("nodes", 12, "inspection_prob", "2"), "column inspection_prob"),
    "negative transit": (_set("lanes", 0, "transit_mean", "-3"), "column transit_mean"),
    "duplicate node": (_set("nodes", 2, "id", "FAC_SHENZHEN"), "nodes.csv row 4 column id"),
    "duplicate lane": (_set("lanes", 1, "id", "fac_shenzhen__port_yantian"), "column id"),
    "lane to unknown node": (_set("lanes", 0, "dst", "PORT_YANTAIN"), "column dst"),
    "lane from unknown node": (_set("lanes", 0, "src", "NOWHERE"), "lanes.csv row 2 column src"),
    "empty kind": (_set("nodes", 0, "kind", ""), "nodes.csv row 2 column kind"),
    "empty mode": (_set("lanes", 0, "mode", ""), "lanes.csv row 2 column mode"),
    "negative sailings": (_set("lanes", 5, "sailings_per_week", "-1"), "column sailings_per_week"),
    "text demand scale": (_set("nodes", 25, "demand_scale", "big"), "column demand_scale"),
    "background at 1": (_set("nodes", 3, "background_utilisation", "1.2"), "background_util"),
    "unknown column": (
        ("nodes", lambda df: df.rename(columns={"capacity": "capcity"})),
        "column capcity",
    ),
    "missing required column": (
        ("lanes", lambda df: df.drop(columns=["mode"])),
        "lanes.csv column mode",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_cell_is_one_error_naming_it(tables, case):
    (table, fix), where = BAD[case]
    _edit(tables, table, fix)
    with pytest.raises(ConfigError) as err:
        read_network(tables)
    msg = str(err.value)
    assert where in msg and "\n" not in msg, msg


def test_missing_or_wrong_files_are_one_error(tables, tmp_path):
    (tables / "lanes.csv").unlink()
    for path in (tables, tmp_path / "no.xlsx", tmp_path / "net.json"):
        with pytest.raises(ConfigError, match="network.tables|lanes.csv"):
            read_network(path)
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><oops")
    with pytest.raises(ConfigError, match="bad.graphml"):
        read_network(bad)
    wb = tmp_path / "one.xlsx"
    pd.DataFrame({"id": ["A"], "kind": ["market"]}).to_excel(wb, sheet_name="nodes", index=False)
    with pytest.raises(ConfigError, match="lanes"):
        read_network(wb)
