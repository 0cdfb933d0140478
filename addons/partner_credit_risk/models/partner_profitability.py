"""Customer profitability: sales, cost of goods sold, gross profit, allocated costs and net
profit of customers over a date range (one engine for the partner card, the report and
XML-RPC)."""

from datetime import date, datetime, timedelta

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Who sees every customer's figures; salespeople see those of their own customers.
PROFITABILITY_READER_GROUPS = (
    "partner_credit_risk.group_credit_manager",
    "account.group_account_invoice",
    "sales_team.group_sale_manager",
)
SALESPERSON_GROUP = "sales_team.group_sale_salesman"
MONEY_FIGURES = (
    "sales",
    "returns",
    "cogs",
    "cogs_valuation",
    "cogs_standard",
    "gross_profit",
    "allocated_cost",
    "net_profit",
)

# Sales (untaxed, refunds negative), returns and COGS per customer and channel in the company
# currency, over the COGS query of the invoice lines of the period.
_SALES_SQL = """
    SELECT commercial_partner_id, channel, SUM(-balance),
           SUM(CASE WHEN move_type = 'out_refund' THEN balance ELSE 0 END),
           SUM(COALESCE(cogs, 0)),
           SUM(CASE WHEN is_standard THEN COALESCE(cogs, 0) ELSE 0 END)
      FROM (%s) lines
  GROUP BY commercial_partner_id, channel
"""
_ORDERS_SQL = """
    SELECT p.commercial_partner_id, %(channel)s, COUNT(*)
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
       AND so.company_id = %(company)s
       AND so.date_order >= %(date_from)s AND so.date_order < %(date_end)s
       AND %(where)s
  GROUP BY 1, 2
"""
# Done deliveries to customers (returns are receipts, not counted)
_DELIVERIES_SQL = """
    SELECT p.commercial_partner_id, %(channel)s, COUNT(*)
      FROM stock_picking sp
      JOIN stock_picking_type spt ON spt.id = sp.picking_type_id AND spt.code = 'outgoing'
      JOIN res_partner p ON p.id = sp.partner_id
      LEFT JOIN sale_order so ON so.id = sp.sale_id
     WHERE sp.state = 'done'
       AND sp.company_id = %(company)s
       AND sp.date_done >= %(date_from)s AND sp.date_done < %(date_end)s
       AND %(where)s
  GROUP BY 1, 2
"""
# Posted vendor bills less vendor refunds, untaxed, per analytic account of their distribution
# (a key of analytic_distribution may combine several accounts: "12,40").
_BILLS_SQL = """
    SELECT dist.key, SUM(aml.balance * dist.value::numeric / 100.0)
      FROM account_move_line aml
      JOIN account_move am ON am.id = aml.move_id
      CROSS JOIN LATERAL jsonb_each_text(aml.analytic_distribution) dist
     WHERE am.state = 'posted'
       AND am.move_type IN ('in_invoice', 'in_refund')
       AND am.company_id = %(company)s
       AND am.invoice_date BETWEEN %(date_from)s AND %(date_to)s
       AND aml.display_type = 'product'
       AND aml.analytic_distribution IS NOT NULL
  GROUP BY dist.key
"""


