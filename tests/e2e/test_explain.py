"""``ripple explain``: its account of a run agrees with the run folder's own tables, it says
so when nothing was disrupted, and a bad folder gets one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main

# The curated strike starts on measured day 273 (1 October): a year-long horizon reaches it.
STRIKE = ["scenario=la_lb_strike", "experiment=quick", "experiment.horizon_days=365"]


def _ripple(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def _run(tmp: Path, overrides: list[str]) -> Path:
    status = main(["run", "--no-progress", *overrides, f"out_dir={tmp}"])
    assert status == 0
    (folder,) = [p for p in tmp.iterdir() if not p.name.startswith(".")]
    return folder


@pytest.fixture(scope="module")
def strike_run(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("strike"), STRIKE)


@pytest.fixture(scope="module")
def quiet_run(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("quiet"), ["experiment=quick"])


def _day(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def _first_short(daily: pd.DataFrame, start: int) -> dict[tuple[int, str], int]:
    """(replication, warehouse) -> first day from ``start`` with units on backorder."""
    wh = daily[(daily["kind"] == "warehouse") & (daily["day"] >= start) & (daily["backlog"] > 0)]
    return {k: int(v) for k, v in wh.groupby(["replication", "node"])["day"].min().items()}


def test_names_the_strike_when_and_how_long(strike_run, capsys):
    status, text, err = _ripple(capsys, "explain", str(strike_run))
    assert status == 0, err
    d = pd.read_parquet(strike_run / "disruptions.parquet")
    assert len(d) == 2 and set(d["start"]) == {273.0} and set(d["end"]) == {283.0}
    assert "PORT_LALB" in text and "strike" in text and "LA/LB strike" in text
    assert "from measured day 273 (1 October) to day 283 (11 October), 10 days" in text
    assert "scenario la_lb_strike" in text and "strategy overseas_warehouse" in text
    assert (
        text.strip()
        .splitlines()[-1]
        .startswith(
            'In short: "LA/LB strike", a strike at PORT_LALB, lasted 10 days from 1 October;'
        )
    )


def test_stock_out_agrees_with_daily_table(strike_run, capsys):
    daily = pd.read_parquet(strike_run / "daily.parquet")
    first = _first_short(daily, 273)
    assert first, "the strike should leave some warehouse short in this run"
    warehouses = sorted(daily.loc[daily["kind"] == "warehouse", "node"].unique())
    for rep in (0, 1):
        status, text, err = _ripple(capsys, "explain", str(strike_run), "--replication", str(rep))
        assert status == 0, err
        for wh in warehouses:
            if (rep, wh) in first:
                day = first[rep, wh]
                line = next(ln for ln in text.splitlines() if f"- {wh} first had" in ln)
                assert line.startswith(f"  - {wh} first had orders on backorder on day {day} (")
                assert f"), {day - 273} days after it began" in line
            else:
                assert f"{wh} never had orders on backorder after it began" in text
    # over both replications: the mean first-short day of a warehouse short in both
    status, text, _ = _ripple(capsys, "explain", str(strike_run))
    both = [wh for wh in warehouses if (0, wh) in first and (1, wh) in first]
    assert both
    for wh in both:
        days = sorted({first[0, wh], first[1, wh]})
        when = (
            f"day {_day(sum(days) / 2)} on average (days {days[0]} to {days[1]})"
            if len(days) == 2
            else f"day {days[0]} ("
        )
        assert f"{wh} first had orders on backorder on {when}" in text


def test_cost_is_the_kpi_tables_mean(strike_run, capsys):
    kpis = pd.read_parquet(strike_run / "kpis.parquet")
    summary = pd.read_csv(strike_run / "summary.csv").set_index("kpi")
    extra = kpis["disruption_cost"].mean()
    assert extra == pytest.approx(summary.loc["disruption_cost", "mean"])
    _, text, _ = _ripple(capsys, "explain", str(strike_run))
    assert f"disruption_cost {extra:+,.0f} USD per replication" in text
    lo, hi = summary.loc["disruption_cost", ["ci_low", "ci_high"]]
    assert f"(95% CI {lo:+,.0f} USD to {hi:+,.0f} USD)" in text
    word = "more" if extra >= 0 else "less"
    assert f"it cost {abs(extra):,.0f} USD {word} per replication" in text
    ttr = kpis["time_to_recover"].mean()
    assert f"back to normal about {ttr:.0f} days after it began" in text


def test_one_replication_is_that_replications_numbers(strike_run, capsys):
    kpis = pd.read_parquet(strike_run / "kpis.parquet").set_index("replication")
    _, text, _ = _ripple(capsys, "explain", str(strike_run), "--replication", "1")
    assert "Replication 1 of 365 measured days" in text
    assert f"disruption_cost {kpis.loc[1, 'disruption_cost']:+,.0f} USD per replication," in text
    assert "95% CI" not in text  # one replication: no intervals


def test_queue_at_struck_port_grew(strike_run, capsys):
    daily = pd.read_parquet(strike_run / "daily.parquet")
    q = daily[(daily["node"] == "PORT_LALB") & (daily["replication"] == 0)].set_index("day")
    peak_day = int(q.loc[273:313, "queue"].idxmax())
    _, text, _ = _ripple(capsys, "explain", str(strike_run), "--replication", "0")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("- PORT_LALB: from"))
    assert f"peak of {q.loc[273:313, 'queue'].max():.1f} on day {peak_day} (" in line


def test_no_disruption_says_so(quiet_run, capsys):
    status, text, err = _ripple(capsys, "explain", str(quiet_run))
    assert status == 0, err
    assert "There were no disruptions" in text
    kpis = pd.read_parquet(quiet_run / "kpis.parquet")
    assert f"{100 * kpis['fill_rate'].mean():.1f}%" in text
    assert "Against the same replications" not in text


def test_compare_folder_per_strategy(tmp_path, capsys):
    over = [
        "scenario=la_lb_strike",
        "experiment=quick",
        "disruption.scripted.strike.start=30",
        f"out_dir={tmp_path}",
    ]
    assert (
        main(["compare", "--no-progress", "--strategies", "overseas_warehouse,expedite_air", *over])
        == 0
    )
    capsys.readouterr()
    (folder,) = list(tmp_path.iterdir())
    status, text, err = _ripple(capsys, "explain", str(folder))
    assert status == 0, err
    assert "strategy overseas_warehouse" in text and "strategy expedite_air" in text
    assert "Paired differences to the baseline" in text
    kpis = pd.read_parquet(folder / "kpis.parquet")
    air = kpis[kpis["strategy"] == "expedite_air"]["disruption_cost"].mean()
    status, one, _ = _ripple(capsys, "explain", str(folder), "--strategy", "expedite_air")
    assert status == 0 and "strategy overseas_warehouse" not in one
    assert f"disruption_cost {air:+,.0f} USD per replication" in one
    status, _, err = _ripple(capsys, "explain", str(folder), "--strategy", "teleport")
    assert status == 2 and "--strategy" in err and "teleport" in err


def test_bad_folder_one_line_exit_2(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "sim", "explain", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "RUN_FOLDER" in lines[0] and "nowhere" in lines[0]
    assert "Traceback" not in p.stderr and p.stdout == ""


@pytest.mark.parametrize("make", ["empty", "not a run"])
def test_not_a_run_folder_exit_2(tmp_path, capsys, make):
    if make == "not a run":
        for name in ("config.yaml", "kpis.parquet", "daily.parquet", "disruptions.parquet"):
            (tmp_path / name).write_text("hello\n")
    status, out, err = _ripple(capsys, "explain", str(tmp_path))
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "RUN_FOLDER" in lines[0] and "expected a run folder" in lines[0]


def test_bad_replication_exit_2(quiet_run, capsys):
    status, _, err = _ripple(capsys, "explain", str(quiet_run), "--replication", "7")
    assert status == 2 and "--replication" in err and "7" in err


def test_api_reads_the_folder_and_refuses_bad_input(strike_run, tmp_path):
    from sim import api

    r = api.open_run(strike_run)
    assert len(r.kpis) == 2 and set(r.disruptions["target"]) == {"PORT_LALB"}
    assert r.explain(replication=0).startswith(f"Run {strike_run.name}:")
    for bad in ("many", "-1"):
        with pytest.raises(api.ConfigError) as err:
            api.run([f"experiment.replications={bad}", f"out_dir={tmp_path}"])
        assert "experiment.replications" in str(err.value) and bad in str(err.value)
    assert not any(tmp_path.iterdir())
    with pytest.raises(api.ConfigError, match="RUN_FOLDER"):
        api.open_run(tmp_path / "nowhere")
