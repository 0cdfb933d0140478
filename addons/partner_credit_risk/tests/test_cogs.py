from odoo.tests import tagged

from .profitability_common import ProfitabilityCommon


@tagged("post_install", "-at_install")
class TestCogs(ProfitabilityCommon):
    """The cost-of-goods-sold rule of invoice lines (``account.move.line._cogs_by_line``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = cls._customer("Ege Market", mode="none")
        cls.order, cls.delivery, cls.invoice, cls.refund = cls._worked_example(cls.customer_a)

    def _line(self, move, product):
        return move.invoice_line_ids.filtered(lambda line: line.product_id == product)

    def test_worked_example(self):
        self.assertEqual(self.invoice.move_type, "out_invoice")
        self.assertEqual(self.refund.move_type, "out_refund")
        self.assertEqual(self.invoice.amount_untaxed, 475.0)
        self.assertEqual(self.refund.amount_untaxed, 75.0)
        lines = self.invoice.invoice_line_ids | self.refund.invoice_line_ids
        cogs = lines._cogs_by_line()
        self.assertEqual(
            cogs,
            {
                self._line(self.invoice, self.oil).id: (170.0, "valuation"),
                self._line(self.invoice, self.assembly).id: (40.0, "standard"),
                self._line(self.refund, self.oil).id: (-34.0, "valuation"),
            },
        )

    def test_query_count_constant(self):
        """Lines of one invoice or of three cost the same number of queries."""
        lines = self.invoice.invoice_line_ids
        lines._cogs_by_line()  # Odoo's own caches (ir.default fallback of the standard cost)
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            lines._cogs_by_line()
        more = self._invoice(self._sell(self.customer_a, [(self.assembly, 2, 100.0)]))
        all_lines = lines | more.invoice_line_ids | self.refund.invoice_line_ids
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            result = all_lines._cogs_by_line()
        self.assertEqual(result[more.invoice_line_ids.id], (80.0, "standard"))

    def test_no_valued_move_uses_standard_cost(self):
        """A stored product invoiced before delivery has no valued move: standard cost."""
        flour = self.env["product.product"].create(
            {
                "name": "Un 1 kg",
                "is_storable": True,
                "categ_id": self.fifo.id,
                "invoice_policy": "order",
                "standard_price": 7.0,
            }
        )
        invoice = self._invoice(self._sell(self.customer_a, [(flour, 2, 25.0)]))
        self.assertEqual(
            invoice.invoice_line_ids._cogs_by_line(),
            {invoice.invoice_line_ids.id: (14.0, "standard")},
        )

    def test_draft_and_vendor_lines_left_out(self):
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_a.id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": self.assembly.id, "quantity": 1, "price_unit": 10})
                ],
            }
        )
        self.assertEqual(draft.invoice_line_ids._cogs_by_line(), {})
        self.assertEqual(self.env["account.move.line"]._cogs_by_line(), {})

    def test_quantity_in_the_product_unit(self):
        """One dozen of a service costing 40.00 a unit: 480.00 at standard cost."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_a.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.assembly.id,
                            "quantity": 1,
                            "product_uom_id": self.env.ref("uom.product_uom_dozen").id,
                            "price_unit": 1000.0,
                            "tax_ids": [],
                        },
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(
            invoice.invoice_line_ids._cogs_by_line(),
            {invoice.invoice_line_ids.id: (480.0, "standard")},
        )
