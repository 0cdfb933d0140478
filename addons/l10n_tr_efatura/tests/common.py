"""Shared helpers for the suite's Odoo tests."""
import importlib
import os
import sys
from pathlib import Path


def _suite_root():
    """The repository root holding ``tests/fakes`` (set SUITE_ROOT to override)."""
    candidates = [os.environ.get("SUITE_ROOT")] + [str(p) for p in Path(__file__).resolve().parents]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "tests" / "fakes" / "__init__.py").exists():
            return candidate
    raise RuntimeError(
        "tests/fakes not found: run the Odoo tests from the repository checkout "
        "or set SUITE_ROOT to it"
    )


def load_fake(name):
    """Import ``tests.fakes.<name>`` (a local fake server) from the repository."""
    root = _suite_root()
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"tests.fakes.{name}")
