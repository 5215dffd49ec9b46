"""The strategies a compare runs when none are named: every option of the ``strategy`` config
group (the project's own and Ripple's) that the scenario's network supports, with the config's
own strategy as the baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config.paths import group_options
from ..core.errors import ConfigError
from .results import Loaded
from .scenario import load


@dataclass(frozen=True)
class Choice:
    """The strategies chosen, the baseline, the ones left out and why, and each loaded."""

    names: list[str]
    baseline: str
    skipped: list[tuple[str, str]]  # (strategy, the one line saying why)
    loaded: dict[str, Loaded]

    def describe(self) -> str:
        """What was chosen, in one line (and what was left out, in another)."""
        text = (
            f"comparing the {len(self.names)} strategies the network supports: "
            f"{', '.join(self.names)} (baseline {self.baseline}, the config's own)"
        )
        if self.skipped:
            text += "; left out: " + "; ".join(f"{n} ({why})" for n, why in self.skipped)
        return text


def supported(overrides: Sequence[str], baseline: str | None = None) -> Choice:
    """Every strategy option the scenario of ``overrides`` can run; the baseline is
    ``baseline`` or the config's own strategy, which must run (its error is raised)."""
    own = load(list(overrides))
    base = baseline or str(own.config.strategy.name)
    options = group_options("strategy")
    if base not in options:
        raise ConfigError("--baseline", base, "an option of strategy/: " + ", ".join(options))
    loaded: dict[str, Loaded] = {}
    skipped: list[tuple[str, str]] = []
    for name in [base, *(o for o in options if o != base)]:
        try:
            loaded[name] = load([*overrides, f"strategy={name}"])
        except ConfigError as exc:
            if name == base:
                raise
            skipped.append((name, f"{exc.key}: {exc.expected}"))
    if len(loaded) < 2:
        raise ConfigError(
            "--strategies", "", f"two strategies the network supports (only {base} runs on it)"
        )
    return Choice(list(loaded), base, skipped, loaded)
