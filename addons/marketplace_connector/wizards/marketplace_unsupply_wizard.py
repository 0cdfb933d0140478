from odoo import Command, api, fields, models

UNSUPPLY_REASONS = [
    ("500", "Out of stock"), ("501", "Defective product"), ("502", "Wrong price"),
    ("504", "Integration error"), ("505", "Bulk purchase"), ("506", "Force majeure"),
]


class MarketplaceUnsupplyWizard(models.TransientModel):
    _name = "marketplace.unsupply.wizard"
    _description = "Unsupply marketplace lines"

    inbound_id = fields.Many2one("marketplace.order.inbound", required=True)
    reason = fields.Selection(UNSUPPLY_REASONS, required=True, default="500")
    line_ids = fields.One2many("marketplace.unsupply.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        inbound = self.env["marketplace.order.inbound"].browse(values.get("inbound_id"))
        if inbound and "line_ids" in fields_list:
            package = inbound._normalized()
            values["line_ids"] = [Command.create({
                "line_ref": str(line["line_id"]), "product_name": line.get("product_name"),
                "ordered_qty": line.get("quantity"), "quantity": 0,
            }) for line in package["lines"]]
        return values

    def action_confirm(self):
        self.ensure_one()
        quantities = {line.line_ref: line.quantity for line in self.line_ids if line.quantity}
        self.inbound_id.unsupply(quantities, int(self.reason))
        return {"type": "ir.actions.act_window_close"}


class MarketplaceUnsupplyWizardLine(models.TransientModel):
    _name = "marketplace.unsupply.wizard.line"
    _description = "Unsupply marketplace line"

    wizard_id = fields.Many2one("marketplace.unsupply.wizard", required=True,
                                ondelete="cascade")
    line_ref = fields.Char(string="Line", readonly=True)
    product_name = fields.Char(readonly=True)
    ordered_qty = fields.Integer(readonly=True)
    quantity = fields.Integer(string="Quantity to unsupply")
