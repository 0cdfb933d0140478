"""Journal entries of the cheque and note portfolio, posted only when the company has a
portfolio journal: receipt into a portfolio account, collection into the bank, endorsement
against the supplier's payable, bounce/return back to the customer's receivable; own documents
issued against an issued cheques/notes account and paid from the bank."""

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    portfolio_journal_id = fields.Many2one(
        "account.journal",
        string="Cheque & Note Journal",
        domain="[('type', '=', 'general')]",
        help="Set it to have cheques and notes post their journal entries. Empty: no entries.",
    )
    portfolio_cheque_account_id = fields.Many2one(
        "account.account", string="Cheques in Portfolio Account"
    )
    portfolio_note_account_id = fields.Many2one(
        "account.account", string="Notes in Portfolio Account"
    )
    portfolio_own_account_id = fields.Many2one(
        "account.account", string="Issued Cheques and Notes Account"
    )
    portfolio_bank_journal_id = fields.Many2one(
        "account.journal", string="Collection Bank Journal", domain="[('type', '=', 'bank')]"
    )


class PartnerPortfolioDocument(models.Model):
    _inherit = "partner.portfolio.document"

    move_ids = fields.One2many(
        "account.move", "portfolio_document_id", string="Journal Entries", readonly=True
    )
    accounted = fields.Boolean(
        readonly=True,
        copy=False,
        help="Its receipt was posted: the amount left the receivable (open balance).",
    )

    def _portfolio_account(self):
        company = self.company_id
        if not self.is_received:
            account = company.portfolio_own_account_id
        elif self.kind == "customer_cheque":
            account = company.portfolio_cheque_account_id
        else:
            account = company.portfolio_note_account_id
        if not account:
            raise UserError(
                _(
                    "Set the cheque and note accounts of %s (Companies → Credit "
                    "control) before using the cheque and note journal.",
                    company.name,
                )
            )
        return account

    def _receivable(self):
        partner = self.partner_id.with_company(self.company_id)
        if self.financial_account_id.account_id:
            return self.financial_account_id.account_id, self.partner_id
        return partner.property_account_receivable_id, self.partner_id

    def _payable(self, partner):
        return partner.with_company(self.company_id).property_account_payable_id, partner

    def _bank(self):
        Journal = self.env["account.journal"]
        journal = self.company_id.portfolio_bank_journal_id or Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "bank")], limit=1
        )
        if not journal.default_account_id:
            raise UserError(_("No bank journal to collect or pay cheques and notes in."))
        return journal.default_account_id, self.partner_id

    def _post_entry(self, label, debit, credit):
        """Post one entry: ``debit`` and ``credit`` are (account, partner) pairs."""
        self.ensure_one()

        def line(account_partner, sign):
            account, partner = account_partner
            return Command.create(
                {
                    "name": f"{label} {self.name}",
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "currency_id": self.currency_id.id,
                    "amount_currency": sign * self.amount,
                    "balance": sign * self.amount_company,
                }
            )

        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.company_id.portfolio_journal_id.id,
                    "company_id": self.company_id.id,
                    "date": fields.Date.context_today(self),
                    "ref": f"{label} {self.name}",
                    "portfolio_document_id": self.id,
                    "financial_account_id": self.financial_account_id.id,
                    "line_ids": [line(debit, 1), line(credit, -1)],
                }
            )
        )
        move.action_post()
        return move

    def _transition_entry(self, new_state):
        """(debit, credit) of moving to ``new_state``, or None when nothing is posted."""
        portfolio = (self._portfolio_account(), self.partner_id)
        supplier = self._payable(self.endorsed_partner_id) if self.endorsed_partner_id else None
        if not self.is_received:
            if new_state == "paid":
                return portfolio, self._bank()
            if new_state in ("bounced", "returned") and self.state == "portfolio":
                return portfolio, self._payable(self.partner_id)
            return None
        if new_state == "collected" and self.state != "endorsed":
            return self._bank(), portfolio
        if new_state == "endorsed":
            return supplier, portfolio
        if new_state in ("bounced", "returned") and self.state != "bounced":
            return self._receivable(), supplier if self.state == "endorsed" else portfolio
        return None

    def _move_to(self, state, **extra):
        self._check_transition(state)
        if extra.get("endorsed_partner_id"):
            self.endorsed_partner_id = extra["endorsed_partner_id"]
        labels = dict(self._fields["state"]._description_selection(self.env))
        for document in self.filtered("accounted"):
            entry = document._transition_entry(state)
            if entry:
                document._post_entry(labels[state], *entry)
        return super()._move_to(state, **extra)

    def _post_receipt(self):
        """Receipt of a received document (or issue of an own one) into the portfolio."""
        for document in self.filtered(lambda d: d.company_id.portfolio_journal_id):
            portfolio = (document._portfolio_account(), document.partner_id)
            if document.is_received:
                document._post_entry(_("Receipt"), portfolio, document._receivable())
            else:
                document._post_entry(_("Issue"), document._payable(document.partner_id), portfolio)
            document.accounted = True

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents._post_receipt()
        return documents


class AccountMove(models.Model):
    _inherit = "account.move"

    portfolio_document_id = fields.Many2one(
        "partner.portfolio.document",
        string="Cheque / Note",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
