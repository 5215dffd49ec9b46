"""Regenerate the saved key figures of the curated scenarios (a deliberate act).

    python -m tests.scenarios.regen            # every scenario of `ripple scenarios`
    python -m tests.scenarios.regen suez_2021  # only these

Run it only after checking that the change in the figures is intended, and commit
``tests/scenarios/summary.json`` with the change of the model that moved them.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

from sim.config.compose import scenarios

from .summaries import SUMMARY_PATH, saved, summarise


def main(argv: list[str]) -> int:
    names = argv or list(scenarios())
    unknown = [n for n in names if n not in scenarios()]
    if unknown:
        sys.stderr.write(f"regen: unknown scenario(s) {', '.join(unknown)}\n")
        return 2
    data = {k: v for k, v in saved().items() if k in scenarios()}
    for name in names:
        data[name] = summarise(name)
        print(
            f"{name}: fill_rate {data[name]['fill_rate']:.4f}, "
            f"total_cost {data[name]['total_cost']:.0f}"
        )
    fd, tmp = tempfile.mkstemp(dir=SUMMARY_PATH.parent, prefix=".tmp-summary-")
    with os.fdopen(fd, "w") as f:
        json.dump(dict(sorted(data.items())), f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, SUMMARY_PATH)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
