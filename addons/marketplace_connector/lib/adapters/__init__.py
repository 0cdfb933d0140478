"""The marketplace adapters; importing a module registers its adapter."""

from . import trendyol  # noqa: F401
