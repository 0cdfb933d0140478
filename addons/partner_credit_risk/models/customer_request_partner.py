"""Customer requests on the partner card, the company and the settings."""

from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    customer_request_auto_confirm = fields.Boolean(
        "Confirm customer requests automatically",
        help="Send the confirmation e-mail with the tracking number when a request is created.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_request_auto_confirm = fields.Boolean(
        related="company_id.customer_request_auto_confirm", readonly=False
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_request_ids = fields.One2many("customer.request", "partner_id", "Customer requests")
    customer_request_count = fields.Integer(
        "Requests",
        compute="_compute_customer_request_count",
        groups="sales_team.group_sale_salesman",
    )

    @api.depends("customer_request_ids")
    def _compute_customer_request_count(self):
        counts = dict(
            self.env["customer.request"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.customer_request_count = counts.get(partner.commercial_partner_id, 0)

    def action_open_customer_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_customer_request"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id, "search_default_open": 0}
        return action
