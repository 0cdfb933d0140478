from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.marketplace import adapter_classes


class MarketplaceUnsupplyWizard(models.TransientModel):
    _name = "marketplace.unsupply.wizard"
    _inherit = ["marketplace.package.lines.mixin"]
    _description = "Unsupply marketplace lines"

    reason = fields.Selection(
        selection="_selection_reason",
        required=True,
        help="The reason the marketplace of the package accepts for unsupplied lines.",
    )
    line_ids = fields.One2many("marketplace.unsupply.wizard.line", "wizard_id")

    @api.model
    def _selection_reason(self):
        """``'<marketplace>:<code>'`` for every marketplace's reasons; the name carries the
        marketplace when several are installed (the wizard checks the package's one)."""
        adapters = [adapter for adapter in adapter_classes() if adapter.unsupply_reasons]
        return [
            (
                f"{adapter.code}:{code}",
                f"{adapter.name} – {self.env._(name)}" if len(adapters) > 1 else self.env._(name),
            )
            for adapter in adapters
            for code, name in adapter.unsupply_reasons.items()
        ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        inbound = self.env["marketplace.order.inbound"].browse(values.get("inbound_id"))
        if inbound and "reason" in fields_list and not values.get("reason"):
            reasons = inbound.account_id._adapter_class().unsupply_reasons
            if reasons:
                values["reason"] = f"{inbound.account_id.marketplace}:{next(iter(reasons))}"
        return values

    @api.model
    def _package_line_values(self, line):
        return dict(
            super()._package_line_values(line), ordered_qty=line.get("quantity"), quantity=0
        )

    def action_confirm(self):
        self.ensure_one()
        quantities = {line.line_ref: line.quantity for line in self.line_ids if line.quantity}
        marketplace, _sep, code = self.reason.partition(":")
        if marketplace != self.inbound_id.account_id.marketplace:
            raise UserError(
                _("Choose a reason of the package's marketplace (%s).", self.inbound_id.marketplace)
            )
        self.inbound_id.unsupply(quantities, code)
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
