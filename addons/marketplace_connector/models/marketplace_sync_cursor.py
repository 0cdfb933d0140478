from odoo import fields, models


class MarketplaceSyncCursor(models.Model):
    """Where the next fetch of one account and data kind starts (moved only after a window
    is fully stored; users may move it back to force a re-sync)."""

    _name = "marketplace.sync.cursor"
    _description = "Marketplace Sync Cursor"
    _rec_name = "kind"

    account_id = fields.Many2one("marketplace.account", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    kind = fields.Selection(
        [("orders", "Orders"), ("claims", "Claims")], required=True, default="orders"
    )
    last_sync = fields.Datetime(
        string="Fetched up to", help="End of the last window fully stored (UTC)."
    )

    _sql_constraints = [
        (
            "account_kind_unique",
            "unique(account_id, kind)",
            "One cursor per marketplace account and data kind.",
        ),
    ]
