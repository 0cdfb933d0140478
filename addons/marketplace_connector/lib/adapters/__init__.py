"""The marketplace adapters; importing a module registers its adapter (in this order: the
account's marketplace selection lists them so)."""

# isort: off
from . import trendyol  # noqa: F401
from . import hepsiburada  # noqa: F401
from . import n11  # noqa: F401

# isort: on
