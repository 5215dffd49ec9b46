"""The corpus of bad input that ``test_bad_input.py`` runs.

A case is a row ``NAME | ARGUMENTS | NAMES [| SETUP]`` in one of the tables below, by kind:
the arguments of a ``ripple`` command, the text its one line on stderr must hold (the key or
argument at fault), and optionally the name of a setup in ``SETUPS`` that prepares the case's
folder (a copy of the config tree, an overlay or a run folder with one thing wrong). To add a
case, add a row (and a setup if it needs one).

Placeholders in the arguments: ``{work}`` is the case's own empty working folder (the current
directory while it runs), ``{run}`` a whole run folder the cases share (it must not change).
Commands that take overrides get ``out_dir={work}/results`` appended. ``NAMES`` may hold parts
separated by `` ... ``: the line must hold each, in that order (a cell and the closest name).

The ``tables-*`` cases are a user's own tables: a project made by ``ripple init`` at
``{work}/p`` whose network tables (``tables/network/nodes.csv``, ``lanes.csv``, or an ``.xlsx``
or ``.graphml`` its network's ``tables:`` names) have one thing wrong, and a small sales history
(``demand.history``: ``skus.csv``, ``sales.csv``, ``promotions.csv`` at ``{work}/sales``, or a
workbook) with one bad cell.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.api import init_project
from sim.config.compose import config_dir, scenario_dir
from sim.config.sales import write_sales_tables
from sim.config.sales_synth import draw_history, realistic_truth
from sim.config.table_writer import write_tables

Setup = Callable[[Path, Path], dict[str, str]]  # (work, run) -> environment variables


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    names: str  # the line on stderr holds this
    setup: Setup | None = None

    def args(self, work: Path, run: Path) -> list[str]:
        argv = [a.format(work=work, run=run) for a in self.argv]
        if argv and argv[0] in ("run", "validate", "compare", "sweep", "network"):
            argv.append(f"out_dir={work / 'results'}")
        return argv


# -- setups -------------------------------------------------------------------------------------


def _trees(work: Path) -> tuple[Path, Path, dict[str, str]]:
    """Copies of the config tree and the curated scenarios under ``work/cfg``."""
    configs, scenarios = work / "cfg" / "configs", work / "cfg" / "scenarios"
    # the scenarios apart from the tree (where the packaged tree holds them, Hydra would find
    # that copy first), as RIPPLE_SCENARIO_DIR lets a user keep them
    shutil.copytree(
        config_dir(),
        configs,
        ignore=lambda d, _names: ["scenarios"] if Path(d) == config_dir() else [],
    )
    shutil.copytree(scenario_dir(), scenarios)
    env = {"RIPPLE_CONFIG_DIR": str(configs), "RIPPLE_SCENARIO_DIR": str(scenarios)}
    return configs, scenarios, env


def _change(path: Path, how: Callable[[Any], None] | str | Callable[[str], str]) -> None:
    """Replace ``path`` by a text, a function of its text, or change its YAML data (keeping
    an overlay's package line)."""
    if isinstance(how, str):
        path.write_text(how)
        return
    text = path.read_text()
    data = yaml.safe_load(text)
    result = how(data)
    if isinstance(result, str):
        path.write_text(result)
        return
    head = [ln for ln in text.splitlines() if ln.startswith("# @package")]
    path.write_text("".join(f"{ln}\n" for ln in head) + yaml.safe_dump(data, sort_keys=False))


def config_file(rel: str, how: Any) -> Setup:
    """A copy of configs/ where the file ``rel`` is changed (see :func:`_change`)."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        configs, _, env = _trees(work)
        _change(configs / rel, how)
        return env

    return setup


def overlay(name: str, how: Any) -> Setup:
    """A copy of scenarios/ where the overlay ``name`` is changed."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        _, scenarios, env = _trees(work)
        _change(scenarios / f"{name}.yaml", how)
        return env

    return setup


def run_copy(change: Callable[[Path], Any], name: str = "run") -> Setup:
    """A copy of the run folder at ``{work}/NAME``, then changed."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        shutil.copytree(run, work / name)
        change(work / name)
        return {}

    return setup


def first(mapping: dict) -> Any:
    return mapping[next(iter(mapping))]


def rename(mapping: dict, old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def _typo_in_root_defaults(d: dict) -> None:
    d["defaults"][d["defaults"].index({"policy": "base_stock"})] = {"policy": "base_stok"}


def _old_kpis(folder: Path) -> None:
    kpis = pd.read_parquet(folder / "kpis.parquet").drop(columns=["fill_rate"])
    kpis.to_parquet(folder / "kpis.parquet")


def _truncate(folder: Path) -> None:
    data = (folder / "daily.parquet").read_bytes()
    (folder / "daily.parquet").write_bytes(data[: len(data) // 2])


def _a_file(work: Path, run: Path) -> dict[str, str]:
    (work / "notes.txt").write_text("not a run folder\n")
    return {}


# -- a user's own tables: a project's network, a sales history ---------------------------------

NET = Path("tables") / "network"
Frames = dict[str, pd.DataFrame]


def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")


def _edit_csv(path: Path, how: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    """Change the table of a CSV file (``how`` changes it in place or returns a new one),
    keeping the comment lines at its head."""
    head = "".join(f"{ln}\n" for ln in path.read_text().splitlines() if ln.startswith("#"))
    df = _read_table(path)
    out = how(df)
    path.write_text(head + (df if out is None else out).to_csv(index=False))


def project(*changes: Callable[[Path], Any]) -> Setup:
    """A project made by ``ripple init`` at ``{work}/p``, then changed (each ``change(p)``)."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        p = init_project(work / "p")
        for change in changes:
            change(p)
        return {}

    return setup


def net(table: str, how: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Callable[[Path], None]:
    """Change the project's ``tables/network/TABLE.csv``."""
    return lambda p: _edit_csv(p / NET / f"{table}.csv", how)


def net_cell(table: str, row_id: str, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell of the project's network table, in the row of id ``row_id``."""

    def how(df: pd.DataFrame) -> None:
        assert (df["id"] == row_id).sum() == 1, row_id
        df.loc[df["id"] == row_id, column] = value

    return net(table, how)


def _drop_rows(column: str, ids: set[str]) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda df: df[~df[column].isin(ids)]


def _network_frames(p: Path) -> Frames:
    return {t: _read_table(p / NET / f"{t}.csv") for t in ("nodes", "lanes")}


def _point_tables(p: Path, rel: str) -> None:
    """The project's network reads its tables from ``rel`` (its ``tables:`` key)."""
    (yml,) = (p / "network").glob("*.yaml")
    yml.write_text(yml.read_text().replace("tables: tables/network", f"tables: {rel}"))


def net_file(name: str, how: Callable[[Frames], Any], drop: str = "") -> Callable[[Path], None]:
    """The project's network as ``tables/NAME`` (an ``.xlsx`` workbook or a ``.graphml`` file,
    as ``ripple network export`` writes it; without the table ``drop``), changed by ``how``,
    which its ``tables:`` then names."""

    def change(p: Path) -> None:
        frames = _network_frames(p)
        how(frames)
        frames.pop(drop, None)
        write_tables(frames, p / "tables" / name)
        _point_tables(p, f"tables/{name}")

    return change


def set_cell(table: str, row_id: str, column: str, value: str) -> Callable[[Frames], None]:
    def how(frames: Frames) -> None:
        df = frames[table]
        df.loc[df["id"] == row_id, column] = value

    return how


def _write(path: Path, text: str) -> Callable[[Path], None]:
    return lambda p: (p / path).write_text(text)


def _sales_history(out: Path) -> Path:
    """A small history: 30 SKUs (classes small and bulky) sold in markets US and EU over a
    year from Monday 2 January 2023, with Prime Day and Black Friday."""
    rng = np.random.default_rng(7)
    truth = realistic_truth(rng, n_skus=30, top_rate=10.0, years=1)
    return write_sales_tables(draw_history(truth, rng), out)


def history(table: str = "", how: Callable[[pd.DataFrame], Any] | None = None) -> Setup:
    """A small sales history at ``{work}/sales``, its ``TABLE.csv`` changed by ``how``."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        folder = _sales_history(work / "sales")
        if how is not None:
            _edit_csv(folder / f"{table}.csv", how)
        return {}

    return setup


def history_workbook(table: str, how: Callable[[pd.DataFrame], Any], drop: str = "") -> Setup:
    """The small history as ``{work}/sales.xlsx`` (without the sheet ``drop``), its sheet
    ``table`` changed by ``how``."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        folder = _sales_history(work / "csv")
        frames = {t: pd.read_csv(folder / f"{t}.csv", dtype=str) for t in ("skus", "sales")}
        frames["promotions"] = pd.read_csv(folder / "promotions.csv", dtype=str)
        shutil.rmtree(folder)
        how(frames[table])
        with pd.ExcelWriter(work / "sales.xlsx", engine="openpyxl") as xl:
            for name, df in frames.items():
                if name != drop:
                    df.to_excel(xl, sheet_name=name, index=False)
        return {}

    return setup


def no_file(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def history_without(name: str) -> Setup:
    def setup(work: Path, run: Path) -> dict[str, str]:
        (_sales_history(work / "sales") / name).unlink()
        return {}

    return setup


HISTORY_YAML = """
demand:
  history:
    path: sales
    markets: {MKT_WEST: US, MKT_CENTRAL: US, MKT_EAST: EU}
"""


def project_history(table: str = "", how: Callable[[pd.DataFrame], Any] | None = None) -> Setup:
    """A project whose ``ripple.yaml`` draws demand from its own ``sales/`` history (the
    small one, its ``TABLE.csv`` changed by ``how``)."""

    def setup(work: Path, run: Path) -> dict[str, str]:
        p = init_project(work / "p")
        folder = _sales_history(p / "sales")
        if how is not None:
            _edit_csv(folder / f"{table}.csv", how)
        with (p / "ripple.yaml").open("a") as f:
            f.write(HISTORY_YAML)
        return {}

    return setup


def cells(column: str, value: str, row: int = 3) -> Callable[[pd.DataFrame], None]:
    """Set ``column`` of data row ``row`` (0-based: the file's row ``row + 2``) to ``value``."""

    def how(df: pd.DataFrame) -> None:
        df.loc[row, column] = value

    return how


def rename_column(old: str, new: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda df: df.rename(columns={old: new})


def drop_column(name: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda df: df.drop(columns=[name])


HALF = ".tmp-20260101-000000-default"
NODE = "network/transpacific.yaml"
SETUPS: dict[str, Setup] = {
    # config files (a copy of configs/ in RIPPLE_CONFIG_DIR)
    "broken_yaml": config_file("experiment/default.yaml", "name: default\nreplications: [\n"),
    "broken_new_option": config_file("experiment/broken.yaml", "{{{"),
    "duplicate_key": config_file("experiment/default.yaml", "name: a\nname: b\n"),
    "node_typo": config_file(NODE, lambda d: rename(first(d["nodes"]), "capacity", "capcity")),
    "node_type": config_file(NODE, lambda d: first(d["nodes"]).update(capacity="many")),
    "node_nan": config_file(NODE, lambda d: first(d["nodes"]).update(lat=float("nan"))),
    "experiment_typo": config_file(
        "experiment/default.yaml", lambda d: rename(d, "replications", "replicatons")
    ),
    "strategy_typo": config_file(
        "strategy/overseas_warehouse.yaml", lambda d: d.update(expedte=True)
    ),
    "class_typo": config_file(
        "demand/consumer_goods.yaml",
        lambda d: rename(first(d["classes"]), "weight_kg", "wieght_kg"),
    ),
    "policy_node_typo": config_file(
        "policy/sS.yaml", lambda d: d.update(nodes={"WH_EDISON": {"targt_days": 3}})
    ),
    "root_default_typo": config_file("config.yaml", _typo_in_root_defaults),
    "group_file_a_list": config_file("policy/sS.yaml", "- a\n- b\n"),
    "no_config_dir": lambda work, run: {"RIPPLE_CONFIG_DIR": str(work / "nowhere")},
    # scenario overlays (a copy of scenarios/ in RIPPLE_SCENARIO_DIR)
    "overlay_field_typo": overlay(
        "la_lb_strike",
        lambda d: rename(first(d["disruption"]["scripted"]), "duration", "duraton"),
    ),
    "overlay_root_key": overlay("la_lb_strike", lambda d: d.update(foo=3)),
    "overlay_exp_typo": overlay("la_lb_strike", lambda d: d.update(experiment={"replicatons": 3})),
    "overlay_policy_typo": overlay(
        "la_lb_strike", lambda d: d.update(policy={"nodes": {"WH_EDISON": {"targt_days": 3}}})
    ),
    "overlay_broken_yaml": overlay("la_lb_strike", lambda d: yaml.safe_dump(d) + "  - [\n"),
    "overlay_network_typo": overlay(
        "suez_2021", lambda d: d.update(defaults=[{"override /network": "asia_erope"}])
    ),
    "overlay_no_package": overlay("suez_2021", lambda d: yaml.safe_dump(d)),
    "overlay_late_window": overlay(
        "la_lb_strike", lambda d: first(d["disruption"]["scripted"]).update(start=400)
    ),
    # run folders (copies of a whole one in the working folder)
    "a_file": _a_file,
    "old": run_copy(_old_kpis),
    "half": run_copy(lambda f: None, HALF),
    "no_daily": run_copy(lambda f: (f / "daily.parquet").unlink()),
    "no_kpis": run_copy(lambda f: (f / "kpis.parquet").unlink()),
    "corrupt": run_copy(lambda f: (f / "daily.parquet").write_bytes(b"PAR1 not parquet PAR1")),
    "truncated": run_copy(_truncate),
    # a project's network tables (ripple init at {work}/p, then one thing wrong)
    "net_plain": project(),
    "net_no_kind": project(net("nodes", drop_column("kind"))),
    "net_no_src": project(net("lanes", drop_column("src"))),
    "net_column_typo": project(net("nodes", rename_column("capacity", "capcity"))),
    "net_lane_column_typo": project(net("lanes", rename_column("transit_mean", "transit_man"))),
    "net_node_twice": project(net_cell("nodes", "PORT_OAKLAND", "id", "PORT_LALB")),
    "net_lane_twice": project(
        net_cell("lanes", "fac_shenzhen__air_szx", "id", "fac_shenzhen__port_yantian")
    ),
    "net_lane_to_nowhere": project(
        net_cell("lanes", "port_yantian__port_lalb", "dst", "PORT_LALBB")
    ),
    "net_capacity_text": project(net_cell("nodes", "PORT_LALB", "capacity", "many")),
    "net_capacity_negative": project(net_cell("nodes", "PORT_LALB", "capacity", "-1")),
    "net_capacity_fraction": project(net_cell("nodes", "PORT_LALB", "capacity", "7.5")),
    "net_lat_nan": project(net_cell("nodes", "MKT_EAST", "lat", "nan")),
    "net_cost_inf": project(net_cell("lanes", "port_yantian__port_lalb", "cost_per_kg", "inf")),
    "net_loss_2": project(net_cell("lanes", "port_yantian__port_lalb", "loss_prob", "2")),
    "net_lat_91": project(net_cell("nodes", "MKT_EAST", "lat", "91")),
    "net_kind_empty": project(net_cell("nodes", "WH_JOLIET", "kind", "")),
    "net_mode": project(net_cell("lanes", "port_yantian__port_lalb", "mode", "boat")),
    "net_dist": project(net_cell("lanes", "port_yantian__port_lalb", "transit_dist", "lognorm")),
    "net_kind": project(net_cell("nodes", "WH_JOLIET", "kind", "depot")),
    "net_no_nodes": project(lambda p: (p / NET / "nodes.csv").unlink()),
    "net_bad_csv": project(
        lambda p: (p / NET / "lanes.csv").write_text('id,src,dst,mode\n"a,b,c,sea\n')
    ),
    "net_makes": project(net_cell("nodes", "FAC_SUZHOU", "makes", "bulky;garden")),
    "net_market_cut_off": project(net("lanes", _drop_rows("dst", {"MKT_EAST"}))),
    "net_tables_nowhere": project(lambda p: _point_tables(p, "tables/netwrk")),
    "net_tables_a_csv": project(lambda p: _point_tables(p, "tables/network/nodes.csv")),
    "net_xlsx_cell": project(
        net_file("network.xlsx", set_cell("nodes", "PORT_LALB", "capacity", "-3"))
    ),
    "net_xlsx_no_lanes": project(net_file("network.xlsx", lambda frames: None, drop="lanes")),
    "net_graphml_cell": project(
        net_file("network.graphml", set_cell("nodes", "CUS_LALB", "inspection_prob", "1.5"))
    ),
    "net_graphml_to_nowhere": project(
        net_file(
            "network.graphml", set_cell("lanes", "port_yantian__port_lalb", "dst", "PORT_LALBB")
        )
    ),
    "net_graphml_broken": project(
        lambda p: (p / "tables" / "network.graphml").write_text("<graphml><node"),
        lambda p: _point_tables(p, "tables/network.graphml"),
    ),
    # a sales history (the small one at {work}/sales, one thing wrong)
    "sales": history(),
    "sales_no_skus": history_without("skus.csv"),
    "sales_no_units": history("sales", drop_column("units")),
    "sales_units_typo": history("sales", rename_column("units", "unit")),
    "sales_no_rows": history("sales", lambda df: df.iloc[:0]),
    "sales_day_30_feb": history("sales", cells("date", "2023-02-30")),
    "sales_date_format": history("sales", cells("date", "01/02/2023")),
    "sales_units_negative": history("sales", cells("units", "-2")),
    "sales_units_fraction": history("sales", cells("units", "1.5")),
    "sales_units_nan": history("sales", cells("units", "nan")),
    "sales_market_empty": history("sales", cells("market", "")),
    "sales_unknown_sku": history("sales", cells("sku", "SKU0O04")),
    "sales_row_twice": history("sales", cells("sku", "SKU0002", row=2)),
    "skus_weight_text": history("skus", cells("weight_kg", "heavy")),
    "skus_weight_negative": history("skus", cells("weight_kg", "-0.5")),
    "skus_value_nan": history("skus", cells("unit_value", "nan")),
    "skus_price_inf": history("skus", cells("price", "inf")),
    "skus_sku_twice": history("skus", cells("sku", "SKU0003")),
    "skus_no_class": history("skus", drop_column("class")),
    "skus_class_unmade": history("skus", cells("class", "garden")),
    "promotions_days_0": history("promotions", cells("days", "0", row=0)),
    "promotions_start": history("promotions", cells("start", "2023-07-32", row=1)),
    "promotions_no_name": history("promotions", drop_column("name")),
    "sales_xlsx_cell": history_workbook("sales", cells("units", "many")),
    "sales_xlsx_no_skus": history_workbook("skus", lambda df: None, drop="skus"),
    "project_sales": project_history(),
    "project_sales_unknown_sku": project_history("sales", cells("sku", "SKU9999", row=10)),
    "project_sales_class_unmade": project_history("skus", cells("class", "garden", row=0)),
}

# -- the corpus ---------------------------------------------------------------------------------

S = "+disruption.scripted.s"
STRIKE = f"{S}.kind=port_strike {S}.target=PORT_LALB"
R = "+disruption.random.r"
LANE = "network.lanes.port_yantian__port_lalb"

CLI = """
unknown-command | frobnicate | frobnicate
no-command | | command
unknown-option | run --frob | --frob
backend-nope | run --backend nope | --backend
precision-not-a-number | run --precision fill_rate=abc | --precision
precision-unknown-kpi | run --precision fill_rat=0.01 | --precision
precision-nan | run --precision fill_rate=nan | --precision
precision-without-value | run --precision | --precision
max-replications-without-precision | run --max-replications 5 | --max-replications
max-replications-not-a-number | run --max-replications abc | --max-replications
compare-one-strategy | compare --strategies overseas_warehouse | --strategies
compare-unknown-strategy | compare --strategies overseas_warehouse,teleport | teleport
compare-baseline | compare --strategies overseas_warehouse,expedite_air --baseline x | --baseline
planners-unknown | compare --planners static,lazy | --planners='static,lazy'
planners-and-strategies | compare --planners --strategies overseas_warehouse,expedite_air | --planners
planners-and-override | compare --planners policy.planner=reacting | policy.planner
planners-baseline | compare --planners --baseline overseas_warehouse | --baseline
export-into-missing-folder | network export --out {work}/missing/n.graphml | --out
scenarios-with-override | scenarios seed=1 | seed=1
gather-missing-folder | gather {work}/nowhere | SWEEP_DIR
override-without-value | run seed | seed
fps-zero | animate {run} --fps 0 | --fps
fps-infinite | animate {run} --fps inf | --fps
fps-not-a-number | animate {run} --fps abc | --fps
every-zero | animate {run} --every 0 | --every
animate-out-not-gif | animate {run} --out {work}/a.png | --out
day-negative | map {run} --day -3 | --day
day-past-the-run | map {run} --day 100000 | --day
day-not-a-number | map {run} --day abc | --day
map-out-into-missing-folder | map {run} --day 3 --out {work}/missing/m.png | --out
map-out-wrong-suffix | map {run} --day 3 --out {work}/m.txt | --out
explain-replication-not-run | explain {run} --replication 99 | --replication
explain-unknown-strategy | explain {run} --strategy nope | --strategy
explore-replication-not-run | explore {run} --replication 99 | --replication
"""

OVERRIDES = f"""
unknown-root-plus | run +foo=1 | foo=1
unknown-root | run foo=1 | foo
unknown-group | run polcy=sS | did you mean `policy`
unknown-experiment-key-plus | run +experiment.replicatons=5 | did you mean `replications`
unknown-experiment-key | run experiment.replicatons=5 | experiment.replicatons
unknown-node-field-plus | run +network.nodes.PORT_LALB.capcity=3 | did you mean `capacity`
unknown-node-field | run network.nodes.PORT_LALB.capcity=3 | network.nodes.PORT_LALB.capcity
unknown-transit-field | run +{LANE}.transit.men=3 | did you mean `mean`
unknown-class-field | run +demand.classes.small.cnt=3 | demand.classes.small.cnt
unknown-promotion-field | run +demand.promotions.0.mult=3 | did you mean `multiplier`
unknown-policy-field | run +policy.default.s_day=3 | policy.default.s_day
unknown-policy-node-field | run +policy.nodes.WH_EDISON.targt_days=3 | WH_EDISON.targt_days
unknown-strategy-field | run +strategy.expedte=true | did you mean `expedite`
unknown-disruption-key | run +disruption.foo=1 | disruption.foo
unknown-disruption-field | run {STRIKE} {S}.strat=3 | disruption.scripted.s.strat
unknown-random-field | run {R}.kind=port_strike {R}.targets=[PORT_LALB] {R}.rate=2 | r.rate
delete-unknown-key | run ~experiment.foo | experiment.foo
delete-schema-key | run ~experiment.replications | experiment.replications
add-existing-key | run +experiment.replications=3 | experiment.replications
new-entry-of-typed-mapping | run +demand.classes.tiny.count=3 | demand.classes.tiny
wrong-type-int | run experiment.replications=many | experiment.replications
wrong-type-fraction | run seed=1.5 | seed
wrong-type-bool | run strategy.expedite=maybe | strategy.expedite
wrong-type-float | run network.nodes.PORT_LALB.lat=abc | network.nodes.PORT_LALB.lat
wrong-type-list | run strategy.warehouses=3 | strategy.warehouses
wrong-type-text | run network.nodes.PORT_LALB.name=[a,b] | network.nodes.PORT_LALB.name
wrong-type-disruption-bool | run {STRIKE} {S}.stop=yes | disruption.scripted.s.stop
wrong-type-disruption-text | run {STRIKE} {S}.label=[1,2] | disruption.scripted.s.label
negative-capacity | run network.nodes.PORT_LALB.capacity=-2 | network.nodes.PORT_LALB.capacity
no-replications | run experiment.replications=0 | experiment.replications
day-of-year-400 | run experiment.start_day_of_year=400 | experiment.start_day_of_year
peak-day-400 | run demand.seasonality.peak_day=400 | demand.seasonality.peak_day
probability-above-1 | run network.nodes.CUS_LALB.inspection_prob=1.2 | CUS_LALB.inspection_prob
cv-below-0-unused | run network.nodes.FAC_SHENZHEN.service_time.cv=-1 | service_time.cv
window-after-the-horizon | run scenario=la_lb_strike experiment.horizon_days=100 | .start=
nan-float | run network.nodes.PORT_LALB.lat=nan | network.nodes.PORT_LALB.lat
nan-int | run seed=nan | seed
inf-float | run strategy.expedite_cover_days=inf | strategy.expedite_cover_days
minus-inf-float | run demand.classes.small.daily_units=-inf | demand.classes.small.daily_units
nan-in-a-disruption | run {STRIKE} {S}.start=nan | disruption.scripted.s.start
group-option-typo | run policy=sSS | did you mean `sS`
group-option-unknown | run experiment=nope | experiment='nope'
strategy-option-typo | run strategy=overseas | strategy='overseas'
scenario-typo | run scenario=suez | did you mean `suez_2021`
scenario-unknown | run scenario=atlantis | scenario='atlantis'
syntax-two-equals | run a=b=c | a=
syntax-open-list | run experiment.replications=[1,2 | experiment.replications
memory-replications | run experiment.replications=100000000 | experiment.replications
memory-horizon | run experiment.horizon_days=10000000 | experiment.horizon_days
memory-skus | run demand.classes.small.count=100000000 | demand.classes.small.count
memory-workers | run experiment.replications=100000 experiment.workers=100000 | .workers
validate-unknown-key | validate +experiment.replicatons=5 | experiment.replicatons
export-unknown-key | network export +foo=1 --out {{work}}/n.graphml | foo
sweep-unknown-key | sweep experiment.replicatons=1,2 | experiment.replicatons
orders-not-a-bool | run demand.orders.enabled=maybe | demand.orders.enabled
orders-basket-unknown | run demand.orders.basket=binomial | demand.orders.basket
orders-lines-below-one | run demand.orders.lines_mean=0.5 | demand.orders.lines_mean
orders-fixed-fraction | run demand.orders.basket=fixed demand.orders.lines_mean=2.5 | lines_mean
orders-affinity-above-1 | run demand.orders.affinity=1.5 | demand.orders.affinity
orders-with-speed | run demand=ecommerce demand.orders.enabled=true | demand.speed.uplift_per_day
orders-unknown-key | run +demand.orders.size=3 | demand.orders.size
orders-basket-rule-unknown | run strategy.basket=partial | strategy.basket
whole-without-orders | run strategy.basket=whole | strategy.basket ... demand.orders.enabled
whole-where-no-pool-holds-all | run strategy=direct demand.orders.enabled=true strategy.basket=whole | FAC_SUZHOU ... cannot stock small
"""

CONFIG_FILES = """
bad-yaml | run | experiment='default' | broken_yaml
bad-yaml-new-option | run experiment=broken | experiment='broken' | broken_new_option
duplicate-key | run | experiment='default' | duplicate_key
unknown-node-field | run | .capcity= | node_typo
wrong-type-node-field | run | .capacity='many' | node_type
nan-node-field | run | .lat=nan | node_nan
unknown-experiment-key | run | experiment.replicatons | experiment_typo
unknown-strategy-key | run | strategy.expedte | strategy_typo
unknown-class-field | run | .wieght_kg | class_typo
unknown-policy-node-field | run policy=sS | targt_days | policy_node_typo
root-default-typo | run | base_stok | root_default_typo
group-file-a-list | run policy=sS | policy='sS' | group_file_a_list
no-config-dir | run | RIPPLE_CONFIG_DIR | no_config_dir
"""

OVERLAYS = """
unknown-disruption-field | run scenario=la_lb_strike | duraton | overlay_field_typo
unknown-root-key | run scenario=la_lb_strike | foo=3 | overlay_root_key
experiment-key-typo | run scenario=la_lb_strike | experiment.replicatons | overlay_exp_typo
unknown-policy-node-field | run scenario=la_lb_strike | targt_days | overlay_policy_typo
bad-yaml | run scenario=la_lb_strike | scenario='la_lb_strike' | overlay_broken_yaml
unknown-network-option | run scenario=suez_2021 | asia_erope | overlay_network_typo
no-package-line | run scenario=suez_2021 | @package _global_ | overlay_no_package
window-after-the-horizon | run scenario=la_lb_strike | .start=400 | overlay_late_window
"""

RUN_FOLDERS = f"""
missing-explain | explain {{work}}/nowhere | nowhere
missing-explore | explore {{work}}/nowhere | nowhere
missing-animate | animate {{work}}/nowhere | nowhere
missing-map | map {{work}}/nowhere --day 1 | nowhere
a-file-explain | explain {{work}}/notes.txt | a file, not a folder | a_file
a-file-map | map {{work}}/notes.txt --day 1 | a file, not a folder | a_file
other-version-explain | explain {{work}}/run | lacks fill_rate | old
other-version-explore | explore {{work}}/run | lacks fill_rate | old
other-version-animate | animate {{work}}/run | lacks fill_rate | old
other-version-map | map {{work}}/run --day 1 | lacks fill_rate | old
half-written-explain | explain {{work}}/{HALF} | half-written | half
half-written-explore | explore {{work}}/{HALF} | half-written | half
half-written-map | map {{work}}/{HALF} --day 1 | half-written | half
missing-daily-map | map {{work}}/run --day 1 | missing daily.parquet | no_daily
missing-kpis-explain | explain {{work}}/run | missing kpis.parquet | no_kpis
corrupt-parquet-explain | explain {{work}}/run | daily.parquet is unreadable | corrupt
corrupt-parquet-explore | explore {{work}}/run | daily.parquet is unreadable | corrupt
corrupt-parquet-animate | animate {{work}}/run | daily.parquet is unreadable | corrupt
truncated-parquet-map | map {{work}}/run --day 1 | daily.parquet is unreadable | truncated
"""


P = "--project {work}/p"
V = f"validate {P}"
COMPARE = f"compare --strategies overseas_warehouse,expedite_air {P}"
MAP = "+demand.history.markets={{MKT_WEST:US,MKT_CENTRAL:US,MKT_EAST:EU}}"
HIST = f"experiment=quick demand.history.path={{work}}/sales {MAP}"
XLSX = f"experiment=quick demand.history.path={{work}}/sales.xlsx {MAP}"
AT = "nodes.csv row"
LN = "lanes.csv row 12 column"

TABLES = f"""
nodes-missing-kind | {V} | nodes.csv column kind | net_no_kind
lanes-missing-src | {V} | lanes.csv column src | net_no_src
nodes-unknown-column | {V} | nodes.csv column capcity ... did you mean capacity | net_column_typo
lanes-unknown-column | run {P} | lanes.csv column transit_man ... transit_mean | net_lane_column_typo
nodes-duplicate-id | {V} | {AT} 14 column id='PORT_LALB' | net_node_twice
lanes-duplicate-id | {V} | lanes.csv row 5 column id='fac_shenzhen__port_yantian' | net_lane_twice
lane-to-unknown-node | {V} | {LN} dst='PORT_LALBB' ... did you mean PORT_LALB | net_lane_to_nowhere
capacity-not-a-number | {V} | {AT} 13 column capacity='many' | net_capacity_text
capacity-negative | run {P} | {AT} 13 column capacity='-1' | net_capacity_negative
capacity-fraction | {V} | {AT} 13 column capacity='7.5' | net_capacity_fraction
nan-cell | {V} | {AT} 26 column lat='nan' | net_lat_nan
inf-cell | {COMPARE} | {LN} cost_per_kg='inf' | net_cost_inf
share-above-1 | {V} | {LN} loss_prob='2' | net_loss_2
latitude-91 | {V} | {AT} 26 column lat='91' | net_lat_91
required-cell-empty | {V} | {AT} 22 column kind='' | net_kind_empty
unknown-mode | {V} | boat | net_mode
unknown-distribution | {V} | lognorm | net_dist
unknown-node-kind | {V} | depot | net_kind
missing-nodes-csv | {V} | nodes.csv | net_no_nodes
unreadable-csv | {V} | lanes.csv | net_bad_csv
makes-unknown-class | {V} | garden | net_makes
market-cut-off | run {P} | MKT_EAST | net_market_cut_off
tables-path-missing | {V} | network.tables ... tables/netwrk | net_tables_nowhere
tables-path-a-csv-file | {V} | network.tables ... nodes.csv | net_tables_a_csv
tables-path-override | {V} network.tables=nowhere.xlsx | network.tables ... nowhere.xlsx | net_plain
xlsx-bad-cell | {V} | network.xlsx[nodes] row 11 column capacity='-3' | net_xlsx_cell
xlsx-missing-sheet | {V} | network.xlsx ... sheet 'lanes' | net_xlsx_no_lanes
graphml-bad-attribute | {V} | network.graphml (nodes) row 14 column inspection_prob='1.5' | net_graphml_cell
graphml-lane-to-unknown-node | {V} | network.graphml ... PORT_LALBB | net_graphml_to_nowhere
graphml-broken | {V} | network.graphml | net_graphml_broken
history-with-orders | run {HIST} demand.orders.enabled=true | demand.orders.enabled=true | sales
history-missing-skus-csv | validate {HIST} | skus.csv ... a CSV file (it is missing) | sales_no_skus
history-missing-column | validate {HIST} | sales.csv row 1 column units | sales_no_units
history-column-typo | run {HIST} | sales.csv row 1 column units ... is unit meant | sales_units_typo
history-no-rows | validate {HIST} | sales.csv row 2 column date | sales_no_rows
history-date-30-february | validate {HIST} | sales.csv row 5 column date='2023-02-30' | sales_day_30_feb
history-date-not-iso | validate {HIST} | sales.csv row 5 column date='01/02/2023' | sales_date_format
history-units-negative | validate {HIST} | sales.csv row 5 column units='-2' | sales_units_negative
history-units-fraction | validate {HIST} | sales.csv row 5 column units='1.5' | sales_units_fraction
history-units-nan | {COMPARE.replace(P, HIST)} | sales.csv row 5 column units='nan' | sales_units_nan
history-market-empty | validate {HIST} | sales.csv row 5 column market='' | sales_market_empty
history-unknown-sku | validate {HIST} | sales.csv row 5 column sku='SKU0O04' ... did you mean | sales_unknown_sku
history-row-repeated | validate {HIST} | sales.csv row 4 column sku='SKU0002' ... row 3 | sales_row_twice
history-weight-not-a-number | validate {HIST} | skus.csv row 5 column weight_kg='heavy' | skus_weight_text
history-weight-negative | run {HIST} | skus.csv row 5 column weight_kg='-0.5' | skus_weight_negative
history-value-nan | validate {HIST} | skus.csv row 5 column unit_value='nan' | skus_value_nan
history-price-inf | validate {HIST} | skus.csv row 5 column price='inf' | skus_price_inf
history-duplicate-sku | validate {HIST} | skus.csv row 5 column sku='SKU0003' ... row 4 | skus_sku_twice
history-missing-class | validate {HIST} | skus.csv row 1 column class | skus_no_class
history-class-no-factory-makes | validate {HIST} | skus.csv row 5 column class='garden' | skus_class_unmade
promotions-days-0 | validate {HIST} | promotions.csv row 2 column days='0' | promotions_days_0
promotions-start-not-a-date | validate {HIST} | promotions.csv row 3 column start='2023-07-32' | promotions_start
promotions-missing-name | validate {HIST} | promotions.csv row 1 column name | promotions_no_name
history-market-unmapped | validate experiment=quick demand.history.path={{work}}/sales | demand.history.markets.MKT_WEST | sales
history-map-not-a-market | validate {HIST} +demand.history.markets.MKT_MOON=US | markets.MKT_MOON | sales
history-map-to-unknown | validate {HIST} demand.history.markets.MKT_EAST=JP | markets.MKT_EAST='JP' | sales
history-mode | validate {HIST} demand.history.mode=bootstrap | demand.history.mode='bootstrap' | sales
history-path-missing | validate {HIST.replace("sales", "nowhere")} | demand.history.path ... nowhere
history-path-a-csv-file | validate {HIST.replace("sales", "sales/sales.csv")} | demand.history ... sales.csv | sales
history-xlsx-bad-cell | validate {XLSX} | sales.xlsx[sales] row 5 column units='many' | sales_xlsx_cell
history-xlsx-missing-sheet | validate {XLSX} | sales.xlsx ... sheet 'skus' | sales_xlsx_no_skus
demand-without-history | demand experiment=quick | demand.history.path
demand-unmapped | demand --history {{work}}/sales | demand.history.markets.MKT_WEST | sales
demand-bad-cell | demand --history {{work}}/sales {MAP} | sales.csv row 5 column units='-2' | sales_units_negative
demand-top-0 | demand --history {{work}}/sales {MAP} --top 0 | --top | sales
project-unknown-sku | run {P} | sales.csv row 12 column sku='SKU9999' | project_sales_unknown_sku
project-class-no-factory-makes | {COMPARE} | skus.csv row 2 column class='garden' | project_sales_class_unmade
project-demand-replay-level | demand {P} demand.history.level=0.7 | demand.history.level | project_sales
"""


def table(kind: str, rows: str) -> list[Case]:
    """The cases of a table ``NAME | ARGUMENTS | NAMES [| SETUP]``, one per line."""
    out = []
    for line in rows.strip().splitlines():
        name, argv, names, *setup = (p.strip() for p in line.split("|"))
        out.append(
            Case(f"{kind}-{name}", tuple(argv.split()), names, SETUPS[setup[0]] if setup else None)
        )
    return out


CASES = [
    *table("cli", CLI),
    *table("override", OVERRIDES),
    *table("config", CONFIG_FILES),
    *table("overlay", OVERLAYS),
    *table("folder", RUN_FOLDERS),
    *table("tables", TABLES),
]
