from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerMasterCommon


@tagged("post_install", "-at_install")
class TestFinancialAccount(CustomerMasterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fpos_reseller = cls.env["account.fiscal.position"].create(
            {
                "name": "Reseller exemption",
                "credit_exemption_group": "RSL",
                "company_id": cls.company.id,
            }
        )
        usd_id = cls.customer.ensure_financial_account("CSW", cls.usd.id, cls.company.id)
        cls.usd_account = cls.env["partner.financial.account"].browse(usd_id)
        cls.usd_account.write(
            {
                "pricelist_id": cls.usd_pricelist.id,
                "payment_term_id": cls.pay_terms_b.id,
                "tax_exempt": True,
                "exemption_group": "RSL",
                "discount_rate": 10.0,
                "discount_method": "sequential",
            }
        )

    def test_first_account_created_by_partner_type(self):
        accounts = self.customer.financial_account_ids - self.usd_account
        self.assertEqual(len(accounts), 1)
        self.assertEqual(
            (accounts.account_type, accounts.currency_id, accounts.company_id),
            ("CSW", self.try_, self.company),
        )
        self.assertEqual(
            accounts.account_id,
            self.customer.with_company(self.company).property_account_receivable_id,
        )
        ecommerce = self.Partner.create(
            {
                "name": "Pazaryeri Alıcısı",
                "customer_type_id": self.env.ref("partner_credit_risk.customer_type_ecommerce").id,
            }
        )
        self.assertEqual(ecommerce.financial_account_ids.account_type, "CSE")

    def test_customer_and_supplier_on_one_card(self):
        both = self.env["res.partner"].create(
            {
                "name": "Karadeniz Lojistik",
                "is_company": True,
                "customer_rank": 1,
                "supplier_rank": 1,
            }
        )
        accounts = both.financial_account_ids
        self.assertEqual(sorted(accounts.mapped("account_type")), ["CSW", "SPW"])
        supplier = accounts.filtered(lambda a: a.account_type == "SPW")
        self.assertEqual(supplier.account_id.account_type, "liability_payable")
        self.assertEqual(both._get_financial_account(self.company, "purchase"), supplier)
        bill = self.init_invoice("in_invoice", partner=both, amounts=[500.0], post=True)
        self.assertEqual(bill.financial_account_id, supplier)
        self.assertEqual(
            bill.line_ids.filtered(lambda line: line.display_type == "payment_term").account_id,
            supplier.account_id,
        )

    def test_usd_account_gets_gl_account_locked_to_usd(self):
        gl = self.usd_account.account_id
        self.assertEqual(gl.currency_id, self.usd)
        self.assertEqual(gl.account_type, "asset_receivable")
        # the same id is returned, nothing is created twice
        self.assertEqual(
            self.customer.ensure_financial_account("CSW", self.usd.id, self.company.id),
            self.usd_account.id,
        )
        self.assertEqual(self.usd_account.fiscal_position_id, self.fpos_reseller)
        try_receivable = self.customer.with_company(self.company).property_account_receivable_id
        with self.assertRaisesRegex(ValidationError, "must be locked"):
            self.usd_account.account_id = try_receivable

    def test_sale_order_and_invoice_in_usd(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "financial_account_id": self.usd_account.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 2.0,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        self.assertEqual(order.pricelist_id, self.usd_pricelist)
        self.assertEqual(order.currency_id, self.usd)
        self.assertEqual(order.payment_term_id, self.pay_terms_b)
        self.assertEqual(order.fiscal_position_id, self.fpos_reseller)
        self.assertEqual(order.order_line.discount, 10.0)
        self.assertAlmostEqual(order.amount_total, 180.0)
        order.action_confirm()
        self.assertTrue(order.picking_ids)

        invoice = order._create_invoices()
        self.assertEqual(invoice.financial_account_id, self.usd_account)
        self.assertEqual(invoice.currency_id, self.usd)
        self.assertEqual(invoice.invoice_payment_term_id, self.pay_terms_b)
        self.assertEqual(invoice.fiscal_position_id, self.fpos_reseller)
        invoice.invoice_date = fields.Date.today()
        invoice.action_post()
        term_lines = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(len(term_lines), 2)  # 30 % advance + 70 %
        self.assertEqual(term_lines.account_id, self.usd_account.account_id)
        self.assertEqual(set(term_lines.mapped("financial_account_id")), {self.usd_account})
        self.assertAlmostEqual(sum(term_lines.mapped("amount_currency")), 180.0)
        self.assertAlmostEqual(self.usd_account.balance, 180.0)
        self.assertEqual(self.customer.get_financial_balances()[-1]["balance"], 180.0)

        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": invoice.invoice_date, "amount": 180.0})
            ._create_payments()
        )
        self.assertEqual(payment.financial_account_id, self.usd_account)
        self.assertEqual(payment.destination_account_id, self.usd_account.account_id)
        self.assertEqual(payment.currency_id, self.usd)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.usd_account.invalidate_recordset(["balance"])
        self.assertAlmostEqual(self.usd_account.balance, 0.0)

        transactions = self.env["partner.transaction"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            set(transactions.mapped("kind")), {"sale", "delivery", "invoice", "payment"}
        )
        self.assertEqual(
            set(self.customer.action_open_transactions()["domain"][0]),
            {"partner_id", "=", self.customer.id},
        )

    def test_direct_invoice_and_payment_follow_financial_account(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "financial_account_id": self.usd_account.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "price_unit": 250.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        self.assertEqual(invoice.currency_id, self.usd)
        invoice.action_post()
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.account_id, self.usd_account.account_id)
        self.assertAlmostEqual(sum(receivable.mapped("amount_currency")), 250.0)

        # switching the account on a draft invoice re-runs Odoo's account selection
        draft = self.init_invoice("out_invoice", partner=self.customer, amounts=[40.0])
        try_account = self.customer.financial_account_ids - self.usd_account
        self.assertEqual(draft.financial_account_id, try_account)
        self.assertEqual(draft.currency_id, self.try_)
        draft.financial_account_id = self.usd_account
        self.assertEqual(draft.currency_id, self.usd)
        self.assertEqual(
            draft.line_ids.filtered(lambda line: line.display_type == "payment_term").account_id,
            self.usd_account.account_id,
        )

        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "financial_account_id": self.usd_account.id,
                "amount": 250.0,
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        self.assertEqual(payment.currency_id, self.usd)
        self.assertEqual(payment.destination_account_id, self.usd_account.account_id)
        payment.action_post()
        counterpart = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == self.usd_account.account_id
        )
        self.assertAlmostEqual(counterpart.amount_currency, -250.0)
        self.assertEqual(payment.move_id.financial_account_id, self.usd_account)
        self.usd_account.invalidate_recordset(["balance"])
        # invoice +250, payment -250 (not yet reconciled, both open)
        self.assertAlmostEqual(self.usd_account.balance, 0.0)
        (receivable + counterpart).reconcile()
        self.assertEqual(invoice.payment_state, "paid")

    def test_discount_methods(self):
        self.usd_pricelist.item_ids = [
            Command.create(
                {
                    "compute_price": "percentage",
                    "percent_price": 5.0,
                    "applied_on": "3_global",
                }
            )
        ]
        self.env.ref("base.group_user").implied_ids += self.env.ref(
            "sale.group_discount_per_so_line"
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "financial_account_id": self.usd_account.id,
                "order_line": [Command.create({"product_id": self.product_a.id})],
            }
        )
        self.assertAlmostEqual(order.order_line.discount, 14.5)  # 5 % then 10 %
        self.usd_account.discount_method = "amount"
        order2 = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "financial_account_id": self.usd_account.id,
                "order_line": [Command.create({"product_id": self.product_a.id})],
            }
        )
        self.assertAlmostEqual(order2.order_line.discount, 15.0)  # 5 % + 10 %

    # --- statement ---------------------------------------------------------------------------
    def _post_invoice(self, price, financial_account):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "financial_account_id": financial_account.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_printable_statement_grouped_by_financial_account(self):
        try_account = self.customer.financial_account_ids - self.usd_account
        usd_invoice = self._post_invoice(250.0, self.usd_account)
        try_invoice = self._post_invoice(40.0, try_account)
        report = self.env["report.partner_credit_risk.report_partner_statement"]
        sections = report._statement_sections(self.customer)
        by_currency = {section["currency"]: section for section in sections}
        self.assertEqual(len(sections), 2)
        # the USD account's items in dollars (not in the company's liras)
        usd = by_currency[self.usd]
        # (30 % advance + 70 %: two receivable lines of one invoice)
        self.assertEqual({row["line"].move_id for row in usd["rows"]}, {usd_invoice})
        self.assertAlmostEqual(usd["debit"], 250.0)
        self.assertAlmostEqual(usd["balance"], 250.0)
        self.assertIn(self.usd_account.code, usd["title"])
        self.assertAlmostEqual(by_currency[self.try_]["balance"], 40.0)
        self.assertEqual(
            {row["line"].move_id for row in by_currency[self.try_]["rows"]}, {try_invoice}
        )
        # printable from the card (its contact prints its company's statement)
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        contact = self.env["res.partner"].create(
            {"name": "Muhasebe", "parent_id": self.customer.id}
        )
        action = contact.action_print_statement()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "partner_credit_risk.report_partner_statement")
        self.assertEqual(action["context"]["active_ids"], self.customer.ids)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("partner_credit_risk.report_partner_statement", self.customer.ids)[0]
            .decode()
        )
        self.assertIn(self.usd_account.code, html)
        self.assertIn(try_account.code, html)
        self.assertIn(usd_invoice.name, html)
        self.assertIn(try_invoice.name, html)

    def test_statement_of_a_new_customer_is_empty_without_sample_data(self):
        newcomer = self.Partner.create({"name": "Yeni Müşteri A.Ş.", "is_company": True})
        report = self.env["report.partner_credit_risk.report_partner_statement"]
        self.assertEqual(report._statement_sections(newcomer), [])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("partner_credit_risk.report_partner_statement", newcomer.ids)[0]
            .decode()
        )
        self.assertIn("No posted receivable or payable items.", html)
        action = newcomer.action_open_statement()
        self.assertFalse(self.env["account.move.line"].search(action["domain"]))
        views = self.env.ref("partner_credit_risk.action_partner_statement").view_ids
        self.assertEqual(views.mapped("view_mode"), ["list", "pivot"])
        for view in views:
            arch = self.env["account.move.line"].get_view(view.view_id.id, view.view_mode)["arch"]
            self.assertIn('sample="0"', arch, view.view_mode)

    def test_statement_transactions_and_accounts_are_smart_buttons_first(self):
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id, "form")[
            "arch"
        ]
        box = arch[arch.index('name="button_box"') :]
        first_buttons = [
            name
            for name in (
                "action_open_statement",
                "action_open_transactions",
                "action_open_financial_accounts",
            )
            if name in box
        ]
        self.assertEqual(len(first_buttons), 3)
        positions = [box.index(f'name="{name}"') for name in first_buttons]
        self.assertEqual(positions, sorted(positions))
        # before the smart buttons of the other apps (sales, invoicing)
        others = [
            box.index(name)
            for name in ('name="action_view_partner_invoices"', 'name="action_view_sale_order"')
            if name in box
        ]
        self.assertTrue(all(positions[-1] < other for other in others), others)
