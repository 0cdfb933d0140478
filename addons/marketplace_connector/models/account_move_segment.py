"""Segmentation dimensions of customer invoices and refunds, filled at posting and on payment."""

import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

CUSTOMER_TYPES = [
    ("individual", "Individual"),
    ("corporate", "Corporate"),
    ("wholesale", "Wholesale"),
]
SEGMENT_PAYMENT_METHODS = [
    ("card", "Card"),
    ("bank_transfer", "Bank Transfer"),
    ("cash_on_delivery", "Cash on Delivery"),
    ("cash", "Cash"),
    ("marketplace", "Marketplace"),
    ("other", "Other"),
]
# e-document payment means (l10n_tr_efatura) -> segment payment method
EDOC_PAYMENT_METHODS = {
    "KREDIKARTI/BANKAKARTI": "card",
    "EFT/HAVALE": "bank_transfer",
    "KAPIDAODEME": "cash_on_delivery",
    "ODEMEARACISI": "marketplace",
    "DIGER": "other",
}
EDOC_PROFILES = [
    ("efatura", "e-Fatura"),
    ("earchive", "e-Arşiv"),
    ("export", "Export"),
]
GIB_PROFILES = {
    "TEMELFATURA": "efatura",
    "TICARIFATURA": "efatura",
    "EARSIVFATURA": "earchive",
    "IHRACAT": "export",
}
ORIGINS = [("marketplace", "Marketplace"), ("direct", "Direct")]
# fields whose change on a posted invoice refills its dimensions
SEGMENT_SOURCE_FIELDS = {
    "partner_id",
    "marketplace_account_id",
    "l10n_tr_payment_method",
    "l10n_tr_efatura_profile",
    "invoice_date",
}
REFILL_BATCH = 500
# what get_segment_totals may group by: analysis fields, dates by day/month/quarter/year
TOTALS_GROUPS = {
    "origin",
    "marketplace_account_id",
    "team_id",
    "customer_type",
    "payment_method",
    "value_band_id",
    "categ_id",
    "campaign_id",
    "edoc_profile",
    "edoc_state",
    "move_type",
    "partner_id",
    "product_id",
}
DATE_GROUPS = {"invoice_date", "order_date"}
DATE_GRANULARITIES = {"day", "month", "quarter", "year"}


def customer_type_from_vat(vat, is_company):
    """Turkish tax ids: 11 digits is a person's TCKN, 10 digits a company's VKN."""
    digits = "".join(ch for ch in (vat or "") if ch.isdigit())
    if (vat or "").upper().startswith("TR"):
        digits = digits[-11:] if len(digits) > 10 else digits
    if len(digits) == 11:
        return "individual"
    if len(digits) == 10:
        return "corporate"
    return "corporate" if is_company else "individual"


