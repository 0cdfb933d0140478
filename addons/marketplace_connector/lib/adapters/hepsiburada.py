"""Hepsiburada on the marketplace interface (marketplaces.md §2): the REST client of
:mod:`..hepsiburada` and the mapping of :mod:`..hepsiburada_mapping` behind
:class:`Marketplace`.

Credentials: ``supplier_id`` is the merchant id (a GUID, in the paths), ``api_key`` the Basic
user name (the merchant id too; empty = the merchant id), ``api_secret`` the service key
("Servis Anahtarı") and ``integrator_name`` the integrator user name Hepsiburada registered,
sent as the exact User-Agent.

Packing: Hepsiburada has no picking or invoiced status; lines are *packed* into a package
(which gives the carrier barcode and the label). ``confirm_picking`` packs all lines of an
unpacked order into one package; ``split`` packs groups of unpacked lines into several, or
splits a packed package. A merchant who lets Hepsiburada pack automatically never needs them.
"""

import base64

from .. import hepsiburada as api
from .. import hepsiburada_mapping as mapping
from ..marketplace import Marketplace, MarketplaceError, _lt, register
from ..push import batched

PACKAGE_STATES = {
    "ToBePacked": "created",
    "Open": "picking",
    "Packed": "picking",
    "InTransit": "shipped",
    "Shipped": "shipped",
    "Undelivered": "shipped",
    "Delivered": "delivered",
    "Cancelled": "cancelled",
    "CancelledByMerchant": "unsupplied",
    "Unpacked": "replaced",
    "PaymentAwaiting": "awaiting",
}
CLAIM_STATES = {
    "NewRequest": "waiting",
    "AwaitingAction": "waiting",
    "AwaitingPreApproval": "waiting",
    "Accepted": "accepted",
    "Refunded": "accepted",
    "Rejected": "rejected",
    "InDispute": "disputed",
    "Cancelled": "cancelled",
}
# reasons to reject a return: Hepsiburada's enum was not in the sources (§2.7 [UNCONFIRMED]);
# these are sent as ``ClaimRejectionReason`` and the seller's text as ``MerchantStatement``
CLAIM_REJECT_REASONS = [
    ("ProductUsed", _lt("Product is used")),
    ("ProductDamaged", _lt("Product is damaged or defective")),
    ("MissingProduct", _lt("Missing product or parts")),
    ("WrongProduct", _lt("A wrong product was sent back")),
    ("Other", _lt("Other")),
]


