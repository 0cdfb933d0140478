from odoo import Command, api, fields, models


class MarketplacePackageLinesMixin(models.AbstractModel):
    """A wizard on one inbound row whose ``line_ids`` start as the package's lines.

    Inheriting wizards declare ``line_ids`` (a One2many to their line model with ``line_ref``
    and ``product_name``) and may add values per line in :meth:`_package_line_values`.
    """

    _name = "marketplace.package.lines.mixin"
    _description = "Package lines of an inbound marketplace row (wizard mixin)"

    inbound_id = fields.Many2one("marketplace.order.inbound", required=True)

    @api.depends("inbound_id")
    def _compute_display_name(self):
        title = self._wizard_title()
        for wizard in self:
            wizard.display_name = f"{title}: {wizard.inbound_id.display_name or ''}"

    def _wizard_title(self):
        """The wizard's title (translated), before the package it works on."""
        return self.env["ir.model"]._get(self._name).name

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        inbound = self.env["marketplace.order.inbound"].browse(values.get("inbound_id"))
        if inbound and "line_ids" in fields_list:
            values["line_ids"] = [
                Command.create(self._package_line_values(line))
                for line in inbound._normalized()["lines"]
            ]
        return values

    @api.model
    def _package_line_values(self, line):
        """Values of one wizard line from a normalized package line."""
        return {"line_ref": str(line["line_id"]), "product_name": line.get("product_name")}
