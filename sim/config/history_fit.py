"""Fit demand to a sales history (:class:`.sales.SalesTables`) into a frozen
:class:`.history.FittedDemand`.

1. **The pattern** of each market (weekday factors, yearly cosine, promotion multipliers,
   optional trend) is fitted to the market's daily total by Poisson maximum likelihood. With a
   free rate per SKU the Poisson likelihood of the pattern, the rates profiled out, is that of
   the totals, so this is the fixed-effects fit of all the market's SKUs at once; it stays
   consistent (as quasi-likelihood) when SKUs are overdispersed or share shocks. Sharing it
   across SKUs is what lets a long-tail SKU selling twice a month have a season; fitting it per
   market lets markets differ (hemisphere, holidays, weekends); ``pooled`` fits one for all.
2. **An SKU's rate** is its units over the sum of the pattern over the history (the Poisson
   maximum likelihood estimate, unbiased under any count model of that mean).
3. **Its class** by Syntetos-Boylan (:mod:`.intermittency`).
4. **A frequent SKU** (smooth or erratic): the Cameron-Trivedi (1990) regression test of
   ``var = mean + alpha mean^2`` about its mean (rate x pattern), one-sided at ``level``;
   significant, a negative binomial of ``1 / k = alpha`` (the test's moment estimate), else
   Poisson.
5. **A rare SKU** (intermittent or lumpy): the intensity ``h`` whose expected number of days
   with a sale, ``sum(1 - exp(-h pattern))``, is the observed one (Newton's method, monotone
   from below as the sum is concave); sizes ``1 +`` Poisson, or ``1 +`` negative binomial when
   their variance exceeds the mean of ``size - 1`` (``1 / k`` by moments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import ndtri

from ..core.errors import ConfigError
from .history import TREND_YEAR, YEAR, Days, FittedDemand, MarketDemand, Pattern, PromoEffect
from .intermittency import adi_cv2, classify
from .sales import SalesTables

SEASON_DAYS = 365  # history needed to fit the yearly cosine
WEEKLY_DAYS = 28  # history needed to fit weekday factors
OMEGA = 2.0 * np.pi / YEAR  # radians a day of the yearly cosine


def fit_history(
    tables: SalesTables,
    *,
    trend: bool = False,
    pooled: bool = False,
    level: float = 0.05,
) -> FittedDemand:
    """Demand fitted to ``tables``: per market a pattern, per SKU a rate and a model (see the
    module). ``trend`` fits a log-linear growth per year (the rates are then the level of the
    history's last day); ``pooled`` fits one pattern for all markets; ``level`` is the size of
    the dispersion test."""
    if not 0.0 < level < 0.5:
        raise ConfigError("demand.level", level, "a test size in (0, 0.5)")
    daily = tables.daily()
    days = Days.of_dates(daily.dates)
    assert days.date is not None
    end = days.date[-1]
    promos = promotion_runs(tables.promotions, days)
    on = np.column_stack([p.on(days) for p in promos]) if promos else np.zeros((len(days), 0))
    used = on.any(axis=0)  # a promotion without a day in the history keeps multiplier 1
    years = (days.date - end).astype(np.float64) / TREND_YEAR
    n = len(days)
    weekly = n >= WEEKLY_DAYS
    season = n >= SEASON_DAYS
    cols = [np.ones(n)]
    if weekly:
        cols += [(days.weekday == d).astype(np.float64) for d in range(1, 7)]
    cols += [on[:, k].astype(np.float64) for k in np.flatnonzero(used)]
    if trend:
        cols.append(years)
    x = np.column_stack(cols)
    phase = OMEGA * days.doy
    cs = np.column_stack([np.cos(phase), np.sin(phase)]) if season else np.zeros((n, 0))
    totals = daily.units.sum(axis=2).astype(np.float64)
    shared = fit_pattern(totals.sum(axis=0), x, cs) if pooled else None
    markets = []
    for m, name in enumerate(daily.markets):
        beta, b = shared if shared is not None else fit_pattern(totals[m], x, cs)
        w = np.exp(np.r_[0.0, beta[1:7]]) if weekly else np.ones(7)
        k0 = 7 if weekly else 1
        gamma = np.zeros(len(promos))
        gamma[used] = beta[k0 : k0 + int(used.sum())]
        effects = tuple(
            PromoEffect(p.name, float(np.exp(g)), p.day_of_year, p.days, p.dates, p.years)
            for p, g in zip(promos, gamma)
        )
        a, peak = (0.0, 1.0)  # under a year of history: no season
        if season:
            a, peak = float(np.hypot(b[0], b[1])), float(np.arctan2(b[1], b[0]) / OMEGA % YEAR)
        pattern = Pattern(
            weekly=w / w.mean(),
            amplitude=a,
            peak_day=peak,
            promotions=effects,
            growth=float(beta[-1]) if trend else 0.0,
            end=end,
        )
        markets.append(fit_skus(name, pattern, days, daily.units[m], level))
    return FittedDemand(daily.skus, tuple(markets), level, pooled)


def promotion_runs(promotions: pd.DataFrame, days: Days) -> list[PromoEffect]:
    """Each named promotion's listed days (multiplier 1, to be fitted); the years it covers
    are its runs' and the history's (``days``)."""
    assert days.date is not None
    history_years = set(days.date.astype("datetime64[Y]").astype(np.int64) + 1970)
    out = []
    for name, runs in promotions.groupby("name", sort=False):
        runs = runs.sort_values("start")
        dates = np.concatenate(
            [
                np.arange(np.datetime64(s.date(), "D"), np.datetime64(s.date(), "D") + int(d))
                for s, d in zip(runs["start"], runs["days"])
            ]
        )
        last = runs.iloc[-1]
        years = set(dates.astype("datetime64[Y]").astype(np.int64) + 1970) | history_years
        out.append(
            PromoEffect(
                str(name),
                1.0,
                int(last["start"].day_of_year),
                int(last["days"]),
                dates,
                tuple(int(y) for y in sorted(years)),
            )
        )
    return out


def fit_pattern(y: np.ndarray, x: np.ndarray, cs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson maximum likelihood of ``mean_t = exp(x_t . beta) (1 + cs_t . b)`` for counts
    ``y``: ``(beta, b)``. ``x``'s first column is the intercept; ``cs`` holds the cosine and
    sine of the day of year (or no column)."""
    total = float(y.sum())
    p = x.shape[1]
    if total <= 0:
        return np.zeros(p), np.zeros(cs.shape[1])

    def nll(theta: np.ndarray) -> tuple[float, np.ndarray]:
        beta, b = theta[:p], theta[p:]
        s = 1.0 + cs @ b
        if (s <= 1e-9).any():
            return 1e10, np.zeros_like(theta)
        mu = np.exp(x @ beta) * s
        r = (mu - y) / total
        value = float((mu.sum() - y @ np.log(mu)) / total)
        return value, np.r_[x.T @ r, cs.T @ (r / s)]

    theta0 = np.zeros(p + cs.shape[1])
    theta0[0] = np.log(total / y.size)
    res = minimize(nll, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return res.x[:p], res.x[p:]


def fit_skus(
    market: str, pattern: Pattern, days: Days, units: np.ndarray, level: float
) -> MarketDemand:
    """Rates, classes and models of a market's SKUs (``units``: days x SKUs)."""
    y = units.astype(np.float64)
    n = y.shape[0]
    f = pattern.multiplier(days)
    total = y.sum(axis=0)
    rate = total / f.sum()
    adi, cv2 = adi_cv2(units)
    classes = classify(adi, cv2)
    rare = np.array([c.rare for c in classes], dtype=bool)
    mu = np.outer(f, rate)
    # Cameron-Trivedi: regress ((y - mu)^2 - y) / mu on mu, without intercept
    d = (y - mu) ** 2 - y
    mu2 = (mu * mu).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = d.sum(axis=0) / mu2
        resid = d / mu - alpha * mu
        se = np.sqrt((resid * resid).sum(axis=0) / (n - 1) / mu2)
        z = np.where(rare | (total == 0), np.nan, alpha / se)
    negbin = ~rare & (np.nan_to_num(z) > ndtri(1.0 - level)) & (alpha > 0)
    inv_k = np.where(negbin, alpha, 0.0)
    intensity = np.zeros_like(rate)
    size = np.ones_like(rate)
    r = np.flatnonzero(rare)
    if r.size:
        yr = y[:, r]
        hits = (yr > 0).sum(axis=0).astype(np.float64)
        intensity[r] = occurrence_intensity(f, hits)
        with np.errstate(divide="ignore", invalid="ignore"):
            m = np.where(hits > 0, total[r] / hits, 1.0)
            var = np.where(hits > 1, ((yr * yr).sum(axis=0) - hits * m * m) / (hits - 1), 0.0)
            excess = np.where(m > 1.0, (var - (m - 1.0)) / (m - 1.0) ** 2, 0.0)
        size[r] = m
        inv_k[r] = np.where((hits > 1) & (excess > 0), excess, 0.0)
    return MarketDemand(
        market=market,
        pattern=pattern,
        rate=rate,
        rare=rare,
        intensity=intensity,
        size=size,
        inv_k=inv_k,
        adi=adi,
        cv2=cv2,
        dispersion_z=z,
        classes=classes,
    )


def occurrence_intensity(f: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """For each count of days with a sale ``hits`` (fewer than the days), the ``h`` with
    ``sum_t (1 - exp(-h f_t)) = hits`` (``f``: the pattern over the days)."""
    h = np.zeros(hits.shape)
    for _ in range(200):
        e = np.exp(-np.outer(f, h))
        gap = (1.0 - e).sum(axis=0) - hits
        if np.all(np.abs(gap) < 1e-9 * f.size):
            break
        h = h - gap / (f @ e)
    return h


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def demand_summary(fitted: FittedDemand) -> pd.DataFrame:
    """What was fitted, a row per market and SKU: ``rate`` (units a day on an average weekday,
    season factor 1, no promotion), ``class`` (Syntetos-Boylan), ``model``, ``k`` (of the
    count, or of ``size - 1`` for an occurrence model; infinite: Poisson), ``dispersion_z``
    (the Cameron-Trivedi statistic), ``adi``, ``cv2``, ``p_sale`` (an occurrence model's
    chance of a sale at pattern 1) and ``size`` (its mean size); then the market's pattern:
    ``weekly_mon`` .. ``weekly_sun``, ``season_amplitude``, ``season_peak_day``,
    ``growth_per_year`` and ``promo_NAME`` (each promotion's multiplier)."""
    frames = []
    for md in fitted.markets:
        p = md.pattern
        with np.errstate(divide="ignore"):
            k = np.where(md.inv_k > 0, 1.0 / md.inv_k, np.inf)
        df = pd.DataFrame(
            {
                "market": md.market,
                "sku": list(fitted.skus),
                "rate": md.rate,
                "class": [c.value for c in md.classes],
                "model": list(md.models),
                "k": k,
                "dispersion_z": md.dispersion_z,
                "adi": md.adi,
                "cv2": md.cv2,
                "p_sale": np.where(md.rare, -np.expm1(-md.intensity), np.nan),
                "size": np.where(md.rare, md.size, np.nan),
            }
        )
        for day, w in zip(WEEKDAYS, p.weekly):
            df[f"weekly_{day}"] = float(w)
        df["season_amplitude"] = p.amplitude
        df["season_peak_day"] = p.peak_day
        df["growth_per_year"] = p.growth
        for e in p.promotions:
            df[f"promo_{e.name}"] = e.multiplier
        frames.append(df)
    return pd.concat(frames, ignore_index=True)
