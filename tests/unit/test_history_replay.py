"""Demand replayed from a sales history: whole weeks of all markets and SKUs resampled in
blocks keep the history's weekly totals, their correlation across SKUs and markets, the
weekdays and the season."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import f as f_dist

from sim.config.history import Days
from sim.config.history_fit import fit_history
from sim.config.replay import replay_history
from sim.config.sales_synth import draw_history, realistic_truth
from sim.core.errors import ConfigError

YEARS = 100  # simulated years of 52 weeks
YEAR = Days.of_dates(pd.date_range("2025-01-06", periods=364, freq="D"))  # Monday to Sunday


@pytest.fixture(scope="module")
def history():
    rng = np.random.default_rng(21)
    tables = draw_history(realistic_truth(rng, n_skus=200), rng)
    replay = replay_history(tables, block_weeks=4, window_weeks=3)
    rng = np.random.default_rng(22)
    weeks = np.concatenate([replay.week_indices(YEAR, rng) for _ in range(YEARS)])
    weekly = replay.weeks.sum(axis=1)  # the history's weekly units (weeks, markets, SKUs)
    return tables, replay, weekly, weekly[weeks]


def test_weekly_totals_match_the_history_in_mean_and_variance(history):
    """Each market's weekly total over 100 simulated years (5,200 weeks) against the history's
    104 weeks: the simulated mean is within 3 standard errors (the history's sd / sqrt(104))
    of the history's mean, and the ratio of the simulated to the historical variance lies in
    the central 99% of F(5199, 103), the variances' ratio were the two samples independent
    draws of one distribution."""
    _, _, weekly, sim = history
    for m in range(weekly.shape[1]):
        h, s = weekly[:, m].sum(axis=1), sim[:, m].sum(axis=1)
        assert abs(s.mean() - h.mean()) < 3 * h.std(ddof=1) / np.sqrt(h.size)
        low, high = f_dist.ppf([0.005, 0.995], s.size - 1, h.size - 1)
        assert low < s.var(ddof=1) / h.var(ddof=1) < high


def test_the_correlation_of_skus_and_markets_is_kept(history):
    """The correlation matrix of the ten best sellers' weekly totals is the history's within
    0.05 on average (off the diagonal) and 0.1 at worst; markets' totals correlate as in the
    history (within 0.05). Demand fitted SKU by SKU, independent given the pattern, misses the
    shared weekly shock: its correlations are further from the history's."""
    tables, _, weekly, sim = history
    top = np.argsort(-weekly[:, 0].sum(axis=0))[:10]
    off = ~np.eye(10, dtype=bool)
    hist = np.corrcoef(weekly[:, 0, top].T)
    gap = np.abs(np.corrcoef(sim[:, 0, top].T) - hist)[off]
    assert gap.mean() < 0.05 and gap.max() < 0.1
    markets = [np.corrcoef(w[:, 0].sum(-1), w[:, 1].sum(-1))[0, 1] for w in (weekly, sim)]
    assert markets[1] == pytest.approx(markets[0], abs=0.05)
    us = fit_history(tables).market("US")
    rng = np.random.default_rng(5)
    draws = [us.draw(YEAR, rng.random((364, us.rate.size)))[:, top] for _ in range(20)]
    fitted = np.concatenate([d.reshape(52, 7, 10).sum(axis=1) for d in draws])
    assert np.abs(np.corrcoef(fitted.T) - hist)[off].mean() > gap.mean()


def test_the_season_stays_at_its_time_of_year(history):
    """Averaged over simulated years, each week of the year's total follows the history's
    (correlation above 0.8, spread across the year at least 0.7 of the history's); blocks
    starting anywhere (no window) lose the season: the spread is under 0.3 of the history's."""
    tables, replay, weekly, sim = history
    hist = weekly[:104, 0].sum(axis=1).reshape(2, 52).mean(axis=0)
    kept = sim[:, 0].sum(axis=1).reshape(YEARS, 52).mean(axis=0)
    assert np.corrcoef(kept, hist)[0, 1] > 0.8 and kept.std() > 0.7 * hist.std()
    anywhere = replay_history(tables, window_weeks=None)
    rng = np.random.default_rng(6)
    lost = np.stack([weekly[anywhere.week_indices(YEAR, rng), 0].sum(-1) for _ in range(YEARS)])
    assert lost.mean(axis=0).std() < 0.3 * hist.std()


def test_days_take_the_same_weekday_of_their_historical_week(history):
    _, replay, _, _ = history
    days = Days.of_cycle((np.arange(100) + 40) % 365 + 1, first_weekday=2)  # from a Wednesday
    weeks = replay.week_indices(days, np.random.default_rng(8))
    got = replay.sample(days, np.random.default_rng(8))
    want = replay.weeks[weeks].reshape(-1, *replay.weeks.shape[2:])[2:102]
    assert np.array_equal(got["US"], want[:, 0]) and np.array_equal(got["EU"], want[:, 1])
    assert got["US"].shape == (100, 200)
    mean = replay.mean("EU", days)
    assert mean.shape == (100, 200) and mean.sum() == pytest.approx(got["EU"].sum(), rel=0.1)


def test_a_day_of_no_sales_in_the_history_has_none_in_the_replay():
    rng = np.random.default_rng(9)
    truth = realistic_truth(rng, n_skus=20, years=1)
    weekly = truth.weekly.copy()
    weekly[:, 6] = 0.0  # closed on Sundays
    tables = draw_history(type(truth)(**{**truth.__dict__, "weekly": weekly}), rng)
    replay = replay_history(tables)
    days = Days.of_cycle(np.arange(1, 366), first_weekday=4)
    out = replay.sample(days, rng)["US"]
    sunday = days.weekday == 6
    assert out[sunday].sum() == 0 and out[~sunday].sum() > 0


def test_a_longer_run_replays_the_same_weeks_on_the_days_it_shares(history):
    _, replay, _, _ = history
    long = Days.of_cycle(np.resize(np.arange(1, 366), 800), first_weekday=5)
    short = Days(long.doy[:300], long.weekday[:300])
    a = replay.sample(long, np.random.default_rng(7))
    b = replay.sample(short, np.random.default_rng(7))
    assert np.array_equal(a["EU"][:300], b["EU"])


def test_blocks_average_their_length_and_seeds_repeat(history):
    _, replay, _, _ = history
    anywhere = replay_history(history[0], block_weeks=6, window_weeks=None)
    days = Days.of_cycle(np.resize(np.arange(1, 366), 7 * 3000), first_weekday=0)
    weeks = anywhere.week_indices(days, np.random.default_rng(1))
    breaks = np.count_nonzero(np.diff(weeks) != 1) + 1
    assert weeks.size / breaks == pytest.approx(6 * 0.95, rel=0.1)  # blocks cut at the end
    a = replay.week_indices(YEAR, np.random.default_rng(3))
    assert np.array_equal(a, replay.week_indices(YEAR, np.random.default_rng(3)))
    assert not np.array_equal(a, replay.week_indices(YEAR, np.random.default_rng(4)))


def test_bad_settings_are_config_errors(history):
    with pytest.raises(ConfigError, match="block_weeks"):
        replay_history(history[0], block_weeks=0)
    with pytest.raises(ConfigError, match="window_weeks"):
        replay_history(history[0], window_weeks=-1)
    with pytest.raises(ConfigError, match="a market of the sales history"):
        history[1].mean("JP", YEAR)
