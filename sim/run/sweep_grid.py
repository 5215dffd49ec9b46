"""The grammar of a sweep: Hydra override strings parsed and expanded into jobs, and the names
of the files a sweep directory holds (its manifest, each job's folder and ``job.yaml``)."""

from __future__ import annotations

from collections.abc import Sequence

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.errors import HydraException

from ..core.errors import ConfigError

MANIFEST = "sweep.yaml"
JOB_FILE = "job.yaml"
JOB_PREFIX = "job-"
HYDRA_JOBS = ".jobs"  # Hydra's own per-job folders (its .hydra/ record and log)


def job_name(num: int) -> str:
    """The run folder of job ``num`` inside the sweep directory."""
    return f"{JOB_PREFIX}{num:03d}"


def parse(overrides: Sequence[str]) -> list[Override]:
    """Parse Hydra override strings; a syntax error is a :class:`ConfigError`."""
    parser = OverridesParser.create()
    out = []
    for o in overrides:
        if "=" not in o and not o.startswith("~"):
            raise ConfigError(o, "", "an override of the form key=value")
        try:
            out.extend(parser.parse_overrides([o]))
        except HydraException as exc:
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
            raise ConfigError(
                o.partition("=")[0], o.partition("=")[2], f"Hydra override syntax ({msg})"
            ) from None
    return out


def key_of(ov: Override) -> str:
    """The key an override sets, without ``+``/``++``/``~`` (``group@package`` kept)."""
    return ov.key_or_group + (f"@{ov.package}" if ov.package else "")


def is_hydra(ov: Override) -> bool:
    """Overrides of Hydra's own config (``hydra.sweep.dir``, ``hydra/launcher=joblib``)."""
    return ov.key_or_group == "hydra" or ov.key_or_group.startswith(("hydra.", "hydra/"))


def grid(task: list[Override]) -> list[list[str]]:
    """Every job's overrides, in the order Hydra's basic sweeper numbers them."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    try:
        return BasicSweeper.split_arguments(task, None)[0]
    except HydraException as exc:
        raise ConfigError(
            "overrides",
            " ".join(o.input_line or "" for o in task),
            f"sweeps the basic sweeper can expand ({exc})",
        ) from None
