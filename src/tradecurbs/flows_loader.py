"""Load the Prefect flows from the flows/ folder (bundled inside the installed package)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

from tradecurbs.resources import bundled


def load_flows_module(name: str) -> ModuleType:
    """Import ``flows/<name>.py`` as module ``tradecurbs_flows.<name>``."""
    module_name = f"tradecurbs_flows.{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = bundled("flows") / f"{name}.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load flows module {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    # worker processes (a Dask cluster) cannot import a module loaded from a path: ship it by value
    import cloudpickle

    cloudpickle.register_pickle_by_value(module)
    return module


def pipeline_flow() -> Any:
    """The main pipeline flow."""
    return load_flows_module("pipeline").pipeline
