from odoo import models

COGS_VALUATION = "valuation"
COGS_STANDARD = "standard"
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")

# One row per product line of a posted customer invoice or refund, with what the rule needs
# to know about its product and units.
_LINES_SQL = """
    SELECT aml.id, am.move_type, aml.product_id, aml.quantity, aml.company_id,
           pt.type, pt.is_storable,
           COALESCE(line_uom.factor, 1.0), COALESCE(product_uom.factor, 1.0)
      FROM account_move_line aml
      JOIN account_move am ON am.id = aml.move_id
      JOIN product_product pp ON pp.id = aml.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN uom_uom line_uom ON line_uom.id = aml.product_uom_id
      LEFT JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
     WHERE aml.id = ANY(%s)
       AND aml.display_type = 'product'
       AND am.state = 'posted'
       AND am.move_type IN %s
"""

# Value and quantity of the valuation layers of the done stock moves behind each invoice line
# (invoice line -> sale order lines -> stock moves), split into moves to the customer and moves
# back from the customer (returns).
_LAYERS_SQL = """
    SELECT rel.invoice_line_id, src.usage = 'customer' AS is_return,
           SUM(svl.value), SUM(svl.quantity)
      FROM sale_order_line_invoice_rel rel
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN stock_move sm ON sm.sale_line_id = rel.order_line_id AND sm.state = 'done'
      JOIN stock_location src ON src.id = sm.location_id
      JOIN stock_location dst ON dst.id = sm.location_dest_id
      JOIN stock_valuation_layer svl ON svl.stock_move_id = sm.id
           AND svl.product_id = aml.product_id
     WHERE rel.invoice_line_id = ANY(%s)
       AND (src.usage = 'customer') <> (dst.usage = 'customer')
  GROUP BY rel.invoice_line_id, src.usage = 'customer'
"""


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _cogs_by_line(self):
        """Cost of goods sold of the product lines of posted customer invoices and refunds.

        Returns ``{line_id: (cogs, source)}``: ``cogs`` in the company currency, negative on
        refund lines; ``source`` is ``'valuation'`` when the unit cost comes from the stock
        valuation layers of the done moves behind the line (deliveries for invoices, customer
        returns for refunds, the deliveries when a refund has no valued return), else
        ``'standard'`` (services, non-stored products, lines without a valued move): the
        product's standard cost in the line's company. The quantity is the invoiced quantity
        in the product's unit. Lines of other kinds are left out. A fixed number of queries
        whatever the number of lines.
        """
        if not self:
            return {}
        self.env.flush_all()
        self.env.cr.execute(_LINES_SQL, [list(self.ids), CUSTOMER_MOVE_TYPES])
        rows = self.env.cr.fetchall()
        if not rows:
            return {}
        unit_costs = self._cogs_valuation_unit_costs([row[0] for row in rows])
        standard = self._cogs_standard_prices(rows)
        currencies = {
            company.id: company.currency_id
            for company in self.env["res.company"].sudo().browse({row[4] for row in rows})
        }
        result = {}
        for line_id, move_type, product_id, qty, company_id, ptype, storable, lf, pf in rows:
            is_refund = move_type == "out_refund"
            product_qty = (qty or 0.0) / (lf or 1.0) * (pf or 1.0)
            unit_cost, source = None, COGS_STANDARD
            if ptype != "service" and storable:
                costs = unit_costs.get(line_id, {})
                unit_cost = costs.get(True) if is_refund else None
                if unit_cost is None:
                    unit_cost = costs.get(False)
                if unit_cost is not None:
                    source = COGS_VALUATION
            if unit_cost is None:
                unit_cost = standard[company_id, product_id]
            cogs = currencies[company_id].round(product_qty * unit_cost)
            result[line_id] = (-cogs if is_refund else cogs, source)
        return result

    def _cogs_valuation_unit_costs(self, line_ids):
        """``{line_id: {is_return: unit cost}}`` from the valuation layers behind the lines."""
        self.env.cr.execute(_LAYERS_SQL, [line_ids])
        costs = {}
        for line_id, is_return, value, quantity in self.env.cr.fetchall():
            if quantity:
                costs.setdefault(line_id, {})[is_return] = float(value) / float(quantity)
        return costs

    def _cogs_standard_prices(self, rows):
        """``{(company_id, product_id): standard cost}``, one read per company."""
        by_company = {}
        for row in rows:
            by_company.setdefault(row[4], set()).add(row[2])
        prices = {}
        for company_id, product_ids in by_company.items():
            products = (
                self.env["product.product"].sudo().with_company(company_id).browse(product_ids)
            )
            for product in products:
                prices[company_id, product.id] = product.standard_price
        return prices
