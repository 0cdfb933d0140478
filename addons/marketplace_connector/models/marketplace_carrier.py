from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.addons.l10n_tr_commerce_base.models import arguments

from ..lib.carriers import carrier_name, match_carrier

MISSING_VAT_CODE = "NO_CARRIER_VKN"


class MarketplaceCarrier(models.Model):
    """A cargo company of a marketplace; its partner's VAT is the carrier VKN printed on
    e-Arşiv internet-sale invoices (taşıyıcı)."""

    _name = "marketplace.carrier"
    _description = "Marketplace Carrier"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    marketplace = fields.Selection(
        selection=lambda self: self.env["marketplace.account"]._selection_marketplace(),
        required=True,
        default=lambda self: self.env["marketplace.account"]._selection_marketplace()[0][0],
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: used by the accounts of every company."
    )
    provider_code = fields.Char(
        help="The marketplace's code of the carrier (e.g. YKMP for Yurtiçi Kargo)."
    )
    provider_number = fields.Integer(
        string="Provider ID",
        help="The marketplace's numeric id of the carrier (its cargo company id).",
    )
    aliases = fields.Char(
        help="Other names or codes the marketplace uses for this carrier, comma-separated."
    )
    tracking_prefix = fields.Char(
        help="First digits of this carrier's tracking numbers at this marketplace."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Carrier Partner",
        ondelete="restrict",
        help="The cargo company; its Tax ID (VKN) goes on the e-Arşiv internet-sale data.",
    )
    vat = fields.Char(
        related="partner_id.vat",
        readonly=False,
        string="Carrier VKN",
        help="Tax number of the cargo company, taken from its own invoices.",
    )
    waiting_invoice_count = fields.Integer(compute="_compute_waiting_invoice_count")

    def _compute_waiting_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                self._waiting_invoice_domain(), ["marketplace_carrier_id"], ["__count"]
            )
        )
        for carrier in self:
            carrier.waiting_invoice_count = counts.get(carrier, 0)

    def _waiting_invoice_domain(self):
        return [
            ("marketplace_carrier_id", "in", self.ids),
            ("state", "=", "posted"),
            ("l10n_tr_edoc_state", "=", "error"),
            ("l10n_tr_edoc_raw_code", "=", MISSING_VAT_CODE),
        ]

    # ---------------------------------------------------------------- matching
    @api.model
    def _marketplace_match(self, account, cargo):
        """The carrier of a normalized package's ``cargo`` dict: by provider name or code,
        else by tracking-number prefix, else a new carrier named after the provider."""
        carriers = (
            self.sudo()
            .search(
                [
                    ("marketplace", "=", account.marketplace),
                    ("company_id", "in", [False, account.company_id.id]),
                ],
                order="sequence, id",
            )
            .sorted(lambda c: not c.company_id)
        )
        table = [
            {
                "id": c.id,
                "name": c.name,
                "code": c.provider_code,
                "aliases": c.aliases,
                "prefix": c.tracking_prefix,
            }
            for c in carriers
        ]
        provider = cargo.get("provider_name") or cargo.get("carrier_name")
        found = match_carrier(table, provider, cargo.get("tracking_number"))
        if found:
            return self.browse(found["id"])
        name = carrier_name(cargo.get("carrier_name") or provider)
        if not name:
            return self.browse()
        return self._marketplace_create(account, name, provider)

    @api.model
    def _marketplace_create(self, account, name, provider):
        # The processing user may only read carriers: a new carrier is system data.
        partner = self.env["res.partner"].sudo().create({"name": name, "is_company": True})
        aliases = provider if provider and provider != name else False
        carrier = self.sudo().create(
            {
                "name": name,
                "marketplace": account.marketplace,
                "aliases": aliases,
                "partner_id": partner.id,
            }
        )
        carrier.message_post(
            body=_("Created from a marketplace package: fill the carrier's VKN on its partner.")
        )
        return carrier.sudo(False)

    # ------------------------------------------------------------ missing VKN
    def _marketplace_missing_vat_message(self):
        self.ensure_one()
        return _(
            "The carrier %s has no VKN: e-Arşiv internet-sale invoices need the carrier's "
            "tax number. Fill it in Marketplaces → Configuration → Carriers, then use "
            '"Send waiting invoices" on the carrier.',
            self.name,
        )

    def _marketplace_ask_for_vat(self, user=None):
        """One open to-do on the carrier asking to fill its VKN (never duplicated)."""
        self.ensure_one()
        summary = _("Fill the carrier VKN")
        if self.activity_ids.filtered(lambda a: a.summary == summary):
            return
        user = user or self.env.user
        if user.id == SUPERUSER_ID:
            user = self.env.ref("base.user_admin", raise_if_not_found=False) or user
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self._marketplace_missing_vat_message(),
            user_id=user.id,
        )

    def action_send_waiting_invoices(self):
        """Send again the e-documents held back for a missing carrier VKN.

        XML-RPC: ``marketplace.carrier.action_send_waiting_invoices([ids])`` → the
        e-document summaries ``[{id, name, gib_number, state, code, message, ...}]``.
        """
        arguments.check_self(self)
        invoices = self.env["account.move"].search(self._waiting_invoice_domain())
        result = invoices.l10n_tr_send() if invoices else []
        summary = _("Fill the carrier VKN")
        for carrier in self.filtered("vat"):
            carrier.activity_ids.filtered(lambda a: a.summary == summary).action_feedback(
                feedback=_("Carrier VKN filled.")
            )
        return result

    def action_open_waiting_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action.update(domain=self._waiting_invoice_domain(), context={})
        return action
