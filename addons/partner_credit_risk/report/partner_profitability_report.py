"""Customer profitability report: one row per customer for a chosen period (list, pivot,
graph, XLSX), filled by a wizard from the engine of ``res.partner``."""

import base64
import io

import xlsxwriter

from odoo import _, api, fields, models

from ..lib.status import STATUS_SELECTION
from ..models.partner_credit_risk_report import PartnerCreditRiskReport

# report columns: (field, kind) in the order of the list view and the XLSX file
REPORT_MONEY = (
    "sales",
    "returns",
    "cogs",
    "cogs_standard",
    "gross_profit",
    "allocated_cost",
    "net_profit",
)
REPORT_PERCENT = ("gross_margin", "net_margin", "cogs_share", "allocated_share", "sales_share")


class PartnerProfitabilityReport(models.TransientModel):
    _name = "partner.profitability.report"
    _rec_name = "partner_id"
    _description = "Customer Profitability"
    _order = "net_profit desc, partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    customer_type_id = fields.Many2one("partner.customer.type", readonly=True)
    customer_status = fields.Selection(STATUS_SELECTION, string="Status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    sales = fields.Monetary(readonly=True, help="Posted invoices less refunds, untaxed.")
    returns = fields.Monetary(readonly=True, help="Refunds, untaxed.")
    cogs = fields.Monetary(string="Cost of Goods Sold", readonly=True)
    cogs_standard = fields.Monetary(
        string="COGS at Standard Cost",
        readonly=True,
        help="Part of the cost of goods sold taken from the products' standard cost "
        "(services, non-stored products, lines without a valued delivery).",
    )
    gross_profit = fields.Monetary(readonly=True)
    gross_margin = fields.Float(
        string="Gross Profit (%)", digits=(16, 2), readonly=True, aggregator=None
    )
    allocated_cost = fields.Monetary(string="Allocated Costs", readonly=True)
    net_profit = fields.Monetary(readonly=True)
    net_margin = fields.Float(
        string="Net Profit (%)", digits=(16, 2), readonly=True, aggregator=None
    )
    cogs_share = fields.Float(
        string="COGS (% of Sales)", digits=(16, 2), readonly=True, aggregator=None
    )
    allocated_share = fields.Float(
        string="Allocated (% of Sales)", digits=(16, 2), readonly=True, aggregator=None
    )
    sales_share = fields.Float(
        string="Share of Total Sales (%)", digits=(16, 2), readonly=True, aggregator="sum"
    )
    standard_cost_used = fields.Boolean(string="Standard Cost Used", readonly=True)

    def _insert_rows(self, vals_list):
        PartnerCreditRiskReport._insert_rows(self, vals_list)


class PartnerProfitabilityWizard(models.TransientModel):
    _name = "partner.profitability.wizard"
    _description = "Customer Profitability Period"

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(month=1, day=1)

    date_from = fields.Date(string="From", required=True, default=_default_date_from)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Figures are converted from the company currency at the rate of the end date.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    customer_type_id = fields.Many2one("partner.customer.type")
    customer_status = fields.Selection(STATUS_SELECTION, string="Status")
    user_id = fields.Many2one("res.users", string="Salesperson")

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = wizard._title()

    def _title(self):
        return _(
            "Customer Profitability %(start)s – %(end)s",
            start=fields.Date.to_string(self.date_from) or "",
            end=fields.Date.to_string(self.date_to) or "",
        )

    def _partner_domain(self):
        """Customers of the group chosen (customer type, status, salesperson)."""
        domain = [("parent_id", "=", False)]
        if self.customer_type_id:
            domain.append(("customer_type_id", "=", self.customer_type_id.id))
        if self.customer_status:
            domain.append(("customer_status", "=", self.customer_status))
        if self.user_id:
            domain.append(("user_id", "=", self.user_id.id))
        return domain

    def _options(self):
        return self.env["res.partner"]._profitability_options(
            self.date_from, self.date_to, self.currency_id.id
        )

    def _partner_scope(self):
        """Commercial partner ids to compute, or ``None`` for every customer."""
        Partner = self.env["res.partner"]
        Partner._check_profitability_reader()
        domain = self._partner_domain()
        if not Partner._profitability_reads_all():
            domain.append(("user_id", "=", self.env.uid))
        if self.partner_ids:
            partners = self.partner_ids.commercial_partner_id
            partners._check_profitability_reader()
            return set(partners.filtered_domain(domain).ids)
        if len(domain) == 1:
            return None
        return set(Partner.sudo().with_context(active_test=False)._search(domain))

    def _compute_rows(self):
        """Recompute this user's report rows; returns them."""
        self.ensure_one()
        options = self._options()
        Report = self.env["partner.profitability.report"]
        Report.search([("create_uid", "=", self.env.uid)]).unlink()
        Partner = self.env["res.partner"]
        data = Partner._profitability_compute(options, self._partner_scope())
        partners = Partner.sudo().browse(list(data))
        partners.fetch(["user_id", "customer_type_id", "customer_status"])
        total_sales = sum(figures["sales"] for figures in data.values())
        vals_list = []
        for partner in partners:
            figures = data[partner.id]
            share = round(figures["sales"] / total_sales * 100.0, 2) if total_sales else 0.0
            vals_list.append(
                {
                    **{key: figures[key] for key in REPORT_MONEY + REPORT_PERCENT[:-1]},
                    "sales_share": share,
                    "standard_cost_used": bool(figures["cogs_standard"]),
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id or None,
                    "customer_type_id": partner.customer_type_id.id or None,
                    "customer_status": partner.customer_status or None,
                    "company_id": options["company"].id,
                    "currency_id": options["currency"].id,
                    "date_from": options["date_from"],
                    "date_to": options["date_to"],
                }
            )
        Report._insert_rows(vals_list)
        return Report.search([("create_uid", "=", self.env.uid)])

    def action_compute(self):
        """Fill the report for the period and open it (list, pivot, graph)."""
        self._compute_rows()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_profitability_report_view"
        )
        action["domain"] = [("create_uid", "=", self.env.uid)]
        action["display_name"] = self._title()
        return action

    def action_export_xlsx(self):
        """The report for the period as an XLSX file (downloaded)."""
        rows = self._compute_rows()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"profitability_{self.date_from}_{self.date_to}.xlsx",
                "datas": base64.b64encode(self._xlsx(rows)),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    @api.model
    def _xlsx(self, rows):
        """XLSX bytes of the report rows: one line per customer and a total line."""
        Report = self.env["partner.profitability.report"]
        columns = ["partner_id", "user_id", "customer_status"]
        columns += list(REPORT_MONEY + REPORT_PERCENT)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Profitability")[:31])
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        statuses = dict(Report._fields["customer_status"]._description_selection(self.env))
        for col, name in enumerate(columns):
            sheet.write(0, col, Report._fields[name]._description_string(self.env), bold)
        for row_index, row in enumerate(rows, start=1):
            values = [
                row.partner_id.display_name,
                row.user_id.name or "",
                statuses.get(row.customer_status, ""),
            ] + [row[name] for name in REPORT_MONEY + REPORT_PERCENT]
            for col, value in enumerate(values):
                sheet.write(row_index, col, value, money if col >= 3 else None)
        total_row = len(rows) + 1
        sheet.write(total_row, 0, _("Total"), bold)
        for offset, name in enumerate(REPORT_MONEY):
            sheet.write(total_row, 3 + offset, sum(rows.mapped(name)), money)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(columns), 16)
        workbook.close()
        return output.getvalue()
