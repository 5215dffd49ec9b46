"""The compiled handlers and their pure-Python twin give identical results, call by call."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.distributions import LogNormal
from sim.model import handlers

PURE = handlers.load(handlers.PURE)


def compiled():
    # The compiled build must exist where tests run: CI builds it. A missing build is a failure,
    # not a skip, unless pure Python is forced on purpose.
    if handlers.default_backend() == handlers.PURE and not handlers.compiled_available():
        pytest.fail("compiled handlers not built (pip install -e . with a C compiler)")
    return handlers.load(handlers.COMPILED)


def test_selection_env(monkeypatch):
    monkeypatch.setenv("RIPPLE_PURE_PYTHON", "1")
    assert handlers.default_backend() == handlers.PURE
    monkeypatch.setenv("RIPPLE_PURE_PYTHON", "0")
    assert handlers.default_backend() == handlers.COMPILED
    assert compiled().BACKEND == "compiled" and PURE.BACKEND == "pure"


op = st.one_of(
    st.tuples(
        st.just("fill"), st.integers(0, 3), st.lists(st.integers(0, 9), min_size=4, max_size=4)
    ),
    st.tuples(
        st.just("receive"), st.integers(0, 3), st.lists(st.integers(0, 12), min_size=4, max_size=4)
    ),
    st.tuples(
        st.just("review"), st.integers(0, 2), st.lists(st.integers(0, 20), min_size=4, max_size=4)
    ),
    st.tuples(
        st.just("take"), st.integers(0, 0), st.lists(st.integers(0, 5), min_size=4, max_size=4)
    ),
    st.tuples(
        st.just("expect"), st.integers(0, 0), st.lists(st.integers(0, 5), min_size=4, max_size=4)
    ),
)


def _rows(served):
    """``Stock.receive``'s rows as (order time, outlet, SKUs, units of each, units)."""
    order_t, outlet, start, sku, qty, units = served
    return [
        (float(order_t[r]), int(outlet[r]), sku[a:b].tolist(), qty[a:b].tolist(), int(units[r]))
        for r, (a, b) in enumerate(zip(start[:-1], start[1:]))
    ]


