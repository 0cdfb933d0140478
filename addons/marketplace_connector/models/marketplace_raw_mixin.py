import json

from odoo import api, fields, models


class MarketplaceRawMixin(models.AbstractModel):
    """A record that keeps the marketplace's JSON as received, shown indented."""

    _name = "marketplace.raw.mixin"
    _description = "Marketplace payload as received"

    raw = fields.Text(string="Raw JSON", readonly=True)
    raw_pretty = fields.Text(string="Payload", compute="_compute_raw_pretty")

    @api.depends("raw")
    def _compute_raw_pretty(self):
        for record in self:
            try:
                record.raw_pretty = json.dumps(
                    json.loads(record.raw or "{}"), indent=2, ensure_ascii=False, sort_keys=True
                )
            except ValueError:
                record.raw_pretty = record.raw
