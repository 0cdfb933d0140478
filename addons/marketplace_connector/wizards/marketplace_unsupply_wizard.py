from odoo import api, fields, models

UNSUPPLY_REASONS = [
    ("500", "Out of stock"),
    ("501", "Defective product"),
    ("502", "Wrong price"),
    ("504", "Integration error"),
    ("505", "Bulk purchase"),
    ("506", "Force majeure"),
]


class MarketplaceUnsupplyWizard(models.TransientModel):
    _name = "marketplace.unsupply.wizard"
    _inherit = ["marketplace.package.lines.mixin"]
    _description = "Unsupply marketplace lines"

    reason = fields.Selection(UNSUPPLY_REASONS, required=True, default="500")
    line_ids = fields.One2many("marketplace.unsupply.wizard.line", "wizard_id")

    @api.model
    def _package_line_values(self, line):
        return dict(
            super()._package_line_values(line), ordered_qty=line.get("quantity"), quantity=0
        )

    def action_confirm(self):
        self.ensure_one()
        quantities = {line.line_ref: line.quantity for line in self.line_ids if line.quantity}
        self.inbound_id.unsupply(quantities, int(self.reason))
        return {"type": "ir.actions.act_window_close"}


class MarketplaceUnsupplyWizardLine(models.TransientModel):
    _name = "marketplace.unsupply.wizard.line"
    _description = "Unsupply marketplace line"
    _rec_name = "product_name"

    wizard_id = fields.Many2one("marketplace.unsupply.wizard", required=True, ondelete="cascade")
    line_ref = fields.Char(string="Line", readonly=True)
    product_name = fields.Char(readonly=True)
    ordered_qty = fields.Integer(readonly=True)
    quantity = fields.Integer(string="Quantity to unsupply")
