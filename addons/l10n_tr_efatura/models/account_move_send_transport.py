"""The Send & Print wizard's "e-Fatura / e-Arşiv" option: sends through the integrator."""
from odoo import _, api, models

EDI_KEY = "l10n_tr_efatura"


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _l10n_tr_transport_applicable(self, move):
        # on by default for Turkish invoices once the company has an integrator; without one
        # Send & Print keeps working (document built and attached, nothing transmitted)
        return (move._l10n_tr_needs_edocument() and move.state == "posted"
                and move.l10n_tr_edoc_state in ("to_send", "error")
                and move.company_id._l10n_tr_has_integrator())

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
            lambda m: EDI_KEY in moves_data[m]["extra_edis"]
            and not m.company_id._l10n_tr_has_integrator()).company_id
        if unconfigured:
            alerts["l10n_tr_no_integrator"] = {
                "level": "danger",
                "message": _("Configure an e-Fatura integrator for %s first.",
                             ", ".join(unconfigured.mapped("name"))),
            }
        return alerts

    @api.model
    def _call_web_service_before_invoice_pdf_render(self, invoices_data):
        super()._call_web_service_before_invoice_pdf_render(invoices_data)
        for invoice, invoice_data in invoices_data.items():
            if EDI_KEY not in invoice_data["extra_edis"]:
                continue
            invoice._l10n_tr_send_one()
            if invoice.l10n_tr_edoc_state == "error":
                invoice_data["error"] = {
                    "error_title": _("The e-document %s was not sent:",
                                     invoice.l10n_tr_gib_number),
                    "errors": [f"{invoice.l10n_tr_edoc_raw_code}: "
                               f"{invoice.l10n_tr_edoc_raw_message}"],
                }

    @api.model
    def _l10n_tr_generate_and_send_from_cron(self, move):
        """Auto-send: e-Fatura goes to GİB only; e-Arşiv with electronic delivery is also
        e-mailed (PDF) to the buyer."""
        methods = set()
        if move._l10n_tr_is_earchive() and move.partner_id.email and \
                move.company_id.l10n_tr_earchive_delivery == "electronic":
            methods = {"email"}
        # not from_cron=True: that mode reads settings stored by the batch wizard
        self._generate_and_send_invoices(move, allow_raising=False, sending_methods=methods,
                                         extra_edis={EDI_KEY})
