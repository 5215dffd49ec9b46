"""Build the Cython handlers in ext/ into ``sim.model._handlers``.

Where no compiler (or Cython) is present the install still succeeds and Ripple runs on its
pure-Python twin; a single warning line says so.
"""

from __future__ import annotations

import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Build extensions, but let the install go on without them."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any build failure falls back to pure Python
            self._skip(exc)

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._skip(exc)

    @staticmethod
    def _skip(exc: Exception) -> None:
        sys.stderr.write(
            f"WARNING: ripple: compiled handlers not built ({type(exc).__name__}); "
            "the pure-Python twin will run\n"
        )


def extensions() -> list:
    try:
        import numpy
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError as exc:
        OptionalBuildExt._skip(exc)
        return []
    ext = Extension(
        "sim.model._handlers",
        ["ext/_handlers.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        # No fused multiply-add: the compiled and pure builds must agree bit for bit.
        extra_compile_args=["-O2", "-ffp-contract=off"],
    )
    return cythonize([ext], compiler_directives={"language_level": "3"}, quiet=True)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
