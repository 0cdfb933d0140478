"""The marketplace adapters; importing a module registers its adapter."""

from . import (
    hepsiburada,  # noqa: F401
    trendyol,  # noqa: F401
)
