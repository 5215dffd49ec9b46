"""The tutorial notebook runs from a fresh kernel without a cell error, in a scratch folder,
and shows what it promises: the run's KPIs, ripple explain's story, the parameter change and
the two strategies side by side."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "tutorial.ipynb"


def _text(cell) -> str:
    """Everything a code cell printed or displayed as plain text."""
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            parts.append(o["text"])
        elif "data" in o:
            parts.append(o["data"].get("text/plain", ""))
    return "\n".join(parts)


def test_tutorial_executes(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the tutorial without outputs"
    )
    # raises CellExecutionError on the first cell that fails
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    tagged = {t: c for c in nb.cells for t in c.get("metadata", {}).get("tags", [])}

    base = _text(tagged["base-summary"])
    for kpi in ("fill_rate", "time_to_recover", "extra_cost"):
        assert kpi in base
    story = _text(tagged["explain"])
    assert "PORT_LALB" in story and "1 October" in story and "In short:" in story
    table = _text(tagged["parameter-table"])
    assert "10 days: mean" in table and "30 days: mean" in table
    compare = _text(tagged["compare-table"])
    assert "overseas_warehouse" in compare and "expedite_air" in compare
    paired = _text(tagged["paired-table"])
    assert "expedite_air" in paired and "diff_mean" in paired and "total_cost" in paired
    images = sum(
        "image/png" in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert images >= 4  # network map, timeline, strike lengths, strategies
    # the runs went to the scratch folder: two runs and one comparison
    runs = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(runs) == 3 and runs[-1].endswith("compare-la_lb_strike"), runs
