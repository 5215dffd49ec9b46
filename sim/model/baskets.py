"""Customer orders of one market as baskets: a count of orders a day (Poisson or negative
binomial, with the seasonality, promotions and surges of unit demand), each a basket of
one-unit lines drawn from the catalogue's mix.

The mix is each SKU's share of the market's units, so a SKU sells on average what the unit
model sells it; with one-line baskets and a Poisson count the daily units of the SKUs are
independent Poisson draws of the unit model's means (Poisson thinning), the same in
distribution. Larger baskets keep the means and add the correlation of lines bought together;
``affinity`` draws further lines from the first line's SKU class (still the same means: the
first line's class is itself drawn from the mix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.spec import DemandSpec, OrdersSpec
from ..core.enums import BasketDist, DemandDist


@dataclass
class Orders:
    """A market's orders in day order; order ``j``'s lines are ``line_start[j]`` to
    ``line_start[j + 1]``."""

    day: np.ndarray  # (orders,) the day each order was placed
    channel: np.ndarray  # (orders,) index of its sales channel (0 without channels)
    line_start: np.ndarray  # (orders + 1,) its first line
    sku: np.ndarray  # (lines,) the SKU of each line (one unit)

    @property
    def line_order(self) -> np.ndarray:
        """The order of each line."""
        return np.repeat(np.arange(self.day.size), np.diff(self.line_start))

    def units(self, n_days: int, n_sku: int, channel: int | None = None) -> np.ndarray:
        """Units per day and SKU (of one channel, or all), int64 (days, SKUs)."""
        day = np.repeat(self.day, np.diff(self.line_start))
        sku = self.sku
        if channel is not None:
            keep = np.repeat(self.channel == channel, np.diff(self.line_start))
            day, sku = day[keep], sku[keep]
        flat = np.bincount(day * n_sku + sku, minlength=n_days * n_sku)
        return flat.astype(np.int64).reshape(n_days, n_sku)


def order_rate(spec: DemandSpec, scale: float, mult: np.ndarray) -> np.ndarray:
    """Mean orders per day: the market's units over the mean basket."""
    assert spec.orders is not None
    return scale * float(spec.base_rate.sum()) * mult / spec.orders.lines_mean


