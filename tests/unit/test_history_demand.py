"""A sales history as a scenario's demand (``demand.history``): the catalogue comes from its
``skus`` table, the model draws what was fitted or replays historical weeks, a market's
``demand_scale`` applies, the run folder's config pins the history by digest, and what is
wrong is one line naming the key or the table's cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import api, cli
from sim.config.sales import write_sales_tables
from sim.config.sales_synth import draw_history, realistic_truth
from sim.model import build_model, handlers

MAP = "+demand.history.markets={MKT_WEST: US, MKT_CENTRAL: US, MKT_EAST: EU}"


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """Two years of sales of 60 SKUs in markets US and EU."""
    rng = np.random.default_rng(11)
    truth = realistic_truth(rng, n_skus=60, top_rate=20.0)
    return write_sales_tables(draw_history(truth, rng), tmp_path_factory.mktemp("h") / "sales")


def overrides(history: Path, *more: str) -> list[str]:
    return ["experiment=quick", f"demand.history.path={history}", MAP, *more]


def test_the_catalogue_is_the_skus_table_and_rates_the_fitted_year(history):
    ld = api.load(overrides(history))
    d = ld.scenario.demand
    skus = pd.read_csv(history / "skus.csv")
    assert [s.id for s in d.skus] == list(skus["sku"])
    assert [s.size_class for s in d.skus] == list(skus["class"])
    assert d.history is not None and d.history.mode == "fitted"
    # the base rate: each SKU's mean over a simulated year, averaged over US and EU
    days = d.history.days(np.arange(1, 366))
    both = [d.history.model.mean(m, days).mean(0) for m in ("US", "EU")]
    np.testing.assert_allclose(d.base_rate, np.mean(both, 0))
    daily = d.history.tables.daily().units.mean(axis=1)  # (markets, SKUs) historical mean
    top = np.argsort(-daily.sum(0))[:5]
    # fitted without trend, the year's mean is near the two years' mean (a 10 % trend)
    np.testing.assert_allclose(d.base_rate[top], daily.mean(0)[top], rtol=0.15)


@pytest.mark.parametrize("mode", ["fitted", "replay"])
def test_the_model_draws_the_history_and_conserves_units(history, mode):
    ld = api.load(overrides(history, f"demand.history.mode={mode}"))
    h = handlers.load(handlers.default_backend())
    m = build_model(ld.scenario, ld.plan, 0, h)
    hd = ld.scenario.demand.history
    assert hd is not None
    by_market: dict[str, np.ndarray] = {}
    for o in m.outlets:
        mid = o.market.spec.id
        by_market[mid] = by_market.get(mid, 0) + o.demand.dense()
    m.run()  # raises ConservationError on any imbalance
    days = hd.days(m.doy)
    for mid, dem in by_market.items():
        scale = ld.scenario.network.node_by_id[mid].demand_scale
        mean = scale * hd.mean(mid, days)
        # a year and more of days: the drawn total is the mean's within a few per cent
        assert dem.sum() == pytest.approx(mean.sum(), rel=0.08), mid
    if mode == "replay":  # whole historical days: West and Central both draw the US's
        assert ld.scenario.network.node_by_id["MKT_WEST"].demand_scale == 1.0
        west, central = by_market["MKT_WEST"], by_market["MKT_CENTRAL"]
        assert np.corrcoef(west.sum(1), central.sum(1))[0, 1] > 0.9


def test_same_seed_same_demand_and_a_drained_run_shares_its_days(history):
    ld = api.load(overrides(history))
    h = handlers.load(handlers.default_backend())
    a = build_model(ld.scenario, ld.plan, 3, h)
    b = build_model(ld.scenario, ld.plan, 3, h)
    c = build_model(ld.scenario, ld.plan, 3, h, drain=True)
    for oa, ob, oc in zip(a.outlets, b.outlets, c.outlets):
        da, db, dc = oa.demand.dense(), ob.demand.dense(), oc.demand.dense()
        assert np.array_equal(da, db)
        assert len(dc) > len(da)
        assert np.array_equal(dc[: len(da)], da)


def test_demand_scale_adds_or_thins_units(history):
    base = api.load(overrides(history))
    more = api.load(overrides(history, "network.nodes.MKT_EAST.demand_scale=2.0"))
    h = handlers.load(handlers.default_backend())
    east = [
        sum(
            o.demand.total()
            for o in build_model(ld.scenario, ld.plan, 0, h).outlets
            if o.market.spec.id == "MKT_EAST"
        )
        for ld in (base, more)
    ]
    assert east[1] / east[0] == pytest.approx(2.0 / 1.2, rel=0.05)


def test_a_changed_history_is_refused_by_a_saved_config(history, tmp_path):
    copy = tmp_path / "sales"
    copy.mkdir()
    for f in history.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    ld = api.load(overrides(copy))
    saved = ld.config
    assert saved.demand.history.digest and Path(saved.demand.history.path).is_absolute()
    sales = copy / "sales.csv"
    sales.write_text(sales.read_text().replace(",US,SKU0001,", ",US,SKU0002,", 1))
    from omegaconf import OmegaConf

    from sim.config.validate import scenario_from_mapping

    plain = OmegaConf.to_container(saved, resolve=True)
    with pytest.raises(api.ConfigError) as err:
        scenario_from_mapping(plain)  # type: ignore[arg-type]
    assert err.value.key == "demand.history.digest"


def test_what_is_wrong_is_one_line(history, tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in history.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    skus = pd.read_csv(bad / "skus.csv")
    skus.loc[3, "class"] = "garden"
    skus.to_csv(bad / "skus.csv", index=False)
    cases = [
        (overrides(bad), "skus.csv row 5 column class"),
        (["experiment=quick", f"demand.history.path={history}"], "demand.history.markets."),
        (overrides(history, "demand.history.mode=bootstrap"), "demand.history.mode"),
        (overrides(tmp_path / "nowhere"), "demand.history.path"),
        (overrides(history, "+demand.history.markets.MKT_MOON=US"), "markets.MKT_MOON"),
    ]
    for argv, names in cases:
        assert cli.main(["validate", *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and names in err[0], (names, err)


def test_ripple_demand_prints_the_fit_and_writes_table_and_figure(history, tmp_path, capsys):
    out = tmp_path / "demand"
    argv = ["demand", "--history", str(history), MAP, "--out", str(out), "--top", "2"]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    assert "fitted demand from" in text and "season amplitude" in text
    table = pd.read_csv(out / "demand.csv")
    assert set(table["market"]) == {"US", "EU"} and len(table) == 2 * 60
    assert (out / "demand.png").stat().st_size > 10_000
    assert cli.main(["demand", "experiment=quick", "--out", str(tmp_path / "none")]) == 2
    assert "demand.history.path" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()
