from odoo import _, api, models

STATEMENT_ACCOUNT_TYPES = ("asset_receivable", "liability_payable")


class PartnerStatementReport(models.AbstractModel):
    """Printable statement: the posted receivable/payable items of each commercial partner,
    one table per financial account, amounts in the financial account's currency."""

    _name = "report.partner_credit_risk.report_partner_statement"
    _description = "Partner Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "sections": {partner.id: self._statement_sections(partner) for partner in partners},
        }

    @api.model
    def _statement_lines(self, partner):
        return self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", partner.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "in", STATEMENT_ACCOUNT_TYPES),
                ("company_id", "in", self.env.companies.ids),
            ],
            order="date, move_name, id",
        )

    @api.model
    def _statement_sections(self, partner):
        """[{title, currency, rows: [{line, debit, credit, balance}], debit, credit, balance}]
        per financial account (lines without one last); empty for a partner without items."""
        sections = []
        lines = self._statement_lines(partner)
        accounts = lines.financial_account_id
        groups = [
            (account, lines.filtered(lambda line, a=account: line.financial_account_id == a))
            for account in accounts.sorted(lambda a: (a.account_type or "", a.id))
        ]
        unassigned = lines.filtered(lambda line: not line.financial_account_id)
        if unassigned:
            groups.append((accounts.browse(), unassigned))
        for account, group in groups:
            currency = account.currency_id or group.company_currency_id[:1]
            sections.append(self._statement_section(account, currency, group))
        return sections

    @api.model
    def _statement_section(self, account, currency, lines):
        rows, balance, total_debit, total_credit = [], 0.0, 0.0, 0.0
        for line in lines:
            foreign = line.currency_id == currency and currency != line.company_currency_id
            amount = line.amount_currency if foreign else line.balance
            debit, credit = max(amount, 0.0), max(-amount, 0.0)
            balance += amount
            total_debit += debit
            total_credit += credit
            rows.append({"line": line, "debit": debit, "credit": credit, "balance": balance})
        title = (
            f"{account.code} · {account.display_name}"
            if account
            else _("Items without a financial account")
        )
        return {
            "title": title,
            "currency": currency,
            "rows": rows,
            "debit": total_debit,
            "credit": total_credit,
            "balance": balance,
        }
