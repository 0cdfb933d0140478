import base64
import io
import json
import uuid
from collections import defaultdict
from decimal import Decimal

import qrcode

from odoo import Command, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
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
from ..lib.integrators import STATE_SELECTION

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


CENT = Decimal("0.01")


def _d(value):
    return Decimal(str(value))


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    l10n_tr_dib_line_code = fields.Char(
        string="DİİB Line Code",
        size=11,
        copy=False,
        help="IHRACKAYITLI 702: the buyer's line code in its inward processing authorisation "
        "(DİİB), written as ALICIDIBSATIRKOD.",
    )
    l10n_tr_special_base = fields.Monetary(
        string="Special Base (Özel Matrah)",
        currency_field="currency_id",
        help="OZELMATRAH (801-812): the amount the line's KDV is computed on instead of its "
        "price, e.g. the workmanship of a gold jewel (805) or the margin of a second-hand "
        "car (812). Used by the line's KDV taxes that carry an özel matrah exemption "
        "code.",
    )

    @api.depends("l10n_tr_special_base")
    def _compute_totals(self):
        return super()._compute_totals()

    def write(self, vals):
        if "l10n_tr_special_base" not in vals:
            return super().write(vals)
        before = {line: line.l10n_tr_special_base for line in self}
        result = super().write(vals)
        # Odoo re-books a draft's tax lines when a price, quantity, discount or tax of a
        # line changes: a new special base alone re-books them through its taxes
        for line in self.filtered(
            lambda aml: (
                aml.display_type == "product"
                and aml.move_id.state == "draft"
                and before[aml] != aml.l10n_tr_special_base
            )
        ):
            taxes = line.tax_ids.flatten_taxes_hierarchy()
            if any(tax._l10n_tr_on_special_base() for tax in taxes):
                line_taxes = line.tax_ids
                super(AccountMoveLine, line).write({"tax_ids": [Command.clear()]})
                super(AccountMoveLine, line).write({"tax_ids": [Command.set(line_taxes.ids)]})
        return result


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_tr_efatura_profile = fields.Selection(
        PROFILES,
        string="GİB Profile",
        copy=False,
        tracking=True,
        help="Chosen at posting when empty: e-Fatura for registered e-Fatura buyers, export "
        "for foreign companies, e-Arşiv otherwise.",
    )
    l10n_tr_efatura_type = fields.Selection(
        INVOICE_TYPES,
        string="GİB Invoice Type",
        copy=False,
        tracking=True,
        help="Chosen at posting when empty, from the move type and the taxes.",
    )
    l10n_tr_gib_number = fields.Char(
        string="GİB Number", copy=False, readonly=True, tracking=True, index="btree_not_null"
    )
    l10n_tr_ettn = fields.Char(
        string="ETTN",
        copy=False,
        readonly=True,
        help="UUID of the e-document, stable across retries.",
    )
    l10n_tr_issue_time = fields.Char(string="e-Document Issue Time", copy=False, readonly=True)
    l10n_tr_edoc_state = fields.Selection(
        STATE_SELECTION, string="e-Document State", copy=False, readonly=True, tracking=True
    )
    l10n_tr_edoc_xml_id = fields.Many2one(
        "ir.attachment", string="e-Document XML", copy=False, readonly=True
    )
    l10n_tr_edoc_messages = fields.Text(string="e-Document Findings", copy=False, readonly=True)
    l10n_tr_returned_invoice_ids = fields.Many2many(
        "account.move",
        "l10n_tr_move_returned_invoice_rel",
        "refund_id",
        "invoice_id",
        string="Returned Invoices",
        copy=False,
        help="Invoices this return (IADE) refers to, besides the reversed invoice.",
    )
    l10n_tr_is_internet_sale = fields.Boolean(string="Internet Sale", copy=False)
    l10n_tr_sale_website = fields.Char(string="Sale Website", copy=False)
    l10n_tr_payment_method = fields.Selection(PAYMENT_METHODS, string="Payment Method", copy=False)
    l10n_tr_payment_agent = fields.Char(string="Payment Intermediary", copy=False)
    l10n_tr_payment_date = fields.Date(string="Payment Date", copy=False)
    l10n_tr_carrier_vat = fields.Char(string="Carrier VKN/TCKN", copy=False)
    l10n_tr_carrier_name = fields.Char(string="Carrier Name", copy=False)
    l10n_tr_carrier_partner_id = fields.Many2one(
        "res.partner",
        string="Carrier",
        copy=False,
        help="The carrier's partner: its address is the e-Arşiv carrier party's address. "
        "Empty: the partner with the carrier's VKN.",
    )
    l10n_tr_shipment_date = fields.Date(string="Shipment Date", copy=False)
    l10n_tr_tracking_number = fields.Char(
        string="Shipment Tracking Number",
        copy=False,
        help="The carrier's tracking number: the delivery tracking ID of the e-document.",
    )
    l10n_tr_transport_mode = fields.Selection(
        list(TRANSPORT_MODES.items()),
        string="Transport Mode",
        copy=False,
        help="Export invoices: UN/ECE transport mode code.",
    )
    l10n_tr_is_edocument = fields.Boolean(compute="_compute_l10n_tr_is_edocument")

    # NULLs are distinct in a unique constraint: only documents that have a number/ETTN count
    _sql_constraints = [
        (
            "l10n_tr_gib_number_unique",
            "unique(company_id, l10n_tr_gib_number)",
            "This GİB number is already used by another invoice of the company.",
        ),
        (
            "l10n_tr_ettn_unique",
            "unique(company_id, l10n_tr_ettn)",
            "This ETTN is already used by another invoice of the company.",
        ),
    ]

    @api.depends("move_type", "company_id")
    def _compute_l10n_tr_is_edocument(self):
        for move in self:
            move.l10n_tr_is_edocument = move._l10n_tr_needs_edocument()

    def _l10n_tr_needs_edocument(self):
        self.ensure_one()
        return (
            self.move_type in ("out_invoice", "out_refund")
            and self.company_id.account_fiscal_country_id.code == "TR"
        )

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
            return (
                "IHRACAT"
                if partner.is_company and self.move_type == "out_invoice"
                else "EARSIVFATURA"
            )
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
        codes = set(
            taxes.filtered(lambda t: t.amount == 0 or t._l10n_tr_on_special_base()).mapped(
                "l10n_tr_exemption_code"
            )
        )
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
            self.l10n_tr_efatura_type = values["l10n_tr_efatura_type"]
        if self.company_id.vat:  # a seller without a VKN is not issuing e-documents yet
            self._l10n_tr_check_before_numbering()
        kind = self._l10n_tr_series_kind()
        prefix = (self.company_id[f"l10n_tr_{kind}_prefix"] or "").upper()
        if not self.l10n_tr_gib_number or not self.l10n_tr_gib_number.startswith(prefix):
            values["l10n_tr_gib_number"] = self.company_id._l10n_tr_next_gib_number(
                kind, self.invoice_date
            )
        if not self.l10n_tr_ettn:
            values["l10n_tr_ettn"] = str(uuid.uuid4())
        if not self.l10n_tr_issue_time:
            now = fields.Datetime.context_timestamp(
                self.with_context(tz=validation.GIB_TIMEZONE), fields.Datetime.now()
            )
            values["l10n_tr_issue_time"] = now.strftime("%H:%M:%S")
        if not self.l10n_tr_edoc_state:
            values["l10n_tr_edoc_state"] = "to_send"
        self.write(values)

    def _l10n_tr_edocument_left(self):
        """The e-document left Odoo: the move can no longer go back to draft."""
        return bool(self.l10n_tr_edoc_state and self.l10n_tr_edoc_state != "to_send")

    @api.depends("l10n_tr_edoc_state")
    def _compute_show_reset_to_draft_button(self):
        super()._compute_show_reset_to_draft_button()
        for move in self.filtered(lambda m: m._l10n_tr_edocument_left()):
            move.show_reset_to_draft_button = False

    # ------------------------------------------------------------------ checks at posting

    def _l10n_tr_build_error_text(self, code, params):
        """The user's-language text of a problem named by ``lib`` (BuildError codes)."""
        texts = {
            "tax_id": _(
                "%(name)s has no VKN/TCKN: set the Tax ID (10-digit VKN for a "
                "company, 11-digit TCKN for a person) on the partner."
            ),
            "person_name": _(
                "%(name)s is a person (TCKN) without a first and a family name: "
                "write the partner's name as first name(s) followed by the "
                "family name."
            ),
            "address": _(
                "%(name)s has no complete address: set the street and the city or "
                "province on the partner."
            ),
            "tax_office": _(
                "%(name)s has no tax office (vergi dairesi): set the Tax Office on the partner."
            ),
            "missing_value": _("The e-document lacks the value %(key)s."),
            "no_lines": _("An e-document needs at least one invoice line."),
            "exchange_rate": _(
                "A foreign-currency e-document needs the exchange rate of the "
                "invoice date: set the currency rate."
            ),
            "totals": _(
                "The e-document total %(document)s differs from the booked total %(booked)s."
            ),
        }
        return texts[code] % params if code in texts else str(params)

    def _l10n_tr_build_error_message(self, exc):
        return self._l10n_tr_build_error_text(exc.code, exc.params) if exc.code else str(exc)

    def _l10n_tr_tax_problems(self):
        """Texts for the taxes of this invoice that have no GİB code mapping."""
        problems = []
        taxes = self.invoice_line_ids.filtered(
            lambda aml: aml.display_type == "product"
        ).tax_ids.flatten_taxes_hierarchy()
        for tax in taxes.sorted("id"):
            problem = tax._l10n_tr_mapping_problem()
            if problem:
                problems.append(problem)
        return problems

    def _l10n_tr_regime_problems(self):
        """What the invoice's regime needs and its lines lack."""
        lines = self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product")
        return self._l10n_tr_diib_problems(lines) + self._l10n_tr_special_base_problems(lines)

    def _l10n_tr_special_base_problems(self, lines):
        """OZELMATRAH (801-812): a line whose KDV has an özel matrah code needs its special
        base; a special base needs such a KDV, and the invoice the OZELMATRAH (or IADE) type."""
        problems = []
        special_lines = self.env["account.move.line"]
        for line in lines:
            taxes = line.tax_ids.flatten_taxes_hierarchy().filtered(
                lambda t: t._l10n_tr_on_special_base()
            )
            if taxes:
                special_lines |= line
                if line.l10n_tr_special_base <= 0:
                    problems.append(
                        _(
                            'Line "%(line)s": OZELMATRAH (%(code)s) needs the Special Base (Özel '
                            "Matrah) on the invoice line: the amount its KDV is computed on.",
                            line=line.name or "-",
                            code=taxes[0].l10n_tr_exemption_code,
                        )
                    )
            elif line.l10n_tr_special_base:
                problems.append(
                    _(
                        'Line "%(line)s" has a Special Base (Özel Matrah) but no KDV tax with an '
                        "özel matrah exemption code (801-812): give the line such a tax or clear "
                        "its special base.",
                        line=line.name or "-",
                    )
                )
        if special_lines and self.l10n_tr_efatura_type not in ("OZELMATRAH", "IADE"):
            problems.append(
                _(
                    "Özel matrah taxes (801-812) need the GİB invoice type OZELMATRAH "
                    "(or IADE for a return), not %s.",
                    self.l10n_tr_efatura_type,
                )
            )
        elif not special_lines and self.l10n_tr_efatura_type == "OZELMATRAH":
            problems.append(
                _(
                    "An OZELMATRAH invoice needs a line whose KDV tax carries an özel "
                    "matrah exemption code (801-812), with its Special Base."
                )
            )
        return problems

    def _l10n_tr_diib_problems(self, lines):
        """IHRACKAYITLI 702 (DİİB): every line needs its GTİP and the buyer's DİİB line code."""
        codes = set(lines.tax_ids.flatten_taxes_hierarchy().mapped("l10n_tr_exemption_code"))
        if self.l10n_tr_efatura_type != "IHRACKAYITLI" or "702" not in codes:
            return []
        problems = []
        for line in lines:
            gtip = line.product_id.l10n_tr_gtip_code or ""
            if len(gtip) != 12 or not gtip.isdigit():
                problems.append(
                    _(
                        'Line "%(line)s": IHRACKAYITLI 702 (DİİB) needs the '
                        "12-digit GTİP code on the product.",
                        line=line.name or "-",
                    )
                )
            if len(line.l10n_tr_dib_line_code or "") != 11:
                problems.append(
                    _(
                        'Line "%(line)s": IHRACKAYITLI 702 (DİİB) needs the '
                        "buyer's 11-character DİİB line code on the invoice line.",
                        line=line.name or "-",
                    )
                )
        return problems

    def _l10n_tr_line_problems(self):
        """Negative lines GİB cannot take as a document allowance."""
        product_lines = self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product")
        positive_taxes = {line.tax_ids for line in product_lines if line.price_subtotal >= 0}
        problems = []
        for line in product_lines.filtered(lambda aml: aml.price_subtotal < 0):
            if line.tax_ids not in positive_taxes:
                problems.append(
                    _(
                        'The negative line "%(line)s" has taxes (%(taxes)s) no sold line '
                        "carries: an e-document takes a negative line only as a discount on "
                        "lines with the same taxes. Issue a return (IADE) invoice instead, or "
                        "give the line the taxes of the lines it discounts.",
                        line=line.name or "-",
                        taxes=", ".join(line.tax_ids.mapped("name")) or _("none"),
                    )
                )
        if self.amount_untaxed < 0:
            problems.append(_("The invoice total is negative: issue a credit note (IADE) instead."))
        return problems

    def _l10n_tr_check_before_numbering(self):
        """Refuse posting what cannot become a GİB document, before its number is taken."""
        self.ensure_one()
        profile = self.l10n_tr_efatura_profile
        supplier = self.company_id.partner_id
        problems = [
            self._l10n_tr_build_error_text(code, params)
            for code, params in ubl.party_problems(self._l10n_tr_partner_values(supplier))
        ]
        customer = self._l10n_tr_partner_values(self.partner_id)
        commercial = self.commercial_partner_id
        foreign = profile == "IHRACAT" or (
            commercial.country_id and commercial.country_id.code != "TR"
        )
        foreign_ok = foreign or (profile == "EARSIVFATURA" and not commercial.is_company)
        problems += [
            self._l10n_tr_build_error_text(code, params)
            for code, params in ubl.party_problems(customer, foreign_ok=foreign_ok)
        ]
        problems += self._l10n_tr_tax_problems()
        problems += self._l10n_tr_regime_problems()
        problems += self._l10n_tr_line_problems()
        if problems:
            raise UserError(
                _(
                    "%(invoice)s cannot become a GİB e-document (no GİB number was "
                    "used):\n%(problems)s",
                    invoice=self.display_name,
                    problems="\n".join(f"- {p}" for p in problems),
                )
            )

    def button_draft(self):
        locked = self.filtered(lambda m: m._l10n_tr_edocument_left())
        if locked:
            raise UserError(
                _(
                    "An invoice whose e-document was sent cannot be reset to draft: %(moves)s. "
                    "Issue a return (IADE) invoice instead.",
                    moves=", ".join(locked.mapped(lambda m: m.l10n_tr_gib_number or m.name)),
                )
            )
        return super().button_draft()

    # ------------------------------------------------------------------ UBL values

    def _l10n_tr_partner_values(self, partner):
        state = partner.state_id.name if partner.state_id else None
        city = state or partner.city
        district = partner.l10n_tr_district or (partner.city if state else None)
        commercial = partner.commercial_partner_id
        return {
            "vat": commercial.vat if tax_id_kind(commercial.vat) else None,
            "foreign_id": commercial.vat
            if commercial.vat and not tax_id_kind(commercial.vat)
            else None,
            "name": commercial.name,
            "is_company": commercial.is_company,
            "tax_office": commercial.l10n_tr_tax_office,
            "street": ", ".join(filter(None, (partner.street, partner.street2))) or None,
            "district": district,
            "city": city,
            "zip": partner.zip,
            "country_code": partner.country_id.code or "TR",
            "country_name": partner.country_id.name or "Türkiye",
            "phone": partner.phone,
            "email": partner.email,
            "website": None,
        }

    # ------------------------------------------------------------------ booked figures

    def _prepare_product_base_line_for_taxes_computation(self, product_line):
        """An özel matrah KDV (801-812) is booked on the line's special base, not its price."""
        base_line = super()._prepare_product_base_line_for_taxes_computation(product_line)
        special = product_line.l10n_tr_special_base
        if not special or not self.is_invoice(include_receipts=True):
            return base_line
        taxes = (
            base_line["tax_ids"]
            .flatten_taxes_hierarchy()
            .filtered(lambda t: t._l10n_tr_on_special_base())
        )
        if taxes:
            manual = dict(base_line["manual_tax_amounts"] or {})
            for tax in taxes:
                manual[str(tax.id)] = dict(
                    manual.get(str(tax.id)) or {}, tax_amount_currency=special * tax.amount / 100.0
                )
            base_line["manual_tax_amounts"] = manual
        return base_line

    def _get_rounded_base_and_tax_lines(self, round_from_tax_lines=True):
        """The tax journal items (their base amount) and the tax totals built on these base
        lines state an özel matrah KDV's special base, as the document does."""
        base_lines, tax_lines = super()._get_rounded_base_and_tax_lines(
            round_from_tax_lines=round_from_tax_lines
        )
        self._l10n_tr_apply_special_bases(base_lines)
        return base_lines, tax_lines

    @api.depends("invoice_line_ids.l10n_tr_special_base")
    def _compute_tax_totals(self):
        return super()._compute_tax_totals()

    def _l10n_tr_apply_special_bases(self, base_lines):
        """An özel matrah KDV (801-812) is based on its line's special base.

        Applied to rounded base lines: each such tax's base amounts become the special base,
        while the line's untaxed amount (``total_excluded``, hence the product journal item,
        ``amount_untaxed`` and the receivable) stays its price.
        """
        if not self.is_invoice(include_receipts=True):
            return
        company_currency = self.company_id.currency_id
        for base_line in base_lines:
            record = base_line["record"]
            if base_line["special_type"] or getattr(record, "_name", None) != "account.move.line":
                continue
            special = record.l10n_tr_special_base
            if not special:
                continue
            rate = base_line["rate"]
            special_company = special / rate if rate else 0.0
            for tax_data in base_line["tax_details"]["taxes_data"]:
                if tax_data["tax"]._l10n_tr_on_special_base():
                    tax_data.update(
                        raw_base_amount_currency=special,
                        base_amount_currency=base_line["currency_id"].round(special),
                        raw_base_amount=special_company,
                        base_amount=company_currency.round(special_company),
                    )

    def _l10n_tr_booked(self, amls):
        """Sum of journal items in document currency, with the document's sign."""
        return sum((_d(aml.amount_currency) for aml in amls), Decimal(0)) * self.direction_sign

    def _l10n_tr_tax_details(self):
        """Odoo's tax details of the posted product lines (base line dicts, rounded)."""
        AccountTax = self.env["account.tax"]
        amls = self.line_ids.filtered(lambda aml: aml.display_type == "product")
        base_lines = [self._prepare_product_base_line_for_taxes_computation(aml) for aml in amls]
        AccountTax._add_tax_details_in_base_lines(base_lines, self.company_id)
        AccountTax._round_base_lines_tax_details(base_lines, self.company_id)
        self._l10n_tr_apply_special_bases(base_lines)
        return base_lines

    def _l10n_tr_net_unit_price(self, base_line):
        """Unit price without tax and before discount (a tax-included price unwrapped)."""
        aml = base_line["record"]
        if not base_line["tax_ids"].flatten_taxes_hierarchy().filtered("price_include"):
            return _d(aml.price_unit)
        # the whole quantity without discount, as the books round it, divided back
        quantity = base_line["quantity"] or 1.0
        gross = dict(base_line, quantity=quantity, discount=0.0)
        self.env["account.tax"]._add_tax_details_in_base_lines([gross], self.company_id)
        return _d(gross["tax_details"]["raw_total_excluded_currency"]) / _d(quantity)

    def _l10n_tr_line_taxes(self, base_line):
        """([(tax, entry)] KDV and other taxes, [(tax, raw amount)] withholdings) of a line."""
        taxes, withholdings = [], []
        for tax_data in base_line["tax_details"]["taxes_data"]:
            tax = tax_data["tax"]
            raw = _d(tax_data["raw_tax_amount_currency"])
            if tax._l10n_tr_is_withholding():
                withholdings.append((tax, -raw))
                continue
            # an özel matrah KDV's base is the line's special base (GİB: TaxableAmount)
            special = tax._l10n_tr_on_special_base()
            entry = {
                "code": tax._l10n_tr_type_code(),
                "percent": _d(tax.amount),
                "base": _d(tax_data["base_amount_currency"]).quantize(CENT),
                "raw": raw,
            }
            # a 0 % tax keeps its own exemption code (IHRACKAYITLI 701-704 too), an özel
            # matrah KDV its 801-812 code; 351 only where GİB wants a reason and the tax has none
            needs_reason = self.l10n_tr_efatura_type not in NO_EXEMPTION_NEEDED_TYPES
            code = tax.l10n_tr_exemption_code or ("351" if needs_reason else None)
            if (tax.amount == 0 or special) and code:
                entry["exemption_code"] = code
                entry["exemption_reason"] = tax.l10n_tr_exemption_reason or EXEMPTION_REASONS.get(
                    code, code
                )
            taxes.append((tax, entry))
        return taxes, withholdings

    def _l10n_tr_fit_to_booked(self, entries_by_tax, booked_by_tax, sign=1):
        """Each tax's line entries made to add up to its posted tax journal items."""
        for tax, entries in entries_by_tax.items():
            ubl.fit_tax_amounts(entries, sign * booked_by_tax.get(tax, Decimal(0)))

    @staticmethod
    def _l10n_tr_aggregate(entries):
        groups = {}
        for entry in entries:
            key = (entry["code"], entry["percent"], entry.get("exemption_code"))
            group = groups.setdefault(key, dict(entry, base=Decimal(0), amount=Decimal(0)))
            group["base"] += entry["base"]
            group["amount"] += entry["amount"]
        for group in groups.values():
            group.pop("raw", None)
        return list(groups.values())

    def _l10n_tr_document_figures(self):
        """The document's figures, all from the posted move.

        Returns ``{"lines", "allowances", "tax_subtotals", "withholding_subtotals",
        "totals", "notes"}`` for :func:`lib.ubl.build_invoice`. Line extension amounts are the
        booked product lines; every (withholding) subtotal's amount is the booked tax journal
        items of its taxes (per line: base x percent, the kuruş left over spread by
        :func:`lib.ubl.fit_tax_amounts`); Odoo's cash-rounding line is the payable rounding;
        negative lines are document allowances; section and note lines are notes.
        """
        self.ensure_one()
        booked_by_tax = defaultdict(Decimal)
        for aml in self.line_ids.filtered(lambda aml: aml.display_type == "tax"):
            booked_by_tax[aml.tax_line_id] += self._l10n_tr_booked(aml)
        rows, entries_by_tax = [], defaultdict(list)
        for base_line in self._l10n_tr_tax_details():
            taxes, withholdings = self._l10n_tr_line_taxes(base_line)
            for tax, entry in taxes:
                entries_by_tax[tax].append(entry)
            rows.append((base_line, taxes, withholdings))
        self._l10n_tr_fit_to_booked(entries_by_tax, booked_by_tax)
        withholding_entries = defaultdict(list)
        for _base_line, taxes, withholdings in rows:
            kdv = sum((e["amount"] for _t, e in taxes if e["code"] == "0015"), Decimal(0))
            for index, (tax, raw) in enumerate(withholdings):
                entry = {
                    "code": tax.l10n_tr_withholding_code or "",
                    "percent": _d(tax.l10n_tr_withholding_percent),
                    "base": kdv,
                    "raw": raw,
                }
                withholdings[index] = (tax, entry)
                withholding_entries[tax].append(entry)
        self._l10n_tr_fit_to_booked(withholding_entries, booked_by_tax, sign=-1)

        lines, allowances, all_taxes, all_withholdings = [], [], [], []
        for base_line, taxes, withholdings in rows:
            aml = base_line["record"]
            line_taxes = [entry for _tax, entry in taxes]
            line_withholdings = [entry for _tax, entry in withholdings]
            all_taxes += line_taxes
            all_withholdings += line_withholdings
            extension = self._l10n_tr_booked(aml)
            if extension < 0:
                allowances.append({"reason": aml.name or _("Discount"), "amount": -extension})
                continue
            net_price = self._l10n_tr_net_unit_price(base_line)
            gross = (_d(aml.quantity) * net_price).quantize(CENT)
            discount = gross - extension if aml.discount else Decimal(0)
            product = aml.product_id
            lines.append(
                {
                    "name": product.name or (aml.name or "").split("\n")[0] or "-",
                    "description": aml.name if aml.name and aml.name != product.name else None,
                    "quantity": _d(aml.quantity),
                    "unit_code": aml.product_uom_id._l10n_tr_unit_code(),
                    "unit_name": aml.product_uom_id.name,
                    "price_unit": net_price,
                    "discount_amount": discount,
                    "discount_percent": _d(aml.discount) if aml.discount else None,
                    "line_extension": extension,
                    "taxes": [{k: v for k, v in e.items() if k != "raw"} for e in line_taxes],
                    "withholdings": [
                        {k: v for k, v in e.items() if k != "raw"} for e in line_withholdings
                    ],
                    "seller_code": product.default_code or None,
                    "gtip": product.l10n_tr_gtip_code or None,
                    "dib_line_code": aml.l10n_tr_dib_line_code or None,
                }
            )
        if allowances:
            base = sum((line["line_extension"] for line in lines), Decimal(0))
            for allowance in allowances:
                allowance["base_amount"] = base
        rounding = self._l10n_tr_booked(
            self.line_ids.filtered(lambda aml: aml.display_type == "rounding")
        )
        tax_subtotals = self._l10n_tr_aggregate(all_taxes)
        for subtotal in tax_subtotals:
            if (
                subtotal["code"] == "0015"
                and not subtotal["amount"]
                and not subtotal.get("exemption_code")
                and self.l10n_tr_efatura_type not in NO_EXEMPTION_NEEDED_TYPES
            ):
                subtotal.update(exemption_code="351", exemption_reason=EXEMPTION_REASONS["351"])
        notes = [
            aml.name
            for aml in self.invoice_line_ids
            if aml.display_type in ("line_section", "line_note") and aml.name
        ]
        return {
            "lines": lines,
            "allowances": allowances,
            "tax_subtotals": tax_subtotals,
            "withholding_subtotals": self._l10n_tr_aggregate(all_withholdings),
            "totals": {"rounding": rounding, "payable": _d(self.amount_total).quantize(CENT)},
            "notes": notes,
        }

    def _l10n_tr_check_totals(self, figures):
        """The document's payable must be the booked total (a BuildError otherwise)."""
        totals = ubl.compute_totals(
            figures, figures["tax_subtotals"], figures["withholding_subtotals"]
        )
        document = (
            _d(totals["tax_inclusive"])
            - sum((w["amount"] for w in figures["withholding_subtotals"]), Decimal(0))
            + _d(totals["rounding"])
        )
        booked = _d(self.amount_total).quantize(CENT)
        if document != booked:
            raise ubl.BuildError(
                f"document total {document} is not the booked {booked}",
                "totals",
                document=document,
                booked=booked,
            )

    def _l10n_tr_billing_references(self):
        returned = self.reversed_entry_id | self.l10n_tr_returned_invoice_ids
        refs = []
        for invoice in returned:
            if not invoice.l10n_tr_gib_number:
                raise UserError(_("The returned invoice %s has no GİB number.", invoice.name))
            refs.append(
                {
                    "id": invoice.l10n_tr_gib_number,
                    "issue_date": invoice.invoice_date,
                    "type_code": "IADE",
                }
            )
        return refs

    def _l10n_tr_exchange_rate(self):
        company_currency = self.company_id.currency_id
        if self.currency_id == company_currency:
            return None
        rate = self.currency_id._get_conversion_rate(
            self.currency_id,
            company_currency,
            self.company_id,
            self.invoice_date or fields.Date.context_today(self),
        )
        return _d(float_round(rate, 6))

    def _l10n_tr_order_reference(self):
        """(OrderReference dict or None, note or None).

        A return (IADE) refers to the original invoice's order; Odoo's "Reversal of: ..."
        reference of the refund is not an order number, it becomes a note.
        """
        original = self.reversed_entry_id
        if self.move_type != "out_refund" or not original:
            return ({"id": self.ref, "issue_date": self.invoice_date} if self.ref else None, None)
        order = {"id": original.ref, "issue_date": original.invoice_date} if original.ref else None
        return order, self.ref if self.ref and self.ref != original.ref else None

    def _l10n_tr_carrier_partner(self):
        """The carrier's partner: the one set on the invoice, else the partner with the
        carrier's VKN."""
        if self.l10n_tr_carrier_partner_id or not self.l10n_tr_carrier_vat:
            return self.l10n_tr_carrier_partner_id
        return self.env["res.partner"].search(
            [
                ("vat", "=", self.l10n_tr_carrier_vat),
                ("is_company", "=", True),
                ("company_id", "in", (False, self.company_id.id)),
            ],
            limit=1,
        )

    def _l10n_tr_carrier_values(self):
        partner = self._l10n_tr_carrier_partner()
        carrier = {
            "vat": self.l10n_tr_carrier_vat or partner.commercial_partner_id.vat or None,
            "name": self.l10n_tr_carrier_name or partner.commercial_partner_id.name or None,
        }
        if partner:
            address = self._l10n_tr_partner_values(partner)
            carrier["address"] = {
                key: address[key]
                for key in ("street", "district", "city", "zip", "country_code", "country_name")
            }
        return carrier

    def _l10n_tr_prepare_ubl_values(self):
        """Plain values for :func:`lib.ubl.build_invoice` from this posted invoice."""
        self.ensure_one()
        figures = self._l10n_tr_document_figures()
        self._l10n_tr_check_totals(figures)
        order, order_note = self._l10n_tr_order_reference()
        narration = [] if is_html_empty(self.narration) else [html2plaintext(self.narration)]
        values = dict(
            figures,
            **{
                "profile": self.l10n_tr_efatura_profile,
                "type": self.l10n_tr_efatura_type,
                "id": self.l10n_tr_gib_number,
                "uuid": self.l10n_tr_ettn,
                "issue_date": self.invoice_date,
                "issue_time": self.l10n_tr_issue_time,
                "currency": self.currency_id.name,
                "exchange_rate": self._l10n_tr_exchange_rate(),
                "notes": narration + figures["notes"] + ([order_note] if order_note else []),
                "supplier": self._l10n_tr_partner_values(self.company_id.partner_id),
                "customer": self._l10n_tr_partner_values(self.partner_id),
            },
        )
        if order:
            values["order_reference"] = order
        if self.l10n_tr_efatura_type == "IADE":
            values["billing_references"] = self._l10n_tr_billing_references()
        if self.l10n_tr_is_internet_sale:
            values["internet_sale"] = {
                "website": self.l10n_tr_sale_website,
                "payment_method": self.l10n_tr_payment_method,
                "payment_agent": self.l10n_tr_payment_agent,
                "payment_date": self.l10n_tr_payment_date,
                "carrier": self._l10n_tr_carrier_values(),
                "shipment_date": self.l10n_tr_shipment_date,
                "tracking_number": self.l10n_tr_tracking_number,
            }
            values["supplier"]["website"] = self.l10n_tr_sale_website
        elif self.partner_bank_id.acc_number:
            values["payment_means"] = {
                "code": "42",
                "due_date": self.invoice_date_due,
                "iban": self.partner_bank_id.sanitized_acc_number,
            }
        receiver = self._l10n_tr_delivery_partner()
        if receiver:
            # a contact inherits its company's VKN: only a partner of its own states one
            own = receiver == receiver.commercial_partner_id
            values["delivery_party"] = dict(
                self._l10n_tr_partner_values(receiver),
                vat=receiver.vat if own and tax_id_kind(receiver.vat) else None,
                foreign_id=None,
                name=receiver.name,
                is_company=own and receiver.is_company,
                tax_office=receiver.l10n_tr_tax_office if own and receiver.is_company else None,
            )
        if self.l10n_tr_efatura_profile == "IHRACAT":
            values["export"] = {
                "incoterm": self.invoice_incoterm_id.code
                if self.invoice_incoterm_id.code in INCOTERMS
                else None,
                "transport_mode": self.l10n_tr_transport_mode,
                "delivery_address": self._l10n_tr_partner_values(
                    self.partner_shipping_id or self.partner_id
                ),
            }
        return values

    # ------------------------------------------------------------------ public API

    def _l10n_tr_delivery_partner(self):
        """Where the goods went when that is not the buyer (e.g. a retailer's end customer):
        its address is the document's delivery address. None by default."""
        return self.env["res.partner"]

    def _l10n_tr_check_can_build(self):
        self.ensure_one()
        if self.state != "posted" or not self._l10n_tr_needs_edocument():
            raise UserError(
                _(
                    "Only posted customer invoices and refunds of a Turkish company "
                    "have an e-document (%s).",
                    self.display_name,
                )
            )
        if not (self.l10n_tr_gib_number and self.l10n_tr_ettn):
            raise UserError(_("%s has no GİB number or ETTN yet.", self.display_name))

    def _l10n_tr_build_xml(self):
        """(xml bytes or None, validation result dict)."""
        try:
            xml = ubl.build_invoice(self._l10n_tr_prepare_ubl_values())
        except ubl.BuildError as exc:
            return None, {
                "valid": False,
                "engine": validation.engine_name(),
                "errors": [self._l10n_tr_build_error_message(exc)],
                "warnings": [],
                "arithmetic_warnings": [],
                "infos": [],
            }
        return xml, validation.validate(xml)

    def _l10n_tr_store_build(self, xml, messages):
        """Attach the XML (when built) and store the findings, in one write of the move (each
        write of an invoice costs Odoo's whole move check). -> the attachment."""
        move_values = {"l10n_tr_edoc_messages": "\n".join(messages) or False}
        attachment = self.env["ir.attachment"]
        if xml:
            values = {
                "name": f"{self.l10n_tr_gib_number}.xml",
                "raw": xml,
                "mimetype": "application/xml",
                "res_model": self._name,
                "res_id": self.id,
            }
            attachment = self.l10n_tr_edoc_xml_id
            if attachment:
                attachment.sudo().write(values)
            else:
                attachment = self.env["ir.attachment"].sudo().create(values)
                move_values["l10n_tr_edoc_xml_id"] = attachment.id
        self.write(move_values)
        return attachment

    def l10n_tr_build_edocument(self):
        """Build, validate and attach the UBL-TR XML of one posted invoice.

        Returns ``{"gib_number", "ettn", "valid", "messages": [str], "attachment_id",
        "engine"}``. Rebuilding keeps the number and ETTN; a sent document is not rebuilt.
        """
        arguments.check_one(self)
        self._l10n_tr_check_can_build()
        if self.l10n_tr_edoc_state not in (False, "to_send", "error") and self.l10n_tr_edoc_xml_id:
            return {
                "gib_number": self.l10n_tr_gib_number,
                "ettn": self.l10n_tr_ettn,
                "valid": True,
                "messages": [],
                "engine": validation.engine_name(),
                "attachment_id": self.l10n_tr_edoc_xml_id.id,
            }
        xml, result = self._l10n_tr_build_xml()
        messages = result["errors"] + result["arithmetic_warnings"] + result["warnings"]
        attachment = self._l10n_tr_store_build(xml, messages)
        return {
            "gib_number": self.l10n_tr_gib_number,
            "ettn": self.l10n_tr_ettn,
            "valid": result["valid"],
            "messages": messages,
            "engine": result["engine"],
            "attachment_id": attachment.id or False,
        }

    def action_print_pdf(self):
        """*Print* of an e-document invoice: the GİB layout (number, ETTN, QR code)."""
        self.ensure_one()
        if self._l10n_tr_needs_edocument() and self.l10n_tr_gib_number:
            return (
                self.env["account.move.send"]
                ._get_default_pdf_report_id(self)
                .report_action(self.id)
            )
        return super().action_print_pdf()

    def action_l10n_tr_preview_edocument(self):
        """Build the e-document and open its human view (the embedded XSLT applied) in a new
        tab, served inline by ``/l10n_tr_efatura/preview/<move id>``."""
        self.ensure_one()
        result = self.l10n_tr_build_edocument()
        if not result["attachment_id"]:
            raise UserError(
                _("The e-document could not be built:\n%s", "\n".join(result["messages"]))
            )
        return {
            "type": "ir.actions.act_url",
            "target": "new",
            "url": f"/l10n_tr_efatura/preview/{self.id}",
        }

    def _l10n_tr_preview_html(self):
        """HTML human view (bytes) of the attached XML, or of a fresh in-memory build."""
        self.ensure_one()
        self._l10n_tr_check_can_build()
        xml = self.sudo().l10n_tr_edoc_xml_id.raw
        if not xml:
            try:
                xml = ubl.build_invoice(self._l10n_tr_prepare_ubl_values())
            except ubl.BuildError as exc:
                raise UserError(
                    _(
                        "The e-document could not be built:\n%s",
                        self._l10n_tr_build_error_message(exc),
                    )
                ) from exc
        return preview.render_html(xml)

    # ------------------------------------------------------------------ PDF helpers

    def _l10n_tr_amount_in_words(self):
        self.ensure_one()
        return amount_in_words(self.amount_total, self.currency_id.name)

    @api.model
    def _l10n_tr_number_text(self, value):
        """A quantity or a rate as the document writes it: 3, 2.5, 12.5."""
        return ubl.plain_number(value)

    def _l10n_tr_qr_payload(self):
        """GİB's e-Arşiv QR content (JSON) for the printed invoice."""
        self.ensure_one()
        supplier = self.company_id.partner_id.commercial_partner_id
        customer = self.commercial_partner_id
        payload = {
            "vkntckn": supplier.vat,
            "avkntckn": customer.vat or "",
            "senaryo": self.l10n_tr_efatura_profile,
            "tip": self.l10n_tr_efatura_type,
            "tarih": fields.Date.to_string(self.invoice_date),
            "no": self.l10n_tr_gib_number,
            "ettn": self.l10n_tr_ettn,
            "parabirimi": self.currency_id.name,
            "malhizmettoplam": f"{self.amount_untaxed:.2f}",
            "vergidahil": f"{self.amount_total:.2f}",
            "odenecek": f"{self.amount_residual:.2f}"
            if self.payment_state != "paid"
            else f"{self.amount_total:.2f}",
        }
        kdv_by_rate = defaultdict(float)
        for line in self.line_ids.filtered(lambda ln: ln.tax_line_id and ln.tax_line_id.amount > 0):
            kdv_by_rate[line.tax_line_id.amount] += abs(line.amount_currency)
        for rate, amount in sorted(kdv_by_rate.items()):
            payload[f"hesaplanankdv({rate:g})"] = f"{amount:.2f}"
        return json.dumps(payload, ensure_ascii=False)

    def _l10n_tr_report_lang(self):
        """GİB's layout is Turkish: its units and labels print in Turkish when it is loaded."""
        if self.env["res.lang"]._get_data(code="tr_TR").active:
            return "tr_TR"
        return self.partner_id.lang

    def _l10n_tr_qr_image_src(self):
        """The GİB QR code as an inline PNG: wkhtmltopdf need not fetch it over HTTP.

        A fixed mask pattern: every one of the 8 reads the same; choosing the "best" one
        renders the symbol 8 more times (4/5 of the PDF's QR time)."""
        buffer = io.BytesIO()
        qrcode.make(self._l10n_tr_qr_payload(), box_size=4, border=1, mask_pattern=0).save(
            buffer, "PNG"
        )
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
