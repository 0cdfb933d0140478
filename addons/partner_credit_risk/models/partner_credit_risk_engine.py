"""Credit risk engine and credit control settings of the partner card.

Risk is never stored on ``res.partner``: every figure is aggregated on demand from the source
documents with one grouped query per component for all the partners asked for (OCA's lesson:
stored risk fields on the partner cause lock contention). The engine runs with superuser rights
(the check needs every document) and only callers with risk rights see the figures.
"""

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

CREDIT_MANAGER_GROUP = "partner_credit_risk.group_credit_manager"
# Who may read risk figures: credit managers and invoicing users (accountants).
RISK_READER_GROUPS = (CREDIT_MANAGER_GROUP, "account.group_account_invoice")
CONTROL_MODES = [
    ("none", "No credit control"),
    ("partner", "Partner-based credit control"),
    ("account", "Financial-account-based credit control"),
    ("contact_account", "Contact + financial-account-based credit control"),
]
CHECK_ACTIONS = [("nothing", "Nothing"), ("warn", "Warn"), ("block", "Block")]
COMPONENTS = ("balance", "cheque", "note", "dispatch", "order")
# Fields of the card only a credit manager changes.
CREDIT_SETTING_FIELDS = (
    "credit_control_mode",
    "credit_check_order",
    "credit_check_delivery",
    "credit_overrun_amount",
    "credit_overrun_percent",
    "credit_total_limit",
    "risk_include_balance",
    "risk_include_cheque",
    "risk_include_note",
    "risk_include_dispatch",
    "risk_include_order",
    "risk_own_cheque_factor",
    "risk_endorsed_cheque_factor",
    "risk_note_factor",
    "risk_endorsed_note_factor",
    "risk_cheque_margin_days",
    "risk_sale_type_ids",
    "risk_order_type_ids",
)
# (tag, flag) of an aggregate row → (component, name of the partner's risk factor field);
# the flag of cheques and notes says whether a third party drew them (endorsed to us).
PORTFOLIO_TAGS = ("customer_cheque", "customer_note")
RISK_TAGS = {
    ("balance", None): ("balance", None),
    ("dispatch", None): ("dispatch", None),
    ("order", None): ("order", None),
    ("customer_cheque", False): ("cheque", "risk_own_cheque_factor"),
    ("customer_cheque", True): ("cheque", "risk_endorsed_cheque_factor"),
    ("customer_note", False): ("note", "risk_note_factor"),
    ("customer_note", True): ("note", "risk_endorsed_note_factor"),
}
# What the engine reads of a partner card and of a financial account (nothing else: a check
# must not load every column of res.partner).
RISK_PARAMETER_FIELDS = (
    "commercial_partner_id",
    "credit_limit",
    *(name for name in CREDIT_SETTING_FIELDS if not name.endswith("_ids")),
)
ACCOUNT_RISK_FIELDS = (
    "partner_id",
    "company_id",
    "account_type",
    "currency_id",
    "credit_limit",
    "credit_overrun_amount",
    "credit_overrun_percent",
    *(f"risk_include_{component}" for component in COMPONENTS),
)


