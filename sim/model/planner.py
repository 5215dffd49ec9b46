"""A planner who reacts: each pool's replenishment lead time re-estimated from its receipts,
and its policy levels moved by the demand of the change.

The planner sees a receipt ``reaction_delay_days`` after it lands (reports, a weekly meeting)
and averages the lead times of the receipts of the last ``lead_time_window_days`` so seen. Its
reference is the mean lead time of the warm-up's receipts, the one the levels were set for;
every level (order-up-to, reorder point) moves by ``rate x (estimate - reference)`` units per
SKU, so the stock in the pipeline follows the lead time (Little's law) and the safety stock
keeps its size. Before the warm-up ends, and until a receipt has been seen, nothing moves.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np


class LeadTimes:
    """The receipts of one pool (when, and after how long) and the shift of its levels."""

    def __init__(self, rate: np.ndarray, delay: float, window: float) -> None:
        self.rate = rate  # mean demand per SKU and day the levels are sized for
        self.delay = delay
        self.window = window
        self._t: list[float] = []  # receipt times, in the order they came (non-decreasing)
        self._lead: list[float] = []
        self.reference: float | None = None  # mean lead time of the warm-up's receipts
        self.estimate: float | None = None  # the last estimate the planner made
        self._shift = np.zeros_like(rate, dtype=np.int64)

    def record(self, t_received: float, t_ordered: float) -> None:
        """A regular replenishment ordered at ``t_ordered`` was received at ``t_received``."""
        self._t.append(t_received)
        self._lead.append(t_received - t_ordered)

    def mark_warmup(self) -> None:
        """The warm-up is over: its receipts' mean lead time is the reference."""
        if self._lead:
            self.reference = float(np.mean(self._lead))

    def shift(self, now: float) -> np.ndarray:
        """Units to add to every level at ``now`` (zeros until there is something to go on)."""
        if self.reference is None:
            return self._shift
        seen = now - self.delay
        lo, hi = bisect_right(self._t, seen - self.window), bisect_right(self._t, seen)
        if hi > lo:
            estimate = float(np.mean(self._lead[lo:hi]))
            if estimate != self.estimate:
                self.estimate = estimate
                self._shift = np.round(self.rate * (estimate - self.reference)).astype(np.int64)
        return self._shift

    def receipts(self, since: float) -> int:
        """How many receipts came at or after ``since`` (for tests and reports)."""
        return len(self._t) - bisect_left(self._t, since)
