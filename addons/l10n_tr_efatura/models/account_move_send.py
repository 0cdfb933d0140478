from odoo import _, api, models

from .account_move_transport import SENDABLE_STATES


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _l10n_tr_sends_edocument(self, move):
        return (
            move._l10n_tr_needs_edocument()
            and move.state == "posted"
            and move.l10n_tr_edoc_state in SENDABLE_STATES
        )

    @api.model
    def _get_default_pdf_report_id(self, move):
        if (
            move._l10n_tr_needs_edocument()
            and move.l10n_tr_gib_number
            and not move.partner_id.with_company(move.company_id).invoice_template_pdf_report_id
        ):
            return self.env.ref("l10n_tr_efatura.action_report_l10n_tr_edocument")
        return super()._get_default_pdf_report_id(move)

    @api.model
    def _get_placeholder_mail_template_dynamic_attachments_data(
        self, move, mail_template, pdf_report=None
    ):
        """The GİB-layout PDF is the invoice: the mail template's invoice reports would attach
        a second, different copy of it (and render it once more)."""
        attachments = super()._get_placeholder_mail_template_dynamic_attachments_data(
            move, mail_template, pdf_report=pdf_report
        )
        invoice_report = pdf_report or self._get_default_pdf_report_id(move)
        if invoice_report != self.env.ref("l10n_tr_efatura.action_report_l10n_tr_edocument"):
            return attachments
        copies = {
            self.env.ref(xmlid).report_name
            for xmlid in ("account.account_invoices", "account.account_invoices_without_payment")
        }
        return [data for data in attachments if data.get("dynamic_report") not in copies]

    @api.model
    def _hook_invoice_document_before_pdf_report_render(self, invoice, invoice_data):
        """Build and validate the UBL-TR document; GİB errors block the sending."""
        super()._hook_invoice_document_before_pdf_report_render(invoice, invoice_data)
        if not self._l10n_tr_sends_edocument(invoice):
            return
        result = invoice.l10n_tr_build_edocument()
        if not result["valid"]:
            invoice_data["error"] = {
                "error_title": _(
                    "The e-document %s is not valid for GİB:", invoice.l10n_tr_gib_number
                ),
                "errors": result["messages"],
            }

    @api.model
    def _get_invoice_extra_attachments(self, move):
        return super()._get_invoice_extra_attachments(move) + move.l10n_tr_edoc_xml_id
