"""A project of one's own: ``ripple init`` writes one that validates, runs and compares in its
folder and, with ``--project``, from anywhere; its results go to its own ``results/``. A network
exported as GraphML, a workbook or CSV tables and read back gives bit-identical KPIs, and so do
per-node policies exported as its stock table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import api, cli
from sim.config.table_columns import ALL_TABLES

from ..conftest import same_kpis

DOCS = Path(__file__).resolve().parents[2] / "docs" / "own-supply-chain.md"


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_init_then_run_and_compare_in_the_project(tmp_path, monkeypatch, capsys):
    status, out, _ = _cli(capsys, "init", str(tmp_path / "acme"))
    assert status == 0 and out.strip().splitlines()[-1].endswith("acme")
    project = tmp_path / "acme"
    assert (project / "ripple.yaml").is_file() and (project / "tables/network/nodes.csv").is_file()
    monkeypatch.chdir(project)
    status, out, err = _cli(capsys, "validate")
    assert status == 0 and out.startswith("ok: scenario default"), err
    status, out, err = _cli(capsys, "run", "experiment=quick", "--no-progress")
    assert status == 0, err
    run = Path(out.strip().splitlines()[-1])
    assert run.resolve().parent == (project / "results").resolve()
    status, out, err = _cli(
        capsys, "run", "scenario=port_strike", "experiment=quick", "--no-progress"
    )
    assert status == 0 and "port_strike" in out.strip().splitlines()[-1], err
    status, out, err = _cli(
        capsys,
        "compare",
        "--strategies",
        "overseas_warehouse,expedite_air",
        "scenario=port_strike",
        "experiment=quick",
        "--no-progress",
    )
    assert status == 0 and "compare" in out.strip().splitlines()[-1], err
    # from elsewhere, by --project: the same project, its own results folder
    monkeypatch.chdir(tmp_path)
    status, out, err = _cli(
        capsys, "run", "experiment=quick", "--project", str(project), "--no-progress"
    )
    assert status == 0, err
    assert Path(out.strip().splitlines()[-1]).resolve().parent == (project / "results").resolve()
    assert not (tmp_path / "results").exists()


def test_init_refuses_a_folder_in_use(tmp_path, capsys):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x.txt").write_text("mine")
    status, _, err = _cli(capsys, "init", str(tmp_path / "busy"))
    assert status == 2 and "DIR" in err and "Traceback" not in err
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["x.txt"]


@pytest.mark.parametrize("name", ["net.graphml", "net.xlsx", "net_csv"])
def test_an_exported_network_runs_to_the_same_numbers(tmp_path, capsys, name):
    out = tmp_path / name
    status, _, err = _cli(capsys, "network", "export", "--out", str(out))
    assert status == 0, err
    base = api.replicate(["experiment=quick"], [0, 1])
    back = api.replicate(
        ["experiment=quick", f"network.tables={out}", "network.nodes={}", "network.lanes={}"],
        [0, 1],
    )
    for a, b in zip(base, back):
        assert same_kpis(a.kpis, b.kpis) and a.events == b.events
        pd.testing.assert_frame_equal(a.daily, b.daily)


POLICIES = [
    "++policy.nodes.WH_EDISON.kind=sS",
    "++policy.nodes.WH_EDISON.s_days=12",
    "++policy.nodes.WH_EDISON.S_days=40",
    "++policy.nodes.WH_JOLIET.initial_days=8",
    "++policy.nodes.WH_INLAND_EMPIRE.review_days=3",
]


@pytest.mark.parametrize("name", ["net.xlsx", "net_csv"])
def test_exported_per_node_policies_run_to_the_same_numbers(tmp_path, capsys, name):
    out = tmp_path / name
    status, _, err = _cli(capsys, "network", "export", *POLICIES, "--out", str(out))
    assert status == 0, err
    base = api.replicate(["experiment=quick", *POLICIES], [0, 1])
    tables = [f"network.tables={out}", "network.nodes={}", "network.lanes={}", "policy.nodes={}"]
    back = api.load(["experiment=quick", *tables])
    assert back.scenario.policy == api.load(["experiment=quick", *POLICIES]).scenario.policy
    assert set(back.config.policy.nodes) == {"WH_EDISON", "WH_JOLIET", "WH_INLAND_EMPIRE"}
    for a, b in zip(base, api.replicate(back, [0, 1])):
        assert same_kpis(a.kpis, b.kpis) and a.events == b.events
        pd.testing.assert_frame_equal(a.daily, b.daily)


def test_the_docs_list_every_column():
    text = DOCS.read_text()
    cols = [c.name for cols in ALL_TABLES.values() for c in cols]
    missing = [name for name in cols if f"| `{name}` |" not in text]
    assert missing == [] and "### `stock`" in text


def test_a_sweep_in_the_project_uses_its_config_and_scenarios(tmp_path, monkeypatch, capsys):
    project = tmp_path / "acme"
    assert _cli(capsys, "init", str(project))[0] == 0
    monkeypatch.chdir(tmp_path)  # from elsewhere, by --project
    status, out, err = _cli(
        capsys,
        "sweep",
        "seed=1,2",
        "scenario=default,port_strike",
        "experiment=quick",
        "--project",
        str(project),
    )
    assert status == 0, err
    table = Path(out.strip().splitlines()[-1])  # the sweep's sweep.parquet
    assert table.resolve().is_relative_to((project / "results").resolve()), table
    kpis = pd.read_parquet(table)
    assert kpis.groupby(["seed", "scenario"]).ngroups == 4, kpis[["seed", "scenario"]]
    assert set(kpis["scenario"]) == {"default", "port_strike"}
    assert not (tmp_path / "results").exists()
