"""explore.html in a real headless browser (Debian's Chromium driven by Playwright), loaded
from disk with the network off: dragging the day slider into the LA/LB strike highlights the
port and changes the day's figures to those in daily.parquet; switching strategy in a compare
folder shows that strategy's figures; nothing is fetched and the console stays clean.

Chromium is a system package (``apt-get install chromium``, done by ``.ci/run``); without it
these tests skip with that reason, except under ``.ci/run``, which sets RIPPLE_REQUIRE_TOOLS so
that they fail instead (see :func:`tests.conftest.require`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import require

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STRIKE = [
    "scenario=la_lb_strike",
    "experiment=quick",
    "experiment.replications=2",
    "disruption.scripted.strike.start=30",
]  # measured days 30 to 40
BEFORE, DURING, AFTER = 28, 33, 41


def _chromium() -> str:
    return require("chromium", "chromium", "chromium-browser")


def _ripple(*args: str, cwd: Path) -> Path:
    p = subprocess.run(
        [sys.executable, "-m", "sim", *args, "--no-progress"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    return Path(p.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("explore_run")
    return _ripple("run", *STRIKE, f"out_dir={tmp / 'results'}", cwd=tmp)


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("explore_compare")
    return _ripple(
        "compare",
        "--strategies",
        "overseas_warehouse,expedite_air",
        *STRIKE,
        f"out_dir={tmp / 'results'}",
        cwd=tmp,
    )


class Browser:
    """A headless Chromium page with the network off, recording console errors, page errors
    and every request."""

    def __init__(self, pw, user_dir: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.ctx = pw.chromium.launch_persistent_context(
            str(user_dir),
            executable_path=_chromium(),
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            viewport={"width": 1100, "height": 900},
        )
        self.ctx.route("**/*", self._route)
        self.page = self.ctx.pages[0] if self.ctx.pages else self.ctx.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, path: Path) -> None:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready='1']", timeout=15_000)

    def drag_to_day(self, day: int) -> None:
        """Drag the slider's thumb to about ``day`` with the mouse, then step to it exactly
        with the arrow keys, as a person would."""
        slider = self.page.locator("#day")
        lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
        box = slider.bounding_box()
        value = int(slider.input_value())
        y = box["y"] + box["height"] / 2
        self.page.mouse.move(box["x"] + 8 + (box["width"] - 16) * (value - lo) / (hi - lo), y)
        self.page.mouse.down()
        self.page.mouse.move(
            box["x"] + 8 + (box["width"] - 16) * (day - lo) / (hi - lo), y, steps=8
        )
        self.page.mouse.up()
        for _ in range(hi - lo):
            now = int(slider.input_value())
            if now == day:
                break
            slider.press("ArrowRight" if now < day else "ArrowLeft")
        assert int(slider.input_value()) == day
        assert self.page.inner_text("#day-label").startswith(f"day {day} ")

    def figures(self) -> dict[str, str]:
        """The day's figures by key, as shown."""
        spans = self.page.locator("#day-figures span")
        return {
            spans.nth(i).get_attribute("data-k"): spans.nth(i).locator("b").inner_text()
            for i in range(spans.count())
        }

    def row(self, node: str) -> dict[str, str]:
        cells = self.page.locator(f"#node-table tr[data-node='{node}'] td[data-k]")
        return {
            cells.nth(i).get_attribute("data-k"): cells.nth(i).inner_text()
            for i in range(cells.count())
        }

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture()
def browser(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = Browser(pw, tmp_path / "chromium-profile")
        yield b
        b.close()
    assert b.errors == [], b.errors
    assert b.blocked == [], b.blocked
    assert all(u.startswith("file://") for u in b.requests), b.requests


def _expected(daily: pd.DataFrame, day: int) -> dict[str, float]:
    """The day's figures computed here from daily.parquet: service level over all markets
    (%, mean over replications of units shipped / demanded), units on backorder and on hand
    summed over warehouses (mean over replications)."""
    d = daily[daily["day"] == day]
    mk = d[d["kind"] == "market"].groupby("replication")[["shipped", "demand"]].sum()
    wh = d[d["kind"] == "warehouse"].groupby("replication")[["backlog", "on_hand"]].sum()
    return {
        "service_level": 100 * float((mk["shipped"] / mk["demand"]).mean()),
        "backlog": float(wh["backlog"].mean()),
        "on_hand": float(wh["on_hand"].mean()),
    }


def _shown(b: Browser) -> dict[str, float]:
    """The day's figures as the page shows them ("93.1%", "12,532"), as numbers."""
    f = b.figures()
    return {
        k: float(f[k].rstrip("%").replace(",", "")) for k in ("service_level", "backlog", "on_hand")
    }


def _agree(shown: dict[str, float], expected: dict[str, float]) -> bool:
    """Equal up to the page's rounding (0.1 percentage point, whole units)."""
    return abs(shown["service_level"] - expected["service_level"]) <= 0.05 + 1e-9 and all(
        abs(shown[k] - expected[k]) <= 0.5 + 1e-9 for k in ("backlog", "on_hand")
    )


def _distinct(a: dict[str, float], b: dict[str, float]) -> bool:
    """Different beyond the page's rounding."""
    return abs(a["service_level"] - b["service_level"]) > 0.2 or any(
        abs(a[k] - b[k]) > 2 for k in ("backlog", "on_hand")
    )


def _lalb_queue(daily: pd.DataFrame, day: int) -> float:
    return float(daily[(daily["day"] == day) & (daily["node"] == "PORT_LALB")]["queue"].mean())


def test_slider_into_the_strike_highlights_the_port(run_dir, browser):
    assert "explore.html" in (run_dir / "report.html").read_text()
    daily = pd.read_parquet(run_dir / "daily.parquet")
    b = browser
    b.open(run_dir / "explore.html")
    assert b.page.locator("#strategy").count() == 0  # one strategy: no selector
    lalb = b.page.locator("#map circle[data-node='PORT_LALB']")

    b.drag_to_day(BEFORE)
    assert "disrupted" not in lalb.get_attribute("class")
    assert b.page.locator("#map .disrupted").count() == 0
    assert "No disruption" in b.page.inner_text("#day-disruptions")
    before = b.figures()
    assert _agree(_shown(b), _expected(daily, BEFORE))
    assert float(b.row("PORT_LALB")["queue"]) == pytest.approx(_lalb_queue(daily, BEFORE), abs=0.05)
    cursor_before = b.page.get_attribute("#cursor", "x1")

    b.drag_to_day(DURING)
    assert b.page.inner_text("#day-label") == "day 33 \u00b7 3 Feb"  # day 0 is 1 January
    assert "disrupted" in lalb.get_attribute("class").split()
    assert b.page.locator("#map circle.disrupted").count() == 1  # the port, nothing else
    assert b.page.locator("#map path.lane.disrupted").count() == 0
    assert "disrupted" in b.page.get_attribute("#node-table tr[data-node='PORT_LALB']", "class")
    assert b.row("PORT_LALB")["disrupted"] == "yes"
    assert "LA/LB strike" in b.page.inner_text("#day-disruptions")
    assert lalb.evaluate("e => getComputedStyle(e).stroke") == "rgb(208, 0, 0)"
    during = b.figures()
    assert during != before
    assert (
        _distinct(_expected(daily, BEFORE), _expected(daily, DURING))
        or during["queue"] != before["queue"]
    )
    assert _agree(_shown(b), _expected(daily, DURING))
    queue = float(b.row("PORT_LALB")["queue"])
    assert queue == pytest.approx(_lalb_queue(daily, DURING), abs=0.05)
    assert queue > _lalb_queue(daily, BEFORE)  # ships pile up at the struck port
    assert b.page.get_attribute("#cursor", "x1") != cursor_before

    b.drag_to_day(AFTER)
    assert "disrupted" not in lalb.get_attribute("class")
    assert _agree(_shown(b), _expected(daily, AFTER))


def test_switching_strategy_changes_the_figures(compare_dir, browser):
    daily = pd.read_parquet(compare_dir / "daily.parquet")
    by = {s: g for s, g in daily.groupby("strategy")}
    assert set(by) == {"overseas_warehouse", "expedite_air"}
    # a day in or after the strike where the two strategies' figures differ visibly
    day = next(
        d
        for d in range(30, 120)
        if _distinct(_expected(by["overseas_warehouse"], d), _expected(by["expedite_air"], d))
    )
    b = browser
    b.open(compare_dir / "explore.html")
    b.drag_to_day(day)
    assert b.page.input_value("#strategy") == "overseas_warehouse"
    first = _shown(b)
    assert _agree(first, _expected(by["overseas_warehouse"], day))
    b.page.select_option("#strategy", "expedite_air")
    assert int(b.page.input_value("#day")) == day
    second = _shown(b)
    assert _agree(second, _expected(by["expedite_air"], day)) and second != first
    b.drag_to_day(DURING)  # both strategies face the strike
    lalb = "#map circle[data-node='PORT_LALB']"
    assert "disrupted" in b.page.get_attribute(lalb, "class").split()
    b.page.select_option("#strategy", "overseas_warehouse")
    assert "disrupted" in b.page.get_attribute(lalb, "class").split()
    assert _agree(_shown(b), _expected(by["overseas_warehouse"], DURING))


def test_ripple_explore_rewrites_the_page(run_dir, tmp_path):
    """``ripple explore FOLDER`` rewrites the page (here for one replication); a bad folder or
    replication is one line on stderr and exit status 2, and leaves the page as it was."""
    page = run_dir / "explore.html"
    assert "mean of 2 replications" in page.read_text()

    def explore(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "sim", "explore", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    p = explore(str(run_dir), "--replication", "1")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(page)
    assert "measured day, replication 1;" in page.read_text()
    before = page.read_text()
    for args, key in (
        ([str(run_dir), "--replication", "5"], "--replication"),
        ([str(tmp_path / "nowhere")], "RUN_FOLDER"),
    ):
        p = explore(*args)
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert key in p.stderr and "expected" in p.stderr and "Traceback" not in p.stderr
    assert page.read_text() == before
    assert explore(str(run_dir)).returncode == 0
    assert "mean of 2 replications" in page.read_text()
