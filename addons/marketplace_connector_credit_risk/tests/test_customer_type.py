from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMasterCardCustomerType(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.demo_company_tr")
        cls.env = cls.env(
            context=dict(
                cls.env.context, allowed_company_ids=[cls.company.id], tracking_disable=True
            )
        )
        cls.env.user.company_ids |= cls.company
        cls.env.user.company_id = cls.company
        cls.firm = cls.env.ref("l10n_tr_efatura.demo_customer_efatura_company")
        cls.person = cls.env.ref("l10n_tr_efatura.demo_customer_individual")
        cls.wholesale = cls.env.ref("marketplace_connector_credit_risk.customer_type_wholesale")
        cls.product = cls.env.ref("marketplace_connector.product_mug")

    def invoice(self, partner, price):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": self.company.id,
                "invoice_date": date(2026, 3, 10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_master_card_type_decides(self):
        self.assertEqual(self.wholesale.segment_customer_type, "wholesale")
        self.firm.customer_type_id = self.wholesale
        self.person.customer_type_id = self.env.ref("partner_credit_risk.customer_type_corporate")
        firm_invoice = self.invoice(self.firm, 3000.0)
        person_invoice = self.invoice(self.person, 100.0)
        self.assertEqual(firm_invoice.segment_customer_type, "wholesale")
        self.assertEqual(person_invoice.segment_customer_type, "corporate")
        rows = self.env["invoice.segment.report"]._read_group(
            [("move_id", "in", (firm_invoice | person_invoice).ids)],
            ["customer_type"],
            ["price_subtotal:sum"],
        )
        self.assertEqual(dict(rows), {"wholesale": 3000.0, "corporate": 100.0})
        self.assertIn("Customer Type – Wholesale", firm_invoice.segment_ids.mapped("display_name"))

    def test_partner_override_and_tax_id_default(self):
        self.person.customer_type_id = False
        self.assertEqual(self.invoice(self.person, 50.0).segment_customer_type, "individual")
        self.firm.write(
            {"customer_type_id": self.wholesale.id, "segment_customer_type": "corporate"}
        )
        self.assertEqual(self.invoice(self.firm, 50.0).segment_customer_type, "corporate")

    def test_type_change_followed_by_refill(self):
        self.firm.customer_type_id = self.env.ref("partner_credit_risk.customer_type_project")
        move = self.invoice(self.firm, 700.0)
        self.assertEqual(move.segment_customer_type, "corporate")
        self.firm.customer_type_id = self.wholesale
        self.env["account.move"].segment_refill([self.company.id])
        self.assertEqual(move.segment_customer_type, "wholesale")
