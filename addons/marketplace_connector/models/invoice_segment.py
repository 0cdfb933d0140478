"""Invoice segments: named rules (a domain over customer invoices) tagging posted invoices."""

import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, date_utils
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)

SEPARATOR = " – "
DIMENSIONS = [
    ("customer_type", "Customer Type"),
    ("product_category", "Product Category"),
    ("payment_method", "Payment Method"),
    ("order_value", "Order Value"),
    ("order_date", "Order Date"),
    ("origin", "Sales Origin"),
    ("other", "Other"),
]
TAG_BATCH = 1000
PERIODS = [
    ("month", "This month"),
    ("quarter", "This quarter"),
    ("last_quarter", "Last quarter"),
    ("year", "This year"),
]


def check_name_part(part, name):
    """A prefix or value of the naming convention "Prefix – Value": filled, without surrounding
    spaces and without the separator."""
    if not (part or "").strip() or part != part.strip() or SEPARATOR.strip() in part:
        raise ValidationError(
            _(
                'Segment names follow the convention "Prefix – Value" (e.g. '
                '"Customer Type – Corporate"): prefix and value must be filled, '
                'without surrounding spaces and without the "–" separator '
                '(got "%(name)s").',
                name=name,
            )
        )


CUSTOMER_DOCUMENTS = [("state", "=", "posted"), ("move_type", "in", ("out_invoice", "out_refund"))]