def counts(spec: DemandSpec, rate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Orders per day drawn around ``rate`` (the demand distribution: Poisson, or negative
    binomial of variance ``rate + rate^2 / dispersion``)."""
    if spec.distribution is DemandDist.POISSON:
        return rng.poisson(rate).astype(np.int64)
    k = spec.dispersion
    return rng.negative_binomial(k, k / (k + np.maximum(rate, 1e-12))).astype(np.int64)


def surge_counts(
    n: np.ndarray,
    rate: np.ndarray,
    start: float,
    end: float,
    multiplier: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Orders with days whose demand instant (day + 0.5) lies in [start, end) multiplied: a
    rise adds Poisson orders of mean ``(multiplier - 1) * rate``, a fall thins them."""
    days = np.arange(n.size)
    on = ((days + 0.5) >= start) & ((days + 0.5) < end)
    out = n.copy()
    if multiplier >= 1.0:
        out[on] += rng.poisson(rate[on] * (multiplier - 1.0)).astype(np.int64)
    else:
        out[on] = rng.binomial(n[on], multiplier).astype(np.int64)
    return out


def sizes(o: OrdersSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    """Lines in each of ``n`` orders (at least one, mean ``lines_mean``)."""
    if o.basket is BasketDist.FIXED or o.lines_mean == 1.0:
        return np.full(n, int(round(o.lines_mean)), dtype=np.int64)
    if o.basket is BasketDist.POISSON:
        return 1 + rng.poisson(o.lines_mean - 1.0, n).astype(np.int64)
    return rng.geometric(1.0 / o.lines_mean, n).astype(np.int64)


def pick(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Indices drawn by inverting the cumulative weights ``cdf`` at uniforms ``u``: the number
    of entries of ``cdf`` at most ``u * cdf[-1]`` (at most the last index).

    Many draws use a guide table (Chen and Asau's indexed search): the range is cut into
    ``4 * cdf.size`` equal bins, and a draw whose bin holds no entry of ``cdf`` has its answer
    read from the table; the others (and any a rounding put in the wrong bin) are searched.
    Every answer is the binary search's, so the draws do not depend on the method."""
    total = float(cdf[-1])
    x = u * cdf[-1]
    if u.size < 8 * cdf.size or not 0.0 < total < np.inf:
        i = np.searchsorted(cdf, x, side="right")
    else:
        m = 4 * cdf.size
        edge = total * (np.arange(m + 1) / m)
        below = np.searchsorted(cdf, edge, side="right")  # entries <= a bin's low edge
        before = np.searchsorted(cdf, edge, side="left")  # entries < a bin's low edge
        b = np.minimum((x * (m / total)).astype(np.intp), m - 1)
        i = below[b]
        b1 = b + 1
        search = np.flatnonzero((x < edge[b]) | (x >= edge[b1]) | (i != before[b1]))
        i[search] = np.searchsorted(cdf, x[search], side="right")
    return np.minimum(i, cdf.size - 1)


def lines(
    spec: DemandSpec, size: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The SKU of every line of orders of ``size`` lines, and where each order's lines start."""
    assert spec.orders is not None
    start = np.zeros(size.size + 1, dtype=np.int64)
    np.cumsum(size, out=start[1:])
    n_lines = int(start[-1])
    rate = spec.base_rate
    sku = pick(np.cumsum(rate), rng.random(n_lines))
    a = spec.orders.affinity
    if a > 0 and n_lines > size.size:
        first = np.repeat(sku[start[:-1]], size)  # each line's order's first line
        further = np.ones(n_lines, dtype=bool)
        further[start[:-1]] = False
        same = further & (rng.random(n_lines) < a)
        classes = np.array([s.size_class for s in spec.skus])
        for c in spec.classes:
            ids = np.flatnonzero(classes == c)
            kin = same & (classes[first] == c)
            if kin.any():
                sku[kin] = ids[pick(np.cumsum(rate[ids]), rng.random(int(kin.sum())))]
    return sku.astype(np.int64), start


def draw_orders(
    spec: DemandSpec,
    scale: float,
    mult: np.ndarray,
    surges: list[tuple[float, float, float, np.random.Generator]],
    shares: tuple[tuple[str, float], ...],
    rng: np.random.Generator,
) -> Orders:
    """A market's orders over the run: ``mult`` is each day's demand multiplier, ``surges``
    (start, end, multiplier, stream) its demand surges, ``shares`` its sales channels."""
    assert spec.orders is not None
    rate = order_rate(spec, scale, mult)
    n = counts(spec, rate, rng)
    for start, end, multiplier, stream in surges:
        n = surge_counts(n, rate, start, end, multiplier, stream)
    day = np.repeat(np.arange(n.size), n)
    size = sizes(spec.orders, day.size, rng)
    sku, line_start = lines(spec, size, rng)
    if shares:
        channel = pick(np.cumsum([s for _, s in shares]), rng.random(day.size))
    else:
        channel = np.zeros(day.size, dtype=np.int64)
    return Orders(day, channel.astype(np.int64), line_start, sku)


def _size_biased(o: OrdersSpec) -> tuple[np.ndarray, np.ndarray]:
    """Basket sizes and the chance that a line drawn at random sits in a basket of each."""
    m = o.lines_mean
    if o.basket is BasketDist.FIXED or m == 1.0:
        return np.array([round(m)]), np.array([1.0])
    top = int(m * 40 + 60)
    size = np.arange(1, top + 1)
    if o.basket is BasketDist.POISSON:
        from scipy.stats import poisson

        p = poisson.pmf(size - 1, m - 1.0)
    else:
        p = (1 - 1 / m) ** (size - 1) / m
    w = size * p
    return size, w / w.sum()


def top_shares(spec: DemandSpec, rank: np.ndarray) -> np.ndarray:
    """``M[c, x]``: the chance that a line of class ``c`` sits in a basket whose heaviest class
    (by ``rank``) is ``x`` (classes in the order of ``spec.classes``).

    The line is its basket's first with chance ``1 / L`` (``L`` its basket's size, drawn
    size-biased): its ``L - 1`` further lines are of its class with chance ``affinity``, else
    of the mix. Else the first line's class ``f`` has the posterior ``q_f (a [f = c] +
    (1 - a) q_c)``, and the other ``L - 2`` lines follow ``f``. Given the classes that are
    fixed and ``n`` lines drawn from a distribution ``r``, the heaviest class is at most ``x``
    with chance ``R(x)^n`` (``R`` cumulative over classes by rank) once ``x`` is at least the
    fixed ones."""
    assert spec.orders is not None
    a = spec.orders.affinity
    n_c = len(spec.classes)
    q = np.array([spec.base_rate[spec.class_mask(c)].sum() for c in spec.classes])
    q = q / q.sum()
    by_rank = np.argsort(rank)  # classes from lightest to heaviest
    size, chance = _size_biased(spec.orders)

    def top(floor: int, r: np.ndarray, n: np.ndarray) -> np.ndarray:
        """(sizes, classes): the heaviest class's distribution, ``n`` lines of ``r`` and
        classes of rank ``floor`` fixed."""
        cum = np.cumsum(r[by_rank])  # R at each rank
        at_most = np.where(np.arange(n_c) >= floor, cum[None, :] ** n[:, None], 0.0)
        at_most[:, -1] = 1.0
        per_rank = np.diff(np.c_[np.zeros(n.size), at_most], axis=1)
        out = np.empty_like(per_rank)
        out[:, by_rank] = per_rank
        return out

    m = np.zeros((n_c, n_c))
    for c in range(n_c):
        r_c = a * np.eye(n_c)[c] + (1 - a) * q
        first = top(rank[c], r_c, size - 1)  # the line is its basket's first
        post = q * (a * (np.arange(n_c) == c) + (1 - a) * q[c])
        post = post / post.sum()
        later = np.zeros((size.size, n_c))
        for f in range(n_c):
            if post[f] > 0:
                r_f = a * np.eye(n_c)[f] + (1 - a) * q
                later += post[f] * top(max(rank[c], rank[f]), r_f, np.maximum(size - 2, 0))
        mix = (1 / size)[:, None] * first + ((size - 1) / size)[:, None] * later
        m[c] = chance @ mix
    return m
