from odoo import Command, _, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.tools import email_normalize


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    target_mailing_list_id = fields.Many2one(
        "mailing.list",
        string="Target Mailing List",
        copy=False,
        ondelete="set null",
        help="The mailing list made of the target list (customers with an e-mail address).",
    )

    def build_mailing_list(self):
        """Make the campaign's mailing list hold exactly the targeted customers with an e-mail
        address (one contact per address, created once) and return the counts as plain
        values. Run it again after rebuilding the target list: the list follows it."""
        campaign = arguments.check_one(self)
        campaign.check_access("write")
        campaign._target_company()
        wanted = {}
        for line in campaign.target_ids:
            email = email_normalize(line.partner_id.email or "")
            if email and email not in wanted:
                wanted[email] = line.partner_id
        mailing_list = campaign.target_mailing_list_id
        if not mailing_list:
            mailing_list = self.env["mailing.list"].create(
                {"name": _("Campaign: %s", campaign.title)}
            )
            campaign.target_mailing_list_id = mailing_list
        subscriptions = self.env["mailing.subscription"].search([("list_id", "=", mailing_list.id)])
        listed = {sub.contact_id.email_normalized: sub for sub in subscriptions}
        stale = self.env["mailing.subscription"].concat(
            *[sub for email, sub in listed.items() if email not in wanted]
        )
        stale.unlink()
        added = [email for email in wanted if email not in listed]
        self.env["mailing.contact"].create(
            [
                {
                    "name": wanted[email].name,
                    "email": wanted[email].email,
                    "company_name": wanted[email].commercial_company_name or False,
                    "country_id": wanted[email].country_id.id,
                    "list_ids": [Command.link(mailing_list.id)],
                }
                for email in added
            ]
        )
        return {
            "mailing_list_id": mailing_list.id,
            "contacts": len(wanted),
            "added": len(added),
            "removed": len(stale),
            "without_email": len(campaign.target_ids) - len(wanted),
        }

    def action_build_mailing_list(self):
        result = self.build_mailing_list()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.list",
            "res_id": result["mailing_list_id"],
            "view_mode": "form",
            "views": [(False, "form")],
        }
