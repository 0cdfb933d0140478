from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestProfitabilityTour(HttpCase):
    """The profitability tab, smart button and report as a credit manager clicks them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        cls.company = admin.company_id
        cls.env["partner.profitability.rule"].search([]).active = False
        cls.env["partner.profitability.rule"].create(
            {"name": "Komisyon", "rate": 10.0, "company_id": cls.company.id}
        )
        service = cls.env["product.product"].create(
            {"name": "Tour hizmet", "type": "service", "standard_price": 40.0, "taxes_id": False}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Kârlılık A.Ş.", "is_company": True, "customer_rank": 1}
        )
        invoice = (
            cls.env["account.move"]
            .with_company(cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": service.id,
                                "quantity": 1,
                                "price_unit": 100.0,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()

    def test_card_and_report(self):
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}", "partner_profitability_tour", login="admin"
        )

    def test_period_wizard(self):
        self.start_tour(
            "/odoo/action-partner_credit_risk.action_partner_profitability_wizard",
            "partner_profitability_wizard_tour",
            login="admin",
        )
