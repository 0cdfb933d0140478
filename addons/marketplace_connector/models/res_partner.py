import logging

from odoo import api, fields, models
from odoo.addons.l10n_tr_efatura.lib import identity
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

# What makes two addresses of a buyer the same.
_ADDRESS_KEYS = ("street", "street2", "city", "zip")


def clean_tax_id(value):
    """The VKN/TCKN digits of ``value`` when they pass the check digits, else False: the
    placeholders marketplaces put there when the buyer gave none (GİB's 11111111111 and
    2222222222, zeros) never match, nor create, a partner's tax number."""
    value = "".join(ch for ch in str(value or "") if ch.isdigit())
    return value if identity.is_valid_tax_id(value) else False


class ResPartner(models.Model):
    _inherit = "res.partner"

    marketplace_customer_ref = fields.Char(
        string="Marketplace Customer",
        index="btree_not_null",
        copy=False,
        help="'<marketplace>:<customer id>' of buyers created by the marketplace connector.",
    )

    @api.model
    def _marketplace_partners(self, account, package):
        """(commercial customer, invoice contact, delivery contact), created once."""
        customer_data = package.get("customer") or {}
        invoice_data = package.get("invoice_address") or {}
        delivery_data = package.get("delivery_address") or invoice_data
        customer = self._marketplace_customer(
            account, customer_data, invoice_data, package.get("is_corporate")
        )
        invoice = self._marketplace_address(customer, "invoice", invoice_data)
        delivery = self._marketplace_address(customer, "delivery", delivery_data)
        return customer, invoice, delivery

    def _lock_key(self, key):
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])

    @api.model
    def _marketplace_customer(self, account, data, address, is_corporate):
        company = account.company_id
        vkn = clean_tax_id(data.get("vkn")) if is_corporate else False
        tckn = clean_tax_id(data.get("tckn"))
        tax_id = vkn or tckn
        ref = data.get("customer_id") and f"{account.marketplace}:{data['customer_id']}"
        # Serialize the matching of one buyer across parallel workers.
        self._lock_key(f"marketplace-partner:{company.id}:{tax_id or ref}")
        company_domain = ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        partner = self.browse()
        if tax_id:
            partner = self.search(
                company_domain
                + [
                    ("vat", "in", [tax_id, f"TR{tax_id}"]),
                    ("parent_id", "=", False),
                    ("is_company", "=", bool(vkn)),
                ],
                limit=1,
            )
        if not partner and ref and not vkn:
            partner = self.search(
                company_domain
                + [
                    ("marketplace_customer_ref", "=", ref),
                    ("parent_id", "=", False),
                    ("is_company", "=", False),
                ],
                limit=1,
            )
        if partner:
            return partner
        name = (
            (data.get("company_name") if vkn else None)
            or data.get("name")
            or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
            or ref
            or "?"
        )
        values = self._marketplace_address_values(address)
        values.update(
            {
                "name": name,
                "is_company": bool(vkn),
                "company_id": company.id,
                "marketplace_customer_ref": ref if not vkn else False,
                "email": data.get("email") or values.get("email"),
                "customer_rank": 1,
            }
        )
        if vkn:
            values["l10n_tr_tax_office"] = data.get("tax_office") or False
        if data.get("e_invoice_available"):
            # e-Fatura vs e-Arşiv is decided by l10n_tr_efatura from this flag
            values["l10n_tr_is_efatura_user"] = True
        partner = self._marketplace_create_with_vat(values, tax_id)
        return partner

    @api.model
    def _marketplace_create_with_vat(self, values, tax_id):
        if tax_id:
            try:
                with self.env.cr.savepoint():
                    return self.create(dict(values, vat=tax_id))
            except ValidationError as error:
                # A mistyped VKN/TCKN must not lose the order: keep it in the notes.
                _logger.info("Marketplace buyer tax id %s rejected: %s", tax_id, error)
                values = dict(values, comment=f"Tax id from marketplace: {tax_id}")
        return self.create(values)

    @api.model
    def _marketplace_address_values(self, data):
        values = {
            "street": data.get("street") or False,
            "street2": data.get("street2") or False,
            "city": data.get("city") or False,
            "zip": data.get("zip") or False,
            "phone": data.get("phone") or False,
            "email": data.get("email") or False,
        }
        country = self.env["res.country"].search(
            [("code", "=", (data.get("country_code") or "TR").upper())], limit=1
        )
        values["country_id"] = country.id or False
        if country and data.get("city"):
            state = self.env["res.country.state"].search(
                [("country_id", "=", country.id), ("name", "=ilike", data["city"])], limit=1
            )
            values["state_id"] = state.id or False
        values["l10n_tr_district"] = data.get("district") or False
        return values

    @api.model
    def _marketplace_address(self, customer, address_type, data):
        """The buyer itself when the address is the buyer's own (same name and address: a
        person's invoice address is the person), else a child contact of the buyer for this
        address, reused when identical."""
        if not data:
            return customer
        values = self._marketplace_address_values(data)
        name = data.get("name") or customer.name
        if self._marketplace_same_address(customer, name, values):
            return customer
        domain = [("parent_id", "=", customer.id), ("type", "=", address_type), ("name", "=", name)]
        for key in _ADDRESS_KEYS:
            domain.append((key, "=", values[key]))
        contact = self.search(domain, limit=1)
        if contact:
            return contact
        values.update(
            {
                "parent_id": customer.id,
                "type": address_type,
                "name": name,
                "company_id": customer.company_id.id,
            }
        )
        return self.create(values)

    @api.model
    def _marketplace_same_address(self, partner, name, values):
        return (partner.name or "").strip() == (name or "").strip() and all(
            (partner[key] or False) == values[key] for key in _ADDRESS_KEYS
        )
