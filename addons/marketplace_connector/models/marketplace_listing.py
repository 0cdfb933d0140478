import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.http import MarketplaceError
from ..lib.push import (
    batched,
    item_states,
    plan_stock_price_push,
    request_fingerprint,
    result_overdue,
)

_logger = logging.getLogger(__name__)


class MarketplaceListing(models.Model):
    """A product as listed on a marketplace: barcode / stock code ↔ Odoo product."""

    _name = "marketplace.listing"
    _description = "Marketplace Listing"
    _order = "account_id, barcode"
    _rec_name = "barcode"

    account_id = fields.Many2one(
        "marketplace.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    barcode = fields.Char(required=True, index=True)
    stock_code = fields.Char(index="btree_not_null", help="Seller stock code (merchant SKU).")
    product_id = fields.Many2one("product.product", index="btree_not_null", check_company=True)
    marketplace_title = fields.Char()
    sale_price = fields.Float(
        digits="Product Price",
        help="Price sent to the marketplace (VAT included). "
        "Empty: the account's pricelist price with taxes.",
    )
    list_price = fields.Float(
        digits="Product Price", help="Crossed-out price (≥ sale price). Empty: the sale price."
    )
    qty_available_to_push = fields.Float(
        compute="_compute_qty_available_to_push", string="Sellable quantity"
    )
    last_sent_qty = fields.Float(readonly=True)
    last_sent_price = fields.Float(readonly=True, digits="Product Price")
    last_sent_list_price = fields.Float(readonly=True, digits="Product Price")
    last_sent_at = fields.Datetime(readonly=True)
    last_batch_id = fields.Char(readonly=True, copy=False)
    push_state = fields.Selection(
        [
            ("never", "Never sent"),
            ("pending", "Waiting for result"),
            ("done", "Accepted"),
            ("failed", "Failed"),
        ],
        default="never",
        readonly=True,
    )
    push_error = fields.Text(readonly=True)
    fulfilled_by_marketplace = fields.Boolean(
        help="Stocked and shipped from the marketplace's own warehouse: its stock and price "
        "are never pushed (set by Fetch listings for the marketplaces that say so).",
    )

    _sql_constraints = [
        (
            "barcode_unique",
            "unique(account_id, barcode)",
            "This barcode is already listed for the marketplace account.",
        ),
    ]

    @api.depends("product_id", "account_id.warehouse_id")
    def _compute_qty_available_to_push(self):
        for listing in self:
            product = listing.product_id
            if not product or not product.is_storable:
                listing.qty_available_to_push = 0.0
                continue
            warehouse = listing.account_id.warehouse_id
            if warehouse:
                product = product.with_context(warehouse_id=warehouse.id)
            listing.qty_available_to_push = max(product.free_qty, 0.0)

    # --------------------------------------------------------------- matching
    @api.model
    def _match_product(self, account, line):
        """(product, used_fallback) for an order line: barcode, then listings, then stock code."""
        barcode = (line.get("barcode") or "").strip()
        stock_code = (line.get("stock_code") or "").strip()
        company_domain = [("company_id", "in", [False, account.company_id.id])]
        listing = self.browse()
        if barcode:
            listing = self.search(
                [("account_id", "=", account.id), ("barcode", "=", barcode)], limit=1
            )
            if listing.product_id:
                return listing.product_id, False
        product = self.env["product.product"]
        if barcode:
            product = product.search(company_domain + [("barcode", "=", barcode)], limit=1)
        if not product and stock_code:
            by_code = self.search(
                [
                    ("account_id", "=", account.id),
                    ("stock_code", "=", stock_code),
                    ("product_id", "!=", False),
                ],
                limit=1,
            )
            product = by_code.product_id or self.env["product.product"].search(
                company_domain + [("default_code", "=", stock_code)], limit=1
            )
        if barcode and not listing:
            self.create(
                {
                    "account_id": account.id,
                    "barcode": barcode,
                    "stock_code": stock_code or False,
                    "product_id": product.id or False,
                    "marketplace_title": line.get("product_name"),
                }
            )
        elif listing and product and not listing.product_id:
            listing.product_id = product
        if product:
            return product, False
        if not account.fallback_product_id:
            raise UserError(
                _(
                    "No product for barcode %(barcode)s / stock code %(code)s and no fallback "
                    "product on %(account)s.",
                    barcode=barcode,
                    code=stock_code,
                    account=account.name,
                )
            )
        return account.fallback_product_id, True

    # ----------------------------------------------------------- stock/price
    def _price_to_push(self):
        self.ensure_one()
        if self.sale_price:
            return self.sale_price
        account = self.account_id
        product = self.product_id.with_company(account.company_id)
        price = product.lst_price
        if account.pricelist_id:
            price = account.pricelist_id._get_product_price(product, 1.0)
        taxes = product.taxes_id.filtered(lambda t: t.company_id == account.company_id)
        if taxes:
            price = taxes.compute_all(price, product=product)["total_included"]
        return round(price, 2)

    def _push_item(self):
        self.ensure_one()
        account = self.account_id
        item = {"barcode": self.barcode, "stock_code": self.stock_code or False}
        if account.push_stock:
            item["quantity"] = int(max(self.qty_available_to_push, 0))
        if account.push_price:
            sale_price = self._price_to_push()
            item["price"] = sale_price
            item["list_price"] = max(self.list_price or sale_price, sale_price)
        return item

    def _last_sent_values(self):
        """``(qty, price, list_price, sent_at)`` of the last push, as lib.push expects."""
        self.ensure_one()
        return (
            int(self.last_sent_qty),
            self.last_sent_price,
            self.last_sent_list_price,
            self.last_sent_at,
        )

    @api.model
    def _push_account(self, account):
        """Send the changed items of one account; nothing identical within 15 minutes."""
        counters = {"sent": 0, "batches": 0, "skipped": 0, "succeeded": 0, "failed": 0}
        if not (account.push_stock or account.push_price) or not account._supports("stock_price"):
            return counters
        run = self.env["marketplace.sync.run"]._start(account, "push")
        # results first: an item whose result never came is sent again now
        polled = self._poll_batches(account)
        listings = self.search(
            [
                ("account_id", "=", account.id),
                ("product_id", "!=", False),
                ("fulfilled_by_marketplace", "=", False),
            ]
        )
        if account._adapter_class().requires_stock_code:
            without = listings.filtered(lambda listing: not listing.stock_code)
            without.write(
                {
                    "push_state": "failed",
                    "push_error": _("The marketplace keys stock and prices by stock code: set it."),
                }
            )
            listings -= without
        by_barcode = {listing.barcode: listing for listing in listings}
        items = [listing._push_item() for listing in listings]
        now = fields.Datetime.now()
        # A failed item goes out again once its last request is 15 minutes old.
        retry_before = now - timedelta(minutes=15)
        last_sent = {
            listing.barcode: listing._last_sent_values()
            for listing in listings
            if listing.last_sent_at
            and not (listing.push_state == "failed" and listing.last_sent_at < retry_before)
        }
        recent = account._recent_push_requests(now)
        to_send, skipped = plan_stock_price_push(items, last_sent, now, recent_requests=recent)
        counters["skipped"] = len(skipped)
        for entry in skipped:
            if entry["reason"].startswith("invalid") and entry["barcode"] in by_barcode:
                by_barcode[entry["barcode"]].write(
                    {"push_state": "failed", "push_error": entry["reason"]}
                )
        try:
            adapter = account._adapter()
            for batch in batched(to_send, adapter.push_batch_size):
                # one reference per request the marketplace needed (one line each)
                batch_id = "\n".join(adapter.push_stock_price(batch))
                recent[request_fingerprint(batch)] = now
                for item in batch:
                    values = {
                        "last_sent_at": now,
                        "last_batch_id": batch_id,
                        "push_state": "pending",
                        "push_error": False,
                    }
                    if "quantity" in item:
                        values["last_sent_qty"] = item["quantity"]
                    if "price" in item:
                        values["last_sent_price"] = item["price"]
                        values["last_sent_list_price"] = item.get("list_price") or 0.0
                    by_barcode[item["barcode"]].write(values)
                counters["sent"] += len(batch)
                counters["batches"] += 1
        except MarketplaceError as error:
            account._store_push_requests(recent)
            run._finish(counters, error=str(error))
            return dict(counters, error=str(error))
        account._store_push_requests(recent)
        for key, value in self._poll_batches(account).items():
            counters[key] = value + polled[key]
        run._finish(
            {
                "fetched": counters["sent"],
                "processed": counters["succeeded"],
                "failed": counters["failed"],
            }
        )
        return counters

    @api.model
    def _poll_batches(self, accounts):
        """Read the per-item results of pending batches; items still without a final result
        after the deadline are failed (and sent again)."""
        counters = {"succeeded": 0, "failed": 0}
        for account in accounts:
            pending = self.search([("account_id", "=", account.id), ("push_state", "=", "pending")])
            if not pending:
                continue
            try:
                adapter = account._adapter()
            except UserError as error:
                _logger.info("Batches of %s not readable: %s", account.name, error)
                adapter = None
            for batch_id in set(pending.mapped("last_batch_id")) if adapter else ():
                try:
                    results = [adapter.push_results(ref) for ref in batch_id.split("\n")]
                except MarketplaceError as error:
                    _logger.info("Batch %s not readable yet: %s", batch_id, error)
                    continue
                in_batch = pending.filtered(
                    lambda rec, batch_id=batch_id: rec.last_batch_id == batch_id
                )
                states = item_states(
                    results, [(listing.barcode, listing.stock_code) for listing in in_batch]
                )
                for listing in in_batch:
                    state, message = states[listing.barcode]
                    if state == "done":
                        listing.write({"push_state": "done", "push_error": False})
                        counters["succeeded"] += 1
                    elif state == "failed":
                        listing.write(
                            {
                                "push_state": "failed",
                                "push_error": message or _("Refused by the marketplace."),
                            }
                        )
                        counters["failed"] += 1
            counters["failed"] += len(pending._expire_overdue())
        return counters

    def _expire_overdue(self):
        """Pending listings whose batch result did not come in time: failed, so the next
        push sends them again. Returns them."""
        now = fields.Datetime.now()
        overdue = self.filtered(
            lambda listing: (
                listing.push_state == "pending" and result_overdue(listing.last_sent_at, now)
            )
        )
        overdue.write(
            {
                "push_state": "failed",
                "push_error": _(
                    "No result from the marketplace in time: the values are sent again."
                ),
            }
        )
        return overdue

    def action_push_now(self):
        # push_stock_prices checks write on every listing of these accounts (these included)
        return self.account_id.action_push_stock_prices()
