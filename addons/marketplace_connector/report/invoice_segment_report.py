"""Sales segmentation: customer invoice and refund lines with their segmentation dimensions,
in company currency (refunds negative), like Odoo's Invoice Analysis."""

from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.query import Query

from ..models.account_move_segment import CUSTOMER_TYPES, EDOC_PROFILES, ORIGINS
from ..models.account_move_segment import SEGMENT_PAYMENT_METHODS as PAYMENT_METHODS

SEGMENT_RELATION = "invoice_segment_report_segment_rel"
# aggregates whose subtotals per segment set aggregate again into the per-segment result
INVOICE_SUBTOTALS = {"sum": "SUM", "min": "MIN", "max": "MAX"}
LINE_COUNT = "segment_line_count"
SEGMENT_SET = "segment_set"


class InvoiceSegmentReport(models.Model):
    _name = "invoice.segment.report"
    _description = "Sales Segmentation"
    _auto = False
    _rec_name = "invoice_date"
    _order = "invoice_date desc"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Refund")], readonly=True
    )
    invoice_date = fields.Date(readonly=True)
    order_date = fields.Date(readonly=True)
    marketplace_account_id = fields.Many2one(
        "marketplace.account", string="Marketplace", readonly=True
    )
    origin = fields.Selection(ORIGINS, string="Sales Origin", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Channel", readonly=True)
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    payment_method = fields.Selection(PAYMENT_METHODS, readonly=True)
    value_band_id = fields.Many2one("invoice.value.band", string="Order Value Band", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    edoc_profile = fields.Selection(EDOC_PROFILES, string="e-Document Profile", readonly=True)
    edoc_state = fields.Selection(
        selection=lambda self: (
            self.env["account.move"]._fields["l10n_tr_edoc_state"]._description_selection(self.env)
        ),
        string="GİB State",
        readonly=True,
    )
    # the invoice's segment tags on each of its lines (a view over the invoices' relation), so
    # the analysis groups and filters by segment
    segment_ids = fields.Many2many(
        "invoice.segment",
        SEGMENT_RELATION,
        "line_id",
        "segment_id",
        string="Segments",
        readonly=True,
    )
    quantity = fields.Float(readonly=True)
    price_subtotal = fields.Monetary(
        string="Untaxed", currency_field="company_currency_id", readonly=True
    )
    price_tax = fields.Monetary(string="Tax", currency_field="company_currency_id", readonly=True)
    price_total = fields.Monetary(
        string="Total", currency_field="company_currency_id", readonly=True
    )

    def init(self):
        super().init()
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(relation)s AS (
                    SELECT line.id AS line_id, tag.segment_id
                      FROM account_move_invoice_segment_rel tag
                      JOIN account_move_line line ON line.move_id = tag.move_id
                )""",
                relation=SQL.identifier(SEGMENT_RELATION),
            )
        )

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """Grouped by segment, the lines are first added up per combination of segments (and the
        other groups), then each combination's subtotals go to each of its segments: the
        invoices' lines are read once, however many segments an invoice has."""
        subtotals = self._segment_set_subtotals(domain, groupby, aggregates, having)
        if subtotals is None or "__count" in (order or ""):
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        self.browse().check_access("read")
        query = Query(self.env, self._table, SQL("(%s)", subtotals))
        query.limit, query.offset = limit, offset
        groupby_terms = {
            spec: self._segment_of_set(query)
            if spec == "segment_ids"
            else self._read_group_groupby(spec, query)
            for spec in groupby
        }
        query.groupby = SQL(", ").join(groupby_terms.values())
        query.order = self._read_group_orderby(order, groupby_terms, query)
        select_terms = [
            SQL("SUM(%s)::int", SQL.identifier(self._table, LINE_COUNT))
            if spec == "__count"
            else self._read_group_select(spec, query)
            for spec in aggregates
        ]
        rows = self.env.execute_query(query.select(*groupby_terms.values(), *select_terms))
        if not rows:
            return rows
        columns = iter(zip(*rows))
        result = [self._read_group_postprocess_groupby(spec, next(columns)) for spec in groupby]
        result += [
            self._read_group_postprocess_aggregate(spec, next(columns)) for spec in aggregates
        ]
        return list(zip(*result))

    @api.model
    def _segment_set_subtotals(self, domain, groupby, aggregates, having):
        """The lines of ``domain`` added up per segment set (the invoice's sorted segment ids)
        and per value of the other groups, in the report's own columns
        (``segment_line_count``: their number); None when the grouping does not allow it (not by
        segment, a having clause, an aggregate that does not add up again)."""
        if "segment_ids" not in groupby or having or expression.is_false(self, domain):
            return None
        columns = set()
        for spec in groupby:
            if spec == "segment_ids":
                continue
            fname = parse_read_group_spec(spec)[0]
            field = self._fields.get(fname)
            if not (field and field.store and field.column_type):
                return None
            columns.add(fname)
        totals = {}
        for spec in aggregates:
            if spec == "__count":
                continue
            fname, _property, func = parse_read_group_spec(spec)
            if func not in INVOICE_SUBTOTALS or fname in totals or fname in columns:
                return None
            totals[fname] = INVOICE_SUBTOTALS[func]
        query = self._search(domain)
        names = [*sorted(columns), SEGMENT_SET]
        group_columns = [SQL.identifier(self._table, fname) for fname in names]
        query.groupby = SQL(", ").join(group_columns)
        return query.select(
            *(
                SQL("%s AS %s", column, SQL.identifier(fname))
                for column, fname in zip(group_columns, names)
            ),
            *(
                SQL(
                    "%s(%s) AS %s",
                    SQL(func),
                    self._field_to_sql(self._table, fname, query),
                    SQL.identifier(fname),
                )
                for fname, func in totals.items()
            ),
            SQL("COUNT(*) AS %s", SQL.identifier(LINE_COUNT)),
        )

    @api.model
    def _segment_of_set(self, query):
        """Each segment of the row's segment set (the segments the user may see; none: one row
        without segment)."""
        segment = query.make_alias(self._table, "segment_ids")
        query.add_join(
            "LEFT JOIN",
            segment,
            SQL(
                "LATERAL unnest(string_to_array(%s, ',')::int[])",
                SQL.identifier(self._table, SEGMENT_SET),
            ),
            self._visible_segment(SQL.identifier(segment, segment)),
        )
        return SQL.identifier(segment, segment)

    @api.model
    def _visible_segment(self, segment_id):
        """The condition that ``segment_id`` is a segment the user may see (record rules)."""
        segments = self.env["invoice.segment"]
        visible = segments._where_calc([], active_test=False)
        segments._apply_ir_rules(visible)
        if not visible.where_clause:
            return SQL("TRUE")
        return SQL("%s IN %s", segment_id, visible.subselect())

    @api.model
    def _read_group_groupby(self, groupby_spec, query):
        """Group by segment through the invoices' own relation, joined on the line's invoice: the
        relation view would join the invoice lines a second time (4 times slower)."""
        if groupby_spec != "segment_ids":
            return super()._read_group_groupby(groupby_spec, query)
        tag = query.make_alias(self._table, "segment_ids")
        condition = SQL(
            "%s = %s AND %s",
            SQL.identifier(self._table, "move_id"),
            SQL.identifier(tag, "move_id"),
            self._visible_segment(SQL.identifier(tag, "segment_id")),
        )
        query.add_join("LEFT JOIN", tag, "account_move_invoice_segment_rel", condition)
        return SQL.identifier(tag, "segment_id")

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    @api.model
    def _select(self):
        sign = SQL("(CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END)")
        return SQL(
            """
            SELECT
                line.id,
                line.move_id,
                line.company_id,
                line.company_currency_id,
                move.commercial_partner_id AS partner_id,
                move.invoice_user_id,
                move.move_type,
                move.invoice_date,
                COALESCE(move.segment_order_date, move.invoice_date) AS order_date,
                move.marketplace_account_id,
                move.segment_origin AS origin,
                move.team_id,
                move.segment_customer_type AS customer_type,
                move.segment_payment_method AS payment_method,
                move.segment_value_band_id AS value_band_id,
                line.product_id,
                line.segment_categ_id AS categ_id,
                move.campaign_id,
                move.segment_set,
                move.segment_edoc_profile AS edoc_profile,
                move.l10n_tr_edoc_state AS edoc_state,
                line.quantity * %(sign)s AS quantity,
                -line.balance AS price_subtotal,
                -line.balance * (CASE WHEN line.price_subtotal = 0 THEN 0
                    ELSE line.price_total / line.price_subtotal - 1 END) AS price_tax,
                -line.balance * (CASE WHEN line.price_subtotal = 0 THEN 1
                    ELSE line.price_total / line.price_subtotal END) AS price_total
            """,
            sign=sign,
        )

    @api.model
    def _from(self):
        return SQL("""
            FROM account_move_line line
            JOIN account_move move ON move.id = line.move_id
            """)

    @api.model
    def _where(self):
        return SQL("""
            WHERE move.move_type IN ('out_invoice', 'out_refund')
              AND move.state = 'posted'
              AND line.display_type = 'product'
            """)
