"""n11 on the marketplace interface (marketplaces.md §3): the REST/SOAP client of
:mod:`..n11` and the mapping of :mod:`..n11_mapping` behind :class:`Marketplace`.

What n11 lacks here: an "invoiced" status, invoice files, labels (§3.9: no label endpoint
found) — those features are not listed, so their methods raise ``NotSupported``.

n11 splits and cancels only confirmed (Picking) packages (§3.4): :meth:`N11.split` and
:meth:`N11.unsupply` confirm a Created package first (confirming is mandatory anyway, §3.10
pitfall 4). Stock is keyed by stock code (§3.6): an item's ``stock_code`` is sent (its
barcode when it has none); the batch reference carries the task id and each stock code's
barcode, so :meth:`N11.push_results` reports per barcode.
"""

import json

from .. import n11 as api
from .. import n11_mapping as mapping
from ..marketplace import Marketplace, NotSupported, register
from ..push import batched

PUSH_STATES = {"SUCCESS": "done", "FAIL": "failed", "FAILED": "failed"}
ALREADY_SENT_MARKERS = ("already", "zaten", "daha önce")


@register
class N11(Marketplace):
    code = "n11"
    name = "n11"
    features = frozenset(
        {
            "picking",
            "invoice_link",
            "unsupply",
            "split",
            "own_cargo",
            "stock_price",
            "claims",
            "claim_reject",
        }
    )
    URLS = api.N11_URLS
    credential_labels = {
        "supplier_id": "Store name",
        "api_key": "API Key (appkey)",
        "api_secret": "API Secret (appsecret)",
    }
    max_window = api.MAX_ORDER_WINDOW
    push_batch_size = api.MAX_SKUS
    package_status_names = mapping.PACKAGE_STATUS_NAMES
    claim_status_names = mapping.CLAIM_STATUS_NAMES
    mapping = mapping
    package_states = mapping.PACKAGE_STATES
    claim_states = mapping.CLAIM_STATES
    unsupply_reasons = api.CANCEL_REASONS
    web_site = "www.n11.com"

    def __init__(self, credentials, logger=None, **client_options):
        super().__init__(credentials, logger)
        self.client = api.N11Client(
            credentials["api_key"],
            credentials["api_secret"],
            credentials.get("base_url") or "production",
            integrator_name=credentials.get("integrator_name") or "SelfIntegration",
            logger=logger,
            **client_options,
        )

    # ------------------------------------------------------------------ orders
    # --------------------------------------------------------- package actions
    def confirm_picking(self, package):
        return self.client.confirm_lines(package["line_ids"])

    def _confirmed(self, package):
        """n11 splits and cancels only Picking packages: confirm a Created one first."""
        if package.get("state") == "created" or package.get("status") == "Created":
            self.client.confirm_lines(package["line_ids"])

    def send_invoice_link(self, package, url, invoice_number, invoice_datetime):
        """n11 keeps one invoice link per order (``SaveLinkSellerInvoice`` has no invoice
        number or date). An "already" answer counts as done."""
        try:
            self.client.save_invoice_link(package["order_number"], url)
        except api.ClientError as error:
            if any(marker in str(error).lower() for marker in ALREADY_SENT_MARKERS):
                return {"done": True, "repeat": True, "message": str(error)}
            raise
        return {"done": True, "repeat": False, "message": ""}

    def unsupply(self, package, quantities, reason_code):
        """Cancel ``{line_id: quantity}`` with reason 61–65: a quantity split whose
        cancelled part carries the reason; what stays forms one new package."""
        cancel = {str(ref): int(qty) for ref, qty in quantities.items() if qty}
        if not cancel:
            raise ValueError("nothing to cancel")
        lines = {line["line_id"]: line for line in package["lines"]}
        unknown = set(cancel) - set(lines)
        if unknown:
            raise ValueError(
                f"lines {sorted(unknown)} are not in package {package['order_number']}"
            )
        keep = {}
        for line_id, line in lines.items():
            rest = int(line["quantity"]) - cancel.get(line_id, 0)
            if rest < 0:
                raise ValueError(f"line {line_id}: cannot cancel more than {line['quantity']}")
            if rest:
                keep[line_id] = rest
        self._confirmed(package)
        return self.client.split_by_quantity(
            package["order_number"], [keep] if keep else [], cancel, int(reason_code)
        )

    def split(self, package, line_groups):
        self._confirmed(package)
        return self.client.split_package([list(group) for group in line_groups])

    def mark_shipped(self, package, tracking_number, carrier_code=None, tracking_url=None):
        """``MakeOrderItemShipment``: ``carrier_code`` is n11's shipment company id; without
        it the package's carrier name is looked up in ``GetShipmentCompanies``."""
        company = carrier_code or self._shipment_company(package)
        return self.client.make_shipment(package["line_ids"], tracking_number, company)

    def _shipment_company(self, package):
        name = (package.get("cargo") or {}).get("carrier_name") or ""
        wanted = name.casefold()
        for company in self.client.shipment_companies():
            names = {str(company[key] or "").casefold() for key in ("name", "short_name")}
            if wanted and any(n and (n in wanted or wanted in n) for n in names):
                return company["id"]
        raise ValueError(f"no n11 shipment company matches the carrier {name!r}")

    def mark_delivered(self, package, delivered=True, reason=None):
        if not delivered:
            raise NotSupported(self.name, "own_cargo: not delivered")
        return self.client.deliver_items(package["line_ids"])

    def shipment_companies(self):
        return self.client.shipment_companies()

    # ----------------------------------------------------------- stock & price
    def push_stock_price(self, items):
        refs = []
        for batch in batched(list(items), self.push_batch_size):
            skus, keys = [], {}
            for item in batch:
                sku = _n11_sku(item)
                keys[sku["stockCode"]] = item["barcode"]
                skus.append(sku)
            task = self.client.update_price_stock(skus)
            refs.append(json.dumps({"task": task["id"], "keys": keys}, sort_keys=True))
        return refs

    def push_results(self, batch_ref):
        ref = json.loads(batch_ref)
        keys = ref.get("keys") or {}
        task = self.client.get_task(ref["task"])
        items, seen = [], set()
        for row in task["skus"]:
            seen.add(row["stock_code"])
            items.append(
                {
                    "key": keys.get(row["stock_code"], row["stock_code"]),
                    "state": PUSH_STATES.get(row["status"], "pending"),
                    "message": "; ".join(row["reasons"]),
                }
            )
        rejected = task["status"] == "REJECT"
        for stock_code, barcode in keys.items():
            if stock_code not in seen:
                items.append(
                    {
                        "key": barcode,
                        "state": "failed" if rejected else "pending",
                        "message": "; ".join(task["reasons"]) if rejected else "",
                    }
                )
        done = task["done"] and all(item["state"] != "pending" for item in items)
        return {"done": done, "items": items}

    # ------------------------------------------------------------------ claims
    def fetch_claims(self, start, end):
        return self.client.list_returns(start, end)

    def approve_claim(self, claim_ref, item_refs):
        """n11 approves a claim return as a whole (``ClaimReturnApprove``)."""
        return self.client.approve_return(claim_ref)

    def reject_claim(self, claim_ref, item_refs, reason_code, description, files=()):
        """``ClaimReturnDeny`` with a reason and a note; n11 takes no evidence file, so
        :meth:`claim_reason_requires_file` is always False."""
        return self.client.deny_return(
            claim_ref, reason_code, (description or "")[: self.claim_description_max]
        )

    def claim_reject_reasons(self):
        return list(api.RETURN_DENY_REASONS.items())


def _n11_sku(item):
    """A neutral stock/price item → n11's SKU (keyed by stock code)."""
    sku = {"stockCode": (item.get("stock_code") or item["barcode"]).strip()}
    if item.get("quantity") is not None:
        sku["quantity"] = item["quantity"]
    if item.get("price") is not None:
        sku["salePrice"] = item["price"]
        sku["listPrice"] = item.get("list_price") or item["price"]
    return sku
