"""The Send & Print wizard's "e-Fatura / e-Arşiv" option: sends through the integrator."""

import logging

from odoo import _, api, models

from .account_move_transport import SENDABLE_STATES
from .res_company_integrator import EDOC_USER_GROUP

_logger = logging.getLogger(__name__)

EDI_KEY = "l10n_tr_efatura"


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _l10n_tr_transport_applicable(self, move):
        # on by default for Turkish invoices once the company has an integrator; without one
        # Send & Print keeps working (document built and attached, nothing transmitted)
        return (
            move._l10n_tr_needs_edocument()
            and move.state == "posted"
            and move.l10n_tr_edoc_state in SENDABLE_STATES
            and move.company_id._l10n_tr_has_integrator()
            and (self.env.su or self.env.user.has_group(EDOC_USER_GROUP))
        )

    @api.model
    def _get_all_extra_edis(self) -> dict:
        edis = super()._get_all_extra_edis()
        edis[EDI_KEY] = {
            "label": _("e-Fatura / e-Arşiv"),
            "is_applicable": self._l10n_tr_transport_applicable,
            "help": _("Send the UBL-TR document to GİB through the company's integrator."),
        }
        return edis

    @api.model
    def _get_alerts(self, moves, moves_data):
        alerts = super()._get_alerts(moves, moves_data)
        unconfigured = moves.filtered(
            lambda m: (
                EDI_KEY in moves_data[m]["extra_edis"]
                and not m.company_id._l10n_tr_has_integrator()
            )
        ).company_id
        if unconfigured:
            alerts["l10n_tr_no_integrator"] = {
                "level": "danger",
                "message": _(
                    "Configure an e-Fatura integrator for %s first.",
                    ", ".join(unconfigured.mapped("name")),
                ),
            }
        return alerts

    @api.model
    def _call_web_service_before_invoice_pdf_render(self, invoices_data):
        super()._call_web_service_before_invoice_pdf_render(invoices_data)
        invoices = [
            invoice
            for invoice, invoice_data in invoices_data.items()
            if EDI_KEY in invoice_data["extra_edis"]
        ]
        if not invoices:
            return
        self.env["account.move"].union(*invoices)._l10n_tr_check_integrator_use()
        # several invoices of the wizard travel in as few requests as the integrator allows
        for _batch in self.env["account.move"].union(*invoices)._l10n_tr_send_in_batches():
            pass
        if self._can_commit():
            # what the integrator accepted stays recorded even if the PDF or e-mail fails
            self.env.cr.commit()
        for invoice in invoices:
            # no PDF and no e-mail for a document the integrator may not hold
            if invoice.l10n_tr_edoc_state == "unknown":
                invoices_data[invoice]["error"] = {
                    "error_title": _(
                        "The outcome of e-document %s is not known yet (the "
                        "status poll resolves it):",
                        invoice.l10n_tr_gib_number,
                    ),
                    "errors": [
                        f"{invoice.l10n_tr_edoc_raw_code}: {invoice.l10n_tr_edoc_raw_message}"
                    ],
                }
            elif invoice.l10n_tr_edoc_state == "error":
                invoices_data[invoice]["error"] = {
                    "error_title": _("The e-document %s was not sent:", invoice.l10n_tr_gib_number),
                    "errors": [
                        f"{invoice.l10n_tr_edoc_raw_code}: {invoice.l10n_tr_edoc_raw_message}"
                    ],
                }

    @api.model
    def _hook_if_success(self, moves_data):
        """The e-mail of an e-document already at the integrator: its failure (no sender
        address, a broken template) is a to-do on the invoice, not an error undoing the
        sending."""
        sent = {
            move: data
            for move, data in moves_data.items()
            if EDI_KEY in data.get("extra_edis", ())
            and move.l10n_tr_edoc_state not in (False,) + SENDABLE_STATES
        }
        others = {move: data for move, data in moves_data.items() if move not in sent}
        if others:
            super()._hook_if_success(others)
        if not sent:
            return
        try:
            with self.env.cr.savepoint():
                super()._hook_if_success(sent)
        except Exception as error:  # noqa: BLE001 - the e-document is sent: report, go on
            _logger.warning("e-documents sent, e-mail failed: %s", error)
            for move in sent:
                move._l10n_tr_report_delivery_failure(str(error))

    @api.model
    def _l10n_tr_after_send(self, moves, pdf=True):
        """After sending outside the wizard: the invoice PDF of the sent moves (``pdf``), and
        for e-Arşiv with electronic delivery the PDF e-mailed to the buyer."""
        sent = moves.filtered(lambda m: m.l10n_tr_edoc_state not in (False,) + SENDABLE_STATES)
        emailed = sent.filtered(lambda m: m._l10n_tr_emails_pdf())
        groups = [(emailed, {"email"})] + ([(sent - emailed, set())] if pdf else [])
        for group, methods in groups:
            if group:
                self._l10n_tr_deliver(group, methods)

    @api.model
    def _l10n_tr_deliver(self, moves, methods):
        """PDF and e-mail of moves already at the integrator: a failure here (no PDF engine,
        a broken template, an empty PDF from the engine: ``EmptyFileError``) must not undo
        the recorded sending, so it is reported instead."""
        try:
            with self.env.cr.savepoint():
                # not from_cron=True: that mode reads settings stored by the batch wizard
                self._generate_and_send_invoices(
                    moves, allow_raising=False, sending_methods=methods
                )
        except Exception as error:  # noqa: BLE001 - the e-document is sent: report, go on
            _logger.warning(
                "e-documents %s sent, PDF/e-mail failed: %s",
                moves.mapped("l10n_tr_gib_number"),
                error,
            )
            for move in moves:
                move._l10n_tr_report_delivery_failure(str(error))
