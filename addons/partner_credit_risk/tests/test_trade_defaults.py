from odoo import Command, fields
from odoo.tests import tagged

from .common import CustomerMasterCommon


@tagged("post_install", "-at_install")
class TestTradeDefaults(CustomerMasterCommon):
    """Sales/purchase types and groups, dispatch document and discount item of a financial
    account flow into orders, deliveries, invoices, bills and Sales Analysis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.wholesale = ref("partner_credit_risk.trade_sale_type_wholesale")
        cls.domestic_sales = ref("partner_credit_risk.trade_sale_group_domestic")
        cls.import_type = ref("partner_credit_risk.trade_purchase_type_import")
        cls.goods_group = ref("partner_credit_risk.trade_purchase_group_goods")
        cls.csw = cls.customer.financial_account_ids.filtered(lambda a: a.account_type == "CSW")
        cls.csw.write(
            {
                "sale_type_id": cls.wholesale.id,
                "sale_group_id": cls.domestic_sales.id,
                "dispatch_document": "SDV",
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Ege Tekstil Ltd.",
                "is_company": True,
                "supplier_rank": 1,
            }
        )
        cls.spw = cls.supplier.financial_account_ids.filtered(lambda a: a.account_type == "SPW")
        cls.spw.write(
            {
                "purchase_type_id": cls.import_type.id,
                "purchase_group_id": cls.goods_group.id,
                "discount_item": "purchase",
                "discount_rate": 7.5,
            }
        )

    def _order(self, partner=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
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

    def _bill(self, partner):
        return self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "quantity": 4.0,
                            "price_unit": 50.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def test_order_delivery_and_invoice_carry_sales_defaults(self):
        order = self._order()
        self.assertEqual(order.financial_account_id, self.csw)
        self.assertEqual(
            (order.sale_type_id, order.sale_group_id, order.dispatch_document),
            (self.wholesale, self.domestic_sales, "SDV"),
        )
        order.action_confirm()
        self.assertEqual(order.picking_ids.dispatch_document, "SDV")
        order.picking_ids.move_ids.quantity = 2.0
        order.picking_ids.button_validate()
        invoice = order._create_invoices()
        self.assertEqual(
            (invoice.sale_type_id, invoice.sale_group_id, invoice.dispatch_document),
            (self.wholesale, self.domestic_sales, "SDV"),
        )
        self.assertFalse(invoice.purchase_type_id)
        # a value chosen on the order wins over the account default
        retail = self.env.ref("partner_credit_risk.trade_sale_type_retail")
        order2 = self._order()
        order2.write({"sale_type_id": retail.id, "dispatch_document": "SBA"})
        self.assertEqual((order2.sale_type_id, order2.dispatch_document), (retail, "SBA"))
        self.assertEqual(order2._prepare_invoice()["sale_type_id"], retail.id)

    def test_sale_report_groups_by_sales_type(self):
        self._order().action_confirm()
        other = self.Partner.create({"name": "Trakya Market", "is_company": True})
        self._order(other).action_confirm()
        report = self.env["sale.report"]
        groups = dict(
            report._read_group(
                [("partner_id", "in", (self.customer | other).ids)],
                ["sale_type_id"],
                ["price_subtotal:sum"],
            )
        )
        self.assertEqual(groups[self.wholesale], 200.0)
        self.assertEqual(groups[report.sale_type_id.browse()], 200.0)
        by_group = report._read_group(
            [("partner_id", "=", self.customer.id)], ["sale_group_id"], ["__count"]
        )
        self.assertEqual(by_group, [(self.domestic_sales, 1)])

    def test_vendor_bill_gets_purchase_defaults_and_discount(self):
        bill = self._bill(self.supplier)
        self.assertEqual(bill.financial_account_id, self.spw)
        self.assertEqual(
            (bill.purchase_type_id, bill.purchase_group_id), (self.import_type, self.goods_group)
        )
        self.assertFalse(bill.sale_type_id or bill.dispatch_document)
        self.assertEqual(bill.invoice_line_ids.discount, 7.5)
        self.assertAlmostEqual(bill.amount_total, 185.0)
        bill.action_post()
        self.assertAlmostEqual(bill.amount_total, 185.0)
        # a purchase discount never reaches the supplier's customer documents
        self.spw.partner_id.customer_rank = 1
        invoice = self.init_invoice("out_invoice", partner=self.supplier, amounts=[100.0])
        self.assertEqual(invoice.invoice_line_ids.discount, 0.0)

    def test_sales_discount_stays_off_bills_and_purchase_discount_off_orders(self):
        both = self.env["res.partner"].create(
            {
                "name": "Karadeniz Lojistik",
                "is_company": True,
                "customer_rank": 1,
                "supplier_rank": 1,
            }
        )
        csw = both.financial_account_ids.filtered(lambda a: a.account_type == "CSW")
        spw = both.financial_account_ids - csw
        csw.write({"discount_item": "tariff", "discount_rate": 10.0})
        bill = self._bill(both)
        self.assertEqual(bill.financial_account_id, spw)
        self.assertEqual(bill.invoice_line_ids.discount, 0.0)
        self.assertEqual(self._order(both).order_line.discount, 10.0)
        # the same account switched to a purchase discount stops discounting orders ...
        csw.discount_item = "purchase_sub"
        self.assertEqual(self._order(both).order_line.discount, 0.0)
        # ... and an empty item keeps today's behaviour (sales discount)
        csw.discount_item = False
        self.assertEqual(self._order(both).order_line.discount, 10.0)
        # a sales discount on the supplier account does not touch its bills
        spw.write({"discount_item": "sale", "discount_rate": 5.0})
        self.assertEqual(self._bill(both).invoice_line_ids.discount, 0.0)
