from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import status as status_lib
from ..lib.identity import person_tax_id_valid
from .partner_financial_account import ACCOUNT_TYPES, CUSTOMER_TYPES, SUPPLIER_TYPES

# Only the approval action holds this object; it cannot travel over XML-RPC.
_APPROVAL_TOKEN = object()
USER_GROUP = "partner_credit_risk.group_customer_master_user"
# KVKK: identity and family data of persons, readable and searchable by this group only.
PERSONAL_DATA_GROUP = "partner_credit_risk.group_customer_personal_data"
MANAGER_GROUP = "partner_credit_risk.group_customer_master_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- status and classification -------------------------------------------------------
    # Only customers have a status (empty for vendors, carriers, companies' and users' partners).
    customer_status = fields.Selection(
        status_lib.STATUS_SELECTION,
        string="Customer Status",
        tracking=True,
        index=True,
        copy=False,
    )
    customer_status_blocked = fields.Boolean(
        string="Blocked for New Documents",
        compute="_compute_customer_status_blocked",
        search="_search_customer_status_blocked",
    )
    status_history_ids = fields.One2many("partner.status.history", "partner_id", readonly=True)
    customer_type_id = fields.Many2one("partner.customer.type", tracking=True, index=True)
    customer_source_id = fields.Many2one("utm.source", string="Customer Source")
    # --- person --------------------------------------------------------------------------
    profession = fields.Char()
    marital_status = fields.Selection(
        [
            ("single", "Single"),
            ("married", "Married"),
            ("divorced", "Divorced"),
            ("widowed", "Widowed"),
        ],
        groups=PERSONAL_DATA_GROUP,
    )
    education_level = fields.Selection(
        [
            ("primary", "Primary school"),
            ("secondary", "Secondary school"),
            ("high_school", "High school"),
            ("associate", "Associate degree"),
            ("bachelor", "Bachelor's degree"),
            ("master", "Master's degree"),
            ("doctorate", "Doctorate"),
        ],
        string="Education",
        groups=PERSONAL_DATA_GROUP,
    )
    identity_serial = fields.Char(string="ID Card Serial No", groups=PERSONAL_DATA_GROUP)
    birth_date = fields.Date(groups=PERSONAL_DATA_GROUP)
    birth_place = fields.Char(groups=PERSONAL_DATA_GROUP)
    father_name = fields.Char(groups=PERSONAL_DATA_GROUP)
    mother_name = fields.Char(groups=PERSONAL_DATA_GROUP)
    # --- company -------------------------------------------------------------------------
    foundation_date = fields.Date()
    shareholder_ids = fields.One2many("partner.shareholder", "partner_id", string="Shareholders")
    reference_ids = fields.One2many("partner.reference", "partner_id", string="References")
    inquiry_ids = fields.One2many("partner.inquiry", "partner_id", string="Inquiries")
    # --- organisation ----------------------------------------------------------------------
    contact_relation_type_id = fields.Many2one(
        "partner.relation.type",
        string="Relation Type",
        domain="[('usage', '=', 'contact')]",
    )
    sales_effectiveness = fields.Selection(
        [
            ("A", "A - Decision maker"),
            ("B", "B - Decision maker / influencer"),
            ("C", "C - No influence"),
        ],
        string="Sales Effectiveness",
    )
    responsible_ids = fields.One2many(
        "partner.responsible", "partner_id", string="Responsible Staff"
    )
    is_my_account = fields.Boolean(
        string="My Account",
        compute="_compute_is_my_account",
        search="_search_is_my_account",
    )
    sla_level = fields.Selection(
        [
            ("standard", "Standard"),
            ("silver", "Silver"),
            ("gold", "Gold"),
            ("platinum", "Platinum"),
        ],
        string="SLA Level",
    )
    credit_card_ids = fields.One2many("partner.credit.card", "partner_id", string="Credit Cards")
    # --- financial accounts ----------------------------------------------------------------
    financial_account_ids = fields.One2many(
        "partner.financial.account",
        "partner_id",
        string="Financial Accounts",
    )
    financial_account_count = fields.Integer(compute="_compute_financial_account_count")

    # ---------------------------------------------------------------------------------------
    @api.depends("commercial_partner_id.customer_status")
    def _compute_customer_status_blocked(self):
        for partner in self:
            partner.customer_status_blocked = status_lib.is_blocked(
                partner.commercial_partner_id.customer_status
            )

    def _search_customer_status_blocked(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on blocked status."))
        domain_op = "in" if (operator == "=") == value else "not in"
        blocked = list(status_lib.BLOCKED_STATUSES)
        return [("commercial_partner_id.customer_status", domain_op, blocked)]

    def _compute_is_my_account(self):
        mine = set(
            self.env["partner.responsible"]
            .search([("user_id", "=", self.env.uid), ("partner_id", "in", self.ids)])
            .partner_id.ids
        )
        for partner in self:
            partner.is_my_account = partner.id in mine

    def _search_is_my_account(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on 'My Account'."))
        domain_op = "in" if (operator == "=") == value else "not in"
        return [("responsible_ids.user_id", domain_op, [self.env.uid])]

    def _compute_financial_account_count(self):
        counts = dict(
            self.env["partner.financial.account"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.financial_account_count = counts.get(partner.commercial_partner_id, 0)

    @api.constrains("vat", "is_company")
    def _check_person_tckn(self):
        """A person's TCKN is their tax ID (``vat``, as GİB and l10n_tr read it): 11 digits
        there must pass the TCKN check digits (GİB's placeholder of anonymous buyers too)."""
        for partner in self.filtered(lambda p: p.vat and not p.is_company):
            digits = partner.vat.strip().upper().removeprefix("TR")
            if digits.isdigit() and len(digits) == 11 and not person_tax_id_valid(digits):
                raise ValidationError(_("%(number)s is not a valid TCKN.", number=partner.vat))

    # --- who is a customer ---------------------------------------------------------------------
    def _not_customer_partners(self):
        """Partners of our companies and of internal users: never customers."""
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids), ("share", "=", False)])
        )
        return self & (companies.partner_id | users.partner_id)

    def _give_customer_status(self):
        """The first status (LA, active) of commercial partners that became customers
        (customer rank: a sale, an invoice, or created as a customer) and have none yet."""
        partners = self.filtered(
            lambda p: not p.parent_id and not p.customer_status and p.customer_rank > 0
        )
        partners -= partners._not_customer_partners()
        if partners:
            partners.sudo().write({"customer_status": status_lib.DEFAULT_STATUS})

    def _increase_rank(self, field, n=1):
        super()._increase_rank(field, n)
        if field == "customer_rank":
            self.commercial_partner_id._give_customer_status()

    # --- status changes ----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        self.env["partner.status.history"].sudo().create(
            [
                {"partner_id": partner.id, "new_status": partner.customer_status}
                for partner in partners
                if partner.customer_status and not partner.parent_id
            ]
        )
        partners.filtered(lambda p: not p.customer_status)._give_customer_status()
        partners._create_first_financial_accounts()
        return partners

    def write(self, vals):
        new_status = vals.get("customer_status")
        if "customer_status" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda p: p.customer_status != new_status)
        changed._check_status_change(new_status)
        old = {partner.id: partner.customer_status for partner in changed}
        result = super().write(vals)
        reason = self.env.context.get("customer_status_reason") or False
        self.env["partner.status.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "old_status": old[partner.id],
                    "new_status": new_status,
                    "reason": reason,
                }
                for partner in changed
            ]
        )
        return result

    def _check_status_change(self, new_status):
        if not self or self.env.su:
            return
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(
                _("Only 'Customer master: user' members can change a customer status.")
            )
        approved = self.env.context.get("customer_status_approval") is _APPROVAL_TOKEN
        for partner in self:
            error = status_lib.check_transition(partner.customer_status, new_status, approved)
            if error == "invalid":
                raise UserError(_("%(code)s is not a customer status code.", code=new_status))
            if error == "approval":
                raise UserError(
                    _(
                        "%(partner)s is awaiting approval (DF): only a customer master manager "
                        "can take it out of this status, with the 'Approve' or 'Refuse' action.",
                        partner=partner.display_name,
                    )
                )

    def action_change_customer_status(self, new_status, reason=False):
        """Public (XML-RPC): set ``new_status`` (a code like 'PA') with a reason. Returns True."""
        arguments.check_self(self)
        reason = arguments.check_text(
            self.env, reason, _("Reason"), max_length=arguments.MAX_REASON
        )
        if not status_lib.is_valid_status(new_status):
            raise UserError(_("%(code)s is not a customer status code.", code=new_status))
        todo = self.filtered(lambda p: p.customer_status != new_status)
        todo.with_context(customer_status_reason=reason).write({"customer_status": new_status})
        return True

    def action_approve_customer(self, reason=False):
        """Public (XML-RPC): a manager approves partners awaiting approval (DF → LA)."""
        return self._decide_awaiting_approval("LA", reason or _("Approved"))

    def action_reject_customer(self, reason=False):
        """Public (XML-RPC): a manager refuses partners awaiting approval (DF → YH)."""
        return self._decide_awaiting_approval("YH", reason or _("Not approved"))

    def _decide_awaiting_approval(self, new_status, reason):
        """The only way out of DF: a manager's decision (approval or refusal)."""
        arguments.check_self(self)
        reason = arguments.check_text(
            self.env, reason, _("Reason"), max_length=arguments.MAX_REASON
        )
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only a customer master manager can approve customers."))
        not_waiting = self.filtered(lambda p: p.customer_status != "DF")
        if not_waiting:
            raise UserError(
                _(
                    "Only partners awaiting approval (DF) can be approved: %(names)s",
                    names=", ".join(not_waiting.mapped("display_name")),
                )
            )
        self.with_context(
            customer_status_approval=_APPROVAL_TOKEN,
            customer_status_reason=reason,
        ).write({"customer_status": new_status})
        return True

    def action_open_status_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Customer Status"),
            "res_model": "partner.status.change",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def _check_usable_on_documents(self):
        """Raise when a partner's card is blocked (PA), cancelled (YH) or archived (ZZ)."""
        for partner in self.commercial_partner_id:
            if status_lib.is_blocked(partner.customer_status):
                raise ValidationError(
                    _(
                        "%(partner)s has status %(status)s and cannot be used on new sale "
                        "orders or invoices. Change the customer status first.",
                        partner=partner.display_name,
                        status=dict(
                            self._fields["customer_status"]._description_selection(self.env)
                        )[partner.customer_status],
                    )
                )

    # --- creation buttons ------------------------------------------------------------------
    @api.model
    def action_new_company(self):
        return self._action_new_card(is_company=True)

    @api.model
    def action_new_person(self):
        return self._action_new_card(is_company=False)

    def _action_new_card(self, is_company):
        context = {
            key: value
            for key, value in self.env.context.items()
            if key.startswith("default_customer") or key == "res_partner_search_mode"
        }
        context.update(
            default_is_company=is_company,
            default_company_type=("company" if is_company else "person"),
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("New company") if is_company else _("New person"),
            "res_model": "res.partner",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    # --- smart buttons -----------------------------------------------------------------------
    def action_open_statement(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_statement"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
        ]
        action["context"] = {
            "search_default_posted": 1,
            "search_default_group_by_financial_account": 1,
            "search_default_group_by_currency": 1,
        }
        return action

    def action_print_statement(self):
        return self.env.ref("partner_credit_risk.action_report_partner_statement").report_action(
            self.commercial_partner_id
        )

    def action_open_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_transaction"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def action_open_financial_accounts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_financial_account"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # --- financial accounts ------------------------------------------------------------------
    def _create_first_financial_accounts(self):
        """First account by partner type: customer (customer type decides), supplier, or both."""
        search_mode = self.env.context.get("res_partner_search_mode")
        vals_list = []
        for partner in self.filtered(lambda p: not p.parent_id and p.type == "contact"):
            company = partner.company_id or self.env.company
            if partner.customer_rank > 0 or search_mode == "customer":
                account_type = partner.customer_type_id.default_account_type or "CSW"
                vals_list.append(partner._financial_account_vals(account_type, company))
            if partner.supplier_rank > 0 or search_mode == "supplier":
                vals_list.append(partner._financial_account_vals("SPW", company))
        FinancialAccount = self.env["partner.financial.account"].sudo()
        existing = {
            (acc.partner_id.id, acc.company_id.id, acc.account_type, acc.currency_id.id)
            for acc in FinancialAccount.with_context(active_test=False).search(
                [("partner_id", "in", self.ids)]
            )
        }
        vals_list = [
            vals
            for vals in vals_list
            if (vals["partner_id"], vals["company_id"], vals["account_type"], vals["currency_id"])
            not in existing
        ]
        if vals_list:
            FinancialAccount.create(vals_list)

    def _financial_account_vals(self, account_type, company, currency=False):
        self.ensure_one()
        return {
            "partner_id": self.commercial_partner_id.id,
            "company_id": company.id,
            "currency_id": (currency or company.currency_id).id,
            "account_type": account_type,
        }

    def _get_financial_account(self, company, kind="sale", currency=False):
        """Default financial account of the commercial partner for sales or purchases."""
        types = SUPPLIER_TYPES if kind == "purchase" else CUSTOMER_TYPES
        accounts = self.env["partner.financial.account"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("account_type", "in", types),
            ]
        )
        if currency:
            return accounts.filtered(lambda a: a.currency_id == currency)[:1]
        return accounts[:1]

    def ensure_financial_account(self, account_type="CSE", currency_id=False, company_id=False):
        """Public (XML-RPC, marketplace connector): id of the partner's financial account of
        ``account_type`` in ``currency_id`` (default: company currency) for ``company_id``
        (default: current company); created when missing."""
        arguments.check_one(self)
        arguments.check_selection(self.env, account_type, ACCOUNT_TYPES, _("Account type"))
        company = (
            arguments.check_records(self.env, "res.company", company_id, _("Company"), single=True)
            if company_id
            else self.env.company
        )
        currency = (
            arguments.check_records(
                self.env, "res.currency", currency_id, _("Currency"), single=True
            )
            if currency_id
            else company.currency_id
        )
        partner = self.commercial_partner_id
        account = self.env["partner.financial.account"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("account_type", "=", account_type),
                ("currency_id", "=", currency.id),
            ],
            limit=1,
        )
        if not account:
            account = self.env["partner.financial.account"].create(
                partner._financial_account_vals(account_type, company, currency)
            )
        return account.id

    def get_financial_balances(self):
        """Public (XML-RPC): [{id, code, account_type, currency, company_id, gl_account,
        balance}] for the commercial partner's financial accounts in the allowed companies."""
        arguments.check_one(self)
        return self.commercial_partner_id.financial_account_ids.get_balances()
