"""Probability distributions that know their own moments (after Ciw's ``dists``).

Every distribution samples in blocks from an injected ``numpy.random.Generator``; the model
serves those blocks one number at a time through :class:`sim.handlers.Sampler`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


class Distribution:
    """A non-negative continuous distribution of durations (days)."""

    name: str = ""

    @property
    def mean(self) -> float:
        raise NotImplementedError

    @property
    def var(self) -> float:
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` samples as a float64 array."""
        raise NotImplementedError

    def keyed_params(self) -> tuple[int, float, float]:
        """``(code, p, q)`` for the handlers' keyed draws (:class:`sim.model.twin.keyed.Keyed`):
        0 deterministic (value), 1 uniform (low, high), 2 exponential (mean), 3 log-normal
        (mu, sigma of the log), 4 gamma (shape, scale)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Deterministic(Distribution):
    """Always ``value``."""

    value: float
    name = "deterministic"

    @property
    def mean(self) -> float:
        return self.value

    @property
    def var(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value, dtype=np.float64)

    def keyed_params(self) -> tuple[int, float, float]:
        return 0, self.value, 0.0


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with the given mean."""

    mean_value: float
    name = "exponential"

    @property
    def mean(self) -> float:
        return self.mean_value

    @property
    def var(self) -> float:
        return self.mean_value**2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean_value, n)

    def keyed_params(self) -> tuple[int, float, float]:
        return 2, self.mean_value, 0.0


class _MeanCV(Distribution):
    """A distribution given by its mean and coefficient of variation."""

    mean_value: float
    cv: float

    @property
    def mean(self) -> float:
        return self.mean_value

    @property
    def var(self) -> float:
        return (self.cv * self.mean_value) ** 2


@dataclass(frozen=True)
class LogNormal(_MeanCV):
    """Log-normal parameterised by its mean and coefficient of variation."""

    mean_value: float
    cv: float
    name = "lognormal"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        mu, sigma = self._log_params()
        return rng.lognormal(mu, sigma, n)

    def _log_params(self) -> tuple[float, float]:
        s2 = math.log1p(self.cv**2)
        return math.log(self.mean_value) - s2 / 2.0, math.sqrt(s2)

    def keyed_params(self) -> tuple[int, float, float]:
        return (3, *self._log_params())


@dataclass(frozen=True)
class Gamma(_MeanCV):
    """Gamma parameterised by its mean and coefficient of variation."""

    mean_value: float
    cv: float
    name = "gamma"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean_value / shape, n)

    def keyed_params(self) -> tuple[int, float, float]:
        shape = 1.0 / self.cv**2
        return 4, shape, self.mean_value / shape


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on ``[low, high]``."""

    low: float
    high: float
    name = "uniform"

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2.0

    @property
    def var(self) -> float:
        return (self.high - self.low) ** 2 / 12.0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    def keyed_params(self) -> tuple[int, float, float]:
        return 1, self.low, self.high


DIST_NAMES = ("deterministic", "exponential", "lognormal", "gamma", "uniform")
