from odoo import fields
from odoo.addons.partner_credit_risk.tests.profitability_common import ProfitabilityCommon
from odoo.exceptions import ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestMarketplaceProfitability(ProfitabilityCommon):
    """A commission rule per marketplace account charges only that account's sales; the
    report filtered by a marketplace account only counts its invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["marketplace.account"].sudo()
        cls.trendyol = Account.create(
            {"name": "Trendyol mağaza", "marketplace": "trendyol", "company_id": cls.company.id}
        )
        cls.other = Account.create(
            {"name": "İkinci mağaza", "marketplace": "trendyol", "company_id": cls.company.id}
        )
        cls.customer_a = cls._customer("Ege Market", mode="none")
        # 475.00 - 75.00 = 400.00 through Trendyol, COGS 176.00 (the worked example)
        order = cls._sell(cls.customer_a, [(cls.oil, 15, 25.0), (cls.assembly, 1, 100.0)])
        order.marketplace_account_id = cls.trendyol
        delivery = cls._deliver(order, 15)
        cls._invoice(order)
        cls._return(delivery, 3)
        cls._invoice(order)
        # 200.00 of direct sales, COGS 80.00 (two services at standard cost)
        cls._invoice(cls._sell(cls.customer_a, [(cls.assembly, 2, 100.0)]))
        cls.Rule = cls.env["partner.profitability.rule"]
        cls.Rule.create(
            {
                "name": "Trendyol komisyonu",
                "kind": "sales_percent",
                "rate": 20.0,
                "marketplace_account_id": cls.trendyol.id,
            }
        )
        cls.Rule.create(
            {
                "name": "İkinci mağaza komisyonu",
                "kind": "sales_percent",
                "rate": 15.0,
                "marketplace_account_id": cls.other.id,
            }
        )
        cls.today = fields.Date.today()
        cls.year_start = cls.today.replace(month=1, day=1)

    def test_commission_per_marketplace_account(self):
        """Sales 600.00, COGS 256.00, gross 344.00; commission 20 % of Trendyol's 400.00 =
        80.00 (nothing from the other account); net 264.00 (44 %)."""
        figures = self.customer_a.get_profitability(str(self.year_start), str(self.today))[
            str(self.customer_a.id)
        ]
        self.assertEqual(
            [
                figures[key]
                for key in ("sales", "cogs", "gross_profit", "allocated_cost", "net_profit")
            ],
            [600.0, 256.0, 344.0, 80.0, 264.0],
        )
        self.assertEqual(figures["net_margin"], 44.0)
        self.assertEqual([item["amount"] for item in figures["allocations"]], [80.0])

    def test_report_filtered_by_marketplace_account(self):
        wizard = self.env["partner.profitability.wizard"].create(
            {
                "date_from": self.year_start,
                "date_to": self.today,
                "marketplace_account_id": self.trendyol.id,
                "partner_ids": [fields.Command.set(self.customer_a.ids)],
            }
        )
        wizard.action_compute()
        row = self.env["partner.profitability.report"].search([])
        self.assertEqual(
            (row.partner_id, row.sales, row.cogs, row.allocated_cost, row.net_profit),
            (self.customer_a, 400.0, 176.0, 80.0, 144.0),
        )

    def test_vendor_bill_rule_has_no_marketplace_account(self):
        with self.assertRaisesRegex(ValidationError, "belong to no marketplace account"):
            self.Rule.create(
                {
                    "name": "Masraf",
                    "kind": "vendor_bills",
                    "marketplace_account_id": self.trendyol.id,
                }
            )
