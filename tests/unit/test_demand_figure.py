"""The figure of a sales history against its fitted or replayed demand: a row per market, all
SKUs then the best sellers, each with the history, the model's mean and a band of simulations."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.history_fit import fit_history
from sim.config.replay import replay_history
from sim.config.sales_synth import draw_history, realistic_truth
from sim.views.demand_figure import demand_figure, history_weeks


@pytest.fixture(scope="module")
def tables():
    rng = np.random.default_rng(12)
    return draw_history(realistic_truth(rng, n_skus=30, years=1), rng)


@pytest.mark.parametrize("mode", ["fitted", "replay"])
def test_the_figure_shows_history_mean_and_band_per_market(tables, mode, tmp_path):
    model = fit_history(tables) if mode == "fitted" else replay_history(tables)
    fig = demand_figure(tables, model, top=2, reps=5)
    axes = fig.get_axes()
    assert len(axes) == 2 * 3
    assert [ax.get_title() for ax in axes[:3]] == ["US: all SKUs", "US: SKU0001", "US: SKU0002"]
    mondays, weekly = history_weeks(tables)
    history = axes[0].get_lines()[1].get_ydata()
    assert np.array_equal(history, weekly[0].sum(axis=1)) and len(history) == len(mondays)
    assert len(axes[0].collections) == 1  # the band
    fig.savefig(tmp_path / "demand.png", dpi=50)
    assert (tmp_path / "demand.png").stat().st_size > 0
