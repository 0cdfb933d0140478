from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MarketplaceSplitWizard(models.TransientModel):
    _name = "marketplace.split.wizard"
    _inherit = ["marketplace.package.lines.mixin"]
    _description = "Split a marketplace package"

    line_ids = fields.One2many("marketplace.split.wizard.line", "wizard_id")

    @api.model
    def _package_line_values(self, line):
        return dict(super()._package_line_values(line), quantity=line.get("quantity"), group=1)

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
    _rec_name = "product_name"

    wizard_id = fields.Many2one("marketplace.split.wizard", required=True, ondelete="cascade")
    line_ref = fields.Char(string="Line", readonly=True)
    product_name = fields.Char(readonly=True)
    quantity = fields.Integer(readonly=True)
    group = fields.Integer(string="New package", default=1)
