"""Cheque and promissory-note portfolio (çek / senet) feeding the credit risk."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

KINDS = [
    ("customer_cheque", "Customer cheque"),
    ("own_cheque", "Own cheque"),
    ("customer_note", "Customer promissory note"),
    ("own_note", "Own promissory note"),
]
RECEIVED_KINDS = ("customer_cheque", "customer_note")
STATES = [
    ("portfolio", "In portfolio"),
    ("deposited", "Deposited for collection"),
    ("endorsed", "Endorsed"),
    ("collected", "Collected"),
    ("bounced", "Bounced"),
    ("returned", "Returned"),
    ("paid", "Paid"),
]
# Received documents still at risk: not collected (an endorsed one until it is honoured); a
# bounced one too, unless its bounce entry put it back in the receivable (open balance).
RISK_STATES = ("portfolio", "deposited", "endorsed")
# state → states it may be reached from
TRANSITIONS = {
    "deposited": ("portfolio",),
    "endorsed": ("portfolio",),
    "collected": ("portfolio", "deposited", "endorsed"),
    "bounced": ("portfolio", "deposited", "endorsed"),
    "returned": ("portfolio", "bounced"),
    "paid": ("portfolio", "bounced"),
}


class PartnerPortfolioDocument(models.Model):
    _name = "partner.portfolio.document"
    _description = "Cheque / Promissory Note"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, default="customer_cheque", tracking=True)
    is_received = fields.Boolean(compute="_compute_is_received", store=True)
    third_party = fields.Boolean(
        string="Third-Party (Endorsed to Us)",
        help="Drawn by someone else and endorsed to us by the partner (ciro); counted with the "
        "endorsed risk factor. Otherwise drawn by the partner itself (own factor).",
    )
    bank_id = fields.Many2one("res.bank", string="Bank")
    bank_branch = fields.Char(string="Branch")
    bank_account = fields.Char(string="Bank Account")
    drawer = fields.Char(string="Drawer")
    issue_date = fields.Date(default=fields.Date.context_today, required=True)
    due_date = fields.Date(tracking=True)
    amount = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        help="Converted at the issue date's rate.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    financial_account_id = fields.Many2one(
        "partner.financial.account",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    endorsed_partner_id = fields.Many2one("res.partner", string="Endorsed To", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        STATES, required=True, default="portfolio", tracking=True, group_expand=True, index=True
    )
    note = fields.Text()

    @api.depends("kind")
    def _compute_is_received(self):
        for document in self:
            document.is_received = document.kind in RECEIVED_KINDS

    @api.depends("amount", "currency_id", "issue_date", "company_id")
    def _compute_amount_company(self):
        for document in self:
            document.amount_company = (
                document.currency_id._convert(
                    document.amount,
                    document.company_id.currency_id,
                    document.company_id,
                    document.issue_date or fields.Date.context_today(document),
                )
                if document.currency_id
                else 0.0
            )

    @api.constrains("amount", "due_date", "currency_id", "financial_account_id", "partner_id")
    def _check_document(self):
        for document in self:
            if not document.due_date:
                raise ValidationError(_("The cheque or note %s needs a due date.", document.name))
            if document.amount <= 0:
                raise ValidationError(
                    _("The amount of the cheque or note %s must be positive.", document.name)
                )
            account = document.financial_account_id
            if account and account.currency_id != document.currency_id:
                raise ValidationError(
                    _(
                        "The currency of %(document)s differs from the currency %(currency)s of "
                        "financial account %(account)s.",
                        document=document.name,
                        currency=account.currency_id.name,
                        account=account.display_name,
                    )
                )
            if account and account.partner_id != document.partner_id.commercial_partner_id:
                raise ValidationError(
                    _("The financial account of %s belongs to another partner.", document.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)

    def _check_transition(self, state):
        for document in self:
            if document.state not in TRANSITIONS[state]:
                raise UserError(
                    _(
                        "%(document)s cannot go from %(old)s to %(new)s.",
                        document=document.name,
                        old=dict(STATES)[document.state],
                        new=dict(STATES)[state],
                    )
                )

    def _move_to(self, state, **extra):
        self._check_transition(state)
        self.write({"state": state, **extra})
        return True

    def action_deposit(self):
        if self.filtered(lambda d: not d.is_received):
            raise UserError(_("Only received cheques and notes are deposited for collection."))
        return self._move_to("deposited")

    def action_endorse(self, supplier_id=None):
        """Endorse received documents to a supplier (``supplier_id`` or the one set)."""
        if self.filtered(lambda d: not d.is_received):
            raise UserError(_("Only received cheques and notes can be endorsed."))
        extra = {"endorsed_partner_id": supplier_id} if supplier_id else {}
        if not supplier_id and self.filtered(lambda d: not d.endorsed_partner_id):
            raise UserError(_("Choose the supplier the document is endorsed to."))
        return self._move_to("endorsed", **extra)

    def action_collect(self):
        if self.filtered(lambda d: not d.is_received):
            raise UserError(_("Own cheques and notes are paid, not collected."))
        return self._move_to("collected")

    def action_bounce(self):
        return self._move_to("bounced")

    def action_return(self):
        return self._move_to("returned")

    def action_pay(self):
        if self.filtered("is_received"):
            raise UserError(_("Received cheques and notes are collected, not paid."))
        return self._move_to("paid")

    @api.model
    def _risk_sql(self, commercial_ids, company):
        """Received documents still at risk (cheques until due date + the partner's margin
        days, notes until settled) per partner, account, currency, kind and drawer, as one
        SELECT of the risk engine's statement (tag: the kind, flag: drawn by a third party;
        see ``res.partner._risk_raw_rows``)."""
        self.flush_model()
        return SQL(
            """
            SELECT d.partner_id, d.partner_id, d.financial_account_id, d.currency_id,
                   d.kind::text, COALESCE(d.third_party, FALSE),
                   SUM(d.amount), SUM(d.amount_company), NULL, NULL
              FROM partner_portfolio_document d
              JOIN res_partner p ON p.id = d.partner_id
             WHERE d.partner_id = ANY(%(partners)s) AND d.company_id = %(company)s
               AND d.kind IN ('customer_cheque', 'customer_note')
               AND (d.state IN %(states)s OR (d.state = 'bounced' AND NOT d.accounted))
               AND (d.kind = 'customer_note' OR d.state = 'bounced'
                    OR d.due_date + COALESCE(p.risk_cheque_margin_days, 0) >= %(today)s)
             GROUP BY d.partner_id, d.financial_account_id, d.currency_id, d.kind,
                      COALESCE(d.third_party, FALSE)
            """,
            partners=list(commercial_ids),
            company=company.id,
            states=RISK_STATES,
            today=fields.Date.context_today(self),
        )

    @api.model
    def _cron_due_reminder(self, days=3):
        """A to-do for the responsible accountant on documents due in the next ``days``."""
        today = fields.Date.context_today(self)
        documents = self.search(
            [
                ("state", "in", ("portfolio", "deposited", "endorsed")),
                ("due_date", ">=", today),
                ("due_date", "<=", today + timedelta(days=days)),
            ]
        )
        for document in documents:
            if document.activity_ids.filtered(lambda a: a.summary == _("Cheque / note due")):
                continue
            user = document.create_uid if document.create_uid.active else self.env.user
            document.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=document.due_date,
                user_id=user.id,
                summary=_("Cheque / note due"),
            )
        return True