class InvoiceSegment(models.Model):
    _name = "invoice.segment"
    _description = "Invoice Segment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "dimension, sequence, id"
    _rec_names_search = ["value"]
    prefix = fields.Char(
        compute="_compute_prefix",
        help="Names the dimension, e.g. Customer Type: set per company in the Settings.",
    )
    value = fields.Char(
        required=True, translate=True, tracking=True, help="Names the group, e.g. Corporate."
    )
    dimension = fields.Selection(DIMENSIONS, required=True, default="other", tracking=True)
    sequence = fields.Integer(default=10)
    domain = fields.Char(
        string="Invoice Filter",
        required=True,
        default="[]",
        tracking=True,
        help="Which posted customer invoices and refunds carry this segment.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the segment applies to every company."
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", default=lambda self: self.env.user, tracking=True
    )
    last_review_date = fields.Date(string="Last Reviewed", tracking=True)
    last_error = fields.Text(readonly=True, copy=False)
    invoice_ids = fields.Many2many(
        "account.move",
        "account_move_invoice_segment_rel",
        "segment_id",
        "move_id",
        string="Tagged Invoices",
        readonly=True,
        copy=False,
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    currency_id = fields.Many2one("res.currency", compute="_compute_totals")
    totals_period = fields.Selection(PERIODS, string="Period", default="quarter", required=True)
    period_count = fields.Integer(string="Invoices", compute="_compute_totals")
    period_untaxed = fields.Monetary(string="Untaxed", compute="_compute_totals")
    period_tax = fields.Monetary(string="Tax", compute="_compute_totals")
    period_total = fields.Monetary(string="Total", compute="_compute_totals")
    period_average = fields.Monetary(string="Average Order Value", compute="_compute_totals")
    period_return_count = fields.Integer(string="Returns", compute="_compute_totals")
    period_return_total = fields.Monetary(string="Returned", compute="_compute_totals")

    _sql_constraints = [
        (
            "name_unique",
            "UNIQUE(dimension, value, company_id)",
            "A segment with this name already exists.",
        ),
    ]

    @api.depends("dimension", "company_id")
    @api.depends_context("company", "lang")
    def _compute_prefix(self):
        """The prefix of the segment's dimension set by its company (the current company for a
        segment of every company)."""
        for segment in self:
            company = segment.company_id or self.env.company
            segment.prefix = company.segment_prefix(segment.dimension)

    @api.depends("prefix", "value")
    @api.depends_context("company", "lang")
    def _compute_display_name(self):
        for segment in self:
            segment.display_name = f"{segment.prefix or ''}{SEPARATOR}{segment.value or ''}"

    @api.model
    def _search_display_name(self, operator, value):
        """ "Prefix – Value", a prefix or a value: the prefixes are the current company's."""
        if operator not in ("ilike", "=ilike", "=", "like") or not isinstance(value, str):
            return super()._search_display_name(operator, value)
        prefix, sep, rest = value.partition(SEPARATOR.strip())
        if sep:
            prefix, rest = prefix.strip(), rest.strip()
            dimensions = self._dimensions_prefixed(operator, prefix)
            return [("dimension", "in", dimensions), ("value", operator, rest)]
        return [
            "|",
            ("value", operator, value),
            ("dimension", "in", self._dimensions_prefixed(operator, value)),
        ]

    @api.model
    def _dimensions_prefixed(self, operator, text):
        """The dimensions whose prefix (of the current company) matches ``text``."""
        company = self.env.company
        text = text.lower()
        matches = {
            "=": lambda prefix: prefix.lower() == text,
            "=ilike": lambda prefix: prefix.lower() == text,
        }.get(operator, lambda prefix: text in prefix.lower())
        return [key for key, _label in DIMENSIONS if matches(company.segment_prefix(key))]

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("segment_ids", "in", self.ids)], ["segment_ids"], ["__count"]
            )
        )
        for segment in self:
            segment.invoice_count = counts.get(segment, 0)

    def _period_bounds(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.totals_period == "month":
            return date_utils.start_of(today, "month"), date_utils.end_of(today, "month")
        if self.totals_period == "year":
            return date_utils.start_of(today, "year"), date_utils.end_of(today, "year")
        if self.totals_period == "last_quarter":
            today = date_utils.start_of(today, "quarter") - timedelta(days=1)
        return date_utils.get_quarter(today)

    @api.depends("totals_period")
    def _compute_totals(self):
        """Totals in company currency (refunds negative) of the tagged invoices of the
        period; returns counted apart."""
        Move = self.env["account.move"]
        for segment in self:
            segment.currency_id = segment.company_id.currency_id or self.env.company.currency_id
            values = dict.fromkeys(("period_count", "period_return_count"), 0)
            values.update(
                dict.fromkeys(
                    (
                        "period_untaxed",
                        "period_tax",
                        "period_total",
                        "period_average",
                        "period_return_total",
                    ),
                    0.0,
                )
            )
            if segment.id:
                start, end = segment._period_bounds()
                rows = Move._read_group(
                    CUSTOMER_DOCUMENTS
                    + [
                        ("segment_ids", "in", segment.ids),
                        ("invoice_date", ">=", start),
                        ("invoice_date", "<=", end),
                    ],
                    ["move_type"],
                    [
                        "__count",
                        "amount_untaxed_signed:sum",
                        "amount_tax_signed:sum",
                        "amount_total_signed:sum",
                    ],
                )
                for move_type, count, untaxed, tax, total in rows:
                    values["period_untaxed"] += untaxed
                    values["period_tax"] += tax
                    values["period_total"] += total
                    if move_type == "out_refund":
                        values["period_return_count"] += count
                        values["period_return_total"] += -total
                    else:
                        values["period_count"] += count
                        values["period_average"] = total / count if count else 0.0
            segment.update(values)

    @api.constrains("value")
    def _check_name_convention(self):
        for segment in self:
            check_name_part(segment.value, segment.display_name)

    @api.constrains("dimension", "value", "company_id")
    def _check_unique_name(self):
        """One segment per name where it shows: a company's own segments and those of every
        company share the company's names."""
        for segment in self:
            scope = [("company_id", "in", (segment.company_id.id, False))]
            if not segment.company_id:
                scope = []
            twins = self.with_context(active_test=False).search_count(
                scope
                + [
                    ("id", "!=", segment.id),
                    ("dimension", "=", segment.dimension),
                    ("value", "=", segment.value),
                ],
                limit=1,
            )
            if twins:
                raise ValidationError(
                    _("A segment named %(name)s already exists.", name=segment.display_name)
                )

    @api.constrains("domain")
    def _check_domain(self):
        for segment in self:
            try:
                self.env["account.move"].search_count(segment._segment_domain(), limit=1)
            except (ValueError, SyntaxError, NameError, TypeError, KeyError) as error:
                raise ValidationError(
                    _(
                        "The invoices of segment %(name)s are not a valid filter: %(error)s",
                        name=segment.display_name,
                        error=error,
                    )
                ) from error

    def _segment_domain(self):
        """The segment's domain over posted customer documents of its company."""
        self.ensure_one()
        domain = safe_eval(self.domain or "[]")
        if not isinstance(domain, list):
            raise ValueError(_("a domain must be a list"))
        company = [("company_id", "=", self.company_id.id)] if self.company_id else []
        return CUSTOMER_DOCUMENTS + company + domain

    # ------------------------------------------------------------- tagging
    def _segment_tag(self, moves):
        """Tag ``moves`` with the segments (of ``self``) whose domain they match, untag the
        others. A segment whose domain fails is logged on the segment and skipped.

        The tags are written from the invoices' side: two workers posting at once each
        update only their own invoices, never a shared segment row."""
        if not moves:
            return 0
        # pending writes (e.g. the posting itself) are flushed outside the savepoints below:
        # their database errors must reach the caller, not pass for a bad segment rule
        self.env.flush_all()
        matches, failed = {}, {}
        for segment in self:
            try:
                with self.env.cr.savepoint(flush=False):
                    matches[segment] = set(
                        self.env["account.move"]
                        .search([("id", "in", moves.ids)] + segment._segment_domain())
                        .ids
                    )
            except (ValueError, psycopg2.ProgrammingError, psycopg2.DataError) as error:
                # a bad rule must never block posting
                _logger.warning("invoice segment %s skipped: %s", segment.id, error)
                failed[segment] = str(error)
        for segment, error in failed.items():
            if segment.last_error != error:
                segment.last_error = error
        self._segment_write_tags(moves, matches)
        return sum(len(ids) for ids in matches.values())

    def _segment_write_tags(self, moves, matches):
        """Link ``moves`` to the segments they match and unlink them from the others, in the
        relation itself: the tags are a reporting label, and a write through the invoices would
        resynchronise each posted invoice's lines for nothing (20,000 invoices: minutes)."""
        relation = SQL.identifier(moves._fields["segment_ids"].relation)
        for segment, matched in matches.items():
            if matched:
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (move_id, segment_id) SELECT move_id, %s "
                        "FROM unnest(%s::int[]) AS move_id ON CONFLICT DO NOTHING",
                        relation,
                        segment.id,
                        sorted(matched),
                    )
                )
            unmatched = sorted(set(moves.ids) - matched)
            if unmatched:
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE segment_id = %s AND move_id = ANY(%s)",
                        relation,
                        segment.id,
                        unmatched,
                    )
                )
        moves._segment_set_refresh()
        self.invalidate_recordset()

    def unlink(self):
        moves = self.env["account.move"].sudo().search([("segment_ids", "in", self.ids)])
        result = super().unlink()
        moves._segment_set_refresh()
        return result

    def apply_to_past_invoices(self, ids=None):
        """Re-apply the segments ``ids`` (or self) to every posted customer invoice and refund,
        in batches with progress. XML-RPC: ``apply_to_past_invoices([segment ids])`` returns
        ``{"invoices": n, "tagged": n}``."""
        segments = self.browse(ids) if ids else self
        if not segments:
            raise UserError(_("Choose the segments to apply."))
        segments.check_access("write")
        if not self.env.user.has_group(
            "account.group_account_manager"
        ) and not self.env.user.has_group("marketplace_connector.group_marketplace_manager"):
            raise AccessError(
                _("Only accounting or marketplace managers may re-apply segments to past invoices.")
            )
        moves = self.env["account.move"].search(
            CUSTOMER_DOCUMENTS + [("company_id", "in", self.env.companies.ids)], order="id"
        )
        segments.sudo().write({"last_error": False})
        tagged = 0
        cron = self.env.context.get("segment_cron")
        for start in range(0, len(moves), TAG_BATCH):
            batch = moves[start : start + TAG_BATCH]
            tagged += segments.sudo()._segment_tag(batch)
            done = start + len(batch)
            if cron:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(moves) - done)
            self.env.flush_all()
            batch.invalidate_recordset()
        return {"invoices": len(moves), "tagged": tagged}

    def action_apply_to_past_invoices(self):
        result = self.apply_to_past_invoices()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(tagged)s of %(invoices)s invoices carry these segments.", **result),
                # the form shows the new totals
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(domain=[("segment_ids", "in", self.ids)], context={})
        return action

    def action_view_analysis(self):
        """The Invoice Segmentation analysis of this segment's invoices."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "marketplace_connector.action_invoice_segment_report"
        )
        action["context"] = {"search_default_segment_ids": self.id}
        return action

    # ------------------------------------------------------------- quarterly review
    def action_mark_reviewed(self):
        self.write({"last_review_date": fields.Date.context_today(self)})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    @api.model
    def _cron_quarterly_review(self):
        """A to-do "review this segment" for each owner, once a quarter per segment."""
        today = fields.Date.context_today(self)
        due = today + timedelta(days=14)
        todo = self.env.ref("mail.mail_activity_data_todo")
        for segment in self.search([("user_id", "!=", False)]):
            if segment.last_review_date and (today - segment.last_review_date).days < 80:
                continue
            if segment.activity_ids.filtered(lambda act: act.activity_type_id == todo):
                continue
            segment.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=due,
                user_id=segment.user_id.id,
                summary=_("Review this segment"),
                note=_(
                    "Quarterly review: check the rule and the totals of %(name)s.",
                    name=segment.display_name,
                ),
            )
