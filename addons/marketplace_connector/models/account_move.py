import logging
from datetime import date

from odoo import _, fields, models

from .marketplace_carrier import MISSING_VAT_CODE
from .marketplace_order_inbound import to_datetime

_logger = logging.getLogger(__name__)

ACCEPTED_EDOC_STATES = ("accepted", "delivered")


class AccountMove(models.Model):
    _inherit = "account.move"

    marketplace_account_id = fields.Many2one(
        "marketplace.account", readonly=True, copy=False, index="btree_not_null"
    )
    marketplace_order_number = fields.Char(readonly=True, copy=False)
    marketplace_carrier_id = fields.Many2one(
        "marketplace.carrier",
        string="Marketplace Carrier",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _marketplace_set(self, values):
        if values:
            self.write(values)

    def _marketplace_fill_internet_sale(self, account, package):
        cargo = package.get("cargo") or {}
        carrier = self.env["marketplace.carrier"]._marketplace_match(account, cargo)
        order_date = to_datetime(package.get("order_date"))
        shipment = to_datetime(package.get("shipment_date")) or order_date
        self._marketplace_set(
            {
                "marketplace_account_id": account.id,
                "marketplace_order_number": str(package.get("order_number") or ""),
                "l10n_tr_is_internet_sale": True,
                "l10n_tr_sale_website": account.sale_website or False,
                "l10n_tr_payment_method": "ODEMEARACISI",
                "l10n_tr_payment_agent": account.payment_agent or False,
                "l10n_tr_payment_date": order_date.date() if order_date else date.today(),
                "marketplace_carrier_id": carrier.id or False,
                "l10n_tr_carrier_partner_id": carrier.partner_id.id or False,
                "l10n_tr_carrier_vat": carrier.vat or cargo.get("carrier_vkn") or False,
                "l10n_tr_carrier_name": carrier.partner_id.name
                or carrier.name
                or cargo.get("carrier_name")
                or cargo.get("provider_name")
                or False,
                "l10n_tr_shipment_date": shipment.date() if shipment else False,
                "l10n_tr_tracking_number": cargo.get("tracking_number") or False,
            }
        )

    # ------------------------------------------------------ carrier VKN guard
    def _marketplace_carrier_vat_missing(self):
        """An e-Arşiv internet sale of a marketplace order without the carrier's VKN: GİB
        requires it, so the document must not go out."""
        self.ensure_one()
        return bool(
            self.marketplace_account_id
            and self.move_type == "out_invoice"
            and self.l10n_tr_is_internet_sale
            and self._l10n_tr_is_earchive()
            and not self.l10n_tr_carrier_vat
        )

    def _marketplace_carrier_config(self):
        """The invoice's carrier VKN and missing-VKN message and its account's salesperson id
        as plain values: a Billing user sends marketplace invoices without rights on
        marketplace accounts and carriers (nothing sudo-read stays in the caller's cache)."""
        self.ensure_one()
        carrier = self.marketplace_carrier_id.sudo()
        account = self.marketplace_account_id.sudo()
        config = {
            "vat": carrier.vat or False,
            "missing_message": carrier._marketplace_missing_vat_message() if carrier else "",
            "salesperson_id": account.user_id.id or False,
        }
        carrier.invalidate_recordset()
        account.invalidate_recordset()
        return config

    def _marketplace_refresh_carrier_vat(self):
        """Take the VKN filled on the carrier since posting (and rebuild a built document)."""
        self.ensure_one()
        vat = self._marketplace_carrier_config()["vat"]
        if vat and not self.l10n_tr_carrier_vat:
            self.l10n_tr_carrier_vat = vat
            if self.l10n_tr_edoc_xml_id:
                self.l10n_tr_build_edocument()

    def _marketplace_hold_for_carrier_vat(self):
        """Keep the document back: e-document in error with a clear reason, a to-do on the
        carrier. The invoice stays posted and the order processed: nothing is lost."""
        self.ensure_one()
        config = self._marketplace_carrier_config()
        message = config["missing_message"] or _(
            "The carrier of marketplace order %s is unknown: fill the carrier VKN and name of "
            "the invoice's internet-sale data.",
            self.marketplace_order_number,
        )
        self._l10n_tr_set_state("error", MISSING_VAT_CODE, message)
        if self.marketplace_carrier_id:
            carrier = self.marketplace_carrier_id.sudo()
            carrier._marketplace_ask_for_vat(
                self.env["res.users"].browse(config["salesperson_id"] or self.env.uid)
            )
            carrier.invalidate_recordset()
        return self._l10n_tr_summary()

    def _l10n_tr_can_send(self):
        """Every e-document sending path (button, send wizard, cron) asks this first."""
        if not super()._l10n_tr_can_send():
            return False
        if self.marketplace_account_id:
            self._marketplace_refresh_carrier_vat()
            if self._marketplace_carrier_vat_missing():
                self._marketplace_hold_for_carrier_vat()
                return False
        return True

    def _marketplace_invoice_number(self):
        """The GİB number the marketplace wants."""
        self.ensure_one()
        return self.l10n_tr_gib_number or False

    def _marketplace_edocument_accepted(self):
        self.ensure_one()
        return self.state == "posted" and self.l10n_tr_edoc_state in ACCEPTED_EDOC_STATES

    def _marketplace_edocument_to_send(self):
        """A posted invoice whose e-document was never sent."""
        self.ensure_one()
        return self.state == "posted" and self.l10n_tr_edoc_state == "to_send"

    def _marketplace_send_edocument(self, commit=False):
        """Send the e-document. ``commit`` (crons, outside a batch): the attempt is
        committed before the request and the outcome right after it."""
        if commit:
            try:
                for batch in self._l10n_tr_send_in_batches(commit=True):
                    self.env["account.move.send"]._l10n_tr_after_send(batch, pdf=False)
                    self.env.cr.commit()
            except Exception as error:  # noqa: BLE001 - retried by the e-document cron
                self.env.cr.rollback()
                _logger.warning("e-document of %s not sent yet: %s", self.ids, error)
            return True
        try:
            with self.env.cr.savepoint():
                self.l10n_tr_send()
        except Exception as error:  # noqa: BLE001 - retried by the e-document cron
            _logger.warning("e-document of %s not sent yet: %s", self.name, error)
            self.message_post(body=_("e-Document not sent yet: %s", error))
        return True

    def _marketplace_pdf(self):
        self.ensure_one()
        pdf, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "account.account_invoices", self.ids
        )
        return pdf

    def _marketplace_register_payment(self, journal):
        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=self.ids,
        ).create(
            {"journal_id": journal.id, "payment_date": fields.Date.context_today(self)}
        )._create_payments()
