"""The corpus of bad input that ``test_bad_input.py`` runs.

A case is a row ``NAME | ARGUMENTS | NAMES [| SETUP]`` in one of the tables below, by kind:
the arguments of a ``ripple`` command, the text its one line on stderr must hold (the key or
argument at fault), and optionally the name of a setup in ``SETUPS`` that prepares the case's
folder (a copy of the config tree, an overlay or a run folder with one thing wrong). To add a
case, add a row (and a setup if it needs one).

Placeholders in the arguments: ``{work}`` is the case's own empty working folder (the current
directory while it runs), ``{run}`` a whole run folder the cases share (it must not change).
Commands that take overrides get ``out_dir={work}/results`` appended.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.config.compose import config_dir, scenario_dir

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
compare-without-strategies | compare | --strategies
compare-one-strategy | compare --strategies overseas_warehouse | --strategies
compare-unknown-strategy | compare --strategies overseas_warehouse,teleport | teleport
compare-baseline | compare --strategies overseas_warehouse,expedite_air --baseline x | --baseline
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
]
