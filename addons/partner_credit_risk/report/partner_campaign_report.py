"""Campaign revenue and gross profit: the campaign form's figures, one row per document line."""

from odoo import _, api, fields, models


class PartnerCampaignReport(models.TransientModel):
    _name = "partner.campaign.report"
    _description = "Campaign Revenue and Gross Profit"
    _order = "campaign_id, date desc, id"
    _rec_name = "campaign_id"

    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    kind = fields.Selection(
        [("order", "Confirmed order"), ("invoice", "Invoice / refund")],
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    ordered_revenue = fields.Monetary(readonly=True)
    invoiced_revenue = fields.Monetary(readonly=True)
    cogs = fields.Monetary(string="Cost of Goods Sold", readonly=True)
    gross_profit = fields.Monetary(readonly=True)
    cost_basis = fields.Selection(
        [("valuation", "Stock valuation"), ("standard", "Standard cost")], readonly=True
    )

    @api.model
    def action_open_report(self):
        """Recompute the rows of the campaigns of the current companies and open the pivot."""
        self.search([("create_uid", "=", self.env.uid)]).unlink()
        campaigns = self.env["utm.campaign"].search(
            [("company_id", "in", [False, *self.env.companies.ids])]
        )
        vals_list = []
        for line, revenue, cost, basis in campaigns._invoice_figures():
            vals_list.append(
                {
                    "campaign_id": line.move_id.campaign_id.id,
                    "kind": "invoice",
                    "partner_id": line.partner_id.id,
                    "product_id": line.product_id.id,
                    "date": line.invoice_date,
                    "company_id": line.company_id.id,
                    "currency_id": line.company_currency_id.id,
                    "invoiced_revenue": revenue,
                    "cogs": cost,
                    "gross_profit": revenue - cost,
                    "cost_basis": basis,
                }
            )
        for order, amount in campaigns._order_figures():
            vals_list.append(
                {
                    "campaign_id": order.campaign_id.id,
                    "kind": "order",
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "date": order.date_order.date(),
                    "company_id": order.company_id.id,
                    "currency_id": order.company_id.currency_id.id,
                    "ordered_revenue": amount,
                }
            )
        self.create(vals_list)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_campaign_report_view"
        )
        action["domain"] = [("create_uid", "=", self.env.uid)]
        action["display_name"] = _("Campaign Revenue")
        return action