def _run(h, ops, backorder, initial=(5, 0, 3, 8)):
    stock = h.Stock(np.array(initial, dtype=np.int64), backorder)
    out = []
    t = 0.0
    for kind, a, vec in ops:
        t += 0.37
        v = np.array(vec, dtype=np.int64)
        if kind == "fill":
            shipped, *rest = stock.fill(t, a, v)
            out.append(("fill", shipped.tolist(), rest))
        elif kind == "receive":
            served = stock.receive(t, v)
            rows = [] if served is None else _rows(served)
            assert served is None or rows
            assert all(u == sum(q) and min(q) > 0 and s == sorted(set(s)) for *_, s, q, u in rows)
            out.append(("recv", rows))
        elif kind == "take":
            stock.take(t, np.minimum(v, stock.on_hand))
        elif kind == "expect":
            stock.expect(v)
        else:
            low = v // 2
            order = stock.review(a, low, v, np.maximum(v // 3, 1))
            out.append(("review", order.tolist()))
        # the totals kept as the stock changes are the vectors' sums
        assert stock.on_hand_units == int(stock.on_hand.sum()), (kind, h)
        assert stock.backlog_units == int(stock.backlog.sum()), (kind, h)
        out.append(
            (
                stock.on_hand.tolist(),
                stock.on_order.tolist(),
                stock.backlog.tolist(),
                stock.lost.tolist(),
                stock.area.tolist(),
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(ops=st.lists(op, max_size=60), backorder=st.booleans())
def test_stock_parity(ops, backorder):
    assert _run(PURE, ops, backorder) == _run(compiled(), ops, backorder)


@pytest.mark.parametrize("seed", range(4))
def test_stock_parity_long_backlog(seed):
    """Hundreds of backorder rows, partly served by small receipts: the compiled build's
    sparse rows grow, drop served rows and entries, and serve in the pure build's order."""
    rng = np.random.default_rng(seed)
    ops = []
    for i in range(600):  # the backlog builds up over the first half, then drains
        if rng.random() < 0.7:
            ops.append(("fill", int(rng.integers(0, 5)), rng.poisson(0.8, 4).tolist()))
        else:
            ops.append(("receive", 0, rng.poisson(1.0 if i < 300 else 4.0, 4).tolist()))
    pure, comp = _run(PURE, ops, True), _run(compiled(), ops, True)
    assert sum(len(e[1]) for e in pure if e[0] == "recv") > 200  # rows were served
    assert pure == comp


@pytest.mark.parametrize("n", [1, 7, 13, 64])
def test_stock_parity_sparse_catalogue(n):
    """Catalogues of sizes that are not multiples of four, selling a few SKUs a day: the
    compiled fill, which passes over SKUs without demand four at a time, ships what the pure
    one does."""
    rng = np.random.default_rng(n)
    ops = []
    for _ in range(300):
        if rng.random() < 0.75:
            ops.append(("fill", int(rng.integers(0, 3)), (rng.random(n) < 0.1).astype(int) * 2))
        else:
            ops.append(("receive", 0, rng.poisson(0.3, n).tolist()))
    for backorder in (True, False):
        initial = rng.integers(0, 4, n)
        assert _run(PURE, ops, backorder, initial) == _run(compiled(), ops, backorder, initial)


@settings(max_examples=200, deadline=None)
@given(qty=st.lists(st.integers(0, 10_000), min_size=1, max_size=30), cap=st.integers(1, 50_000))
def test_split_parity_and_sum(qty, cap):
    q = np.array(qty, dtype=np.int64)
    a1, b1 = PURE.split(q, cap)
    a2, b2 = compiled().split(q, cap)
    assert a1.tolist() == a2.tolist() and b1.tolist() == b2.tolist()
    assert (a1 + b1).tolist() == qty and (a1 >= 0).all() and (b1 >= 0).all()
    assert int(a1.sum()) == min(cap, sum(qty))


def test_sampler_log_level_parity():
    dist = LogNormal(16.0, 0.1)
    outs = []
    for h in (PURE, compiled()):
        s = h.Sampler(dist, np.random.default_rng(7), 64)
        xs = [s.next() for _ in range(1000)]  # crosses block refills
        log = h.Log(16)
        for i, x in enumerate(xs):
            log.add(x, i, 2.0, 3.0, 4.0)
        lev = h.Level()
        for i, x in enumerate(xs[:100]):
            lev.change(float(i) + x / 100, (i % 7) - 3)
        outs.append((xs, log.array().tolist(), len(log), lev.level, lev.area))
    assert outs[0] == outs[1]
    # The sampler serves the generator's blocks in order.
    assert outs[0][0][:64] == dist.sample(np.random.default_rng(7), 64).tolist()


@settings(max_examples=200, deadline=None)
@given(
    qty=st.lists(st.integers(0, 10_000), min_size=0, max_size=40), seed=st.integers(0, 2**32 - 1)
)
def test_dot_parity(qty, seed):
    """Both builds sum weights, values and prices left to right, to the same bit."""
    q = np.array(qty, dtype=np.int64)
    w = np.random.default_rng(seed).lognormal(0.0, 2.0, q.size)
    total = 0.0
    for a, b in zip(qty, w.tolist()):
        total += a * b
    assert PURE.dot(q, w) == compiled().dot(q, w) == total


@settings(max_examples=100, deadline=None)
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["dispatch", "depart", "arrive", "back"]),
            st.lists(st.integers(0, 50), min_size=4, max_size=4),
            st.floats(0.0, 200.0),
        ),
        max_size=40,
    )
)
def test_ledger_parity(ops):
    """The ledger books deliveries the same way in both builds, and keeps units: what was sent
    is delivered (arrived before the stop) or on its way; revenue counts the window only."""
    outs = []
    for h in (PURE, compiled()):
        led = h.Ledger(
            np.array([1.5, 0.2, 3.0, 0.7]),
            np.array([10.0, 3.3, 7.1, 0.9]),
            np.array([25.0, 8.0, 19.9, 2.5]),
            50.0,
            120.0,
            150.0,
        )
        sent = np.zeros(4, dtype=np.int64)
        away = []
        for kind, qty, t in ops:
            q = np.array(qty, dtype=np.int64)
            if kind == "dispatch":
                led.dispatch(q, t)
                sent += q
            elif kind == "depart":
                led.depart(q)
                away.append(q)
                sent += q
            elif kind == "arrive" and away:
                led.arrive(away.pop(), t)
            elif kind == "back":
                q = np.minimum(q, led.delivered)
                led.take_back(q, t)
                sent -= q
        assert (led.delivered + led.last_mile).tolist() == sent.tolist()
        outs.append(
            (
                led.delivered.tolist(),
                led.last_mile.tolist(),
                led.revenue,
                led.cost_goods,
                led.kg(sent),
            )
        )
    assert outs[0] == outs[1]


