"""Lazy re-exports for a package's ``__init__``, so importing one module never loads its siblings.

``from netcourse.pitch import analyse`` imports :mod:`netcourse.pitch.analysis` on first use; a
plain ``import netcourse.pitch.audiences`` loads nothing else. :mod:`netcourse.pitch`,
:mod:`netcourse.funding` and :mod:`netcourse.widgets` use it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for ``package``, given ``{module: names}``.

    ``module`` is relative to the package (``"analysis"``) or absolute (``"netcourse.widgets.practice"``).
    """
    module_of = {name: module for module, names in exports.items() for name in names}
    public = sorted(module_of)

    def __getattr__(name: str) -> Any:
        if name not in module_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = module_of[name]
        value = getattr(importlib.import_module(module if "." in module else f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(public))

    return public, __getattr__, __dir__
