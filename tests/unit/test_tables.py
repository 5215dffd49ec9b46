"""A network from tables and back: CSV files, a workbook and GraphML give the network spec they
were written from, and the stock table the per-node policies; a bad cell is one ConfigError
naming the file, row, column and value. A policy's ``initial_days`` sets the opening stock."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config.table_writer import write_network
from sim.config.tables import read_network, read_stock
from sim.config.validate import network_spec
from sim.core.errors import ConfigError
from sim.model import build_model, handlers

from ..conftest import scenario


@pytest.fixture(scope="module")
def net():
    return scenario([])[0].network


@pytest.mark.parametrize("name", ["tables", "net.xlsx", "net.graphml"])
def test_round_trip_gives_the_same_network(net, tmp_path, name):
    out = write_network(net, tmp_path / name)
    back = network_spec({**read_network(out), "name": net.name, "description": net.description})
    assert back == net


STOCK = {
    "WH_EDISON": {"kind": "sS", "review_days": 3, "s_days": 10.0, "S_days": 40.0},
    "WH_JOLIET": {"target_days": 45.0, "initial_days": 12.5},
    "FC_WEST": {"initial_days": 0.0},
}


def _kinds(path: Path) -> dict[str, str]:
    return {nid: n["kind"] for nid, n in read_network(path)["nodes"].items()}


@pytest.mark.parametrize("name", ["tables", "net.xlsx"])
def test_round_trip_gives_the_same_stock_rows(net, tmp_path, name):
    out = write_network(net, tmp_path / name, STOCK)
    assert read_stock(out, _kinds(out)) == STOCK


def test_graphml_and_tables_without_stock_give_no_stock_rows(net, tmp_path):
    for name in ("net.graphml", "tables"):
        out = write_network(net, tmp_path / name, STOCK if name.endswith("ml") else None)
        assert read_stock(out, _kinds(out)) == {}


def test_an_export_without_stock_removes_a_stale_stock_table(net, tmp_path):
    out = write_network(net, tmp_path / "t", STOCK)
    write_network(net, out)
    assert not (out / "stock.csv").exists()


def test_an_empty_template_has_every_column(tmp_path):
    out = write_network(None, tmp_path / "template.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"nodes", "lanes", "stock", "columns"}
    assert len(sheets["nodes"]) == 0 and "service_time_mean" in sheets["nodes"].columns
    assert len(sheets["stock"]) == 0 and "initial_days" in sheets["stock"].columns
    assert set(sheets["columns"]["table"]) == {"nodes", "lanes", "stock"}


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


STOCK_HEADER = "node,kind,review_days,target_days,s_days,S_days,R_days,Q_days,initial_days\n"
BAD_STOCK = {
    "unknown node": ("WH_EDISN,,,,,,,,", "stock.csv row 3 column node", "did you mean WH_EDISON"),
    "node holding no stock": ("PORT_LALB,,,,,,,,", "stock.csv row 3 column node", "it is a port"),
    "duplicate node": ("WH_EDISON,,,,,,,,\nWH_EDISON,sS,,,,,,,", "stock.csv row 4 column node", ""),
    "bad kind": ("WH_EDISON,ss,,,,,,,", "stock.csv row 3 column kind", "base_stock, sS or RQ"),
    "negative target": ("WH_EDISON,,,-1,,,,,", "stock.csv row 3 column target_days", ">= 0"),
    "negative initial": ("WH_EDISON,,,,,,,,-2", "stock.csv row 3 column initial_days", ">= 0"),
    "fractional review": ("WH_EDISON,,1.5,,,,,,", "stock.csv row 3 column review_days", ""),
    "review of 0": ("WH_EDISON,,0,,,,,,", "stock.csv row 3 column review_days", ">= 1"),
    "text days": ("WH_EDISON,,,,,,,lots,", "stock.csv row 3 column Q_days", "number"),
    "infinite days": ("WH_EDISON,,,,inf,,,,", "stock.csv row 3 column s_days", "finite"),
    "unknown column": ("", "stock.csv column initial", "did you mean initial_days"),
}


@pytest.mark.parametrize("case", sorted(BAD_STOCK))
def test_a_bad_stock_cell_is_one_error_naming_it(tables, case):
    """Rows are numbered as lines of the file: a comment, the header, then row 3."""
    rows, where, expected = BAD_STOCK[case]
    header = STOCK_HEADER.replace("initial_days", "initial") if not rows else STOCK_HEADER
    (tables / "stock.csv").write_text(
        f"# per-node policies\n{header}{rows or 'WH_EDISON,,,,,,,,'}\n"
    )
    with pytest.raises(ConfigError) as err:
        read_stock(tables, _kinds(tables))
    msg = str(err.value)
    assert where in msg and expected in msg and "\n" not in msg, msg


def test_stock_rows_become_policy_entries_the_config_overrides(tables):
    (tables / "stock.csv").write_text(STOCK_HEADER + "WH_EDISON,sS,,,10,40,,,5\n")
    sc, _ = scenario(
        [f"network.tables={tables}", "network.nodes={}", "network.lanes={}"]
        + ["++policy.nodes.WH_EDISON.S_days=60", "++policy.nodes.WH_JOLIET.target_days=20"]
    )
    nodes = dict(sc.policy.nodes)
    edison = nodes["WH_EDISON"]
    assert (edison.kind.value, edison.s_days, edison.S_days, edison.initial_days) == (
        "sS",
        10.0,
        60.0,
        5.0,
    )
    assert nodes["WH_JOLIET"].target_days == 20.0 and nodes["WH_JOLIET"].initial_days is None


@pytest.mark.parametrize(
    "entry",
    [
        ["initial_days=0"],
        ["initial_days=90"],
        ["kind=sS", "s_days=10", "S_days=20", "initial_days=3.5"],
    ],
)
def test_initial_days_sets_the_opening_stock_and_units_are_conserved(entry):
    base = ["experiment=quick", "seed=3"]
    sc, plan = scenario(base + [f"++policy.nodes.WH_EDISON.{e}" for e in entry])
    ref_sc, ref_plan = scenario(base + [f"++policy.nodes.WH_EDISON.{e}" for e in entry[:-1]])
    run = handlers.load(handlers.default_backend())
    m = build_model(sc, plan, 0, run)
    ref = build_model(ref_sc, ref_plan, 0, run)
    days = float(entry[-1].split("=")[1])
    for wh, was in zip(m.warehouses, ref.warehouses):
        if wh.spec.id == "WH_EDISON":
            want = np.ceil(np.round(days * wh.rate, 9)).astype(np.int64)
            assert np.array_equal(wh.stock.on_hand, want)
            assert not np.array_equal(wh.stock.on_hand, was.stock.on_hand)
            assert np.array_equal(was.stock.on_hand, was.high)
        else:
            assert np.array_equal(wh.stock.on_hand, was.stock.on_hand)
    m.run()  # raises ConservationError on any imbalance
    on_hand = sum(wh.stock.on_hand for wh in m.warehouses)
    flows = m.pipeline + m.last_mile + m.delivered + m.lost
    assert np.array_equal(m.produced, on_hand + flows + m.returns.returning + m.returns.written_off)


@pytest.mark.parametrize("value", ["-0.5", "-2", "nan", "abc"])
def test_initial_days_refuses_a_negative_value_naming_it(value):
    with pytest.raises(ConfigError) as err:
        scenario([f"++policy.nodes.WH_EDISON.initial_days={value}"])
    assert err.value.key == "policy.nodes.WH_EDISON.initial_days", err.value
