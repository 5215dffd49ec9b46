"""How a long call reports while it runs: the command line draws a bar, a notebook by default
hears nothing but the log.

:class:`Progress` is the interface the API calls; subclass it to show progress elsewhere.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class Progress:
    """Replications finished out of a total that sequential stopping may grow. The default
    draws nothing and logs its notes."""

    def start(self, total: int, done: int = 0) -> None:
        """``total`` replications are due, ``done`` of them found finished already."""

    def advance(self, n: int = 1) -> None:
        """``n`` more replications finished."""

    def grow(self, total: int) -> None:
        """Sequential stopping raised the total to ``total``."""

    def note(self, text: str) -> None:
        """Something a person running the call should know (a resumed run, say)."""
        log.info(text)

    def close(self) -> None:
        """The call is over (finished, failed or interrupted)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run: the finished replications are kept, and the same call resumes."""

    def __init__(self, kept: int) -> None:
        super().__init__(
            f"interrupted; {kept} finished replications kept: run the same command again to resume"
        )
        self.kept = kept
