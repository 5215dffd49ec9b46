"""Read a scenario's written note (``scenarios/NAME.md``): its sections and its figures block.

A note opens with a YAML front matter between ``---`` lines holding the figures the scenario
takes from its sources (see ``scenarios/README.md``); the body has ``## `` sections.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from sim.config.compose import scenario_dir

SECTIONS = (
    "What happened",
    "Measured effect",
    "Sources",
    "What to look at",
    "Questions for a class",
)
EFFECT_COMMAND = "python -m tests.scenarios.effects"


def note_path(name: str) -> Path:
    return scenario_dir() / f"{name}.md"


def read_note(name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(figures front matter, section title -> text) of the note of scenario ``name``."""
    text = note_path(name).read_text()
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if m is None:
        raise ValueError(f"{name}.md: no front matter between --- lines")
    front = yaml.safe_load(m.group(1)) or {}
    body = text[m.end() :]
    sections: dict[str, str] = {}
    for part in re.split(r"^## ", body, flags=re.M)[1:]:
        title, _, rest = part.partition("\n")
        sections[title.strip()] = rest.strip()
    return front, sections


def measured_day(date: dt.date, start_day_of_year: int) -> int:
    """Measured day of a calendar date (day 0 is ``start_day_of_year``; the model's year has
    365 days, so the day of year is taken in a common year)."""
    doy = dt.date(2023, date.month, date.day).timetuple().tm_yday
    return (doy - start_day_of_year) % 365


def list_items(text: str) -> list[str]:
    """Bulleted or numbered items of a section (an item's indented continuation lines are
    part of it)."""
    items: list[str] = []
    for ln in text.splitlines():
        if re.match(r"(?:[-*]|\d+\.)\s+\S", ln):
            items.append(ln)
        elif items and ln.startswith(" ") and ln.strip():
            items[-1] += " " + ln.strip()
    return items
