"""Make each addon's ``lib/`` importable without importing its Odoo side.

``import l10n_tr_efatura.lib.ubl`` must work here without ``odoo``: each addon
folder is registered as a bare package whose ``__init__`` is never executed,
so only ``lib/`` (plain Python) is ever loaded.
"""

import sys
import types
from pathlib import Path

import pytest

from tests.marketplace_helpers import Recorder

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"

for addon_dir in sorted(ADDONS.iterdir()):
    if (addon_dir / "__manifest__.py").exists() and addon_dir.name not in sys.modules:
        package = types.ModuleType(addon_dir.name)
        package.__path__ = [str(addon_dir)]
        sys.modules[addon_dir.name] = package

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def rec():
    """Virtual sleeps/clock and the log records of a marketplace client."""
    return Recorder()
