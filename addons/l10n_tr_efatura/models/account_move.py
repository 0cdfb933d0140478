import json
import uuid
from collections import defaultdict
from decimal import Decimal
from urllib.parse import quote_plus

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round, html2plaintext, is_html_empty

from ..lib import preview, ubl, validation
from ..lib.amount_words import amount_in_words
from ..lib.codes import (
    EXEMPTION_REASONS,
    INCOTERMS,
    NO_EXEMPTION_NEEDED_TYPES,
    TRANSPORT_MODES,
)
from ..lib.identity import tax_id_kind
from . import arguments

PROFILES = [
    ("TEMELFATURA", "TEMELFATURA (e-Fatura, basic)"),
    ("TICARIFATURA", "TICARIFATURA (e-Fatura, commercial)"),
    ("EARSIVFATURA", "EARSIVFATURA (e-Arşiv)"),
    ("IHRACAT", "IHRACAT (export)"),
]
INVOICE_TYPES = [
    ("SATIS", "SATIS (sale)"),
    ("IADE", "IADE (return)"),
    ("TEVKIFAT", "TEVKIFAT (withholding)"),
    ("ISTISNA", "ISTISNA (exempt)"),
    ("IHRACKAYITLI", "IHRACKAYITLI (export-registered)"),
    ("OZELMATRAH", "OZELMATRAH (special base)"),
]
EDOC_STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("processing", "Processing"),
    ("accepted", "Accepted by GİB"),
    ("delivered", "Delivered"),
    ("rejected", "Rejected"),
    ("error", "Error"),
    ("cancelled", "Cancelled"),
]
PAYMENT_METHODS = [
    ("KREDIKARTI/BANKAKARTI", "Credit/Debit Card"),
    ("EFT/HAVALE", "Bank Transfer (EFT/Havale)"),
    ("KAPIDAODEME", "Cash on Delivery"),
    ("ODEMEARACISI", "Payment Intermediary"),
    ("DIGER", "Other"),
]
ISTISNA_CODES = {"301", "302", "350"}
IHRACKAYITLI_CODES = {"701", "702", "703", "704"}
OZELMATRAH_CODES = {str(code) for code in range(801, 813)}


