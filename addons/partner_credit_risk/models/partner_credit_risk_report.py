"""Customer Risk report: the engine's figures for every customer, one engine call."""

from psycopg2.extras import execute_values

from odoo import _, api, fields, models

from ..lib.status import STATUS_CODES


class PartnerCreditRiskReport(models.TransientModel):
    _name = "partner.credit.risk.report"
    _rec_name = "partner_id"
    _description = "Customer Risk"
    _order = "exceeded_by desc, partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    customer_status = fields.Selection(list(STATUS_CODES), string="Status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    credit_control_mode = fields.Char(string="Credit Control", readonly=True)
    open_balance = fields.Monetary(readonly=True)
    cheque_risk = fields.Monetary(readonly=True)
    note_risk = fields.Monetary(readonly=True)
    shipment_risk = fields.Monetary(string="Delivered, Not Invoiced", readonly=True)
    order_risk = fields.Monetary(readonly=True)
    total_risk = fields.Monetary(readonly=True)
    credit_limit = fields.Monetary(readonly=True)
    risk_tolerance = fields.Monetary(readonly=True)
    total_credit_limit = fields.Monetary(readonly=True)
    open_credit = fields.Monetary(readonly=True)
    exceeded_by = fields.Monetary(readonly=True)
    over_limit = fields.Boolean(readonly=True)
    held_order_count = fields.Integer(string="Orders on Hold", readonly=True)

    @api.model
    def action_open_report(self, partner_ids=None):
        """Recompute the report for all customers of the current company (or the commercial
        partners of ``partner_ids``) and open it."""
        self.env["res.partner"]._check_risk_reader()
        self.search([("create_uid", "=", self.env.uid)]).unlink()
        company = self.env.company
        Partner = self.env["res.partner"].sudo().with_company(company)
        if partner_ids:
            customers = Partner.browse(partner_ids).commercial_partner_id
        else:
            customers = Partner.search(
                [
                    ("parent_id", "=", False),
                    "|",
                    ("customer_rank", ">", 0),
                    ("financial_account_ids.company_id", "=", company.id),
                ]
            )
        customers.fetch(["user_id", "customer_status", "credit_control_mode"])
        data = customers._credit_risk_data(company)
        held = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("credit_hold", "=", True), ("company_id", "=", company.id)],
                ["partner_id"],
                ["__count"],
            )
        )
        held_by_commercial = {}
        for partner, count in held.items():
            key = partner.commercial_partner_id.id
            held_by_commercial[key] = held_by_commercial.get(key, 0) + count
        modes = dict(Partner._fields["credit_control_mode"]._description_selection(self.env))
        vals_list = []
        for partner in customers:
            entry = data[partner.id]
            plain = Partner._risk_plain(entry)
            open_credit = plain["open_credit"]
            vals_list.append(
                {
                    **{
                        key: plain[key]
                        for key in (
                            "open_balance",
                            "cheque_risk",
                            "note_risk",
                            "shipment_risk",
                            "order_risk",
                            "total_risk",
                            "credit_limit",
                            "risk_tolerance",
                            "open_credit",
                        )
                    },
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id or None,
                    "customer_status": partner.customer_status or None,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "credit_control_mode": modes.get(partner.credit_control_mode) or None,
                    "total_credit_limit": entry["total_credit_limit"],
                    "exceeded_by": max(-open_credit, 0.0),
                    "over_limit": partner.credit_control_mode != "none" and open_credit < 0,
                    "held_order_count": held_by_commercial.get(partner.id, 0),
                }
            )
        self._insert_rows(vals_list)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_credit_risk.action_partner_credit_risk_report_view"
        )
        action["domain"] = [("create_uid", "=", self.env.uid)]
        action["display_name"] = _("Customer Risk")
        return action

    def _insert_rows(self, vals_list):
        """One INSERT for all rows: plain values of a transient report, no computed fields
        (the ORM's create costs seconds for thousands of customers)."""
        if not vals_list:
            return
        columns = list(vals_list[0])
        now = fields.Datetime.now()
        execute_values(
            self.env.cr._obj,
            f"""INSERT INTO {self._table} ({", ".join(columns)}, create_uid, create_date,
                                             write_uid, write_date) VALUES %s""",
            [
                [vals[column] for column in columns] + [self.env.uid, now, self.env.uid, now]
                for vals in vals_list
            ],
            page_size=1000,
        )
        self.env.invalidate_all()

    def _open(self, model, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "target": "current",
        }

    def action_open_balance_lines(self):
        """The open journal items behind the open balance."""
        self.ensure_one()
        return self._open(
            "account.move.line",
            _("Open items of %s", self.partner_id.name),
            [
                ("partner_id", "child_of", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
            ],
        )

    def action_open_documents(self):
        """The received cheques and notes behind the cheque and note risk."""
        self.ensure_one()
        return self._open(
            "partner.portfolio.document",
            _("Cheques and notes of %s", self.partner_id.name),
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("kind", "in", ("customer_cheque", "customer_note")),
                ("state", "in", ("portfolio", "deposited", "endorsed", "bounced")),
            ],
        )

    def action_open_orders(self):
        """The confirmed orders behind the order and shipment risk."""
        self.ensure_one()
        return self._open(
            "sale.order",
            _("Orders of %s", self.partner_id.name),
            [
                ("partner_id", "child_of", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("invoice_status", "!=", "invoiced"),
            ],
        )


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_open_credit_risk(self):
        """Risk analysis of this customer (the Customer Risk report for it alone)."""
        self.check_access("read")
        return self.env["partner.credit.risk.report"].action_open_report(self.ids)
