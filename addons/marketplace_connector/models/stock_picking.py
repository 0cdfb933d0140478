from odoo import _, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    marketplace_package_id = fields.Char(
        string="Marketplace Package", readonly=True, copy=False, index="btree_not_null"
    )
    marketplace_tracking_number = fields.Char(string="Cargo Tracking Number", copy=False)
    marketplace_cargo_provider = fields.Char(string="Cargo Provider", copy=False)
    marketplace_label_attachment_id = fields.Many2one(
        "ir.attachment", string="Cargo label (ZPL)", readonly=True, copy=False
    )

    def _marketplace_inbound(self):
        """The inbound row of this delivery's marketplace package."""
        self.ensure_one()
        rows = self.env["marketplace.order.inbound"].search(
            [
                ("sale_order_id", "=", self.sale_id.id),
                ("sale_order_id", "!=", False),
                ("state", "!=", "cancelled"),
            ],
            order="id desc",
        )
        row = (
            rows.filtered(lambda r: r.package_id == self.marketplace_package_id)[:1]
            or rows.filtered(
                lambda r: (
                    self.marketplace_tracking_number
                    and r.tracking_number == self.marketplace_tracking_number
                )
            )[:1]
        )
        if not row:
            raise UserError(
                _("%s is not the delivery of a marketplace package.", self.display_name)
            )
        return row

    def action_marketplace_download_label(self):
        """Download the common label (ZPL) as a .zpl file, fetched first when missing."""
        return self._marketplace_inbound().action_download_label()

    def action_marketplace_print_cargo_slip(self):
        """The PDF cargo slip (CODE128 barcode of the tracking number)."""
        return self._marketplace_inbound().action_print_cargo_slip()

    # Marketplace buyers' phone numbers are masked relays: no delivery SMS to them
    # (``skip_sms`` is the switch of Odoo's stock_sms, when it is installed).
    def _marketplace_without_sms(self):
        return (
            self.with_context(skip_sms=True) if any(self.mapped("marketplace_package_id")) else self
        )

    def _pre_action_done_hook(self):
        return super(StockPicking, self._marketplace_without_sms())._pre_action_done_hook()

    def _send_confirmation_email(self):
        return super(StockPicking, self._marketplace_without_sms())._send_confirmation_email()
