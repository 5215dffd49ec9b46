"""Demand classes of Syntetos and Boylan (2005): how often an SKU sells and how much the size
of a sale varies.

ADI, the average inter-demand interval, is the days of history per day with a sale; CV² is the
squared coefficient of variation (population variance over squared mean) of the sizes of the
days with a sale. The cut-offs ADI 1.32 and CV² 0.49 split four classes: smooth (frequent,
regular), erratic (frequent, irregular sizes), intermittent (rare, regular sizes) and lumpy
(rare, irregular sizes).
"""

from __future__ import annotations

from enum import Enum

import numpy as np

ADI_CUT = 1.32
CV2_CUT = 0.49


class DemandClass(str, Enum):
    """A Syntetos-Boylan class."""

    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"

    @property
    def rare(self) -> bool:
        """Sells on few days (ADI above the cut-off): modelled as occurrence times size."""
        return self in (DemandClass.INTERMITTENT, DemandClass.LUMPY)


def adi_cv2(units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ADI and CV² of each column of ``units`` (days x SKUs); ADI is infinite for an SKU that
    never sold, CV² is 0 for one that sold on fewer than two days."""
    y = np.asarray(units, dtype=np.float64)
    nz = y > 0
    n_nz = nz.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(n_nz > 0, y.shape[0] / n_nz, np.inf)
        mean = y.sum(axis=0) / n_nz
        var = (y * y).sum(axis=0) / n_nz - mean * mean
        cv2 = np.where(n_nz > 1, np.maximum(var, 0.0) / (mean * mean), 0.0)
    return adi, cv2


def classify(adi: np.ndarray, cv2: np.ndarray) -> tuple[DemandClass, ...]:
    """The class of each (ADI, CV²) pair by the cut-offs (a value at a cut-off is below it)."""
    table = {
        (False, False): DemandClass.SMOOTH,
        (False, True): DemandClass.ERRATIC,
        (True, False): DemandClass.INTERMITTENT,
        (True, True): DemandClass.LUMPY,
    }
    return tuple(
        table[(bool(a > ADI_CUT), bool(c > CV2_CUT))]
        for a, c in zip(np.atleast_1d(adi), np.atleast_1d(cv2))
    )
