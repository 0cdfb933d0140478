from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dropship_agreement_ids = fields.One2many("dropship.agreement", "partner_id")
    dropship_agreement_count = fields.Integer(compute="_compute_dropship_agreement_count")

    def _compute_dropship_agreement_count(self):
        counts = dict(
            self.env["dropship.agreement"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dropship_agreement_count = counts.get(partner, 0)

    def _dropship_agreement(self, role):
        """The active agreement of this (commercial) partner for the role in the current company."""
        self.ensure_one()
        return self.env["dropship.agreement"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("role", "=", role),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )
