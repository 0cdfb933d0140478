from odoo import fields, models

REJECT_REASONS = [
    ("1651", "Product was not sent back / empty package"),
    ("451", "Product is used or damaged by the customer"),
    ("2101", "Missing parts or accessories"),
]
# Other Trendyol reasons need an evidence file: reject those from the seller panel.


class MarketplaceClaimDecisionWizard(models.TransientModel):
    _name = "marketplace.claim.decision.wizard"
    _description = "Approve or reject a marketplace return"

    claim_id = fields.Many2one("marketplace.claim", required=True)
    decision = fields.Selection([("approve", "Approve"), ("reject", "Reject")],
                                required=True, default="approve")
    reason = fields.Selection(REJECT_REASONS, string="Rejection reason")
    description = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.claim_id.approve()
        else:
            self.claim_id.reject(int(self.reason or 451), self.description)
        return {"type": "ir.actions.act_window_close"}