def _d(value):
    return Decimal(str(value))


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_tr_efatura_profile = fields.Selection(
        PROFILES, string="GİB Profile", copy=False, tracking=True,
        help="Chosen at posting when empty: e-Fatura for registered e-Fatura buyers, export "
             "for foreign companies, e-Arşiv otherwise.")
    l10n_tr_efatura_type = fields.Selection(
        INVOICE_TYPES, string="GİB Invoice Type", copy=False, tracking=True,
        help="Chosen at posting when empty, from the move type and the taxes.")
    l10n_tr_gib_number = fields.Char(string="GİB Number", copy=False, readonly=True,
                                     tracking=True, index="btree_not_null")
    l10n_tr_ettn = fields.Char(string="ETTN", copy=False, readonly=True,
                               help="UUID of the e-document, stable across retries.")
    l10n_tr_issue_time = fields.Char(string="e-Document Issue Time", copy=False, readonly=True)
    l10n_tr_edoc_state = fields.Selection(EDOC_STATES, string="e-Document State", copy=False,
                                          readonly=True, tracking=True)
    l10n_tr_edoc_xml_id = fields.Many2one("ir.attachment", string="e-Document XML",
                                          copy=False, readonly=True)
    l10n_tr_edoc_messages = fields.Text(string="e-Document Findings", copy=False, readonly=True)
    l10n_tr_returned_invoice_ids = fields.Many2many(
        "account.move", "l10n_tr_move_returned_invoice_rel", "refund_id", "invoice_id",
        string="Returned Invoices", copy=False,
        help="Invoices this return (IADE) refers to, besides the reversed invoice.")
    l10n_tr_is_internet_sale = fields.Boolean(string="Internet Sale", copy=False)
    l10n_tr_sale_website = fields.Char(string="Sale Website", copy=False)
    l10n_tr_payment_method = fields.Selection(PAYMENT_METHODS, string="Payment Method",
                                              copy=False)
    l10n_tr_payment_agent = fields.Char(string="Payment Intermediary", copy=False)
    l10n_tr_payment_date = fields.Date(string="Payment Date", copy=False)
    l10n_tr_carrier_vat = fields.Char(string="Carrier VKN/TCKN", copy=False)
    l10n_tr_carrier_name = fields.Char(string="Carrier Name", copy=False)
    l10n_tr_shipment_date = fields.Date(string="Shipment Date", copy=False)
    l10n_tr_transport_mode = fields.Selection(
        list(TRANSPORT_MODES.items()), string="Transport Mode", copy=False,
        help="Export invoices: UN/ECE transport mode code.")
    l10n_tr_is_edocument = fields.Boolean(compute="_compute_l10n_tr_is_edocument")

    @api.depends("move_type", "company_id")
    def _compute_l10n_tr_is_edocument(self):
        for move in self:
            move.l10n_tr_is_edocument = move._l10n_tr_needs_edocument()

    def _l10n_tr_needs_edocument(self):
        self.ensure_one()
        return (self.move_type in ("out_invoice", "out_refund")
                and self.company_id.account_fiscal_country_id.code == "TR")

    # ------------------------------------------------------------------ posting

    def _post(self, soft=True):
        posted = super()._post(soft)
        for move in posted:
            if move._l10n_tr_needs_edocument():
                move._l10n_tr_assign_edocument_identity()
        return posted

    def _l10n_tr_series_kind(self):
        if self.l10n_tr_efatura_profile == "IHRACAT":
            return "export"
        return "earsiv" if self.l10n_tr_efatura_profile == "EARSIVFATURA" else "efatura"

    def _l10n_tr_default_profile(self):
        partner = self.commercial_partner_id
        if partner.country_id and partner.country_id.code != "TR":
            return "IHRACAT" if partner.is_company and self.move_type == "out_invoice" \
                else "EARSIVFATURA"
        if partner.l10n_tr_is_efatura_user:
            if self.move_type == "out_refund":
                return "TEMELFATURA"
            return self.company_id.l10n_tr_default_efatura_profile or "TEMELFATURA"
        return "EARSIVFATURA"

    def _l10n_tr_default_type(self):
        if self.move_type == "out_refund":
            return "IADE"
        taxes = self.invoice_line_ids.tax_ids.flatten_taxes_hierarchy()
        if any(tax._l10n_tr_is_withholding() for tax in taxes):
            return "TEVKIFAT"
        codes = set(taxes.filtered(lambda t: t.amount == 0).mapped("l10n_tr_exemption_code"))
        if codes & IHRACKAYITLI_CODES:
            return "IHRACKAYITLI"
        if codes & OZELMATRAH_CODES:
            return "OZELMATRAH"
        if self.l10n_tr_efatura_profile == "IHRACAT" or codes & ISTISNA_CODES:
            return "ISTISNA"
        return "SATIS"

    def _l10n_tr_assign_edocument_identity(self):
        """Profile, type, GİB number, ETTN and state at posting; nothing leaves Odoo here."""
        self.ensure_one()
        values = {}
        if not self.l10n_tr_efatura_profile:
            values["l10n_tr_efatura_profile"] = self._l10n_tr_default_profile()
            self.l10n_tr_efatura_profile = values["l10n_tr_efatura_profile"]
        if self.move_type == "out_refund" and self.l10n_tr_efatura_profile == "TICARIFATURA":
            values["l10n_tr_efatura_profile"] = "TEMELFATURA"
            self.l10n_tr_efatura_profile = "TEMELFATURA"
        if not self.l10n_tr_efatura_type:
            values["l10n_tr_efatura_type"] = self._l10n_tr_default_type()
        kind = self._l10n_tr_series_kind()
        prefix = (self.company_id[f"l10n_tr_{kind}_prefix"] or "").upper()
        if not self.l10n_tr_gib_number or not self.l10n_tr_gib_number.startswith(prefix):
            values["l10n_tr_gib_number"] = self.company_id._l10n_tr_next_gib_number(
                kind, self.invoice_date)
        if not self.l10n_tr_ettn:
            values["l10n_tr_ettn"] = str(uuid.uuid4())
        if not self.l10n_tr_issue_time:
            now = fields.Datetime.context_timestamp(self.with_context(tz="Europe/Istanbul"),
                                                    fields.Datetime.now())
            values["l10n_tr_issue_time"] = now.strftime("%H:%M:%S")
        if not self.l10n_tr_edoc_state:
            values["l10n_tr_edoc_state"] = "to_send"
        self.write(values)

    def button_draft(self):
        locked = self.filtered(lambda m: m.l10n_tr_edoc_state
                               and m.l10n_tr_edoc_state != "to_send")
        if locked:
            raise UserError(_(
                "e-Dokümanı gönderilmiş fatura taslağa çekilemez: %(moves)s. İade faturası "
                "düzenleyin. / An invoice whose e-document was sent cannot be reset to draft: "
                "%(moves)s. Issue a return (IADE) invoice instead.",
                moves=", ".join(locked.mapped(lambda m: m.l10n_tr_gib_number or m.name))))
        return super().button_draft()

    # ------------------------------------------------------------------ UBL values

    def _l10n_tr_partner_values(self, partner):
        state = partner.state_id.name if partner.state_id else None
        city = state or partner.city
        district = partner.l10n_tr_district or (partner.city if state else None)
        commercial = partner.commercial_partner_id
        return {
            "vat": commercial.vat if tax_id_kind(commercial.vat) else None,
            "foreign_id": commercial.vat if commercial.vat and not tax_id_kind(commercial.vat)
            else None,
            "name": commercial.name, "is_company": commercial.is_company,
            "tax_office": commercial.l10n_tr_tax_office,
            "street": ", ".join(filter(None, (partner.street, partner.street2))) or None,
            "district": district, "city": city, "zip": partner.zip,
            "country_code": partner.country_id.code or "TR",
            "country_name": partner.country_id.name or "Türkiye",
            "phone": partner.phone, "email": partner.email, "website": None,
        }

    def _l10n_tr_tax_entries(self, line):
        """Tax and withholding entries of one invoice line, in document currency."""
        taxes_res = line.tax_ids.compute_all(
            line.price_unit * (1 - (line.discount or 0.0) / 100.0), currency=self.currency_id,
            quantity=line.quantity, product=line.product_id, partner=self.partner_id,
            is_refund=self.move_type == "out_refund")
        taxes, withholdings = [], []
        tax_by_id = {tax.id: tax for tax in line.tax_ids.flatten_taxes_hierarchy()}
        for res in taxes_res["taxes"]:
            tax = tax_by_id.get(res["id"]) or self.env["account.tax"].browse(res["id"])
            amount = _d(res["amount"])
            if tax._l10n_tr_is_withholding():
                withholdings.append({"tax": tax, "amount": -amount})
                continue
            entry = {"code": tax._l10n_tr_type_code(), "percent": _d(tax.amount),
                     "base": _d(res["base"]), "amount": amount}
            if tax.amount == 0 and self.l10n_tr_efatura_type not in NO_EXEMPTION_NEEDED_TYPES:
                code = tax.l10n_tr_exemption_code or "351"
                entry["exemption_code"] = code
                entry["exemption_reason"] = (tax.l10n_tr_exemption_reason
                                             or EXEMPTION_REASONS.get(code, code))
            taxes.append(entry)
        kdv = sum((t["amount"] for t in taxes if t["code"] == "0015"), Decimal(0))
        result = []
        for item in withholdings:
            tax = item["tax"]
            percent = tax.l10n_tr_withholding_percent or (
                int(float_round(float(item["amount"] / kdv * 100), 0)) if kdv else 0)
            result.append({"code": tax.l10n_tr_withholding_code or "", "percent": percent,
                           "base": kdv, "amount": item["amount"]})
        return taxes, result

    @staticmethod
    def _l10n_tr_aggregate(entries):
        groups = {}
        for entry in entries:
            key = (entry["code"], entry["percent"], entry.get("exemption_code"))
            group = groups.setdefault(key, dict(entry, base=Decimal(0), amount=Decimal(0)))
            group["base"] += entry["base"]
            group["amount"] += entry["amount"]
        return list(groups.values())

    def _l10n_tr_line_values(self):
        """(lines, document allowances, tax subtotals, withholding subtotals)."""
        lines, allowances, all_taxes, all_withholdings = [], [], [], []
        product_lines = self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        for line in product_lines:
            taxes, withholdings = self._l10n_tr_tax_entries(line)
            all_taxes += taxes
            all_withholdings += withholdings
            subtotal = _d(line.price_subtotal)
            if subtotal < 0:
                allowances.append({"reason": line.name or _("Discount"), "amount": -subtotal})
                continue
            gross = _d(line.quantity) * _d(line.price_unit)
            discount = (gross - subtotal) if line.discount else Decimal(0)
            product = line.product_id
            lines.append({
                "name": product.name or (line.name or "").split("\n")[0] or "-",
                "description": line.name if line.name and line.name != product.name else None,
                "quantity": _d(line.quantity),
                "unit_code": line.product_uom_id._l10n_tr_unit_code(),
                "price_unit": _d(line.price_unit), "discount_amount": discount,
                "discount_percent": _d(line.discount) if line.discount else None,
                "line_extension": subtotal, "taxes": taxes, "withholdings": withholdings,
                "seller_code": product.default_code or None,
                "gtip": product.l10n_tr_gtip_code or None,
            })
        if allowances:
            base = sum((line["line_extension"] for line in lines), Decimal(0))
            for allowance in allowances:
                allowance["base_amount"] = base
        return (lines, allowances, self._l10n_tr_aggregate(all_taxes),
                self._l10n_tr_aggregate(all_withholdings))

    def _l10n_tr_billing_references(self):
        returned = (self.reversed_entry_id | self.l10n_tr_returned_invoice_ids)
        refs = []
        for invoice in returned:
            if not invoice.l10n_tr_gib_number:
                raise UserError(_("The returned invoice %s has no GİB number.", invoice.name))
            refs.append({"id": invoice.l10n_tr_gib_number, "issue_date": invoice.invoice_date,
                         "type_code": "IADE"})
        return refs

    def _l10n_tr_exchange_rate(self):
        company_currency = self.company_id.currency_id
        if self.currency_id == company_currency:
            return None
        rate = self.currency_id._get_conversion_rate(
            self.currency_id, company_currency, self.company_id,
            self.invoice_date or fields.Date.context_today(self))
        return _d(float_round(rate, 6))

    def _l10n_tr_prepare_ubl_values(self):
        """Plain values for :func:`lib.ubl.build_invoice` from this posted invoice."""
        self.ensure_one()
        lines, allowances, tax_subtotals, withholdings = self._l10n_tr_line_values()
        values = {
            "profile": self.l10n_tr_efatura_profile, "type": self.l10n_tr_efatura_type,
            "id": self.l10n_tr_gib_number, "uuid": self.l10n_tr_ettn,
            "issue_date": self.invoice_date, "issue_time": self.l10n_tr_issue_time,
            "currency": self.currency_id.name,
            "exchange_rate": self._l10n_tr_exchange_rate(),
            "notes": [] if is_html_empty(self.narration) else [html2plaintext(self.narration)],
            "supplier": self._l10n_tr_partner_values(self.company_id.partner_id),
            "customer": self._l10n_tr_partner_values(self.partner_id),
            "lines": lines, "allowances": allowances, "tax_subtotals": tax_subtotals,
            "withholding_subtotals": withholdings,
        }
        if self.ref:
            values["order_reference"] = {"id": self.ref, "issue_date": self.invoice_date}
        if self.l10n_tr_efatura_type == "IADE":
            values["billing_references"] = self._l10n_tr_billing_references()
        if self.l10n_tr_is_internet_sale:
            values["internet_sale"] = {
                "website": self.l10n_tr_sale_website,
                "payment_method": self.l10n_tr_payment_method,
                "payment_agent": self.l10n_tr_payment_agent,
                "payment_date": self.l10n_tr_payment_date,
                "carrier": {"vat": self.l10n_tr_carrier_vat, "name": self.l10n_tr_carrier_name},
                "shipment_date": self.l10n_tr_shipment_date,
            }
            values["supplier"]["website"] = self.l10n_tr_sale_website
        elif self.partner_bank_id.acc_number:
            values["payment_means"] = {"code": "42", "due_date": self.invoice_date_due,
                                       "iban": self.partner_bank_id.sanitized_acc_number}
        if self.l10n_tr_efatura_profile == "IHRACAT":
            values["export"] = {
                "incoterm": self.invoice_incoterm_id.code if self.invoice_incoterm_id.code
                in INCOTERMS else None,
                "transport_mode": self.l10n_tr_transport_mode,
                "delivery_address": self._l10n_tr_partner_values(
                    self.partner_shipping_id or self.partner_id),
            }
        return values

    # ------------------------------------------------------------------ public API

    def _l10n_tr_check_can_build(self):
        self.ensure_one()
        if self.state != "posted" or not self._l10n_tr_needs_edocument():
            raise UserError(_("Only posted customer invoices and refunds of a Turkish company "
                              "have an e-document (%s).", self.display_name))
        if not (self.l10n_tr_gib_number and self.l10n_tr_ettn):
            raise UserError(_("%s has no GİB number or ETTN yet.", self.display_name))

    def _l10n_tr_build_xml(self):
        """(xml bytes or None, validation result dict)."""
        try:
            xml = ubl.build_invoice(self._l10n_tr_prepare_ubl_values())
        except ubl.BuildError as exc:
            return None, {"valid": False, "engine": validation.engine_name(),
                          "errors": [str(exc)], "warnings": [], "arithmetic_warnings": [],
                          "infos": []}
        return xml, validation.validate(xml)

    def _l10n_tr_attach_xml(self, xml):
        values = {"name": f"{self.l10n_tr_gib_number}.xml", "raw": xml,
                  "mimetype": "application/xml", "res_model": self._name, "res_id": self.id}
        if self.l10n_tr_edoc_xml_id:
            self.l10n_tr_edoc_xml_id.sudo().write(values)
            return self.l10n_tr_edoc_xml_id
        attachment = self.env["ir.attachment"].sudo().create(values)
        self.l10n_tr_edoc_xml_id = attachment
        return attachment

    def l10n_tr_build_edocument(self):
        """Build, validate and attach the UBL-TR XML of one posted invoice.

        Returns ``{"gib_number", "ettn", "valid", "messages": [str], "attachment_id",
        "engine"}``. Rebuilding keeps the number and ETTN; a sent document is not rebuilt.
        """
        arguments.check_one(self)
        self._l10n_tr_check_can_build()
        if self.l10n_tr_edoc_state not in (False, "to_send", "error") and \
                self.l10n_tr_edoc_xml_id:
            return {"gib_number": self.l10n_tr_gib_number, "ettn": self.l10n_tr_ettn,
                    "valid": True, "messages": [], "engine": validation.engine_name(),
                    "attachment_id": self.l10n_tr_edoc_xml_id.id}
        xml, result = self._l10n_tr_build_xml()
        messages = result["errors"] + result["arithmetic_warnings"] + result["warnings"]
        attachment = self._l10n_tr_attach_xml(xml) if xml else self.env["ir.attachment"]
        self.l10n_tr_edoc_messages = "\n".join(messages) or False
        return {"gib_number": self.l10n_tr_gib_number, "ettn": self.l10n_tr_ettn,
                "valid": result["valid"], "messages": messages, "engine": result["engine"],
                "attachment_id": attachment.id or False}

    def action_l10n_tr_preview_edocument(self):
        """Build the e-document and open its human view (the embedded XSLT applied) in a new
        tab, served inline by ``/l10n_tr_efatura/preview/<move id>``."""
        self.ensure_one()
        result = self.l10n_tr_build_edocument()
        if not result["attachment_id"]:
            raise UserError(_("The e-document could not be built:\n%s",
                              "\n".join(result["messages"])))
        return {"type": "ir.actions.act_url", "target": "new",
                "url": f"/l10n_tr_efatura/preview/{self.id}"}

    def _l10n_tr_preview_html(self):
        """HTML human view (bytes) of the attached XML, or of a fresh in-memory build."""
        self.ensure_one()
        self._l10n_tr_check_can_build()
        xml = self.sudo().l10n_tr_edoc_xml_id.raw
        if not xml:
            try:
                xml = ubl.build_invoice(self._l10n_tr_prepare_ubl_values())
            except ubl.BuildError as exc:
                raise UserError(_("The e-document could not be built:\n%s", str(exc))) from exc
        return preview.render_html(xml)

    # ------------------------------------------------------------------ PDF helpers

    def _l10n_tr_amount_in_words(self):
        self.ensure_one()
        return amount_in_words(self.amount_total, self.currency_id.name)

    def _l10n_tr_qr_payload(self):
        """GİB's e-Arşiv QR content (JSON) for the printed invoice."""
        self.ensure_one()
        supplier = self.company_id.partner_id.commercial_partner_id
        customer = self.commercial_partner_id
        payload = {
            "vkntckn": supplier.vat, "avkntckn": customer.vat or "",
            "senaryo": self.l10n_tr_efatura_profile, "tip": self.l10n_tr_efatura_type,
            "tarih": fields.Date.to_string(self.invoice_date), "no": self.l10n_tr_gib_number,
            "ettn": self.l10n_tr_ettn, "parabirimi": self.currency_id.name,
            "malhizmettoplam": f"{self.amount_untaxed:.2f}",
            "vergidahil": f"{self.amount_total:.2f}", "odenecek": f"{self.amount_residual:.2f}"
            if self.payment_state != "paid" else f"{self.amount_total:.2f}",
        }
        kdv_by_rate = defaultdict(float)
        for line in self.line_ids.filtered(
                lambda ln: ln.tax_line_id and ln.tax_line_id.amount > 0):
            kdv_by_rate[line.tax_line_id.amount] += abs(line.amount_currency)
        for rate, amount in sorted(kdv_by_rate.items()):
            payload[f"hesaplanankdv({rate:g})"] = f"{amount:.2f}"
        return json.dumps(payload, ensure_ascii=False)

    def _l10n_tr_qr_url(self):
        return ("/report/barcode/?barcode_type=QR&width=180&height=180&value="
                + quote_plus(self._l10n_tr_qr_payload()))
