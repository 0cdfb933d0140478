"""Marketing campaigns: target criteria, the target list, and the campaign's results.

Definitions (one place each):

* sales history (last sale, sales volume, products bought) comes from posted customer invoices
  and refunds of the campaign's company, in company currency (``_sales_lines_domain``);
* a customer converted when it has a confirmed sale order dated within the campaign period
  (``_converted_partners``);
* revenue of the campaign: its confirmed orders (untaxed, company currency) and its posted
  invoices less refunds; gross profit is counted on invoiced lines only (revenue less the cost
  of goods sold of ``account.move.line._cogs_by_line``), never on orders not invoiced yet
  (``_invoice_figures``).
"""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import UserError, ValidationError

from ..lib.status import STATUS_SELECTION

PREVIEW_SIZE = 10
SALE_MOVE_TYPES = ("out_invoice", "out_refund")


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    date_start = fields.Date(string="Campaign Start")
    date_end = fields.Date(string="Campaign End")
    # --- target criteria -----------------------------------------------------------------
    target_last_sale = fields.Selection(
        [("older", "Older than"), ("newer", "Within")],
        string="Last Sale",
        help="Older than: the customer's last invoice is more than N days old (customers who "
        "never bought are left out). Within: the last invoice is at most N days old.",
    )
    target_last_sale_days = fields.Integer(string="Last Sale Days", default=90)
    target_volume = fields.Selection(
        [("above", "Above"), ("below", "Below")],
        string="Sales Volume",
        help="Invoiced sales less refunds of the period, untaxed, in company currency.",
    )
    target_volume_amount = fields.Monetary(string="Sales Volume Amount")
    target_volume_date_from = fields.Date(string="Sales Volume From")
    target_volume_date_to = fields.Date(string="Sales Volume To")
    target_product_mode = fields.Selection(
        [("bought", "Bought"), ("never", "Never bought")],
        string="Products",
        help="Any invoiced line of one of these products or of a product in one of these "
        "categories (or their sub-categories).",
    )
    target_product_ids = fields.Many2many(
        "product.product",
        "utm_campaign_target_product_rel",
        "campaign_id",
        "product_id",
        string="Target Products",
    )
    target_categ_ids = fields.Many2many(
        "product.category",
        "utm_campaign_target_categ_rel",
        "campaign_id",
        "categ_id",
        string="Target Product Categories",
    )
    target_customer_status = fields.Selection(STATUS_SELECTION, string="Target Status")
    target_customer_type_ids = fields.Many2many(
        "partner.customer.type",
        "utm_campaign_target_customer_type_rel",
        "campaign_id",
        "type_id",
        string="Target Customer Types",
    )
    target_city = fields.Char(string="Target City")
    # --- target list and results -------------------------------------------------------
    target_ids = fields.One2many("utm.campaign.target", "campaign_id", string="Target List")
    target_count = fields.Integer(string="Targeted", compute="_compute_campaign_results")
    converted_count = fields.Integer(string="Converted", compute="_compute_campaign_results")
    conversion_rate = fields.Float(
        string="Conversion (%)",
        compute="_compute_campaign_results",
        help="Targeted customers with a confirmed order within the campaign period, "
        "per targeted customer.",
    )
    order_revenue = fields.Monetary(
        string="Ordered Revenue",
        compute="_compute_campaign_results",
        help="Confirmed orders of the campaign, untaxed, in company currency.",
    )
    invoice_revenue = fields.Monetary(
        string="Invoiced Revenue",
        compute="_compute_campaign_results",
        help="Posted invoices less refunds of the campaign, untaxed, in company currency.",
    )
    invoice_cogs = fields.Monetary(string="Cost of Goods Sold", compute="_compute_campaign_results")
    gross_profit = fields.Monetary(
        compute="_compute_campaign_results",
        help="Invoiced revenue less the cost of goods sold of the invoiced lines (stock "
        "valuation of what was delivered; standard cost for services and non-stored products). "
        "Orders not invoiced yet add no gross profit.",
    )
    gross_profit_percent = fields.Float(string="GP (%)", compute="_compute_campaign_results")

    # --- checks ---------------------------------------------------------------------------
    @api.constrains(
        "date_start",
        "date_end",
        "target_volume",
        "target_volume_amount",
        "target_volume_date_from",
        "target_volume_date_to",
        "target_last_sale",
        "target_last_sale_days",
        "target_product_mode",
        "target_product_ids",
        "target_categ_ids",
    )
    def _check_target_criteria(self):
        for campaign in self:
            problem = campaign._criteria_problem()
            if problem:
                raise ValidationError(problem)

    def _criteria_problem(self):
        """The first thing wrong with the campaign's period or criteria, or None."""
        self.ensure_one()
        if self.date_start and self.date_end and self.date_start > self.date_end:
            return _(
                "Campaign %(name)s: the start date %(start)s is after the end date %(end)s.",
                name=self.title,
                start=self.date_start,
                end=self.date_end,
            )
        if self.target_last_sale and self.target_last_sale_days < 0:
            return _(
                "Campaign %(name)s: the number of days of the last sale cannot be negative.",
                name=self.title,
            )
        if self.target_volume:
            if self.target_volume_amount < 0:
                return _(
                    "Campaign %(name)s: the sales volume amount cannot be negative (%(amount)s).",
                    name=self.title,
                    amount=self.target_volume_amount,
                )
            if not (self.target_volume_date_from and self.target_volume_date_to):
                return _(
                    "Campaign %(name)s: the sales volume needs a period (from and to).",
                    name=self.title,
                )
            if self.target_volume_date_from > self.target_volume_date_to:
                return _(
                    "Campaign %(name)s: the sales volume period starts %(start)s, after its end "
                    "%(end)s.",
                    name=self.title,
                    start=self.target_volume_date_from,
                    end=self.target_volume_date_to,
                )
        if self.target_product_mode and not (self.target_product_ids or self.target_categ_ids):
            return _(
                "Campaign %(name)s: choose the products or product categories.", name=self.title
            )
        return None

    def _target_company(self):
        """The campaign's company, which must be one the user works in."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if company not in self.env.companies:
            raise UserError(
                _(
                    "Campaign %(name)s belongs to %(company)s, a company you are not working "
                    "in: switch to it to build its target list.",
                    name=self.title,
                    company=company.name,
                )
            )
        return company

    # --- target list --------------------------------------------------------------------
    def build_target_list(self):
        """Materialise the customers matching the criteria (one line per customer) and return
        the counts and a preview as plain values. Rebuilding replaces the list: customers no
        longer matching are removed, new ones added, the others kept (with their activities)."""
        campaign = arguments.check_one(self)
        campaign.check_access("write")
        problem = campaign._criteria_problem()
        if problem:
            raise UserError(problem)
        company = campaign._target_company()
        partners = campaign._matching_customers(company)
        Target = self.env["utm.campaign.target"]
        existing = Target.search([("campaign_id", "=", campaign.id)])
        kept = existing.filtered(lambda line: line.partner_id in partners)
        removed = existing - kept
        removed.unlink()
        new_partners = partners - kept.partner_id
        Target.create(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": campaign._responsible_user(partner).id,
                }
                for partner in new_partners
            ]
        )
        if not campaign.company_id:
            campaign.company_id = company
        lines = Target.search([("campaign_id", "=", campaign.id)], order="partner_name, id")
        return {
            "campaign_id": campaign.id,
            "company_id": company.id,
            "count": len(lines),
            "added": len(new_partners),
            "removed": len(removed),
            "kept": len(kept),
            "preview": [
                {
                    "partner_id": line.partner_id.id,
                    "name": line.partner_id.name,
                    "city": line.partner_id.city or "",
                    "user": line.user_id.name or "",
                }
                for line in lines[:PREVIEW_SIZE]
            ],
        }

    def action_build_target_list(self):
        result = self.build_target_list()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Target list built"),
                "message": _(
                    "%(count)s customers targeted (%(added)s added, %(removed)s removed).",
                    count=result["count"],
                    added=result["added"],
                    removed=result["removed"],
                ),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _base_customer_domain(self, company):
        return [
            ("parent_id", "=", False),
            ("customer_rank", ">", 0),
            ("company_id", "in", [False, company.id]),
        ]

    def _matching_customers(self, company):
        """The commercial customers of ``company`` matching every criterion set."""
        self.ensure_one()
        domain = self._base_customer_domain(company)
        if self.target_customer_status:
            domain.append(("customer_status", "=", self.target_customer_status))
        if self.target_customer_type_ids:
            domain.append(("customer_type_id", "in", self.target_customer_type_ids.ids))
        if self.target_city:
            domain.append(("city", "=ilike", self.target_city.strip()))
        partners = self.env["res.partner"].with_company(company).search(domain, order="id")
        today = fields.Date.context_today(self)
        if self.target_last_sale:
            last_sale = self._last_sale_dates(company, partners)
            limit = today - timedelta(days=self.target_last_sale_days)
            if self.target_last_sale == "older":
                partners = partners.filtered(
                    lambda p: p.id in last_sale and last_sale[p.id] < limit
                )
            else:
                partners = partners.filtered(
                    lambda p: p.id in last_sale and last_sale[p.id] >= limit
                )
        if self.target_volume:
            volume = self._sales_volumes(company, partners)
            amount = self.target_volume_amount
            if self.target_volume == "above":
                partners = partners.filtered(lambda p: volume.get(p.id, 0.0) > amount)
            else:
                partners = partners.filtered(lambda p: volume.get(p.id, 0.0) < amount)
        if self.target_product_mode:
            buyers = self._product_buyers(company, partners)
            if self.target_product_mode == "bought":
                partners = partners.filtered(lambda p: p.id in buyers)
            else:
                partners = partners.filtered(lambda p: p.id not in buyers)
        return partners

    def _sales_lines_domain(self, company, partners):
        """Posted customer invoice and refund lines of products of ``company``: the sales."""
        return [
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", SALE_MOVE_TYPES),
            ("display_type", "=", "product"),
            ("partner_id", "in", partners.ids),
        ]

    def _last_sale_dates(self, company, partners):
        """{partner id: date of the last posted invoice}."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self._sales_lines_domain(company, partners)
                + [("move_id.move_type", "=", "out_invoice")],
                ["partner_id"],
                ["invoice_date:max"],
            )
        )
        return {partner.id: last for partner, last in groups if last}

    def _sales_volumes(self, company, partners):
        """{partner id: invoiced sales less refunds of the volume period, company currency}."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self._sales_lines_domain(company, partners)
                + [
                    ("invoice_date", ">=", self.target_volume_date_from),
                    ("invoice_date", "<=", self.target_volume_date_to),
                ],
                ["partner_id"],
                ["balance:sum"],
            )
        )
        return {partner.id: -balance for partner, balance in groups}

    def _product_buyers(self, company, partners):
        """Ids of the partners invoiced for one of the target products or categories."""
        product_domain = []
        if self.target_product_ids:
            product_domain = [("product_id", "in", self.target_product_ids.ids)]
        if self.target_categ_ids:
            categ = [("product_id.categ_id", "child_of", self.target_categ_ids.ids)]
            product_domain = ["|", *product_domain, *categ] if product_domain else categ
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self._sales_lines_domain(company, partners)
                + [("move_id.move_type", "=", "out_invoice")]
                + product_domain,
                ["partner_id"],
            )
        )
        return {partner.id for (partner,) in groups}

    def _responsible_user(self, partner):
        """Who follows the customer up: its salesperson, else its first responsible staff
        member, else the campaign's responsible."""
        staff = self.env["partner.responsible"].sudo().search([("partner_id", "=", partner.id)])
        return partner.user_id or staff[:1].user_id or self.user_id

    # --- follow-up ----------------------------------------------------------------------
    def action_create_activities(self):
        """One follow-up activity per targeted customer (on the customer, for the responsible
        salesperson of the line); lines that already have one are skipped."""
        campaign = arguments.check_one(self)
        campaign.check_access("write")
        campaign._target_company()
        lines = campaign.target_ids.filtered(lambda line: not line.activity_id)
        activity_type = self.env.ref("partner_credit_risk.mail_activity_type_campaign_follow_up")
        deadline = max(campaign.date_start or fields.Date.context_today(self), fields.Date.today())
        for line in lines:
            line.activity_id = line.partner_id.activity_schedule(
                activity_type_id=activity_type.id,
                summary=_("Campaign: %s", campaign.title),
                note=_("Follow up this customer for the campaign %s.", campaign.title),
                user_id=line.user_id.id or campaign.user_id.id,
                date_deadline=deadline,
            )
        return len(lines)

    def action_send_campaign_email(self):
        """The campaign e-mail (template) to each targeted customer with an address, once."""
        campaign = arguments.check_one(self)
        campaign.check_access("write")
        campaign._target_company()
        template = self.env.ref("partner_credit_risk.mail_template_campaign")
        lines = campaign.target_ids.filtered(
            lambda line: line.partner_id.email and not line.email_sent
        )
        for line in lines:
            template.send_mail(line.id)
        lines.email_sent = True
        return len(lines)

    # --- results ------------------------------------------------------------------------
    def _converted_partners(self):
        """{campaign id: ids of targeted partners with a confirmed order in the period}."""
        result = {}
        for campaign in self:
            targets = campaign.target_ids.partner_id
            domain = [
                ("state", "=", "sale"),
                ("partner_id.commercial_partner_id", "in", targets.ids),
                ("company_id", "=", (campaign.company_id or self.env.company).id),
            ]
            if campaign.date_start:
                domain.append(
                    ("date_order", ">=", fields.Datetime.to_datetime(campaign.date_start))
                )
            if campaign.date_end:
                end = fields.Datetime.to_datetime(campaign.date_end) + timedelta(days=1)
                domain.append(("date_order", "<", end))
            orders = self.env["sale.order"].sudo().search(domain) if targets else []
            result[campaign.id] = set(orders.partner_id.commercial_partner_id.ids if orders else [])
        return result

    def _invoice_lines(self):
        """The posted invoice and refund lines of products carrying these campaigns."""
        return (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("move_id.campaign_id", "in", self.ids),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "in", SALE_MOVE_TYPES),
                    ("display_type", "=", "product"),
                ]
            )
        )

    def _invoice_figures(self):
        """[(line, revenue, cogs, cost basis)] of the campaigns' invoice lines, company
        currency: the one place where the campaign's gross profit is computed."""
        lines = self._invoice_lines()
        cogs = lines._cogs_by_line()
        return [(line, -line.balance, *cogs.get(line.id, (0.0, False))) for line in lines]

    def _order_figures(self):
        """[(order, untaxed amount in company currency)] of the campaigns' confirmed orders:
        the one place where the ordered revenue is computed."""
        orders = (
            self.env["sale.order"]
            .sudo()
            .search([("campaign_id", "in", self.ids), ("state", "=", "sale")])
        )
        return [(order, order.amount_untaxed / (order.currency_rate or 1.0)) for order in orders]

    def _order_revenues(self):
        """{campaign id: ordered revenue}."""
        result = {}
        for order, amount in self._order_figures():
            result[order.campaign_id.id] = result.get(order.campaign_id.id, 0.0) + amount
        return result

    @api.depends("target_ids")
    def _compute_campaign_results(self):
        real = self.filtered("id")
        converted = real._converted_partners()
        orders = real._order_revenues()
        invoiced = {}
        for line, revenue, cost, _basis in real._invoice_figures():
            entry = invoiced.setdefault(line.move_id.campaign_id.id, [0.0, 0.0])
            entry[0] += revenue
            entry[1] += cost
        for campaign in self:
            currency = campaign.currency_id or self.env.company.currency_id
            targeted = len(campaign.target_ids)
            revenue, cost = invoiced.get(campaign.id, (0.0, 0.0))
            campaign.target_count = targeted
            campaign.converted_count = len(converted.get(campaign.id, ()))
            campaign.conversion_rate = (
                100.0 * campaign.converted_count / targeted if targeted else 0.0
            )
            campaign.order_revenue = currency.round(orders.get(campaign.id, 0.0))
            campaign.invoice_revenue = currency.round(revenue)
            campaign.invoice_cogs = currency.round(cost)
            campaign.gross_profit = currency.round(revenue - cost)
            campaign.gross_profit_percent = (
                100.0 * campaign.gross_profit / campaign.invoice_revenue
                if campaign.invoice_revenue
                else 0.0
            )

    def get_campaign_results(self):
        """The figures of the campaign form as plain values (XML-RPC)."""
        campaign = arguments.check_one(self)
        return {
            key: campaign[key]
            for key in (
                "target_count",
                "converted_count",
                "conversion_rate",
                "order_revenue",
                "invoice_revenue",
                "invoice_cogs",
                "gross_profit",
                "gross_profit_percent",
            )
        }

    def action_open_targets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Targeted customers"),
            "res_model": "utm.campaign.target",
            "view_mode": "list",
            "domain": [("campaign_id", "=", self.id)],
            "context": {"default_campaign_id": self.id},
        }

    # --- orders -------------------------------------------------------------------------
    @api.model
    def _campaign_for_order(self, partner, company, day):
        """The campaign targeting ``partner`` on ``day`` in ``company``: the most recent start
        (then the highest id) among the active campaigns whose period contains the day."""
        if not partner:
            return self.browse()
        line = (
            self.env["utm.campaign.target"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("campaign_id.active", "=", True),
                    ("campaign_id.date_start", "<=", day),
                    "|",
                    ("campaign_id.date_end", "=", False),
                    ("campaign_id.date_end", ">=", day),
                ],
                order="campaign_date_start desc, campaign_id desc",
                limit=1,
            )
        )
        return line.campaign_id
