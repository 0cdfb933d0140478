from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import card as card_lib
from ..lib.status import STATUS_SELECTION
from .partner_financial_account import ACCOUNT_TYPES


class PartnerCustomerType(models.Model):
    _name = "partner.customer.type"
    _description = "Customer Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    default_account_type = fields.Selection(
        ACCOUNT_TYPES,
        string="First Financial Account Type",
        default="CSW",
        help="Type of the financial account created automatically for a new customer of this type.",
    )

    _sql_constraints = [("code_uniq", "unique(code)", "The customer type code must be unique.")]


class PartnerRelationType(models.Model):
    _name = "partner.relation.type"
    _description = "Partner Relation Type"
    _order = "usage, sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    usage = fields.Selection(
        [("contact", "Contact person"), ("staff", "Responsible staff")],
        required=True,
        default="contact",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_usage_uniq", "unique(code, usage)", "The relation type code must be unique.")
    ]


class PartnerTradeCategory(models.Model):
    """Sales/purchase types and groups used as defaults on financial accounts."""

    _name = "partner.trade.category"
    _description = "Sales / Purchase Type or Group"
    _order = "scope, sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    scope = fields.Selection(
        [
            ("sale_type", "Sales type"),
            ("sale_group", "Sales group"),
            ("purchase_type", "Purchase type"),
            ("purchase_group", "Purchase group"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_scope_uniq", "unique(code, scope)", "The code must be unique per kind.")
    ]


class PartnerShareholder(models.Model):
    _name = "partner.shareholder"
    _description = "Company Shareholder"
    _order = "share_ratio desc, id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    shareholder_partner_id = fields.Many2one("res.partner", string="Shareholder Card")
    name = fields.Char(
        string="Shareholder",
        required=True,
        compute="_compute_name",
        store=True,
        readonly=False,
    )
    share_ratio = fields.Float(string="Share Ratio (%)", digits=(5, 2))
    identity_number = fields.Char(
        string="TCKN / VKN",
        groups="partner_credit_risk.group_customer_personal_data",
    )
    note = fields.Char()

    @api.depends("shareholder_partner_id")
    def _compute_name(self):
        for line in self:
            if line.shareholder_partner_id:
                line.name = line.shareholder_partner_id.name

    @api.constrains("share_ratio", "partner_id")
    def _check_share_ratio(self):
        for partner in self.partner_id:
            ratios = partner.shareholder_ids.mapped("share_ratio")
            if any(ratio < 0 or ratio > 100 for ratio in ratios) or sum(ratios) > 100.0001:
                raise ValidationError(
                    _(
                        "Share ratios of %(partner)s must be between 0 and 100 and add up to "
                        "at most 100 %%.",
                        partner=partner.display_name,
                    )
                )


class PartnerReference(models.Model):
    _name = "partner.reference"
    _description = "Partner Reference"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    source = fields.Selection(
        [("customer", "Given by the customer"), ("third_party", "Third party")],
        required=True,
        default="customer",
    )
    name = fields.Char(string="Referee", required=True)
    referee_partner_id = fields.Many2one("res.partner", string="Referee Card")
    phone = fields.Char()
    date = fields.Date(default=fields.Date.context_today)
    note = fields.Text()


class PartnerInquiry(models.Model):
    _name = "partner.inquiry"
    _description = "Partner Inquiry (Credit / Intelligence Check)"
    _order = "date desc, id desc"
    _rec_name = "subject"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    subject = fields.Char(required=True)
    agency = fields.Char(string="Inquired At", help="Bank, credit bureau, chamber, ...")
    result = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    note = fields.Text()


class PartnerResponsible(models.Model):
    _name = "partner.responsible"
    _description = "Partner Responsible Staff"
    _order = "sequence, id"
    _rec_name = "user_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Staff", required=True, index=True)
    relation_type_id = fields.Many2one(
        "partner.relation.type",
        string="Relation Type",
        domain="[('usage', '=', 'staff')]",
    )
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        (
            "partner_user_type_uniq",
            "unique(partner_id, user_id, relation_type_id)",
            "This staff member already has this relation with the partner.",
        )
    ]


class PartnerCreditCard(models.Model):
    """A payment card on file. The full number is never stored: only last 4, brand, expiry."""

    _name = "partner.credit.card"
    _description = "Partner Credit Card (masked)"
    _order = "partner_id, id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    holder_name = fields.Char(required=True)
    brand = fields.Selection(
        [
            ("visa", "Visa"),
            ("mastercard", "Mastercard"),
            ("amex", "American Express"),
            ("troy", "Troy"),
            ("other", "Other"),
        ],
        readonly=True,
    )
    last4 = fields.Char(string="Last 4 Digits", size=4, readonly=True)
    expiry_month = fields.Integer(required=True)
    expiry_year = fields.Integer(required=True)
    bank_name = fields.Char()
    active = fields.Boolean(default=True)
    card_number = fields.Char(
        string="Card Number",
        compute="_compute_card_number",
        inverse="_inverse_card_number",
        store=False,
        help="Type the full number: only the last four digits and the brand are kept.",
    )

    @api.depends("last4")
    def _compute_card_number(self):
        for card in self:
            card.card_number = card_lib.mask(card.last4)

    def _inverse_card_number(self):
        for card in self:
            number = card.card_number or ""
            if not number or number == card_lib.mask(card.last4):
                continue
            try:
                parsed = card_lib.parse_card_number(number)
            except card_lib.CardNumberError as error:
                raise ValidationError(_("Invalid card number: %s", error)) from None
            card.write(parsed)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._card_vals_from_number(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._card_vals_from_number(vals)
        return super().write(vals)

    @api.model
    def _card_vals_from_number(self, vals):
        """Replace a full number in ``vals`` by last4/brand before anything else sees it."""
        number = vals.pop("card_number", None)
        if not number or (isinstance(number, str) and number.startswith("****")):
            return vals
        try:
            vals.update(card_lib.parse_card_number(number))
        except card_lib.CardNumberError as error:
            raise ValidationError(_("Invalid card number: %s", error)) from None
        return vals

    @api.constrains("expiry_month", "expiry_year", "last4")
    def _check_card(self):
        for card in self:
            if not card_lib.expiry_valid(card.expiry_month, card.expiry_year):
                raise ValidationError(_("The card expiry month/year is not valid."))
            if not card.last4:
                raise ValidationError(_("Enter the card number (only its last 4 digits are kept)."))

    @api.depends("brand", "last4", "expiry_month", "expiry_year")
    def _compute_display_name(self):
        for card in self:
            card.display_name = (
                f"{card_lib.mask(card.last4)} {card.brand or ''} "
                f"{card.expiry_month:02d}/{card.expiry_year}"
            )


class PartnerStatusHistory(models.Model):
    _name = "partner.status.history"
    _description = "Partner Status History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    old_status = fields.Selection(STATUS_SELECTION, string="From")
    new_status = fields.Selection(STATUS_SELECTION, string="To", required=True)
    reason = fields.Text()

    @api.depends("partner_id", "new_status")
    def _compute_display_name(self):
        labels = dict(self._fields["new_status"]._description_selection(self.env))
        for entry in self:
            label = labels.get(entry.new_status, "")
            entry.display_name = f"{entry.partner_id.name or ''}: {label}"
