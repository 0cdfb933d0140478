"""Every public method of the master card, called with bad arguments: a clear UserError
(ValidationError/AccessError/MissingError are UserErrors), nothing written."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CustomerMasterCommon

NAN = float("nan")


@tagged("post_install", "-at_install")
class TestBadInput(CustomerMasterCommon):
    def snapshot(self):
        self.env.flush_all()
        self.env.invalidate_all()
        return {
            name: sorted(
                self.env[name]
                .sudo()
                .with_context(active_test=False)
                .search([])
                .mapped(lambda r: (r.id, r.write_date))
            )
            for name in (
                "res.partner",
                "partner.financial.account",
                "partner.credit.card",
                "partner.status.history",
                "account.account",
            )
        }

    def assert_refused(self, label, call):
        before = self.snapshot()
        with self.subTest(label):
            with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                call()
            self.assertTrue(str(caught.exception.args[0]).strip(), label)
            self.assertEqual(self.snapshot(), before, f"{label}: something was written")

    def test_public_methods(self):
        partner = self.customer
        Partner = self.env["res.partner"]
        Account = self.env["partner.financial.account"]
        cards = self.env["partner.credit.card"]
        card = {
            "partner_id": partner.id,
            "holder_name": "Ayşe Yılmaz",
            "expiry_month": 12,
            "expiry_year": 2030,
        }
        cases = [
            ("status code as list", lambda: partner.action_change_customer_status(["PA"])),
            ("status code as dict", lambda: partner.action_change_customer_status({"PA": 1})),
            ("status code as number", lambda: partner.action_change_customer_status(12)),
            ("unknown status code", lambda: partner.action_change_customer_status("QQ")),
            (
                "status reason as list",
                lambda: partner.action_change_customer_status("PA", ["neden"]),
            ),
            (
                "status reason too long",
                lambda: partner.action_change_customer_status("PA", "x" * 501),
            ),
            (
                "status on an unknown partner",
                lambda: Partner.browse(999999999).action_change_customer_status("PA"),
            ),
            (
                "status on a text id",
                lambda: Partner.browse(["x"]).action_change_customer_status("PA"),
            ),
            ("approve reason as number", lambda: partner.action_approve_customer(5)),
            (
                "approve unknown partner",
                lambda: Partner.browse(999999999).action_approve_customer(),
            ),
            ("account type as list", lambda: partner.ensure_financial_account(["CSW"])),
            ("unknown account type", lambda: partner.ensure_financial_account("XYZ")),
            ("currency id as text", lambda: partner.ensure_financial_account("CSW", "USD")),
            ("unknown currency id", lambda: partner.ensure_financial_account("CSW", 999999)),
            ("currency id NaN", lambda: partner.ensure_financial_account("CSW", NAN)),
            ("company id as text", lambda: partner.ensure_financial_account("CSW", False, "main")),
            ("unknown company id", lambda: partner.ensure_financial_account("CSW", False, 999999)),
            (
                "balances of an unknown partner",
                lambda: Partner.browse(999999999).get_financial_balances(),
            ),
            ("balances of unknown accounts", lambda: Account.browse(999999999).get_balances()),
            (
                "card number as integer",
                lambda: cards.create(dict(card, card_number=4111111111111111)),
            ),
            (
                "card number as list",
                lambda: cards.create(dict(card, card_number=["4111111111111111"])),
            ),
            (
                "card number failing Luhn",
                lambda: cards.create(dict(card, card_number="4111111111111112")),
            ),
        ]
        for label, call in cases:
            self.assert_refused(label, call)

    def test_valid_calls_still_work(self):
        self.assertTrue(self.customer.action_change_customer_status("PA", "Karşılıksız çek"))
        self.assertEqual(self.customer.customer_status, "PA")
        account_id = self.customer.ensure_financial_account("CSW", self.usd.id)
        self.assertEqual(
            self.env["partner.financial.account"].browse(account_id).currency_id, self.usd
        )
        card = self.env["partner.credit.card"].create(
            {
                "partner_id": self.customer.id,
                "holder_name": "Ayşe Yılmaz",
                "expiry_month": 12,
                "expiry_year": 2030,
                "card_number": "4111 1111 1111 1111",
            }
        )
        self.assertEqual(card.last4, "1111")