def _slots_order(h):
    """Who got a slot when: two slots, five users, one with precedence."""
    import simpy

    env = simpy.Environment()
    slots = h.Slots(env, 2)
    order = []

    def user(name, arrive, hold, prio=0):
        yield env.timeout(arrive)
        yield slots.request(prio)
        order.append((name, env.now))
        yield env.timeout(hold)
        slots.release()

    for name, arrive, hold, prio in [
        ("a", 0, 5, 0),
        ("b", 0, 3, 0),
        ("c", 1, 1, 0),
        ("d", 2, 1, -1),
        ("e", 2, 1, 0),
    ]:
        env.process(user(name, arrive, hold, prio))
    env.run()
    return order, slots.count, len(slots.queue)


@pytest.mark.parametrize("build", ["pure", "compiled"])
def test_slots_fifo_with_precedence(build):
    """Slots grant at once while free, then in order of (priority, arrival), in both builds."""
    h = PURE if build == "pure" else compiled()
    # b frees a slot at 3: d (precedence) before c; a frees at 5 -> c; d frees at 4 -> e.
    assert _slots_order(h) == ([("a", 0), ("b", 0), ("d", 3), ("c", 4), ("e", 5)], 0, 0)


def test_ship_calls_parity():
    """Other carriers' calls make the same berth waits and the same event queue in both."""
    import simpy

    from sim.core.distributions import Exponential

    outs = []
    for h in (PURE, compiled()):
        env = simpy.Environment()
        slots = h.Slots(env, 2)
        waits = h.Log(16)
        # a port under a disruption that slows its service by half
        port = SimpleNamespace(resource=slots, node=7, active=["slow"], service_factor=lambda: 1.5)
        h.ShipCalls(
            env,
            port,
            waits,
            4,
            h.Sampler(Exponential(0.6), np.random.default_rng(1)),
            h.Sampler(LogNormal(1.0, 0.5), np.random.default_rng(2)),
        )
        env.run(until=200)
        outs.append((waits.array().tolist(), next(env._eid), slots.count, len(slots.queue)))
    assert outs[0] == outs[1]
    rows = np.array(outs[0][0])
    assert len(rows) > 250 and (rows[:, 3] > 0).any()  # some ships queued for a berth


def _run_log(h, until):
    """Events processed by ``h.run``, with ties at ``until`` and an interrupt."""
    import simpy

    env = simpy.Environment()
    seen = []

    def ticker(name, step):
        try:
            while True:
                yield env.timeout(step)
                seen.append((name, env.now))
        except simpy.Interrupt:
            seen.append((name, "interrupted", env.now))

    a = env.process(ticker("a", 2.5))
    env.process(ticker("b", 1.0))

    def stopper():
        yield env.timeout(7.0)
        a.interrupt()

    env.process(stopper())
    urgent = simpy.Event(env)  # URGENT at exactly ``until``, scheduled before the run
    urgent._ok, urgent._value = True, None
    env.schedule(urgent, 0, until)
    urgent.callbacks.append(lambda _e: seen.append(("urgent", env.now)))
    h.run(env, until)
    return seen, env.now, next(env._eid), sorted(e[:3] for e in env._queue)[:3]


@pytest.mark.parametrize("until", [10, 10.0, 12.5])
def test_run_parity(until):
    """The compiled loop processes what ``env.run(until=...)`` processes, in the same order,
    leaves the clock and the event ids where SimPy does, and stops before ties at ``until``."""
    pure, comp = _run_log(PURE, until), _run_log(compiled(), until)
    assert pure[:3] == comp[:3]
    assert ("urgent", until) in pure[0] and ("b", until) not in pure[0]


@pytest.mark.parametrize("build", ["pure", "compiled"])
def test_run_raises_failed_event(build):
    import simpy

    h = PURE if build == "pure" else compiled()
    env = simpy.Environment()

    def boom():
        yield env.timeout(1)
        raise KeyError("x")

    env.process(boom())
    with pytest.raises(KeyError):
        h.run(env, 5)


