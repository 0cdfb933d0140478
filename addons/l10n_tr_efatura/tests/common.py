"""Shared helpers for the suite's Odoo tests."""

import importlib
import os
import sys
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger


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


def setup_turkish_seller(company, **values):
    """Make an Odoo test company a GİB-ready seller: VKN, Ankara address, tax office, and
    the l10n_tr chart taxes' GİB codes (``values`` are extra company fields)."""
    env = company.env
    company.write(
        {
            "vat": "4840847211",
            "street": "Atatürk Bulvarı No: 125",
            "city": "Ankara",
            "zip": "06420",
            "state_id": env.ref("base.state_tr_06").id,
            **values,
        }
    )
    company.partner_id.write({"l10n_tr_tax_office": "Çankaya", "l10n_tr_district": "Çankaya"})
    env["account.tax"]._l10n_tr_apply_chart_defaults(company)
    return company


def refused_or_allowed(case, call, allowed, requests, service):
    """Run ``call`` for the rights matrices: an allowed call must reach ``service`` (the
    fake's ``requests`` list grows), a refused one must raise AccessError before any request.
    Returns ``"allowed"`` or ``"refused"``."""
    before = len(requests)
    if allowed:
        call()
        case.assertGreater(len(requests), before, f"allowed but never reached the {service}")
        return "allowed"
    with (
        case.assertRaises(AccessError),
        mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
    ):
        call()
    case.assertEqual(len(requests), before, f"a request reached the {service} before the refusal")
    return "refused"


class RefusalChecks:
    """For the bad-input tests: a refused call raises a UserError with a message and leaves
    the ``WATCHED`` models (and the fake server's requests) untouched."""

    WATCHED = ()

    def snapshot(self):
        self.env.flush_all()
        self.env.invalidate_all()
        state = {
            name: sorted(
                self.env[name]
                .sudo()
                .with_context(active_test=False)
                .search([])
                .mapped(lambda r: (r.id, r.write_date))
            )
            for name in self.WATCHED
        }
        state["requests"] = len(self.fake.requests)
        return state

    def assert_refused(self, label, call):
        before = self.snapshot()
        with self.subTest(label):
            with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                call()
            self.assertTrue(str(caught.exception.args[0]).strip(), label)
            self.assertEqual(self.snapshot(), before, f"{label}: something was written/sent")
