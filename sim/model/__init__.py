"""The SimPy model: runtime objects built from a scenario and plan, and their processes."""

from .build import Model, build_model

__all__ = ["Model", "build_model"]