@settings(max_examples=100, deadline=None)
@given(
    code=st.integers(0, 4),
    p=st.floats(0.05, 50.0),
    q=st.floats(0.05, 5.0),
    key=st.integers(0, 2**64 - 1),
    a=st.integers(0, 2**64 - 1),
    b=st.integers(0, 2**64 - 1),
    t=st.floats(0.0, 1e4, allow_nan=False),
)
def test_keyed_parity(code, p, q, key, a, b, t):
    """Both builds make the same keyed draws, bit for bit, and the same keys."""
    c = compiled()
    lo, hi = min(p, q), max(p, q)
    args = (code, lo, hi) if code == 1 else (code, p, q)
    assert c.Keyed(*args, key).at(a, b) == PURE.Keyed(*args, key).at(a, b)
    assert c.Keyed(*args, key).uniform(a, b) == PURE.Keyed(*args, key).uniform(a, b)
    assert c.combine(a, b) == PURE.combine(a, b) and c.mix(a) == PURE.mix(a)
    assert c.time_key(t) == PURE.time_key(t)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), top=st.floats(0.0, 12.0))
def test_poisson_inversion_parity(seed, top):
    """Both builds turn the same uniforms into the same counts."""
    rng = np.random.default_rng(seed)
    lam = rng.uniform(0.0, top, (3, 40))
    rows = rng.integers(0, 3, 25)
    u = rng.random((25, 40))
    a = PURE.poisson_inversion(u, lam, np.exp(-lam), rows)
    b = compiled().poisson_inversion(u, lam, np.exp(-lam), rows)
    assert a.dtype == b.dtype == np.int64 and a.tolist() == b.tolist()


@pytest.mark.parametrize("lam", [0.05, 0.7, 3.0, 11.5])
def test_poisson_inversion_is_poisson(lam):
    """Counts by inversion follow the Poisson law: every probability up to 3 sd above the mean
    within 5 standard errors at 400,000 draws, and the mean and variance at lam."""
    from math import exp, factorial, sqrt

    n = 400_000
    x = (
        compiled()
        .poisson_inversion(
            np.random.default_rng(11).random((n, 1)),
            np.array([[lam]]),
            np.array([[exp(-lam)]]),
            np.zeros(n, dtype=np.int64),
        )
        .ravel()
    )
    for k in range(int(lam + 3 * sqrt(lam)) + 1):
        p = exp(-lam) * lam**k / factorial(k)
        assert abs((x == k).mean() - p) < 5 * sqrt(p * (1 - p) / n) + 1e-12, k
    assert abs(x.mean() - lam) < 5 * sqrt(lam / n)
    assert abs(x.var() / lam - 1) < 0.02


@settings(max_examples=150, deadline=None)
@given(
    spec=st.tuples(
        st.booleans(), st.floats(0.0, 7.0), st.sampled_from([7.0, 3.5, 7 / 3]), st.integers(0, 40)
    ),
    asks=st.lists(st.tuples(st.floats(0.0, 60.0), st.integers(1, 30)), max_size=40),
)
def test_sailings_parity(spec, asks):
    """Both builds give the same departures and rooms; a scheduled departure is at
    ``first + k * headway`` at or after the request, never books beyond its capacity, and an
    unscheduled lane departs at once with the whole shipment."""
    scheduled, first, headway, capacity = spec
    outs = []
    for h in (PURE, compiled()):
        lane = h.Sailings(scheduled, first, headway, capacity)
        outs.append([lane.departure(now, units) for now, units in sorted(asks)])
    assert outs[0] == outs[1]
    booked: dict[float, int] = {}
    for (now, units), (t, room) in zip(sorted(asks), outs[0]):
        if not scheduled:
            assert (t, room) == (now, units)
            continue
        k = round((t - first) / headway)
        assert t == first + k * headway and t >= now - 1e-9 and 0 < room <= units
        booked[t] = booked.get(t, 0) + room
        assert capacity == 0 or booked[t] <= capacity


def test_same_names():
    """The twin offers every public name of the compiled module, and no other."""
    names = {n for n in dir(compiled()) if not n.startswith("_")} - {"np", "heapq", "cnp"}
    assert names == set(PURE.__all__)
