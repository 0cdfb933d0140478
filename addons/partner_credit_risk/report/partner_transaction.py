from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression

# The documents listed, by model: a row is visible to whoever may read its document.
SOURCE_MODELS = ("sale.order", "stock.picking", "account.move", "account.payment")


class PartnerTransaction(models.Model):
    """Sale orders, deliveries, invoices and payments of a partner in one read-only list.

    A row is readable only by a user who may read the document behind it (the source model's
    access rights and record rules, with the caller's own environment), like Odoo's own reports.
    """

    _name = "partner.transaction"
    _description = "Partner Transactions"
    _auto = False
    _order = "date desc, id desc"

    kind = fields.Selection(
        [
            ("sale", "Sale order"),
            ("delivery", "Delivery"),
            ("invoice", "Invoice / bill"),
            ("payment", "Payment"),
        ],
        readonly=True,
    )
    name = fields.Char(string="Reference", readonly=True)
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    financial_account_id = fields.Many2one("partner.financial.account", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Char(readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids are made unique per source table: id * 4 + table number
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT so.id * 4 AS id, 'sale' AS kind, so.name, so.date_order::date AS date,
                       p.commercial_partner_id AS partner_id, so.company_id,
                       so.financial_account_id, so.currency_id, so.amount_total AS amount,
                       so.state::varchar AS state, 'sale.order' AS res_model, so.id AS res_id
                  FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                UNION ALL
                SELECT sp.id * 4 + 1, 'delivery', sp.name, sp.scheduled_date::date,
                       p.commercial_partner_id, sp.company_id, so.financial_account_id,
                       NULL, NULL, sp.state::varchar, 'stock.picking', sp.id
                  FROM stock_picking sp
                  JOIN res_partner p ON p.id = sp.partner_id
                  LEFT JOIN sale_order so ON so.id = sp.sale_id
                UNION ALL
                SELECT am.id * 4 + 2, 'invoice', am.name, COALESCE(am.invoice_date, am.date),
                       am.commercial_partner_id, am.company_id, am.financial_account_id,
                       am.currency_id,
                       SIGN(am.amount_total_signed) * am.amount_total,
                       am.state::varchar, 'account.move', am.id
                  FROM account_move am
                 WHERE am.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
                   AND am.commercial_partner_id IS NOT NULL
                UNION ALL
                SELECT ap.id * 4 + 3, 'payment', COALESCE(am.name, ap.name), ap.date,
                       p.commercial_partner_id, ap.company_id, ap.financial_account_id,
                       ap.currency_id,
                       CASE WHEN ap.payment_type = 'inbound' THEN ap.amount ELSE -ap.amount END,
                       ap.state::varchar, 'account.payment', ap.id
                  FROM account_payment ap
                  JOIN res_partner p ON p.id = ap.partner_id
                  LEFT JOIN account_move am ON am.id = ap.move_id
            )
            """
        )

    @api.model
    def _readable_documents_domain(self):
        """Rows whose document the caller may read: one sub-select per source model."""
        parts = [
            [("res_model", "=", model), ("res_id", "in", self.env[model]._search([]))]
            for model in SOURCE_MODELS
            if self.env[model].has_access("read")
        ]
        return expression.OR(parts) if parts else expression.FALSE_DOMAIN

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain or [], self._readable_documents_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        readable = self.browse(self._search([("id", "in", self.ids)]))
        forbidden = self - readable
        if forbidden:
            return forbidden, lambda: AccessError(
                _("You may not read the documents behind these transactions.")
            )
        return None

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
