from odoo import Command, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, ValidationError

from ..lib.discount import AMOUNT_BASED, SEQUENTIAL

ACCOUNT_TYPES = [
    ("CSW", "CSW - Customer"),
    ("PJC", "PJC - Project"),
    ("CSR", "CSR - Retail customer"),
    ("CSE", "CSE - E-commerce customer"),
    ("SPW", "SPW - Supplier"),
]
DISPATCH_DOCUMENTS = [
    ("SBA", "SBA - Sales document"),
    ("SDV", "SDV - Delivery (dispatch note)"),
]
# The same codes on documents, labelled for the people handling the goods.
DOCUMENT_DISPATCH = [
    ("SBA", "SBA - Goods travel with the invoice"),
    ("SDV", "SDV - Goods travel with a dispatch note"),
]
DISPATCH_HELP = (
    "SBA: the goods travel with the invoice. SDV: the goods travel with a dispatch "
    "note and are invoiced separately."
)
SUPPLIER_TYPES = ("SPW",)
# Opening a GL account is an accountant's decision (Odoo: account.account is theirs to create).
GL_ACCOUNT_GROUP = "account.group_account_manager"
CUSTOMER_TYPES = ("CSW", "PJC", "CSR", "CSE")


class PartnerFinancialAccount(models.Model):
    """A partner's sub-ledger in one company and one currency (Minerva "financial account")."""

    _name = "partner.financial.account"
    _description = "Partner Financial Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, company_id, sequence, id"
    _check_company_auto = True
    _rec_names_search = ["partner_id.name", "account_type", "currency_id.name", "code"]

    code = fields.Char(compute="_compute_code", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.currency_id,
    )
    account_type = fields.Selection(
        ACCOUNT_TYPES,
        string="Account Type",
        required=True,
        default="CSW",
        tracking=True,
    )
    is_supplier_account = fields.Boolean(compute="_compute_is_supplier_account", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    accounting_method = fields.Selection(
        [("ACR", "ACR - Accrual basis"), ("CSH", "CSH - Cash basis")],
        required=True,
        default="ACR",
    )
    account_id = fields.Many2one(
        "account.account",
        string="GL Account",
        check_company=True,
        tracking=True,
        domain="[('account_type', 'in', ('asset_receivable', 'liability_payable')),"
        " ('deprecated', '=', False)]",
        help="Receivable (customer accounts) or payable (supplier accounts) account used on "
        "invoices and payments of this financial account. Left empty, one is chosen on save: "
        "the partner's account in company currency, otherwise an account locked to the "
        "financial account's currency.",
    )
    tax_exempt = fields.Boolean(string="Tax Exempt", tracking=True)
    exemption_group = fields.Selection(
        [("RSL", "RSL - Reseller"), ("VEL", "VEL - Eligible seller")],
        string="Tax Exemption Group",
    )
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Default Pricelist",
        check_company=True,
        compute="_compute_pricelist_id",
        store=True,
        readonly=False,
    )
    discount_item = fields.Selection(
        [
            ("sale", "Sales discount"),
            ("tariff", "Tariff discount"),
            ("purchase", "Purchase discount"),
            ("purchase_sub", "Purchase sub-discount"),
        ],
    )
    discount_rate = fields.Float(string="Discount Rate (%)", digits="Discount")
    discount_method = fields.Selection(
        [(SEQUENTIAL, "Sequential"), (AMOUNT_BASED, "Amount-based")],
        string="Discount Calculation",
        required=True,
        default=SEQUENTIAL,
    )
    sale_type_id = fields.Many2one(
        "partner.trade.category",
        string="Default Sales Type",
        domain="[('scope', '=', 'sale_type')]",
    )
    sale_group_id = fields.Many2one(
        "partner.trade.category",
        string="Default Sales Group",
        domain="[('scope', '=', 'sale_group')]",
    )
    purchase_type_id = fields.Many2one(
        "partner.trade.category",
        string="Default Purchase Type",
        domain="[('scope', '=', 'purchase_type')]",
    )
    purchase_group_id = fields.Many2one(
        "partner.trade.category",
        string="Default Purchase Group",
        domain="[('scope', '=', 'purchase_group')]",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Plan",
        check_company=True,
        compute="_compute_payment_term_id",
        store=True,
        readonly=False,
    )
    dispatch_document = fields.Selection(
        DISPATCH_DOCUMENTS,
        string="Default Dispatch Document",
        default="SBA",
    )
    balance = fields.Monetary(
        compute="_compute_balance",
        currency_field="currency_id",
        help="Open (unreconciled) balance of the posted journal items of this financial "
        "account, in its own currency. Positive: the partner owes us.",
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "partner_company_type_currency_uniq",
            "unique(partner_id, company_id, account_type, currency_id)",
            "A partner already has a financial account of this type in this currency.",
        ),
        (
            "discount_rate_range",
            "CHECK(discount_rate >= 0 AND discount_rate <= 100)",
            "The discount rate must be between 0 and 100.",
        ),
    ]

    @api.depends("account_type")
    def _compute_is_supplier_account(self):
        for account in self:
            account.is_supplier_account = account.account_type in SUPPLIER_TYPES

    @api.depends("partner_id.ref", "account_type", "currency_id")
    def _compute_code(self):
        for account in self:
            prefix = account.partner_id.ref or str(account.partner_id.id or "")
            account.code = f"{prefix}-{account.account_type}-{account.currency_id.name or ''}"

    @api.depends("partner_id.name", "account_type", "currency_id")
    def _compute_display_name(self):
        for account in self:
            account.display_name = (
                f"{account.partner_id.name or ''} · {account.account_type or ''} · "
                f"{account.currency_id.name or ''}"
            )

    @api.depends("tax_exempt", "exemption_group", "company_id")
    def _compute_fiscal_position_id(self):
        for account in self:
            if not (account.tax_exempt and account.exemption_group):
                account.fiscal_position_id = False
                continue
            account.fiscal_position_id = self.env["account.fiscal.position"].search(
                [
                    *self.env["account.fiscal.position"]._check_company_domain(account.company_id),
                    ("credit_exemption_group", "=", account.exemption_group),
                ],
                limit=1,
            )

    @api.depends("currency_id", "company_id", "partner_id", "account_type")
    def _compute_pricelist_id(self):
        Pricelist = self.env["product.pricelist"]
        for account in self:
            if account.account_type in SUPPLIER_TYPES or not account.currency_id:
                account.pricelist_id = False
                continue
            if account.pricelist_id.currency_id == account.currency_id:
                continue
            partner_pricelist = account.partner_id.with_company(
                account.company_id
            ).property_product_pricelist
            if partner_pricelist.currency_id == account.currency_id:
                account.pricelist_id = partner_pricelist
                continue
            account.pricelist_id = Pricelist.search(
                [
                    *Pricelist._check_company_domain(account.company_id),
                    ("currency_id", "=", account.currency_id.id),
                ],
                limit=1,
            )

    @api.depends("partner_id", "company_id", "account_type")
    def _compute_payment_term_id(self):
        for account in self:
            if account.payment_term_id:
                continue
            partner = account.partner_id.with_company(account.company_id)
            account.payment_term_id = (
                partner.property_supplier_payment_term_id
                if account.account_type in SUPPLIER_TYPES
                else partner.property_payment_term_id
            )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_balance(self):
        """Open balance over the journal items the caller may read (their own rights and
        record rules, as Odoo's partner ledger): no sudo, no balance without access."""
        balances = {}
        lines = self.env["account.move.line"]
        if self.ids and lines.has_access("read"):
            groups = lines._read_group(
                [
                    ("financial_account_id", "in", self.ids),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
                ],
                ["financial_account_id", "currency_id"],
                ["amount_residual_currency:sum", "amount_residual:sum"],
            )
            for account, currency, residual_currency, residual in groups:
                if account.currency_id == account.company_currency_id:
                    amount = residual  # company-currency accounts may hold foreign lines
                elif currency == account.currency_id:
                    amount = residual_currency
                else:
                    continue
                balances[account.id] = balances.get(account.id, 0.0) + amount
        for account in self:
            account.balance = balances.get(account.id, 0.0)

    @api.constrains("account_id", "currency_id", "account_type", "company_id")
    def _check_gl_account(self):
        for account in self.filtered("account_id"):
            expected = account._expected_gl_account_type()
            if account.account_id.account_type != expected:
                raise ValidationError(
                    _(
                        "Financial account %(account)s needs a %(kind)s GL account.",
                        account=account.display_name,
                        kind=_("payable") if expected == "liability_payable" else _("receivable"),
                    )
                )
            gl_currency = account.account_id.currency_id
            foreign = account.currency_id != account.company_currency_id
            if (foreign and gl_currency != account.currency_id) or (
                not foreign and gl_currency and gl_currency != account.currency_id
            ):
                raise ValidationError(
                    _(
                        "The GL account %(gl)s of financial account %(account)s must be locked "
                        "to the currency %(currency)s (set that currency on the GL account).",
                        gl=account.account_id.display_name,
                        account=account.display_name,
                        currency=account.currency_id.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for account in self:
            if account.partner_id != account.partner_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Financial accounts belong to the company card, not to the contact "
                        "%(partner)s.",
                        partner=account.partner_id.display_name,
                    )
                )

    def _expected_gl_account_type(self):
        self.ensure_one()
        return "liability_payable" if self.account_type in SUPPLIER_TYPES else "asset_receivable"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        accounts = super().create(vals_list)
        for account in accounts.filtered(lambda a: not a.account_id):
            account.account_id = account._default_gl_account()
        return accounts

    def _default_gl_account(self):
        """Partner's own account in company currency; else one locked to the account currency."""
        self.ensure_one()
        account_type = self._expected_gl_account_type()
        partner = self.partner_id.with_company(self.company_id)
        base = (
            partner.property_account_payable_id
            if account_type == "liability_payable"
            else partner.property_account_receivable_id
        )
        if self.currency_id == self.company_currency_id:
            return base if not base.currency_id else base.browse()
        Account = self.env["account.account"].sudo().with_company(self.company_id)
        # Looking for an existing account is harmless; opening one is not (see below).
        existing = Account.search(
            [
                *Account._check_company_domain(self.company_id),
                ("account_type", "=", account_type),
                ("currency_id", "=", self.currency_id.id),
                ("deprecated", "=", False),
            ],
            order="code",
            limit=1,
        )
        if existing or not base:
            return existing.sudo(False)
        if self.env.context.get("no_gl_account_creation") or not self.env.user.has_group(
            GL_ACCOUNT_GROUP
        ):
            # Never a side effect of someone else's work (a marketplace import, a salesperson):
            # an accountant opens the account, the financial account waits for it.
            self._ask_accountant_for_gl_account()
            return existing.sudo(False)
        return self._create_currency_gl_account(base, account_type)

    def _create_currency_gl_account(self, base, account_type):
        """Open an account locked to the currency next to the partner's default account."""
        return (
            self.env["account.account"]
            .with_company(self.company_id)
            .create(
                {
                    "code": f"{base.code}.{self.currency_id.name}",
                    "name": f"{base.name} ({self.currency_id.name})",
                    "account_type": account_type,
                    "currency_id": self.currency_id.id,
                    "reconcile": True,
                    "company_ids": [Command.set(self.company_id.ids)],
                }
            )
        )

    def _ask_accountant_for_gl_account(self):
        """A to-do for an accountant of the company: open the GL account in this currency."""
        accountants = (
            self.env.ref(GL_ACCOUNT_GROUP)
            .sudo()
            .users.filtered(lambda user: self.company_id in user.company_ids and not user.share)
        )
        accountant = accountants.sorted("id")[:1]
        if not accountant:
            return
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=accountant.id,
            summary=_("Open a %(currency)s GL account", currency=self.currency_id.name),
            note=_(
                "Financial account %(account)s has no GL account in %(currency)s: use "
                "'Open GL account' on it (accounting administrators only).",
                account=self.display_name,
                currency=self.currency_id.name,
            ),
        )

    def action_open_gl_account(self):
        """Public (accountants): give financial accounts without one their GL account, opening
        one locked to their currency when none exists. Returns True."""
        if not self.env.user.has_group(GL_ACCOUNT_GROUP):
            raise AccessError(_("Only accounting administrators can open GL accounts."))
        self.check_access("read")
        for account in self.filtered(lambda a: not a.account_id):
            # the GL account of a financial account is the accountant's to set
            account.sudo().account_id = account._default_gl_account()
            account.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def _gl_account_for(self, account_type):
        """GL account to use for ``account_type`` (asset_receivable / liability_payable)."""
        self.ensure_one()
        return self.account_id if self.account_id.account_type == account_type else False

    def action_open_statement(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_statement"
        )
        action["domain"] = [("financial_account_id", "=", self.id)]
        action["context"] = {"search_default_posted": 1}
        return action

    def get_balances(self):
        """Plain values for XML-RPC: one dict per financial account."""
        arguments.check_self(self)
        return [
            {
                "id": account.id,
                "code": account.code,
                "account_type": account.account_type,
                "currency": account.currency_id.name,
                "company_id": account.company_id.id,
                "gl_account": account.account_id.code or False,
                "balance": account.balance,
            }
            for account in self
        ]
