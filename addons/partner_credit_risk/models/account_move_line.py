from odoo import api, models
from odoo.tools import SQL

COGS_VALUATION = "valuation"
COGS_STANDARD = "standard"
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")

# The cost of goods sold rule in one query over the lines chosen by the caller (``where``):
# product lines of posted customer invoices and refunds of one company. Unit cost from the
# valuation layers of the done stock moves behind each line (invoice line -> sale order lines
# -> stock moves): moves to the customer for invoices; for refunds the moves back from the
# customer (returns), else the moves to them; the product's standard cost for services,
# non-stored products and lines without a valued move. Quantity: the invoiced quantity in the
# product's unit; refunds negative; rounded per line in the company currency.
_COGS_SQL = """
    WITH lines AS (
        SELECT aml.id, am.move_type, aml.product_id, aml.quantity, aml.balance,
               aml.product_uom_id, am.commercial_partner_id, %(channel)s AS channel
          FROM account_move_line aml
          JOIN account_move am ON am.id = aml.move_id
         WHERE am.state = 'posted'
           AND am.move_type IN %(move_types)s
           AND am.company_id = %(company)s
           AND aml.display_type = 'product'
           AND %(where)s
    ), layers AS (
        SELECT rel.invoice_line_id, src.usage = 'customer' AS is_return,
               SUM(svl.value) / NULLIF(SUM(svl.quantity), 0) AS unit_cost
          FROM lines
          JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = lines.id
          JOIN stock_move sm ON sm.sale_line_id = rel.order_line_id AND sm.state = 'done'
          JOIN stock_location src ON src.id = sm.location_id
          JOIN stock_location dst ON dst.id = sm.location_dest_id
          JOIN stock_valuation_layer svl ON svl.stock_move_id = sm.id
               AND svl.product_id = lines.product_id
         WHERE (src.usage = 'customer') <> (dst.usage = 'customer')
      GROUP BY rel.invoice_line_id, src.usage = 'customer'
    ), units AS (
        SELECT invoice_line_id,
               MAX(unit_cost) FILTER (WHERE NOT is_return) AS out_cost,
               MAX(unit_cost) FILTER (WHERE is_return) AS return_cost
          FROM layers
      GROUP BY invoice_line_id
    ), costed AS (
        SELECT lines.*,
               lines.quantity / COALESCE(line_uom.factor, 1.0)
                   * COALESCE(product_uom.factor, 1.0) AS product_qty,
               CASE WHEN pt.type <> 'service' AND pt.is_storable THEN
                   CASE WHEN lines.move_type = 'out_refund'
                        THEN COALESCE(units.return_cost, units.out_cost)
                        ELSE units.out_cost END
               END AS valued_cost,
               %(standard_price)s AS standard_cost
          FROM lines
          LEFT JOIN units ON units.invoice_line_id = lines.id
          LEFT JOIN product_product pp ON pp.id = lines.product_id
          LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
          LEFT JOIN uom_uom line_uom ON line_uom.id = lines.product_uom_id
          LEFT JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
    )
    SELECT costed.*,
           CASE WHEN product_id IS NOT NULL THEN
               ROUND((product_qty * COALESCE(valued_cost, standard_cost, 0))::numeric,
                     %(digits)s)
               * CASE WHEN move_type = 'out_refund' THEN -1 ELSE 1 END
           END AS cogs,
           valued_cost IS NULL AS is_standard
      FROM costed
"""


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model
    def _cogs_query(self, company, where, channel=None):
        """SQL of the cost-of-goods-sold rule for the customer invoice and refund lines of
        ``company`` matching ``where`` (SQL on ``aml``/``am``). Columns: those of the line
        (id, move_type, product_id, quantity, balance, commercial_partner_id, channel: the
        ``channel`` SQL expression on ``am``), ``cogs`` (company currency, negative on
        refunds, NULL without product) and ``is_standard``."""
        Product = self.env["product.product"].sudo().with_company(company)
        return SQL(
            _COGS_SQL,
            channel=channel or SQL("NULL::integer"),
            move_types=CUSTOMER_MOVE_TYPES,
            company=company.id,
            where=where,
            standard_price=Product._field_to_sql("pp", "standard_price"),
            digits=company.currency_id.decimal_places,
        )

    def _cogs_by_line(self):
        """Cost of goods sold of the product lines of posted customer invoices and refunds.

        Returns ``{line_id: (cogs, source)}``: ``cogs`` in the company currency, negative on
        refund lines; ``source`` is ``'valuation'`` when the unit cost comes from the stock
        valuation layers of the done moves behind the line (deliveries for invoices, customer
        returns for refunds, the deliveries when a refund has no valued return), else
        ``'standard'`` (services, non-stored products, lines without a valued move): the
        product's standard cost in the line's company. The quantity is the invoiced quantity
        in the product's unit. Lines of other kinds are left out. A fixed number of queries
        whatever the number of lines (two for the lines of one company).
        """
        if not self:
            return {}
        self.env.flush_all()
        ids = list(self.ids)
        self.env.cr.execute(
            SQL("SELECT DISTINCT company_id FROM account_move_line WHERE id = ANY(%s)", ids)
        )
        companies = self.env["res.company"].sudo().browse(row[0] for row in self.env.cr.fetchall())
        result = {}
        for company in companies:
            query = self._cogs_query(
                company, SQL("aml.id = ANY(%s) AND aml.product_id IS NOT NULL", ids)
            )
            self.env.cr.execute(SQL("SELECT id, cogs, is_standard FROM (%s) q", query))
            for line_id, cogs, is_standard in self.env.cr.fetchall():
                result[line_id] = (
                    float(cogs),
                    COGS_STANDARD if is_standard else COGS_VALUATION,
                )
        return result