@register
class Hepsiburada(Marketplace):
    code = "hepsiburada"
    name = "Hepsiburada"
    features = frozenset(
        {
            "picking",
            "invoice_link",
            "unsupply",
            "split",
            "labels",
            "own_cargo",
            "stock_price",
            "listings",
            "claims",
            "claim_reject",
        }
    )
    URLS = api.URLS
    credential_labels = {
        "supplier_id": "Merchant ID",
        "api_key": "API user name (the Merchant ID)",
        "api_secret": "Service key (Servis Anahtarı)",
    }
    max_window = api.MAX_WINDOW
    push_batch_size = api.MAX_UPLOAD_ROWS
    requires_stock_code = True  # uploads are keyed by merchantSku
    package_status_names = mapping.PACKAGE_STATUS_NAMES
    claim_status_names = mapping.CLAIM_STATUS_NAMES
    mapping = mapping
    package_states = PACKAGE_STATES
    unknown_package_state = "picking"
    claim_states = CLAIM_STATES
    unsupply_reasons = api.CANCEL_REASONS
    carriers = mapping.CARRIERS
    label_format = "ZPL"
    upload_wait = 60.0  # seconds a sixth upload waits for one of five running ones
    upload_poll = 2.0
    web_site = "www.hepsiburada.com"

    def __init__(self, credentials, logger=None, **client_options):
        super().__init__(credentials, logger)
        self._uploads = {}  # batch reference → [(barcode, stock code)] of its rows, in order
        self.client = api.HepsiburadaClient(
            credentials["supplier_id"],
            credentials["api_secret"],
            credentials.get("base_url") or "production",
            integrator_name=credentials.get("integrator_name"),
            username=credentials.get("api_key") or credentials["supplier_id"],
            logger=logger,
            **client_options,
        )

    # ------------------------------------------------------------------ orders
    # --------------------------------------------------------- package actions
    @staticmethod
    def _packed(package):
        return mapping.feed_of(package["raw"]) != "orders"

    @staticmethod
    def _line_rows(package, line_ids=None):
        """``[{'id', 'quantity'}]`` of the package's lines (only ``line_ids`` when given)."""
        return [
            {"id": line["line_id"], "quantity": int(line["quantity"])}
            for line in package["lines"]
            if line_ids is None or line["line_id"] in line_ids
        ]

    def confirm_picking(self, package):
        """Pack every line of an unpacked order into one package (a packed package: nothing
        to do). Returns the new package's ``{'packageNumber', 'barcode'}`` (or None)."""
        if self._packed(package):
            return None
        return self.client.pack(self._line_rows(package))

    def pack(self, package, line_ids=None, parcel_quantity=1, deci=None):
        """Pack ``line_ids`` (default: all) of an unpacked order into one package."""
        if self._packed(package):
            raise ValueError(f"package {package['package_id']} is already packed")
        return self.client.pack(
            self._line_rows(package, set(line_ids) if line_ids else None), parcel_quantity, deci
        )

    def unpack(self, package):
        """Delete a package: its lines go back to the lines to pack."""
        return self.client.unpack_package(package["package_id"])

    def send_invoice_link(self, package, url, invoice_number, invoice_datetime):
        if not self._packed(package):
            raise ValueError(
                f"order {package['order_number']} is not packed yet: Hepsiburada takes the "
                "invoice link of a package"
            )
        return self.client.send_invoice_link(package["package_id"], url)

    def unsupply(self, package, quantities, reason_code):
        """Unpacked lines are cancelled whole (``cancelbymerchant``); on a packed package
        the cancelled quantities go through a split whose other lines stay packed."""
        reason = int(reason_code)
        wanted = {str(ref): int(qty) for ref, qty in quantities.items() if qty}
        if not wanted:
            raise ValueError("nothing to cancel")
        unknown = set(wanted) - set(package["line_ids"])
        if unknown:
            raise ValueError(f"lines {sorted(unknown)} are not in {package['package_id']}")
        if not self._packed(package):
            by_id = {line["line_id"]: line for line in package["lines"]}
            for line_id, quantity in wanted.items():
                if quantity != by_id[line_id]["quantity"]:
                    raise ValueError(
                        f"Hepsiburada cancels an unpacked line whole: line {line_id} has "
                        f"{by_id[line_id]['quantity']} units, not {quantity}"
                    )
            for line_id in wanted:
                self.client.cancel_line(line_id, reason)
            return True
        remaining = []
        for line in package["lines"]:
            left = line["quantity"] - wanted.get(line["line_id"], 0)
            if left < 0:
                raise ValueError(f"line {line['line_id']} has only {line['quantity']} units")
            if left:
                remaining.append({"id": line["line_id"], "quantity": left})
        cancelled = [{"id": ref, "quantity": qty} for ref, qty in wanted.items()]
        return self.client.split_package(
            package["package_id"], [remaining] if remaining else [], cancelled, reason
        )

    def split(self, package, line_groups):
        """Unpacked order: each group of lines is packed into its own package. Packed
        package: each group becomes a package, the other lines another one."""
        groups = [[str(ref) for ref in group] for group in line_groups if group]
        if not groups:
            raise ValueError("nothing to split")
        unknown = {ref for group in groups for ref in group} - set(package["line_ids"])
        if unknown:
            raise ValueError(f"lines {sorted(unknown)} are not in {package['package_id']}")
        if not self._packed(package):
            return [self.client.pack(self._line_rows(package, set(group))) for group in groups]
        grouped = {ref for group in groups for ref in group}
        rest = [line["line_id"] for line in package["lines"] if line["line_id"] not in grouped]
        rows = [self._line_rows(package, set(group)) for group in groups + ([rest] if rest else [])]
        return self.client.split_package(package["package_id"], rows)

    def label(self, package):
        if not self._packed(package):
            return None, None
        labels = self.client.get_labels(package["package_id"], self.label_format)
        data = [entry for entry in labels["data"] if entry]
        if not data:
            return None, None
        if str(labels["format"]).upper() == "PDF":
            return base64.b64decode(data[0]), "pdf"
        return "\n".join(data), "zpl"

    def mark_shipped(self, package, tracking_number, carrier_code=None, tracking_url=None):
        return self.client.mark_in_transit(
            package["package_id"],
            tracking_number,
            tracking_url=tracking_url,
            estimatedArrivalDate=None,
            deci=package["cargo"].get("deci"),
        )

    def mark_delivered(self, package, delivered=True, reason=None):
        if delivered:
            received_by = package["delivery_address"].get("name") or package["customer"]["name"]
            return self.client.mark_delivered(package["package_id"], received_by)
        return self.client.mark_undelivered(package["package_id"], reason)

    # ----------------------------------------------------------- stock & price
    def push_stock_price(self, items):
        """Stock rows go to ``stock-uploads``, price rows to ``price-uploads`` (keyed by
        ``merchantSku`` = the item's stock code); one reference per upload:
        ``'stock-uploads:<id>'``. At most :data:`.hepsiburada.MAX_RUNNING_UPLOADS` uploads run
        at once (a further one waits, polling, up to ``upload_wait`` seconds). This
        adapter remembers the items of its uploads, so that :meth:`push_results` on the same
        adapter lists every item by barcode.

        An item without a stock code is refused before anything is sent. When an upload
        fails, the error carries ``refs``: the uploads sent before it."""
        items = list(items)
        for item in items:
            _sku(item)
        refs, running = [], []
        try:
            for kind, chosen, rows in self._uploads_of(items):
                ref = api.upload_ref(kind, self._send_upload(kind, rows, running))
                self._uploads[ref] = [(item.get("barcode"), _sku(item)) for item in chosen]
                refs.append(ref)
                running.append(ref)
        except MarketplaceError as error:
            error.refs = list(refs)
            raise
        return refs

    def _uploads_of(self, items):
        """``(kind, items, rows)`` of every upload, batch after batch."""
        for batch in batched(items, self.push_batch_size):
            stock = [item for item in batch if item.get("quantity") is not None]
            if stock:
                yield (
                    "stock-uploads",
                    stock,
                    [
                        {"merchantSku": _sku(item), "availableStock": int(item["quantity"])}
                        for item in stock
                    ],
                )
            price = [item for item in batch if item.get("price") is not None]
            if price:
                yield (
                    "price-uploads",
                    price,
                    [
                        {"merchantSku": _sku(item), "price": round(float(item["price"]), 2)}
                        for item in price
                    ],
                )

    def _send_upload(self, kind, rows, running):
        """Send one upload once one of the :data:`.hepsiburada.MAX_RUNNING_UPLOADS` slots is
        free: this call's uploads are polled (the final ones leave ``running``) and an upload
        Hepsiburada refuses for the merchant's other running uploads is sent again, every
        ``upload_poll`` seconds, up to ``upload_wait`` seconds; then a retryable error."""
        waited, refused = 0.0, None
        while True:
            if len(running) >= api.MAX_RUNNING_UPLOADS:
                for ref in list(running):
                    if self.client.upload_status(*api.parse_upload_ref(ref))["final"]:
                        running.remove(ref)
            if len(running) < api.MAX_RUNNING_UPLOADS:
                try:
                    return self.client.upload(kind, rows)
                except api.UploadRefused as error:
                    refused = error
            if waited >= self.upload_wait:
                reason = refused or f"{len(running)} uploads of this push still running"
                raise MarketplaceError(
                    f"no upload slot after {waited:g} s ({reason}): the rest is sent next time",
                    retryable=True,
                )
            self.client.sleep(self.upload_poll)
            waited += self.upload_poll

    def push_results(self, batch_ref):
        """``{'done', 'items', 'rest'}``. Hepsiburada reports only the rejected rows: each
        item is ``{key, stock_code, state, message}``, ``key`` being the barcode when this
        adapter sent the upload (every item is then listed), else the row's stock code
        (``merchantSku``; only rejected rows are listed). ``rest`` is the state of every item
        not listed: ``done`` once the upload is final, else ``pending``."""
        kind, upload_id = api.parse_upload_ref(batch_ref)
        status = self.client.upload_status(kind, upload_id)
        rest = "done" if status["final"] else "pending"
        sent = self._uploads.get(batch_ref)
        failed = {}
        for row in status["errors"]:
            row_number = row["row"] if isinstance(row["row"], int) else None
            if sent and row_number is not None and 0 <= row_number < len(sent):
                key, stock_code = sent[row_number]
            else:
                stock_code = row["merchant_sku"] or row["hepsiburada_sku"]
                key = next((b for b, sku in sent or () if sku == stock_code), stock_code)
            failed[key] = {
                "key": key,
                "stock_code": stock_code,
                "state": "failed",
                "message": "; ".join(row["messages"]) or "rejected",
            }
        items = list(failed.values())
        for barcode, stock_code in sent or ():
            if barcode not in failed:
                items.append(
                    {"key": barcode, "stock_code": stock_code, "state": rest, "message": ""}
                )
        return {"done": status["final"], "items": items, "rest": rest}

    def normalize_listing(self, raw):
        """Listings fulfilled by Hepsiburada (``isFulfilledByHB``) are stocked by its
        warehouse: never pushed."""
        raw = raw if isinstance(raw, dict) else {}
        return {
            "stock_code": str(raw.get("merchantSku") or raw.get("MerchantSku") or "").strip(),
            "barcode": str(raw.get("barcode") or raw.get("Barcode") or "").strip(),
            "fulfilled_by_marketplace": bool(raw.get("isFulfilledByHB")),
        }

    def fetch_listings(self):
        return list(self.client.iter_listings())

    # ------------------------------------------------------------------ claims
    def approve_claim(self, claim_ref, item_refs):
        return self.client.accept_claim(claim_ref)

    def reject_claim(self, claim_ref, item_refs, reason_code, description, files=()):
        return self.client.reject_claim(
            claim_ref,
            reason_code,
            (description or "")[: self.claim_description_max],
            reports=list(files or ()),
        )

    def claim_reject_reasons(self):
        return list(CLAIM_REJECT_REASONS)


def _sku(item):
    sku = str(item.get("stock_code") or "").strip()
    if not sku:
        raise ValueError(f"Hepsiburada keys listings by merchant SKU: {item!r} has no stock code")
    return sku
