from datetime import timedelta

from odoo import fields, models
from odoo.tools.misc import format_amount

TOP_SEGMENTS = 5


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    def _summary_values(self):
        values = super()._summary_values()
        values["top_segments"] = self._summary_top_segments()
        return values

    def _summary_top_segments(self):
        """The segments with the highest invoiced total (company currency, refunds deducted)
        among the account's invoices posted in the last 24 hours, as plain lines."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=1)
        rows = self.env["account.move"]._read_group(
            [
                ("marketplace_account_id", "=", self.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("create_date", ">=", since),
                ("segment_ids", "!=", False),
            ],
            ["segment_ids"],
            ["__count", "amount_total_signed:sum"],
            order="amount_total_signed:sum desc",
            limit=TOP_SEGMENTS,
        )
        currency = self.company_id.currency_id
        return [
            f"{segment.display_name}: {count} / {format_amount(self.env, total, currency)}"
            for segment, count, total in rows
        ]
