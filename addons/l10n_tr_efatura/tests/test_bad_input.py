"""Every public e-document method, called with bad arguments: a clear UserError
(ValidationError/AccessError/MissingError are UserErrors), nothing written, nothing sent."""

from odoo.addons.l10n_tr_efatura.tests.common import RefusalChecks
from odoo.addons.l10n_tr_efatura.tests.transport_common import IzibizTransportCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged

NAN = float("nan")


@tagged("post_install", "-at_install")
class TestBadInput(RefusalChecks, IzibizTransportCase):
    WATCHED = ("account.move", "res.partner", "res.company")

    def test_public_methods(self):
        move = self._invoice(self.consumer)
        Move = self.env["account.move"]
        Partner = self.env["res.partner"]
        cases = [
            ("send unknown move", lambda: Move.browse(999999999).l10n_tr_send()),
            ("send text id", lambda: Move.browse(["x"]).l10n_tr_send()),
            ("refresh unknown move", lambda: Move.browse(999999999).l10n_tr_refresh_status()),
            ("cancel reason as list", lambda: move.l10n_tr_cancel_edocument(["neden"])),
            ("cancel reason too long", lambda: move.l10n_tr_cancel_edocument("x" * 501)),
            ("cancel unknown move", lambda: Move.browse(999999999).l10n_tr_cancel_edocument()),
            ("cancel no move", lambda: Move.browse().l10n_tr_cancel_edocument()),
            ("build two moves", lambda: Move.browse([move.id, move.id]).l10n_tr_build_edocument()),
            ("inbox company as text", lambda: Move.l10n_tr_fetch_inbox("main")),
            ("inbox unknown company", lambda: Move.l10n_tr_fetch_inbox(999999)),
            (
                "inbox two companies",
                lambda: Move.l10n_tr_fetch_inbox(
                    [self.company.id, self.env.ref("base.main_company").id]
                ),
            ),
            (
                "inbox page size zero",
                lambda: Move.l10n_tr_fetch_inbox(self.company.id, page_size=0),
            ),
            (
                "inbox negative page size",
                lambda: Move.l10n_tr_fetch_inbox(self.company.id, page_size=-5),
            ),
            (
                "inbox page size as text",
                lambda: Move.l10n_tr_fetch_inbox(self.company.id, page_size="50"),
            ),
            (
                "inbox page size NaN",
                lambda: Move.l10n_tr_fetch_inbox(self.company.id, page_size=NAN),
            ),
            (
                "inbox huge max pages",
                lambda: Move.l10n_tr_fetch_inbox(self.company.id, max_pages=10**9),
            ),
            ("accept unknown move", lambda: Move.browse(999999999).l10n_tr_accept()),
            ("reject reason as number", lambda: move.l10n_tr_reject(42)),
            ("reject reason empty", lambda: move.l10n_tr_reject("  ")),
            ("reject reason too long", lambda: move.l10n_tr_reject("x" * 501)),
            (
                "registered-user force as text",
                lambda: self.buyer.l10n_tr_check_efatura_user(force="yes"),
            ),
            (
                "registered-user company as text",
                lambda: self.buyer.l10n_tr_check_efatura_user(company_id="main"),
            ),
            (
                "registered-user unknown company",
                lambda: self.buyer.l10n_tr_check_efatura_user(company_id=999999),
            ),
            (
                "registered-user 201 partners",
                lambda: Partner.browse([self.buyer.id] * 201).l10n_tr_check_efatura_user(),
            ),
            (
                "registered-user unknown partner",
                lambda: Partner.browse(999999999).l10n_tr_check_efatura_user(),
            ),
            (
                "test integrator unknown company",
                lambda: self.env["res.company"].browse(999999).l10n_tr_test_integrator(),
            ),
        ]
        for label, call in cases:
            self.assert_refused(label, call)

    def test_integrator_settings_bounds(self):
        for values in (
            {"l10n_tr_integrator_timeout": -1},
            {"l10n_tr_integrator_timeout": 0},
            {"l10n_tr_integrator_timeout": 100000},
            {"l10n_tr_edoc_batch_size": 0},
            {"l10n_tr_edoc_batch_size": -3},
            {"l10n_tr_edoc_batch_size": 5000},
        ):
            with self.subTest(values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.write(values)
        self.company.write({"l10n_tr_integrator_timeout": 300, "l10n_tr_edoc_batch_size": 100})
