"""Rules that open customer requests from the account status, run by a daily cron."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.l10n_tr_commerce_base.models.arguments import check_self
from odoo.exceptions import ValidationError

from .customer_request import OPEN_STAGES


class CustomerRequestRule(models.Model):
    _name = "customer.request.rule"
    _description = "Customer request rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(
        [
            ("no_sale", "Last sale older than N days"),
            ("overdue", "Overdue payment above an amount"),
        ],
        required=True,
        default="no_sale",
        help="Last sale older than N days: a 'we miss you' follow-up for sales. Overdue payment: "
        "a collection follow-up when the customer's receivable overdue by N days exceeds the "
        "amount.",
    )
    days = fields.Integer(
        "Days",
        required=True,
        default=90,
        help="No sale: days since the customer's last confirmed order. Overdue: days past the due "
        "date.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        "Overdue above", help="Overdue rule: the overdue receivable must exceed this amount."
    )
    assign_to = fields.Selection(
        [("user", "A given user"), ("salesperson", "The customer's salesperson")],
        required=True,
        default="salesperson",
    )
    user_id = fields.Many2one(
        "res.users",
        "User",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="The user the requests are assigned to (with 'The customer's salesperson': for "
        "customers without one).",
    )
    deadline_days = fields.Integer(
        "Deadline (days)", default=7, help="Days from creation to the request's deadline."
    )
    request_ids = fields.One2many("customer.request", "rule_id", "Requests")
    open_request_count = fields.Integer(compute="_compute_open_request_count")

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "The number of days of a rule must be positive."),
        (
            "deadline_not_negative",
            "CHECK(deadline_days >= 0)",
            "The deadline of a rule cannot be negative.",
        ),
        ("amount_not_negative", "CHECK(amount >= 0)", "The amount of a rule cannot be negative."),
    ]

    @api.constrains("assign_to", "user_id")
    def _check_user(self):
        for rule in self:
            if rule.assign_to == "user" and not rule.user_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s assigns to a given user: choose the user.", rule=rule.name
                    )
                )

    def _compute_open_request_count(self):
        counts = dict(
            self.env["customer.request"]._read_group(
                [("rule_id", "in", self.ids), ("stage", "in", OPEN_STAGES)],
                ["rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.open_request_count = counts.get(rule, 0)

    # --- matching customers --------------------------------------------------------------------

    def _matching_customers(self, today):
        """{customer: summary text} of the customers this rule applies to on ``today``."""
        self.ensure_one()
        limit = today - timedelta(days=self.days)
        if self.kind == "no_sale":
            return self._customers_without_recent_sale(limit)
        return self._customers_overdue(limit)

    def _customers_without_recent_sale(self, limit):
        groups = self.env["sale.order"]._read_group(
            [("state", "=", "sale"), ("company_id", "=", self.company_id.id)],
            ["partner_id"],
            ["date_order:max"],
        )
        last_sale = {}
        for partner, date_order in groups:
            customer = partner.commercial_partner_id
            last_sale[customer] = max(last_sale.get(customer, date_order), date_order)
        return {
            customer: self.env._("Last sale on %(date)s.", date=last.date())
            for customer, last in last_sale.items()
            if last.date() < limit
        }

    def _customers_overdue(self, limit):
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("date_maturity", "<", limit),
                ("partner_id", "!=", False),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        )
        overdue = defaultdict(float)
        for partner, residual in groups:
            overdue[partner.commercial_partner_id] += residual
        currency = self.company_id.currency_id
        return {
            customer: self._overdue_summary(amount, currency)
            for customer, amount in overdue.items()
            if currency.compare_amounts(amount, self.amount) > 0
        }

    def _overdue_summary(self, amount, currency):
        shown = "%.2f %s" % (currency.round(amount), currency.name)
        return self.env._(
            "Overdue by more than %(days)s days: %(amount)s.", days=self.days, amount=shown
        )

    # --- generation ----------------------------------------------------------------------------

    def action_generate(self):
        """Open the requests of these rules now; returns the ids of the new requests. A customer
        with an open request of the same rule gets no second one."""
        check_self(self)
        self.check_access("write")
        return self._generate(fields.Date.context_today(self)).ids

    def _generate(self, today):
        created = self.env["customer.request"]
        for rule in self:
            created |= rule.with_company(rule.company_id)._generate_one(today)
        return created

    def _generate_one(self, today):
        self.ensure_one()
        Request = self.env["customer.request"]
        matches = self._matching_customers(today)
        if not matches:
            return Request
        already = Request.search(
            [
                ("rule_id", "=", self.id),
                ("stage", "in", OPEN_STAGES),
                ("partner_id", "in", [customer.id for customer in matches]),
            ]
        ).partner_id
        vals_list = []
        for customer, summary in sorted(matches.items(), key=lambda item: item[0].id):
            if customer in already or (
                customer.company_id and customer.company_id != self.company_id
            ):
                continue
            vals_list.append(self._request_values(customer, summary, today))
        return Request.create(vals_list)

    def _request_values(self, customer, summary, today):
        user = self.user_id
        if self.assign_to == "salesperson":
            user = customer.with_company(self.company_id).user_id or self.user_id
        return {
            "subject": self.name,
            "request_type": "help" if self.kind == "no_sale" else "account",
            "partner_id": customer.id,
            "company_id": self.company_id.id,
            "user_id": user.id,
            "rule_id": self.id,
            "description": summary,
            "date_deadline": today + timedelta(days=self.deadline_days),
        }

    @api.model
    def _cron_generate(self):
        """The daily run: every active rule of every company, committed rule by rule."""
        rules = self.sudo().search([])
        can_commit = self.env["account.move.send"]._can_commit()
        today = fields.Date.context_today(self)
        for done, rule in enumerate(rules, 1):
            rule._generate(today)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(rules) - done)
            if can_commit:
                self.env.cr.commit()
