from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        """An order of a customer on a campaign's target list, dated within the campaign
        period, carries the campaign; a campaign set by hand (or by default) is kept."""
        Campaign = self.env["utm.campaign"]
        if not self.env.context.get("default_campaign_id"):
            for vals in vals_list:
                if vals.get("campaign_id") or not vals.get("partner_id"):
                    continue
                partner = self.env["res.partner"].browse(vals["partner_id"])
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                day = fields.Datetime.to_datetime(vals.get("date_order")) or fields.Datetime.now()
                campaign = Campaign._campaign_for_order(partner, company, day.date())
                if campaign:
                    vals["campaign_id"] = campaign.id
        return super().create(vals_list)