class CreditRiskSettingsMixin(models.AbstractModel):
    """Risk parameters shared by the partner card and the financial account."""

    _name = "partner.credit.risk.settings.mixin"
    _description = "Credit Risk Parameters"

    credit_overrun_amount = fields.Float(
        string="Credit Overrun Amount", help="Tolerance above the credit limit, as an amount."
    )
    credit_overrun_percent = fields.Float(
        string="Credit Overrun (%)", help="Tolerance above the credit limit, in % of the limit."
    )
    risk_include_balance = fields.Boolean(string="Open Balance in Risk", default=True)
    risk_include_cheque = fields.Boolean(string="Uncollected Cheques in Risk", default=True)
    risk_include_note = fields.Boolean(string="Uncollected Notes in Risk", default=True)
    risk_include_dispatch = fields.Boolean(
        string="Delivered, Not Invoiced in Risk",
        default=True,
        help="Done outgoing deliveries not yet invoiced (dispatch notes), at the order price "
        "including taxes.",
    )
    risk_include_order = fields.Boolean(
        string="Confirmed, Not Delivered Orders in Risk", default=True
    )

    @api.constrains("credit_overrun_amount", "credit_overrun_percent")
    def _check_credit_overrun(self):
        for record in self:
            if record.credit_overrun_amount < 0 or record.credit_overrun_percent < 0:
                raise ValidationError(
                    _("Credit overrun amounts and percentages cannot be negative.")
                )


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "partner.credit.risk.settings.mixin"]

    credit_control_mode = fields.Selection(
        CONTROL_MODES,
        string="Credit Control",
        default="none",
        company_dependent=True,
    )
    credit_check_order = fields.Selection(
        CHECK_ACTIONS,
        string="At Order Confirmation",
        default="block",
        required=True,
    )
    credit_check_delivery = fields.Selection(
        CHECK_ACTIONS,
        string="At Delivery",
        default="block",
        required=True,
    )
    credit_total_limit = fields.Float(
        string="Total Credit Limit",
        company_dependent=True,
        help="Limit over the company card, all its contacts and all its financial accounts "
        "(company currency). 0: no total limit.",
    )
    risk_own_cheque_factor = fields.Float(string="Own Cheque Risk Factor", default=1.0)
    risk_endorsed_cheque_factor = fields.Float(string="Endorsed Cheque Risk Factor", default=1.0)
    risk_note_factor = fields.Float(string="Note Risk Factor", default=1.0)
    risk_endorsed_note_factor = fields.Float(string="Endorsed Note Risk Factor", default=1.0)
    risk_cheque_margin_days = fields.Integer(
        string="Cheque Risk Days After Maturity",
        default=0,
        help="A received cheque stays in the risk until its due date plus this many days.",
    )
    risk_sale_type_ids = fields.Many2many(
        "partner.trade.category",
        "res_partner_risk_sale_type_rel",
        "partner_id",
        "type_id",
        string="Order Risk: Sales Types",
        domain="[('scope', '=', 'sale_type')]",
        help="Only orders of these sales types count in the order risk. Empty: all orders.",
    )
    risk_order_type_ids = fields.Many2many(
        "partner.order.type",
        "res_partner_risk_order_type_rel",
        "partner_id",
        "type_id",
        string="Order Risk: Order Types",
        help="Only orders of these order types count in the order risk. Empty: all orders.",
    )
    credit_release_ids = fields.One2many(
        "partner.credit.release",
        "partner_id",
        string="Credit Releases",
    )

    @api.constrains(
        "credit_total_limit",
        "risk_own_cheque_factor",
        "risk_endorsed_cheque_factor",
        "risk_note_factor",
        "risk_endorsed_note_factor",
        "risk_cheque_margin_days",
    )
    def _check_risk_parameters(self):
        for partner in self:
            if partner.credit_total_limit < 0 or partner.risk_cheque_margin_days < 0:
                raise ValidationError(_("Credit limits and day margins cannot be negative."))
            factors = (
                partner.risk_own_cheque_factor,
                partner.risk_endorsed_cheque_factor,
                partner.risk_note_factor,
                partner.risk_endorsed_note_factor,
            )
            if any(factor < 0 or factor > 1 for factor in factors):
                raise ValidationError(_("Risk factors must be between 0 and 1."))

    @api.constrains("credit_limit")
    def _check_credit_limit_positive(self):
        for partner in self.sudo():
            if partner.credit_limit < 0:
                raise ValidationError(_("The credit limit cannot be negative."))

    def write(self, vals):
        if (
            set(vals) & set(CREDIT_SETTING_FIELDS)
            and not self.env.su
            and not self.env.user.has_group(CREDIT_MANAGER_GROUP)
        ):
            raise AccessError(_("Only credit managers can change credit control settings."))
        return super().write(vals)

    # ------------------------------------------------------------------ engine

    @api.model
    def _risk_raw_rows(self, commercial_ids, company):
        """Aggregates of every risk component for these commercial partners in ``company``:
        a list of dicts {component, commercial_id, partner_id, account_id, currency_id,
        amount (document currency), amount_company, factor_key, type_counted}.

        One grouped SELECT per component, sent together as one statement (a UNION ALL): the
        database plans and runs it once per check, whatever the number of partners or
        documents. The sales types and order types of the cards (``risk_sale_types``,
        ``risk_order_types``) are read once for all the SELECTs. Each SELECT
        gives (partner, commercial partner, financial account, currency, tag, flag, amount,
        company amount, second amount, second company amount); ``_risk_rows_of`` reads
        them."""
        self.flush_model(
            [
                "commercial_partner_id",
                "risk_cheque_margin_days",
                "risk_sale_type_ids",
                "risk_order_type_ids",
            ]
        )
        parts = [
            self._risk_sql_balance(commercial_ids, company),
            self._risk_sql_sale(commercial_ids, company),
            self.env["partner.portfolio.document"]._risk_sql(commercial_ids, company),
        ]
        self.env.cr.execute(
            SQL(
                """
                WITH risk_sale_types AS MATERIALIZED (
                    SELECT partner_id, array_agg(type_id) AS type_ids
                      FROM res_partner_risk_sale_type_rel
                     WHERE partner_id = ANY(%(partners)s)
                     GROUP BY partner_id
                ), risk_order_types AS MATERIALIZED (
                    SELECT partner_id, array_agg(type_id) AS type_ids
                      FROM res_partner_risk_order_type_rel
                     WHERE partner_id = ANY(%(partners)s)
                     GROUP BY partner_id
                )
                %(parts)s
                """,
                partners=list(commercial_ids),
                parts=SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
            )
        )
        return [row for values in self.env.cr.fetchall() for row in self._risk_rows_of(*values)]

    @api.model
    def _risk_rows_of(self, partner_id, commercial_id, account_id, currency_id, tag, flag, *sums):
        """The risk rows of one aggregate: ``sums`` are (amount, company amount) pairs, two
        for order lines (dispatch, then order), one for the others."""
        base = {
            "commercial_id": commercial_id,
            "partner_id": partner_id,
            "account_id": account_id,
            "currency_id": currency_id,
            # order rows: within the card's sales types and order types
            "type_counted": bool(flag),
        }
        if tag == "sale":
            components = [("dispatch", None), ("order", None)]
        else:
            components = [RISK_TAGS[tag, flag if tag in PORTFOLIO_TAGS else None]]
        return [
            dict(
                base,
                component=component,
                factor_key=factor_key,
                amount=sums[2 * index] or 0.0,
                amount_company=sums[2 * index + 1] or 0.0,
            )
            for index, (component, factor_key) in enumerate(components)
        ]

    @api.model
    def _risk_sql_balance(self, commercial_ids, company):
        """Posted, unreconciled receivables and payables per partner, financial account and
        currency (a SELECT of ``_risk_raw_rows``)."""
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "financial_account_id",
                "currency_id",
                "company_id",
                "parent_state",
                "reconciled",
                "account_id",
                "amount_residual",
                "amount_residual_currency",
            ]
        )
        return SQL(
            """
            SELECT l.partner_id, p.commercial_partner_id, l.financial_account_id, l.currency_id,
                   'balance', TRUE,
                   SUM(l.amount_residual_currency), SUM(l.amount_residual), NULL, NULL
              FROM account_move_line l
              JOIN res_partner p ON p.id = l.partner_id
              JOIN account_account a ON a.id = l.account_id
             WHERE p.commercial_partner_id = ANY(%(partners)s) AND l.company_id = %(company)s
               AND l.parent_state = 'posted' AND NOT l.reconciled
               AND a.account_type IN ('asset_receivable', 'liability_payable')
             GROUP BY l.partner_id, p.commercial_partner_id, l.financial_account_id,
                      l.currency_id
            """,
            partners=list(commercial_ids),
            company=company.id,
        )

    @api.model
    def _risk_sql_sale(self, commercial_ids, company):
        """Delivered-not-invoiced (dispatch) and confirmed-not-delivered (order) quantities of
        confirmed order lines at the line's unit price including taxes; the flag says whether
        the order is of the card's sales types and order types (empty lists: all orders).
        A SELECT of ``_risk_raw_rows`` (which gives ``risk_sale_types``, ``risk_order_types``)."""
        self.env["sale.order.line"].flush_model(
            [
                "qty_delivered",
                "qty_invoiced",
                "product_uom_qty",
                "price_total",
                "order_id",
                "display_type",
                "state",
            ]
        )
        self.env["sale.order"].flush_model(
            [
                "partner_id",
                "financial_account_id",
                "currency_id",
                "currency_rate",
                "company_id",
                "state",
                "sale_type_id",
                "order_type_id",
            ]
        )
        return SQL(
            """
            SELECT so.partner_id, p.commercial_partner_id, so.financial_account_id,
                   so.currency_id, 'sale',
                   COALESCE((st.type_ids IS NULL OR so.sale_type_id = ANY(st.type_ids))
                            AND (ot.type_ids IS NULL OR so.order_type_id = ANY(ot.type_ids)),
                            FALSE),
                   SUM(GREATEST(l.qty_delivered - l.qty_invoiced, 0)
                       * l.price_total / l.product_uom_qty),
                   SUM(GREATEST(l.qty_delivered - l.qty_invoiced, 0)
                       * l.price_total / l.product_uom_qty
                       / COALESCE(NULLIF(so.currency_rate, 0), 1)),
                   SUM(GREATEST(l.product_uom_qty - GREATEST(l.qty_delivered, l.qty_invoiced), 0)
                       * l.price_total / l.product_uom_qty),
                   SUM(GREATEST(l.product_uom_qty - GREATEST(l.qty_delivered, l.qty_invoiced), 0)
                       * l.price_total / l.product_uom_qty
                       / COALESCE(NULLIF(so.currency_rate, 0), 1))
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              JOIN res_partner p ON p.id = so.partner_id
              LEFT JOIN risk_sale_types st ON st.partner_id = p.commercial_partner_id
              LEFT JOIN risk_order_types ot ON ot.partner_id = p.commercial_partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
               AND p.commercial_partner_id = ANY(%(partners)s)
               AND l.display_type IS NULL AND l.product_uom_qty > 0
             GROUP BY 1, 2, 3, 4, 6
            """,
            partners=list(commercial_ids),
            company=company.id,
        )

    @api.model
    def _risk_amount(self, row, target, company):
        """A row's amount in ``target``: the document amount when it is the document currency,
        the company amount (converted at the document's date) when target is the company
        currency, otherwise the company amount converted at today's rate."""
        if row["currency_id"] == target.id:
            return row["amount"]
        if target == company.currency_id:
            return row["amount_company"]
        return company.currency_id._convert(
            row["amount_company"], target, company, fields.Date.context_today(self)
        )

    def _risk_row_counts(self, row, settings):
        """Whether ``row`` counts under ``settings`` (partner and/or financial account); order
        rows outside the card's sales types or order types never count."""
        component = row["component"]
        if not all(record[f"risk_include_{component}"] for record in settings):
            return False
        return component != "order" or row["type_counted"]

    def _risk_factor(self, row, partner):
        key = row.get("factor_key")
        return partner[key] if key else 1.0

    def _risk_figures(self, rows, target, company, settings):
        """Sum ``rows`` per component in ``target`` currency under ``settings``."""
        partner = settings[0]
        figures = dict.fromkeys(COMPONENTS, 0.0)
        for row in rows:
            if self._risk_row_counts(row, settings):
                figures[row["component"]] += self._risk_amount(
                    row, target, company
                ) * self._risk_factor(row, partner)
        figures = {key: value and target.round(value) for key, value in figures.items()}
        total = sum(figures.values())
        figures["total"] = total and target.round(total)
        return figures

    def _credit_limits(self, record, currency):
        """Limit, tolerance of a partner (company currency; ``record`` read with superuser
        rights in the company checked) or a financial account."""
        limit = record.credit_limit
        tolerance = record.credit_overrun_amount + limit * record.credit_overrun_percent / 100
        return limit and currency.round(limit), tolerance and currency.round(tolerance)

    def _credit_risk_data(self, company, financial_account=None, with_accounts=True):
        """Risk figures of these commercial partners: {partner_id: {currency, figures,
        credit_limit, risk_tolerance, total_credit_limit, open_credit, accounts: {id: ...}}}.
        ``accounts`` holds every financial account, only ``financial_account`` when given,
        none when not ``with_accounts``."""
        company.sudo().fetch(["currency_id"])  # not every column of res.company
        company.currency_id.sudo().fetch(["name", "rounding"])
        partners = self.sudo().with_company(company)
        commercial = partners.commercial_partner_id
        # only the risk parameters: not every prefetchable column of res.partner
        commercial.fetch(RISK_PARAMETER_FIELDS)
        rows = self._risk_raw_rows(commercial.ids, company)
        by_commercial = defaultdict(list)
        for row in rows:
            by_commercial[row["commercial_id"]].append(row)
        accounts = self._risk_accounts(commercial, company, financial_account, with_accounts)
        accounts_by_partner = defaultdict(list)
        for account in accounts:
            accounts_by_partner[account.partner_id.id].append(account)
        return {
            partner.id: self._partner_risk_entry(
                partner, by_commercial[partner.id], company, accounts_by_partner[partner.id]
            )
            for partner in commercial
        }

    @api.model
    def _risk_accounts(self, commercial, company, financial_account, with_accounts):
        """The financial accounts whose own figures are wanted (supplier-only SPW never)."""
        Account = self.env["partner.financial.account"].sudo()
        if not with_accounts:
            return Account
        if financial_account:
            accounts = financial_account.sudo()
        else:
            accounts = Account.search(
                [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)],
                order="id",
            )
        accounts.fetch(ACCOUNT_RISK_FIELDS)
        return accounts.filtered(
            lambda a: (
                a.partner_id in commercial and a.company_id == company and a.account_type != "SPW"
            )
        )

    def _partner_risk_entry(self, partner, rows, company, accounts):
        currency = company.currency_id
        figures = self._risk_figures(rows, currency, company, partner)
        limit, tolerance = self._credit_limits(partner, currency)
        entry = self._risk_entry(currency, figures, limit, tolerance)
        entry["total_credit_limit"] = partner.credit_total_limit
        entry["rows"] = rows
        entry["accounts"] = {}
        for account in accounts:
            account_rows = [row for row in rows if row["account_id"] == account.id]
            account_figures = self._risk_figures(
                account_rows, account.currency_id, company, [partner, account]
            )
            account_limit, account_tolerance = self._credit_limits(account, account.currency_id)
            entry["accounts"][account.id] = self._risk_entry(
                account.currency_id, account_figures, account_limit, account_tolerance
            )
        return entry

    @api.model
    def _risk_entry(self, currency, figures, limit, tolerance):
        return {
            "currency": currency,
            "figures": figures,
            "credit_limit": limit,
            "risk_tolerance": tolerance,
            "open_credit": currency.round(limit + tolerance - figures["total"]),
        }

    @api.model
    def _risk_plain(self, entry):
        """Plain values (XML-RPC) of an engine entry."""
        figures = entry["figures"]
        return {
            "currency": entry["currency"].name,
            "open_balance": figures["balance"],
            "cheque_risk": figures["cheque"],
            "note_risk": figures["note"],
            "shipment_risk": figures["dispatch"],
            "order_risk": figures["order"],
            "total_risk": figures["total"],
            "credit_limit": entry["credit_limit"],
            "risk_tolerance": entry["risk_tolerance"],
            "open_credit": entry["open_credit"],
        }

    def _check_risk_reader(self):
        if not any(self.env.user.has_group(group) for group in RISK_READER_GROUPS):
            raise AccessError(_("Only credit managers and accountants can see risk figures."))

    def get_credit_risk(self, financial_account_id=None):
        """Public (XML-RPC): {partner_id: {currency, open_balance, cheque_risk, note_risk,
        shipment_risk, order_risk, total_risk, credit_limit, risk_tolerance,
        total_credit_limit, open_credit, accounts: {account_id: {...}}}} in the company
        currency (partner) and each financial account's currency (accounts). With
        ``financial_account_id`` only that account is given."""
        arguments.check_self(self)
        self._check_risk_reader()
        account = None
        if financial_account_id:
            account = arguments.check_records(
                self.env,
                "partner.financial.account",
                financial_account_id,
                _("Financial account"),
                single=True,
            )
        data = self._credit_risk_data(self.env.company, account)
        result = {}
        for partner in self:
            entry = data[partner.commercial_partner_id.id]
            plain = self._risk_plain(entry)
            plain["total_credit_limit"] = entry["total_credit_limit"]
            plain["accounts"] = {
                str(account_id): self._risk_plain(account_entry)
                for account_id, account_entry in entry["accounts"].items()
            }
            result[str(partner.id)] = plain
        return result