class AccountMove(models.Model):
    _inherit = "account.move"

    segment_origin = fields.Selection(
        ORIGINS, string="Sales Origin", readonly=True, copy=False, index=True
    )
    segment_customer_type = fields.Selection(
        CUSTOMER_TYPES, string="Customer Type", readonly=True, copy=False, index=True
    )
    segment_payment_method = fields.Selection(
        SEGMENT_PAYMENT_METHODS,
        string="Segment Payment Method",
        readonly=True,
        copy=False,
        index=True,
    )
    segment_order_date = fields.Date(string="Order Date", readonly=True, copy=False, index=True)
    segment_value_band_id = fields.Many2one(
        "invoice.value.band",
        string="Order Value Band",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    segment_edoc_profile = fields.Selection(
        EDOC_PROFILES, string="e-Document Profile", readonly=True, copy=False, index=True
    )
    segment_ids = fields.Many2many(
        "invoice.segment",
        "account_move_invoice_segment_rel",
        "move_id",
        "segment_id",
        string="Segments",
        readonly=True,
        copy=False,
    )
    # the invoice's segment ids, sorted, comma-separated: the analysis adds up the invoices of
    # each combination of segments before it splits them by segment
    segment_set = fields.Char(compute="_compute_segment_set", store=True, copy=False)

    @api.depends("segment_ids")
    def _compute_segment_set(self):
        for move in self:
            move.segment_set = ",".join(map(str, sorted(move.segment_ids.ids))) or False

    def _segment_set_refresh(self):
        """Recompute the segment sets after the relation was written in SQL."""
        self.invalidate_recordset(["segment_ids"])
        self.env.add_to_compute(self._fields["segment_set"], self)
        self._recompute_recordset(["segment_set"])

    # ------------------------------------------------------------- filling
    def _segment_is_sale_document(self):
        self.ensure_one()
        return self.move_type in ("out_invoice", "out_refund") and self.state == "posted"

    def _segment_customer_type(self):
        """The partner's own customer type, else the default from its VKN or TCKN."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return partner.segment_customer_type or customer_type_from_vat(
            partner.vat, partner.is_company
        )

    def _segment_payment_method(self):
        """The means of the marketplace order / e-document, else the registered payment's."""
        self.ensure_one()
        if self.l10n_tr_payment_method:
            return EDOC_PAYMENT_METHODS.get(self.l10n_tr_payment_method, "other")
        if self.marketplace_account_id:
            return "marketplace"
        for payment in self.sudo()._get_reconciled_payments():
            if payment.payment_transaction_id:
                return "card"
            return {"cash": "cash", "bank": "bank_transfer"}.get(payment.journal_id.type, "other")
        return False

    def _segment_order_date(self):
        self.ensure_one()
        orders = self.line_ids.sale_line_ids.order_id
        dates = [order.date_order for order in orders if order.date_order]
        if dates:
            return fields.Date.context_today(self, min(dates))
        return self.invoice_date

    def _segment_edoc_profile(self):
        self.ensure_one()
        profile = GIB_PROFILES.get(self.l10n_tr_efatura_profile)
        if profile:
            return profile
        if self.l10n_tr_gib_number and self._l10n_tr_is_earchive():
            return "earchive"
        return "efatura" if self.l10n_tr_gib_number else False

    def _segment_values(self, bands):
        """The dimension values of one posted customer document; ``bands`` caches the value
        bands per company."""
        self.ensure_one()
        if self.company_id not in bands:
            bands[self.company_id] = (
                self.env["invoice.value.band"]
                .sudo()
                .search([("company_id", "=", self.company_id.id)], order="amount_from")
            )
        amount = abs(self.amount_total_signed)
        band = bands[self.company_id].filtered(
            lambda b: b.amount_from <= amount and (not b.amount_to or amount < b.amount_to)
        )[:1]
        return {
            "segment_origin": "marketplace" if self.marketplace_account_id else "direct",
            "segment_customer_type": self._segment_customer_type(),
            "segment_payment_method": self._segment_payment_method(),
            "segment_order_date": self._segment_order_date(),
            "segment_value_band_id": band.id,
            "segment_edoc_profile": self._segment_edoc_profile(),
        }

    def _segment_fill(self):
        """Fill the dimensions, product categories and segment tags of posted customer
        documents (others are left alone)."""
        moves = self.filtered(lambda move: move._segment_is_sale_document())
        if not moves:
            return moves
        bands = {}
        for move in moves:
            values = move._segment_values(bands)
            changed = {
                key: value
                for key, value in values.items()
                if (move[key].id if key.endswith("_id") else move[key]) != value
            }
            if changed:
                super(AccountMove, move.with_context(segment_filling=True)).write(changed)
        lines_by_categ = {}
        for line in moves.invoice_line_ids:
            if line.segment_categ_id != line.product_id.categ_id:
                lines_by_categ.setdefault(line.product_id.categ_id.id, []).append(line.id)
        Line = self.env["account.move.line"]
        for categ_id, line_ids in lines_by_categ.items():
            Line.browse(line_ids).write({"segment_categ_id": categ_id})
        self.env["invoice.segment"].sudo().search([])._segment_tag(moves)
        return moves

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._segment_fill()
        return posted

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get("segment_filling") and SEGMENT_SOURCE_FIELDS & set(vals):
            self.filtered(lambda move: move.state == "posted")._segment_fill()
        return result

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self._segment_fill()
        return result

    # ------------------------------------------------------------- refill
    @api.model
    def segment_refill(self, company_ids=None):
        """Refill the dimensions and segment tags of all posted customer invoices and refunds
        (of ``company_ids``, default the allowed companies), in batches. XML-RPC: plain ids in,
        ``{"refilled": n}`` out."""
        if not self.env.user.has_group(
            "account.group_account_manager"
        ) and not self.env.user.has_group("marketplace_connector.group_marketplace_manager"):
            raise AccessError(
                _(
                    "Only accounting or marketplace managers may refill the "
                    "segmentation of past invoices."
                )
            )
        allowed = self.env.companies.ids
        if company_ids:
            if not isinstance(company_ids, (list, tuple)) or not all(
                isinstance(cid, int) for cid in company_ids
            ):
                raise UserError(_("company_ids must be a list of company ids."))
            if set(company_ids) - set(allowed):
                raise AccessError(_("You may only refill invoices of your allowed companies."))
        moves = self.search(
            [
                ("company_id", "in", company_ids or allowed),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            order="id",
        )
        cron = self.env.context.get("segment_cron")
        for start in range(0, len(moves), REFILL_BATCH):
            batch = moves[start : start + REFILL_BATCH]
            batch._segment_fill()
            done = start + len(batch)
            if cron:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(moves) - done)
            self.env.flush_all()
            batch.invalidate_recordset()
        _logger.info("segmentation refilled on %d invoices", len(moves))
        return {"refilled": len(moves)}

    # ------------------------------------------------------------- totals (XML-RPC)
    @api.model
    def get_segment_totals(self, date_from, date_to, group_by=None):
        """Customer invoice and refund totals (company currency, refunds negative) of invoices
        dated ``date_from``..``date_to`` (ISO dates), grouped by analysis dimensions (e.g.
        ``["customer_type", "order_date:quarter"]``) or by ``"segment_ids"`` alone. Returns
        plain rows: the group values (ids, keys or ISO dates), ``count`` (invoices), ``untaxed``,
        ``tax``, ``total``. Read with the caller's rights."""
        try:
            start, end = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise UserError(_("Dates must be ISO dates (YYYY-MM-DD).")) from error
        if not start or not end or start > end:
            raise UserError(_("Give a period: date_from on or before date_to."))
        group_by = list(group_by or [])
        if group_by == ["segment_ids"]:
            return self._segment_totals_by_segment(start, end)
        for spec in group_by:
            name, _sep, granularity = spec.partition(":")
            valid = (
                name in TOTALS_GROUPS
                and not granularity
                or name in DATE_GROUPS
                and granularity in DATE_GRANULARITIES
            )
            if not valid:
                raise UserError(_("Cannot group sales segmentation by %(group)s.", group=spec))
        rows = self.env["invoice.segment.report"]._read_group(
            [("invoice_date", ">=", start), ("invoice_date", "<=", end)],
            group_by,
            ["move_id:count_distinct", "price_subtotal:sum", "price_tax:sum", "price_total:sum"],
        )
        result = []
        for row in rows:
            keys, (count, untaxed, tax, total) = row[: len(group_by)], row[len(group_by) :]
            values = {spec: _plain(key) for spec, key in zip(group_by, keys)}
            values.update(
                count=count, untaxed=round(untaxed, 2), tax=round(tax, 2), total=round(total, 2)
            )
            result.append(values)
        return result

    @api.model
    def _segment_totals_by_segment(self, start, end):
        rows = self._read_group(
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", start),
                ("invoice_date", "<=", end),
                ("segment_ids", "!=", False),
            ],
            ["segment_ids"],
            [
                "__count",
                "amount_untaxed_signed:sum",
                "amount_tax_signed:sum",
                "amount_total_signed:sum",
            ],
        )
        return [
            {
                "segment_ids": segment.id,
                "segment": segment.display_name,
                "count": count,
                "untaxed": round(untaxed, 2),
                "tax": round(tax, 2),
                "total": round(total, 2),
            }
            for segment, count, untaxed, tax, total in rows
        ]

    @api.model
    def _cron_segment_refill(self):
        return self.with_context(segment_cron=True).segment_refill()


def _plain(value):
    """A read_group key as a plain XML-RPC value."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    segment_categ_id = fields.Many2one(
        "product.category",
        string="Segment Product Category",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def action_segment_refill(self):
        result = self.env["account.move"].segment_refill()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s invoices segmented again.", count=result["refilled"]),
            },
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    segment_customer_type = fields.Selection(
        CUSTOMER_TYPES,
        string="Invoice Customer Type",
        help="Segments this customer's invoices; empty: individual with a TCKN, corporate "
        "with a VKN.",
    )
