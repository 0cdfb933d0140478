from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class MarketplaceClaimDecisionWizard(models.TransientModel):
    _name = "marketplace.claim.decision.wizard"
    _description = "Approve or reject a marketplace return"

    claim_id = fields.Many2one("marketplace.claim", required=True)
    account_id = fields.Many2one(related="claim_id.account_id")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    reason_id = fields.Many2one(
        "marketplace.claim.reason",
        string="Rejection reason",
        domain="[('account_id', '=', account_id)]",
    )
    reason_requires_file = fields.Boolean(related="reason_id.requires_file")
    reason_warning = fields.Char(readonly=True)
    description = fields.Text(
        help="Sent to the marketplace with the rejection (its length limit is checked)."
    )
    description_length = fields.Integer(compute="_compute_description_length")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "marketplace_claim_decision_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="Evidence files",
        help="Photos or documents proving the rejection; required by most reasons.",
    )

    @api.depends("claim_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Return %s: approve or reject", wizard.claim_id.display_name)

    @api.depends("description")
    def _compute_description_length(self):
        for wizard in self:
            wizard.description_length = len((wizard.description or "").strip())

    @api.constrains("description")
    def _check_description_length(self):
        for wizard in self:
            limit = wizard.account_id._adapter_class().claim_description_max
            if wizard.description_length > limit:
                raise ValidationError(
                    _(
                        "The explanation may have at most %(max)s characters (it has %(count)s).",
                        max=limit,
                        count=wizard.description_length,
                    )
                )

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.claim_id.approve()
        else:
            if not self.reason_id:
                raise UserError(_("Choose a rejection reason."))
            self.claim_id.reject_with_evidence(
                self.claim_id.ids, self.reason_id.id, self.description, self.attachment_ids.ids
            )
        return {"type": "ir.actions.act_window_close"}
