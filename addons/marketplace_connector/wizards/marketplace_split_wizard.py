from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class MarketplaceSplitWizard(models.TransientModel):
    _name = "marketplace.split.wizard"
    _description = "Split a marketplace package"

    inbound_id = fields.Many2one("marketplace.order.inbound", required=True)
    line_ids = fields.One2many("marketplace.split.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        inbound = self.env["marketplace.order.inbound"].browse(values.get("inbound_id"))
        if inbound and "line_ids" in fields_list:
            package = inbound._normalized()
            values["line_ids"] = [Command.create({
                "line_ref": str(line["line_id"]), "product_name": line.get("product_name"),
                "quantity": line.get("quantity"), "group": 1,
            }) for line in package["lines"]]
        return values

    def action_confirm(self):
        self.ensure_one()
        groups = {}
        for line in self.line_ids:
            groups.setdefault(line.group, []).append(line.line_ref)
        if len(groups) < 2:
            raise UserError(_("Put the lines in at least two groups to split the package."))
        # The last group stays in the original package; the others are split off.
        ordered = [groups[key] for key in sorted(groups)]
        self.inbound_id.split(ordered[:-1])
        return {"type": "ir.actions.act_window_close"}


class MarketplaceSplitWizardLine(models.TransientModel):
    _name = "marketplace.split.wizard.line"
    _description = "Split marketplace package line"

    wizard_id = fields.Many2one("marketplace.split.wizard", required=True, ondelete="cascade")
    line_ref = fields.Char(string="Line", readonly=True)
    product_name = fields.Char(readonly=True)
    quantity = fields.Integer(readonly=True)
    group = fields.Integer(string="New package", default=1)
