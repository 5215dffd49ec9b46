"""The ``ripple`` command: bad input gets one line and exit status 2 with nothing written;
a good run writes a whole run folder and prints its path last."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

RIPPLE = [sys.executable, "-m", "sim"]


def ripple(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*RIPPLE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


BAD = {
    "negative capacity": (
        ["network.nodes.PORT_LALB.capacity=-2"],
        "network.nodes.PORT_LALB.capacity",
    ),
    "probability above 1": (
        ["network.nodes.CUS_LALB.inspection_prob=1.2"],
        "network.nodes.CUS_LALB.inspection_prob",
    ),
    "unknown node in a lane": (
        ["network.lanes.port_lalb__cus_lalb.dst=NOWHERE"],
        "network.lanes.port_lalb__cus_lalb.dst",
    ),
    "market without a path": (
        ["network.lanes.wh_edison__mkt_east.mode=air"],
        "network.nodes.MKT_EAST",
    ),
    "policy on a node without stock": (
        ["+policy.nodes.PORT_LALB.target_days=10"],
        "policy.nodes.PORT_LALB",
    ),
    "unknown override": (["experiment.replicatons=3"], "experiment.replicatons"),
    "wrong type": (["experiment.replications=many"], "experiment.replications"),
    "unknown group option": (["policy=nope"], "policy"),
    "unknown scenario": (["scenario=atlantis"], "scenario"),
    "disruption with unknown target": (
        ["+disruption.scripted.s.kind=port_strike", "+disruption.scripted.s.target=PORT_NOWHERE"],
        "disruption.scripted.s.target",
    ),
    "disruption that ends before it starts": (
        [
            "+disruption.scripted.s.kind=port_strike",
            "+disruption.scripted.s.target=PORT_LALB",
            "+disruption.scripted.s.start=10",
            "+disruption.scripted.s.duration=-3",
        ],
        "disruption.scripted.s.duration",
    ),
    "random disruption rate below zero": (
        [
            "+disruption.random.r.kind=port_strike",
            "+disruption.random.r.targets=[PORT_LALB]",
            "+disruption.random.r.rate_per_year=-1",
        ],
        "disruption.random.r.rate_per_year",
    ),
    "route suspension without an alternative": (
        [
            "+disruption.scripted.s.kind=route_suspension",
            "+disruption.scripted.s.target=port_lalb__cus_lalb",
        ],
        "disruption.scripted.s.target",
    ),
    "strategy the network cannot carry (no parcel route)": (
        ["network=asia_europe", "strategy=direct"],
        "strategy.delivery_modes",
    ),
    "source hub without a hub": (["network=asia_europe", "strategy=source_hub"], "strategy.hub"),
    "forward fulfilment without FCs": (
        ["network=asia_europe", "strategy=forward_fc"],
        "strategy.fcs",
    ),
    "hybrid with every class forward": (
        ["strategy=hybrid_by_size", "strategy.forward_classes=[small,bulky]"],
        "strategy.forward_classes",
    ),
    "channel shares not summing to 1": (
        ["strategy=pooled_multichannel", "strategy.channels.webshop=0.5"],
        "strategy.channels",
    ),
    "unknown strategy kind": (["strategy.kind=teleport"], "strategy.kind"),
    "chokepoint position outside the voyage": (
        ["network=asia_europe", "network.lanes.port_singapore__port_rotterdam__suez.via_at=1.5"],
        "network.lanes.port_singapore__port_rotterdam__suez.via_at",
    ),
    "returns share above 1": (["demand.returns.share=1.5"], "demand.returns.share"),
    "unknown disruption kind": (
        ["+disruption.scripted.s.kind=meteor", "+disruption.scripted.s.target=PORT_LALB"],
        "disruption.scripted.s.kind",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_config_one_line_exit_2_nothing_written(case, tmp_path):
    overrides, key = BAD[case]
    out = tmp_path / "results"
    p = ripple("run", *overrides, f"out_dir={out}", cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert key in lines[0] and "expected" in lines[0]
    assert "Traceback" not in p.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bad_cli_argument(tmp_path):
    p = ripple("run", "--backend", "gpu", cwd=tmp_path)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert "--backend" in p.stderr and "gpu" in p.stderr


def test_run_writes_folder(tmp_path):
    out = tmp_path / "results"
    p = ripple(
        "run",
        "experiment=quick",
        "experiment.replications=2",
        f"out_dir={out}",
        "--no-progress",
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    run_dir = Path(p.stdout.strip().splitlines()[-1])
    assert run_dir.parent == out and run_dir.is_dir()
    for name in (
        "config.yaml",
        "kpis.parquet",
        "daily.parquet",
        "waits.parquet",
        "summary.csv",
        "report.html",
        "network.graphml",
    ):
        assert (run_dir / name).is_file(), name
    kp = pd.read_parquet(run_dir / "kpis.parquet")
    assert len(kp) == 2
    for col in ("fill_rate", "otif", "lead_time_mean", "lead_time_p95", "total_cost"):
        assert col in kp.columns and kp[col].notna().all()
    daily = pd.read_parquet(run_dir / "daily.parquet")
    assert {"service_level", "on_hand", "in_transit", "backlog"} <= set(daily.columns)
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]
    assert "fill_rate" in p.stdout


def test_scenarios_listed_and_each_validates(tmp_path):
    p = ripple("scenarios", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    names = [line.split()[0] for line in p.stdout.strip().splitlines()]
    assert {"la_lb_strike", "customs_wave", "carrier_stop", "red_sea_2023", "suez_2021"} <= set(
        names
    )
    for name in names:
        v = ripple("validate", f"scenario={name}", cwd=tmp_path)
        assert v.returncode == 0, (name, v.stderr)


def test_network_export(tmp_path):
    import networkx as nx

    p = ripple("network", "export", "--out", str(tmp_path / "n.graphml"), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    g = nx.read_graphml(tmp_path / "n.graphml")
    assert g.nodes["PORT_LALB"]["kind"] == "port"
    assert g.edges["PORT_YANTIAN", "PORT_LALB", "port_yantian__port_lalb"]["mode"] == "sea"
    from sim.config.compose import load

    sc, _ = load([])
    assert g.number_of_edges() == len(sc.network.lanes)
    assert g.number_of_nodes() == len(sc.network.nodes)