class ResPartner(models.Model):
    _inherit = "res.partner"

    profitability_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Cost Analytic Account",
        index="btree_not_null",
        help="Vendor bills booked with this analytic account are this customer's costs for "
        "allocation rules of the kind 'Vendor bills of the customer's analytic account'.",
    )
    profit_allowed = fields.Boolean(compute="_compute_profitability_card")
    profit_currency_id = fields.Many2one("res.currency", compute="_compute_profitability_card")
    profit_date_from = fields.Date(
        string="Profitability From", compute="_compute_profitability_card"
    )
    profit_sales = fields.Monetary(
        string="Sales (Year to Date)",
        currency_field="profit_currency_id",
        compute="_compute_profitability_card",
    )
    profit_cogs = fields.Monetary(
        string="Cost of Goods Sold",
        currency_field="profit_currency_id",
        compute="_compute_profitability_card",
    )
    profit_cogs_standard = fields.Monetary(
        string="of which at Standard Cost",
        currency_field="profit_currency_id",
        compute="_compute_profitability_card",
    )
    profit_gross = fields.Monetary(
        string="Gross Profit",
        currency_field="profit_currency_id",
        compute="_compute_profitability_card",
    )
    profit_gross_margin = fields.Float(
        string="Gross Profit (%)", digits=(16, 2), compute="_compute_profitability_card"
    )
    profit_allocated = fields.Monetary(
        string="Allocated Costs",
        currency_field="profit_currency_id",
        compute="_compute_profitability_card",
    )
    profit_net = fields.Monetary(
        string="Net Profit",
        currency_field="profit_currency_id",
        compute="_compute_profitability_card",
    )
    profit_net_margin = fields.Float(
        string="Net Profit (%)", digits=(16, 2), compute="_compute_profitability_card"
    )

    # ------------------------------------------------------------------ access
    def _profitability_reads_all(self):
        return any(self.env.user.has_group(group) for group in PROFITABILITY_READER_GROUPS)

    def _profitability_allowed_ids(self):
        """The ids among these (commercial) partners whose figures the user may see: all for
        credit managers, accountants and sales managers; a salesperson's own customers."""
        if self._profitability_reads_all():
            return set(self.ids)
        if self.env.user.has_group(SALESPERSON_GROUP):
            return {partner.id for partner in self.sudo() if partner.user_id == self.env.user}
        return set()

    def _check_profitability_reader(self):
        if not self._profitability_reads_all() and not self.env.user.has_group(SALESPERSON_GROUP):
            raise AccessError(
                _("Only salespeople, credit managers and accountants can see profitability.")
            )
        refused = self - self.browse(self._profitability_allowed_ids())
        if refused:
            raise AccessError(
                _(
                    "You may only see the profitability of your own customers, not of %(names)s.",
                    names=", ".join(refused.sudo().mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------ arguments
    @api.model
    def _profitability_date(self, value, label):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and len(value) <= 32:
            try:
                return fields.Date.to_date(value.strip()[:10])
            except ValueError:
                pass
        raise UserError(
            _("%(label)s must be a date 'YYYY-MM-DD', not %(value)s.", label=label, value=value)
        )

    @api.model
    def _profitability_options(self, date_from, date_to, currency=None, channel=None):
        """Checked options of one computation: company, period, currency, sales channel."""
        date_from = self._profitability_date(date_from, _("Start date"))
        date_to = self._profitability_date(date_to, _("End date"))
        if date_from > date_to:
            raise UserError(
                _(
                    "The start date %(start)s is after the end date %(end)s.",
                    start=date_from,
                    end=date_to,
                )
            )
        company = self.env.company
        target = company.currency_id
        if currency not in (None, False, ""):
            if isinstance(currency, str):
                target = self.env["res.currency"].search([("name", "=", currency.upper())])
                if not target:
                    raise UserError(_("There is no currency with the code %s.", currency))
            else:
                target = arguments.check_record(self.env, "res.currency", currency, _("Currency"))
        return {
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "currency": target,
            "channel": channel,
        }

    # ------------------------------------------------------------------ engine
    @api.model
    def _profitability_channel_sql(self, alias):
        """SQL expression of the sales channel of a sale order or invoice (``alias``); the
        marketplace bridge returns its marketplace account."""
        return "NULL::integer"

    @api.model
    def _profitability_where(self, alias, options, partner_ids):
        """Extra conditions (SQL) on the documents of the partners and channel: ``am`` an
        invoice, ``so`` a sale order (with its partner ``p``)."""
        conditions = [SQL("TRUE")]
        if partner_ids is not None:
            column = "am.commercial_partner_id" if alias == "am" else "p.commercial_partner_id"
            conditions.append(SQL(f"{column} = ANY(%s)", list(partner_ids)))
        if options.get("channel"):
            channel = SQL(self._profitability_channel_sql(alias))
            conditions.append(SQL("%s = %s", channel, options["channel"]))
        return SQL(" AND ").join(conditions)

    @api.model
    def _profitability_counts(self, query, options, partner_ids):
        """Orders or deliveries per partner and channel."""
        self.env.cr.execute(
            SQL(
                query,
                channel=SQL(self._profitability_channel_sql("so")),
                where=self._profitability_where("so", options, partner_ids),
                company=options["company"].id,
                date_from=options["date_from"],
                date_end=options["date_to"] + timedelta(days=1),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _profitability_compute(self, options, partner_ids=None):
        """``{commercial_partner_id: figures}`` for the given commercial partners (all
        customers with sales, orders, deliveries or costs in the period when ``None``).

        Figures are plain values: money in ``options['currency']`` (converted at the rate of
        the end date), percentages 0..100, ``allocations`` per rule. A fixed number of
        queries whatever the number of customers."""
        company, currency = options["company"], options["currency"]
        company_currency = company.currency_id
        self.env.flush_all()
        raw = {}

        def entry(partner_id):
            if partner_id not in raw:
                raw[partner_id] = {
                    "sales": 0.0,
                    "returns": 0.0,
                    "cogs": 0.0,
                    "cogs_standard": 0.0,
                    "vendor_bills": 0.0,
                    "by_channel": {},
                }
            return raw[partner_id]

        def add(partner_id, key, channel, value):
            by_key = entry(partner_id)["by_channel"].setdefault(key, {})
            by_key[channel] = by_key.get(channel, 0.0) + value

        where = SQL(
            "am.invoice_date BETWEEN %s AND %s AND %s",
            options["date_from"],
            options["date_to"],
            self._profitability_where("am", options, partner_ids),
        )
        lines = self.env["account.move.line"]._cogs_query(
            company, where, channel=SQL(self._profitability_channel_sql("am"))
        )
        self.env.cr.execute(SQL(_SALES_SQL, lines))
        for partner_id, channel, sales, returns, cogs, cogs_standard in self.env.cr.fetchall():
            figures = entry(partner_id)
            figures["sales"] += float(sales)
            figures["returns"] += float(returns)
            figures["cogs"] += float(cogs)
            figures["cogs_standard"] += float(cogs_standard)
            add(partner_id, "sales", channel, float(sales))
            add(partner_id, "returns", channel, float(returns))

        rules = (
            self.env["partner.profitability.rule"].sudo().search([("company_id", "=", company.id)])
        )
        kinds = set(rules.mapped("kind"))
        for kind, query in (("per_order", _ORDERS_SQL), ("per_delivery", _DELIVERIES_SQL)):
            if kind in kinds:
                key = "orders" if kind == "per_order" else "deliveries"
                for partner_id, channel, count in self._profitability_counts(
                    query, options, partner_ids
                ):
                    add(partner_id, key, channel, count)
        if "vendor_bills" in kinds:
            self._profitability_vendor_bills(options, partner_ids, entry)

        rate = 1.0
        if currency != company_currency:
            rate = company_currency._get_conversion_rate(
                company_currency, currency, company, options["date_to"]
            )
        result = {}
        for partner_id, figures in raw.items():
            allocations = [
                {"rule_id": rule.id, "name": rule.name, "kind": rule.kind, "amount": amount}
                for rule in rules
                if (amount := rule._allocate(figures, company_currency))
            ]
            allocated = sum(item["amount"] for item in allocations)
            result[partner_id] = self._profitability_figures(
                figures, allocated, allocations, rate, currency, company_currency
            )
        return result

    @api.model
    def _profitability_vendor_bills(self, options, partner_ids, entry):
        """Vendor bills of each customer's cost analytic account, into ``vendor_bills``."""
        only = SQL("id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """SELECT id, profitability_analytic_account_id FROM res_partner
                    WHERE profitability_analytic_account_id IS NOT NULL AND %s""",
                only,
            )
        )
        partners_by_account = {}
        for partner_id, account_id in self.env.cr.fetchall():
            partners_by_account.setdefault(account_id, []).append(partner_id)
        if not partners_by_account:
            return
        self.env.cr.execute(
            SQL(
                _BILLS_SQL,
                company=options["company"].id,
                date_from=options["date_from"],
                date_to=options["date_to"],
            )
        )
        for key, amount in self.env.cr.fetchall():
            for account_id in {int(part) for part in key.split(",") if part.strip().isdigit()}:
                for partner_id in partners_by_account.get(account_id, ()):
                    entry(partner_id)["vendor_bills"] += float(amount or 0.0)

    @api.model
    def _profitability_figures(self, raw, allocated, allocations, rate, currency, company_cur):
        """The plain figures of one customer. Computed in the company currency; each amount is
        then converted on its own (``rate``) and rounded in ``currency``; percentages are
        those of the company-currency figures."""
        sales = company_cur.round(raw["sales"])
        cogs = company_cur.round(raw["cogs"])
        cogs_standard = company_cur.round(raw["cogs_standard"])
        allocated = company_cur.round(allocated)
        gross = company_cur.round(sales - cogs)
        net = company_cur.round(gross - allocated)

        def money(value):
            return currency.round(value * rate)

        def share(value):
            return round(value / sales * 100.0, 2) if sales else 0.0

        return {
            "currency": currency.name,
            "sales": money(sales),
            "returns": money(raw["returns"]),
            "cogs": money(cogs),
            "cogs_valuation": money(cogs - cogs_standard),
            "cogs_standard": money(cogs_standard),
            "gross_profit": money(gross),
            "gross_margin": share(gross),
            "allocated_cost": money(allocated),
            "net_profit": money(net),
            "net_margin": share(net),
            "cogs_share": share(cogs),
            "allocated_share": share(allocated),
            "allocations": [{**item, "amount": money(item["amount"])} for item in allocations],
        }

    @api.model
    def _profitability_empty(self, currency):
        company_cur = self.env.company.currency_id
        empty = {"sales": 0.0, "returns": 0.0, "cogs": 0.0, "cogs_standard": 0.0}
        return self._profitability_figures(empty, 0.0, [], 1.0, currency, company_cur)

    # ------------------------------------------------------------------ public
    def get_profitability(self, date_from, date_to, currency=None):
        """Public (XML-RPC): ``{str(partner_id): figures}`` of these customers from ``date_from``
        to ``date_to`` (inclusive, 'YYYY-MM-DD') in the company currency or ``currency`` (a
        code such as 'USD' or an id). Figures: sales (posted invoices less refunds, untaxed),
        returns, cogs (cogs_valuation from the stock valuation, cogs_standard at standard
        cost), gross_profit, gross_margin (%), allocated_cost, allocations, net_profit,
        net_margin (%), cogs_share and allocated_share (% of sales), sales_share (% of the
        sales of all the given customers). A contact gets its company's figures."""
        arguments.check_self(self)
        options = self._profitability_options(date_from, date_to, currency)
        commercial = self.commercial_partner_id
        commercial._check_profitability_reader()
        data = self._profitability_compute(options, set(commercial.ids))
        empty = self._profitability_empty(options["currency"])
        total_sales = sum(data.get(p.id, empty)["sales"] for p in commercial)
        result = {}
        for partner in self:
            figures = dict(data.get(partner.commercial_partner_id.id, empty))
            figures["sales_share"] = (
                round(figures["sales"] / total_sales * 100.0, 2) if total_sales else 0.0
            )
            figures.update(
                partner_id=partner.id,
                date_from=fields.Date.to_string(options["date_from"]),
                date_to=fields.Date.to_string(options["date_to"]),
            )
            result[str(partner.id)] = figures
        return result

    # ------------------------------------------------------------------ partner card
    @api.depends_context("company", "uid")
    def _compute_profitability_card(self):
        """This year's figures (1 January to today) in the company currency."""
        company = self.env.company
        today = fields.Date.context_today(self)
        commercial = self.filtered("id").commercial_partner_id
        allowed = commercial._profitability_allowed_ids()
        options = self._profitability_options(today.replace(month=1, day=1), today)
        data = self._profitability_compute(options, allowed) if allowed else {}
        empty = self._profitability_empty(company.currency_id)
        for partner in self:
            key = partner.commercial_partner_id.id
            figures = data.get(key, empty)
            partner.profit_allowed = key in allowed
            partner.profit_currency_id = company.currency_id
            partner.profit_date_from = options["date_from"]
            partner.profit_sales = figures["sales"]
            partner.profit_cogs = figures["cogs"]
            partner.profit_cogs_standard = figures["cogs_standard"]
            partner.profit_gross = figures["gross_profit"]
            partner.profit_gross_margin = figures["gross_margin"]
            partner.profit_allocated = figures["allocated_cost"]
            partner.profit_net = figures["net_profit"]
            partner.profit_net_margin = figures["net_margin"]

    def action_open_profitability(self):
        """The profitability report of this customer for this year."""
        self.ensure_one()
        self.commercial_partner_id._check_profitability_reader()
        today = fields.Date.context_today(self)
        wizard = self.env["partner.profitability.wizard"].create(
            {
                "date_from": today.replace(month=1, day=1),
                "date_to": today,
                "partner_ids": [fields.Command.set(self.commercial_partner_id.ids)],
            }
        )
        return wizard.action_compute()
