from odoo import fields, models


class UtmCampaignTarget(models.Model):
    """One targeted customer of a campaign (built by ``utm.campaign.build_target_list``)."""

    _name = "utm.campaign.target"
    _description = "Campaign Target Customer"
    _order = "campaign_id, partner_name, id"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one("utm.campaign", required=True, ondelete="cascade", index=True)
    campaign_date_start = fields.Date(related="campaign_id.date_start", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    partner_name = fields.Char(related="partner_id.name", store=True)
    city = fields.Char(related="partner_id.city")
    email = fields.Char(related="partner_id.email")
    customer_status = fields.Selection(related="partner_id.customer_status")
    company_id = fields.Many2one("res.company", required=True, index=True)
    user_id = fields.Many2one("res.users", string="Responsible")
    activity_id = fields.Many2one("mail.activity", string="Follow-up", ondelete="set null")
    email_sent = fields.Boolean(string="E-mail Sent", readonly=True)

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique(campaign_id, partner_id)",
            "A customer is on a campaign's target list once.",
        )
    ]
