"""Trendyol on the marketplace interface (marketplaces.md §1): the REST client of
:mod:`..trendyol` and the mapping of :mod:`..trendyol_mapping` behind :class:`Marketplace`."""

from .. import trendyol as api
from .. import trendyol_mapping as mapping
from ..marketplace import Marketplace, _lt, register
from ..push import batched

PACKAGE_STATES = {
    "Awaiting": "awaiting",
    "Created": "created",
    "Picking": "picking",
    "Invoiced": "invoiced",
    "Shipped": "shipped",
    "AtCollectionPoint": "shipped",
    "UnDelivered": "shipped",
    "Delivered": "delivered",
    "Returned": "returned",
    "Cancelled": "cancelled",
    "UnSupplied": "unsupplied",
    "UnPacked": "replaced",
}
CLAIM_STATES = {
    "Created": "waiting",
    "WaitingInAction": "waiting",
    "WaitingFraudCheck": "waiting",
    "InAnalysis": "waiting",
    "Accepted": "accepted",
    "Rejected": "rejected",
    "Unresolved": "disputed",
    "Cancelled": "cancelled",
}
PUSH_STATES = {"SUCCESS": "done", "FAILED": "failed"}


def _line_refs(package):
    return [
        {"lineId": api.int_id(line["line_id"]), "quantity": line["quantity"]}
        for line in package["lines"]
    ]


@register
class Trendyol(Marketplace):
    code = "trendyol"
    name = "Trendyol"
    features = frozenset(
        {
            "picking",
            "invoiced_status",
            "invoice_link",
            "invoice_file",
            "unsupply",
            "split",
            "labels",
            "stock_price",
            "claims",
            "claim_reject",
        }
    )
    URLS = {"production": api.TRENDYOL_URLS["production"], "test": api.TRENDYOL_URLS["stage"]}
    credential_labels = {
        "supplier_id": "Seller ID",
        "api_key": "API Key",
        "api_secret": "API Secret",
    }
    max_window = api.MAX_ORDER_WINDOW
    push_batch_size = api.MAX_BATCH
    claim_description_max = api.CLAIM_DESCRIPTION_MAX
    package_status_names = mapping.PACKAGE_STATUS_NAMES
    claim_status_names = mapping.CLAIM_STATUS_NAMES
    mapping = mapping
    package_states = PACKAGE_STATES
    unknown_package_state = "shipped"
    claim_states = CLAIM_STATES
    unsupply_reasons = api.UNSUPPLIED_REASONS
    # §1.7: the reasons accepted without an evidence file
    claim_reject_fallback_reasons = {
        1651: _lt("Product was not sent back / empty package"),
        451: _lt("Product is used or damaged by the customer"),
        2101: _lt("Missing parts or accessories"),
    }
    carriers = mapping.CARRIERS
    web_site = "www.trendyol.com"
    payment_agent = "DSM Grup Danışmanlık İletişim ve Satış Ticaret A.Ş."

    def __init__(self, credentials, logger=None, **client_options):
        super().__init__(credentials, logger)
        self.client = api.TrendyolClient(
            credentials["supplier_id"],
            credentials["api_key"],
            credentials["api_secret"],
            self.base_url(),
            integrator_name=credentials.get("integrator_name") or "SelfIntegration",
            logger=logger,
            **client_options,
        )

    # ------------------------------------------------------------------ orders
    def order_ref(self, raw):
        return str(raw.get("orderNumber") or "") or None if isinstance(raw, dict) else None

    # --------------------------------------------------------- package actions
    def confirm_picking(self, package):
        return self.client.update_package_status(
            package["package_id"], _line_refs(package), "Picking"
        )

    def mark_invoiced(self, package, invoice_number):
        return self.client.update_package_status(
            package["package_id"], _line_refs(package), "Invoiced", invoice_number=invoice_number
        )

    def send_invoice_link(self, package, url, invoice_number, invoice_datetime):
        return self.client.send_invoice_link(
            package["package_id"], url, invoice_number, invoice_datetime
        )

    def send_invoice_file(self, package, pdf, invoice_number, invoice_datetime):
        return self.client.send_invoice_file(
            package["package_id"], pdf, invoice_number, invoice_datetime
        )

    def unsupply(self, package, quantities, reason_code):
        lines = [
            {"lineId": api.int_id(ref), "quantity": int(qty)}
            for ref, qty in quantities.items()
            if qty
        ]
        return self.client.unsupply_package(package["package_id"], lines, int(reason_code))

    def split(self, package, line_groups):
        groups = [[api.int_id(ref) for ref in group] for group in line_groups]
        return self.client.split_package(package["package_id"], groups)

    def label(self, package):
        tracking = package["cargo"]["tracking_number"]
        zpl = self.client.get_common_label(tracking)
        if not zpl:
            self.client.create_common_label(tracking)
            zpl = self.client.get_common_label(tracking)
        return (zpl, "zpl") if zpl else (None, None)

    # ----------------------------------------------------------- stock & price
    def push_stock_price(self, items):
        batch_refs = []
        for batch in batched(items, self.push_batch_size):
            batch_refs += self.client.update_price_inventory(batch)
        return batch_refs

    def push_results(self, batch_ref):
        result = self.client.get_batch_result(batch_ref)
        items = [
            {
                "key": item["barcode"],
                "state": PUSH_STATES.get(item["status"], "pending"),
                "message": "; ".join(item["failure_reasons"]),
            }
            for item in result["items"]
        ]
        return {"done": result["status"] == "COMPLETED", "items": items}

    # ------------------------------------------------------------------ claims
    def approve_claim(self, claim_ref, item_refs):
        return self.client.approve_claim(claim_ref, item_refs)

    def reject_claim(self, claim_ref, item_refs, reason_code, description, files=()):
        return self.client.reject_claim(
            claim_ref, item_refs, int(reason_code), description, files=list(files or ())
        )

    def claim_reject_reasons(self):
        return [(row["id"], row["name"]) for row in self.client.get_claim_issue_reasons()]

    def claim_reason_requires_file(self, code):
        return api.claim_issue_requires_file(code)
