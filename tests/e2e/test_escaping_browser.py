"""Every name a user supplies is shown as text, never run: a run and a compare whose network,
disruption labels and descriptions hold ``<script>`` and ``<img onerror>`` write report.html,
explore.html and the compare report; each is loaded in headless Chromium (Playwright, the
network off), where no planted script may run and the hostile names appear as plain text.

Needs Chromium like the other browser tests (see :func:`tests.conftest.require`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import require

# Each plants a different mark on ``window`` if it runs (no quotes: Hydra quotes the value).
SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
CLOSE = "</title></style></script><script>window.__pwned=3</script>"
HOSTILE = [
    f"network.nodes.PORT_LALB.name='{SCRIPT}'",
    f"network.nodes.WH_EDISON.name='{IMG}'",
    f"network.nodes.MKT_WEST.name='{CLOSE}'",
    f"network.description='{IMG} network'",
    f"disruption.scripted.strike.label='{SCRIPT} strike'",
    f"disruption.description='{CLOSE}'",
]
RUN = [
    "scenario=la_lb_strike",
    "experiment=quick",
    "experiment.horizon_days=120",
    "disruption.scripted.strike.start=30",
    *HOSTILE,
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _ripple(*args: str, cwd: Path) -> Path:
    p = subprocess.run(
        [sys.executable, "-m", "sim", *args, f"out_dir={cwd / 'results'}", "--no-progress"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    return Path(p.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    run = _ripple("run", *RUN, cwd=tmp_path_factory.mktemp("hostile_run"))
    cmp = _ripple(
        "compare",
        "--strategies",
        "overseas_warehouse,expedite_air",
        *RUN,
        cwd=tmp_path_factory.mktemp("hostile_compare"),
    )
    return [run / "report.html", run / "explore.html", cmp / "report.html", cmp / "explore.html"]


def test_the_names_are_in_the_pages_escaped(pages):
    """The hostile names reach every page, and only escaped: as HTML text, or as JSON strings
    in the explore page's data block, which must not close itself (no ``</`` in it)."""
    for page in pages:
        html = page.read_text()
        assert "window.__pwned" in html, page  # the names are there ...
        m = re.search(r"<script[^>]*id='ripple-data'[^>]*>(.*?)</script>", html, re.S)
        if m is not None:
            assert "</" not in m.group(1), page
            html = html[: m.start(1)] + html[m.end(1) :]
        for raw in (SCRIPT, IMG, "<script>window.__pwned=3</script>"):
            assert raw not in html, (page, raw)  # ... but never as markup


def test_no_planted_script_runs_in_chromium(pages, tmp_path):
    from playwright.sync_api import sync_playwright

    chromium = require("chromium", "chromium", "chromium-browser")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=chromium,
            headless=True,
            args=ARGS,
            offline=True,
        )
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            control = tmp_path / "control.html"  # the check can fail: unescaped, it runs
            control.write_text(f"<!DOCTYPE html><html><body>{IMG}</body></html>")
            page.goto(control.as_uri())
            page.wait_for_function("typeof window.__pwned !== 'undefined'", timeout=5_000)
            for path in pages:
                page.goto(path.resolve().as_uri())
                page.wait_for_load_state("load")
                if path.name == "explore.html":  # its script ran and drew the day
                    page.wait_for_selector("body[data-ready='1']", timeout=15_000)
                    page.locator("#day").fill("35")  # into the strike: its label is shown
                assert page.evaluate("typeof window.__pwned") == "undefined", path
                text = page.inner_text("body")
                assert "window.__pwned" in text, path  # shown as text
            assert dialogs == []
        finally:
            ctx.close()
