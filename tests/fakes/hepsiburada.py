"""Fake Hepsiburada seller API over HTTP on 127.0.0.1 (stdlib only).

Speaks the paths and JSON shapes of ``shared/reference/marketplaces.md`` §2 on one server
(the OMS and listing hosts share it): paid lines to pack (``/orders``, ``offset``/``limit``
≤ 100, envelope), packages (``/packages``, ``Offset``/``limit`` ≤ 10, a bare array; a
lower-case ``offset`` is ignored there, like Hepsiburada), ``begindate``/``enddate`` as
``yyyy-MM-dd HH:mm`` Turkey time over at most 24 h (a longer range is silently cut to 24 h,
like Hepsiburada; the request is marked ``truncated``), the shipped / delivered /
undelivered / cancelled feeds (date filters refused with 400), the unpacked packages,
packing (lines leave ``/orders``), split, unpack, cancel by merchant (reason 83), invoice
link, labels, own-cargo intransit / deliver / undeliver (dates ≤ 7 days old, not before
packing), stock and price uploads (JSON arrays, an upload id; status polled; rejected rows
inside the 200 answer; a sixth running upload is refused inside a 200), listings
(``isFulfilledByHB``), claims list / accept / reject.

Auth: HTTP Basic ``merchantId:serviceKey`` and a User-Agent that is exactly the registered
integrator user name; anything else is a bare 401 (empty body, JSON content type).

Python API::

    fake = FakeHepsiburada().start()       # fake.url, fake.merchant_id, fake.service_key ...
    pid = fake.add_order("4567890123", [{"barcode": ..., "stock_code": ..., "quantity": 2,
                                          "price": 599.0, "seller_discount": 0, "vat": 20}])
    fake.add_fault("rate_limit", endpoint="orders.list")
    fake.requests                          # recorded calls
    fake.stop()

HTTP control: ``POST /__fake__/seed`` ``{"orders": 5}`` or ``{"orders": [{"order_number",
"lines", "status", "buyer"}], "listings": [...], "claims": [{"package_id", "line_id"}]}``,
``POST /__fake__/faults`` ``{"kind", "endpoint", "count"}``, ``POST /__fake__/state``
``{"package_id", "state"}``, ``POST /__fake__/reset``, ``GET /__fake__/requests``,
``GET /__fake__/state``.

Fault kinds (``add_fault(kind, endpoint="*", count=1)``): ``rate_limit`` (429 with
Retry-After: 1 and X-RateLimit-Reset: 2; ``retry_after=False``: only the X-RateLimit
headers), ``unavailable`` (503), ``server_error`` (500), ``auth`` (401), ``drop`` (the
connection is closed after the request was read, nothing applied), ``malformed`` (200 with a
body that is not JSON).

Standalone: ``python -m tests.fakes.hepsiburada --port 8072 --seed 10``.

Contract harness (the cross-marketplace contract tests): :func:`contract_fake`.
"""

import argparse
import base64
import itertools
import random
import re
import uuid
import zlib
from datetime import datetime, timedelta, timezone

from tests.fakes.httpfake import DropConnection, HttpError, HttpFake
from tests.fakes.trendyol import FIRST_NAMES, LAST_NAMES, PLACES, PRODUCTS, make_tckn

MAX_ORDERS_LIMIT = 100
MAX_PACKAGES_LIMIT = 10
MAX_FEED_LIMIT = 100
MAX_CLAIMS_LIMIT = 100
MAX_LISTINGS_LIMIT = 100
MAX_RANGE = timedelta(hours=24)
TURKEY = timedelta(hours=3)
DATE_FORMAT = "%Y-%m-%d %H:%M"
CANCEL_REASONS = {83}
MAX_RUNNING_UPLOADS = 5
OWN_CARGO_MAX_AGE = timedelta(days=7)
LABEL_FORMATS = {"ZPL", "PDF"}
CARGO_COMPANIES = ["HepsiJET", "Yurtiçi Kargo", "Aras Kargo"]
# neutral state → (where the lines are, package status) for the contract harness
NEUTRAL_CLAIM_STATES = {
    "NewRequest": "waiting",
    "AwaitingAction": "waiting",
    "Accepted": "accepted",
    "Rejected": "rejected",
    "InDispute": "disputed",
    "Cancelled": "cancelled",
}
PACKAGE_NEUTRAL = {
    "Open": "picking",
    "InTransit": "shipped",
    "Delivered": "delivered",
    "Undelivered": "shipped",
    "Cancelled": "cancelled",
}


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_iso(moment):
    """Naive UTC → Turkey-time ISO string without a zone (as Hepsiburada writes dates)."""
    return (moment + TURKEY).isoformat(timespec="milliseconds") if moment else None


def parse_local(value):
    """A ``yyyy-MM-dd HH:mm`` Turkey-time filter → naive UTC (ValueError otherwise)."""
    return datetime.strptime(value, DATE_FORMAT) - TURKEY


def parse_iso(value):
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return moment - TURKEY
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class FakeError(HttpError):
    def __init__(self, status, message=None, body=None):
        super().__init__(message or str(status))
        self.status = status
        self.body = body if body is not None else ({"message": message} if message else None)


def money(amount, currency="TRY"):
    return {"amount": round(float(amount), 2), "currency": currency}


# ------------------------------------------------------------------------------- server
class FakeHepsiburada(HttpFake):
    server_version = "FakeHepsiburada/1.0"
    json_content_type = "application/json; charset=utf-8"
    control_errors = (KeyError, ValueError)

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        merchant_id="6b0f3c5e-2d1a-4c8e-9f7b-1a2b3c4d5e6f",
        service_key="Sk9x2Lm4Qw7z",
        integrator_name="odootr_dev",
        seed=42,
        upload_polls=1,  # status polls an upload stays InProgress
        auto_listings=False,  # an unknown merchantSku creates a listing
        strict_range=False,  # a range over 24 h is a 400 instead of being cut silently
    ):
        super().__init__(host, port)
        self.merchant_id = merchant_id
        self.service_key = service_key
        self.integrator_name = integrator_name
        self.upload_polls = upload_polls
        self.auto_listings = auto_listings
        self.strict_range = strict_range
        self.rng = random.Random(seed)
        self._ids = itertools.count(1)
        self.reset()

    def reset(self):
        with self.lock:
            self.lines = {}  # line id → LineRepresentation + "_state", "_package"
            self.packages = {}  # package number → package representation + "_packed_at"
            self.cancels = []  # cancelled-feed records
            self.invoices = {}  # package number → link
            self.listings = {}  # merchantSku → listing
            self.uploads = {}
            self.claims = {}  # claim number → claim
            self.requests = []
            self.faults = []

    def _number(self, base):
        return str(base + next(self._ids) * 17 + self.rng.randint(0, 9))

    def credentials(self):
        return {
            "marketplace": "hepsiburada",
            "base_url": self.url,
            "supplier_id": self.merchant_id,
            "api_key": self.merchant_id,
            "api_secret": self.service_key,
            "integrator_name": self.integrator_name,
        }

    # ------------------------------------------------------------------ seeding
    def add_listing(self, merchant_sku, barcode=None, stock=0, price=None, fbh=False):
        with self.lock:
            return self.listings.setdefault(
                str(merchant_sku),
                {
                    "hepsiburadaSku": f"HBV{zlib.crc32(str(merchant_sku).encode()):010d}",
                    "merchantSku": str(merchant_sku),
                    "barcode": barcode,
                    "availableStock": stock,
                    "price": price,
                    "isFulfilledByHB": bool(fbh),
                },
            )

    def _buyer(self, buyer):
        if buyer:
            return dict(buyer)
        city, _plate, district, _zip = self.rng.choice(PLACES)
        return {
            "first_name": self.rng.choice(FIRST_NAMES),
            "last_name": self.rng.choice(LAST_NAMES),
            "tckn": make_tckn(self.rng),
            "city": city,
            "district": district,
            "street": "Cumhuriyet Mah. Lale Sok. No:12 D:4",
            "email": "buyer@example.com",
        }

    def add_order(
        self,
        order_number,
        lines,
        status="created",
        buyer=None,
        order_date=None,
        packed_at=None,
    ):
        """Paid lines of a new order (contract harness, see the module docstring). Returns
        the package id: the order number while the lines are not packed, else the package
        number (``status`` other than ``created`` packs them, then moves the package)."""
        buyer = self._buyer(buyer)
        order_date = order_date or utcnow() - timedelta(minutes=5)
        order_number = str(order_number)
        name = f"{buyer.get('first_name', '')} {buyer.get('last_name', '')}".strip()
        address = {
            "addressId": self._number(700000),
            "address": buyer.get("street") or "",
            "name": name,
            "email": buyer.get("email") or "",
            "phoneNumber": buyer.get("phone") or "5321234567",
            "countryCode": "TR",
            "city": buyer.get("city") or "",
            "town": buyer.get("district") or "",
            "district": buyer.get("neighborhood") or "",
            "postalCode": buyer.get("zip") or "",
        }
        invoice_address = dict(address, companyName=buyer.get("company") or "")
        with self.lock:
            for spec in lines:
                line_id = str(spec.get("line_id") or uuid.UUID(int=self.rng.getrandbits(128)))
                quantity = int(spec["quantity"])
                price = float(spec["price"])
                seller = float(spec.get("seller_discount") or 0)
                hb = float(spec.get("hb_discount") or 0)
                gross = price * quantity
                self.add_listing(spec.get("stock_code"), spec.get("barcode"), 0, price)
                self.lines[line_id] = {
                    "id": line_id,
                    "orderId": order_number,
                    "orderNumber": order_number,
                    "orderDate": local_iso(order_date),
                    "dueDate": local_iso(order_date + timedelta(days=2)),
                    "lastStatusUpdateDate": local_iso(order_date),
                    "status": "Open",
                    "sku": self.listings[str(spec.get("stock_code"))]["hepsiburadaSku"],
                    "merchantSKU": spec.get("stock_code"),
                    "productBarcode": spec.get("barcode"),
                    "name": spec.get("name") or f"Ürün {spec.get('stock_code')}",
                    "quantity": quantity,
                    "unitPrice": money(price),
                    "totalPrice": money(gross),
                    "merchantDiscount": {
                        "unitPrice": money(seller / quantity),
                        "totalPrice": money(seller),
                    },
                    "hbDiscount": {"unitPrice": money(hb / quantity), "totalPrice": money(hb)},
                    "discountToBeBilledToHB": round(hb, 2),
                    "vatRate": spec.get("vat", 20),
                    "vat": round(
                        (gross - seller) * spec.get("vat", 20) / (100 + spec.get("vat", 20)), 2
                    ),
                    "commissionRate": 15,
                    "customerId": str(uuid.UUID(int=self.rng.getrandbits(128))),
                    "customerName": name,
                    "shippingAddress": address,
                    "invoice": {
                        "address": invoice_address,
                        "taxNumber": buyer.get("vkn") or "",
                        "taxOffice": buyer.get("tax_office")
                        or ("Maltepe" if buyer.get("vkn") else ""),
                        "turkishIdentityNumber": buyer.get("tckn") or "",
                    },
                    "cargoCompany": CARGO_COMPANIES[0],
                    "cargoCompanyModel": {"id": 1, "name": CARGO_COMPANIES[0], "shortName": "HX"},
                    "isMicroExport": False,
                    "canCreatePackage": True,
                    "_state": "open",
                    "_package": None,
                    "_order_date": order_date,
                }
            ids = [
                line_id
                for line_id, line in self.lines.items()
                if line["orderNumber"] == order_number
            ]
            if status in ("created", "unsupplied"):  # unsupplied: cancelled before packing
                if status == "unsupplied":
                    self.set_state(order_number, status)
                return order_number
            number = self._pack(
                [(line_id, self.lines[line_id]["quantity"]) for line_id in ids], packed_at=packed_at
            )
            self.set_state(number, status)
            return number

    def seed_orders(self, count=5, lines_per_order=2):
        ids = []
        for _i in range(count):
            lines = []
            for barcode, stock_code, _name, price, _stock in self.rng.sample(
                PRODUCTS, lines_per_order
            ):
                lines.append(
                    {
                        "barcode": barcode,
                        "stock_code": stock_code,
                        "quantity": self.rng.randint(1, 3),
                        "price": price,
                        "vat": 20,
                    }
                )
            ids.append(self.add_order(self._number(4500000000), lines))
        return ids

    # ------------------------------------------------------------- packages
    def _pack(self, rows, packed_at=None, parcel_quantity=1, deci=None):
        """Pack ``[(line id, quantity)]`` (whole open lines) into a new package."""
        lines = []
        for line_id, quantity in rows:
            line = self.lines.get(str(line_id))
            if line is None:
                raise FakeError(400, f"Line item {line_id} not found")
            if line["_state"] != "open":
                raise FakeError(400, f"Line item {line_id} is not waiting to be packed")
            if int(quantity) != line["quantity"]:
                raise FakeError(
                    400, f"Line item {line_id} must be packed whole ({line['quantity']})"
                )
            lines.append(line)
        if not lines:
            raise FakeError(400, "lineItemRequests is empty")
        customers = {line["customerName"] for line in lines}
        if len(customers) > 1:
            raise FakeError(400, "Line items of different customers cannot share a package")
        number = self._number(4012000000)
        packed_at = packed_at or utcnow()
        head = lines[0]
        invoice = head["invoice"]
        billing = invoice["address"]
        shipping = head["shippingAddress"]
        package = {
            "id": str(uuid.UUID(int=self.rng.getrandbits(128))),
            "packageNumber": number,
            "barcode": "622" + number[-10:],
            "status": "Open",
            "cargoCompany": head["cargoCompany"],
            "isCargoChangable": True,
            "orderDate": head["orderDate"],
            "dueDate": head["dueDate"],
            "customerId": head["customerId"],
            "customerName": head["customerName"],
            "email": shipping["email"],
            "phoneNumber": shipping["phoneNumber"],
            "recipientName": shipping["name"],
            "shippingAddressDetail": shipping["address"],
            "shippingCity": shipping["city"],
            "shippingTown": shipping["town"],
            "shippingDistrict": shipping["district"],
            "shippingCountryCode": "TR",
            "companyName": billing.get("companyName") or "",
            "billingAddress": billing["address"],
            "billingCity": billing["city"],
            "billingTown": billing["town"],
            "billingDistrict": billing["district"],
            "billingPostalCode": billing["postalCode"],
            "billingCountryCode": "TR",
            "taxOffice": invoice["taxOffice"],
            "taxNumber": invoice["taxNumber"],
            "identityNo": invoice["turkishIdentityNumber"],
            "totalPrice": money(sum(line["totalPrice"]["amount"] for line in lines)),
            "shippingTotalPrice": money(0),
            "totalDeci": deci if deci is not None else len(lines),
            "lastStatusUpdateDate": local_iso(packed_at),
            "items": [self._package_line(line) for line in lines],
            "_packed_at": packed_at,
            "_parcels": int(parcel_quantity),
        }
        for line in lines:
            line["_state"] = "packed"
            line["_package"] = number
        self.packages[number] = package
        return number

    @staticmethod
    def _package_line(line):
        quantity = line["quantity"]
        return {
            "lineItemId": line["id"],
            "listingId": "l-" + line["id"][:8],
            "orderNumber": line["orderNumber"],
            "orderDate": line["orderDate"],
            "hbSku": line["sku"],
            "merchantSku": line["merchantSKU"],
            "productBarcode": line["productBarcode"],
            "productName": line["name"],
            "quantity": quantity,
            "price": line["unitPrice"],
            "totalPrice": money(line["unitPrice"]["amount"] * quantity),
            "unitMerchantDiscount": line["merchantDiscount"]["unitPrice"],
            "totalMerchantDiscount": line["merchantDiscount"]["totalPrice"],
            "unitHBDiscount": line["hbDiscount"]["unitPrice"],
            "totalHBDiscount": line["hbDiscount"]["totalPrice"],
            "discountToBeBilledToHB": line["discountToBeBilledToHB"],
            "vat": line["vat"],
            "vatRate": line["vatRate"],
            "commissionRate": line["commissionRate"],
            "isMicroExport": False,
            "deci": 1,
        }

    def _resolve(self, package_id):
        """A package number, or an order number → the package its lines are in (or None
        while they are not packed)."""
        package_id = str(package_id)
        if package_id in self.packages:
            return self.packages[package_id]
        numbers = [
            line["_package"]
            for line in self.lines.values()
            if line["orderNumber"] == package_id and line["_package"]
        ]
        return self.packages[numbers[-1]] if numbers else None

    def _touch(self, package, status):
        package["status"] = status
        package["lastStatusUpdateDate"] = local_iso(utcnow())

    def _cancel_lines(self, lines, by, reason, package=None):
        now = utcnow()
        for line in lines:
            line["_state"] = "cancelled"
            self.cancels.append(
                {
                    "lineItemId": line["id"],
                    "quantity": line["quantity"],
                    "cancelDate": local_iso(now),
                    "cancelledBy": by,
                    "cancelReasonCode": str(reason),
                    "merchantSku": line["merchantSKU"],
                    "sku": line["sku"],
                    "orderNumber": line["orderNumber"],
                    **({"packageNumber": package["packageNumber"]} if package else {}),
                }
            )

    def package_state(self, package_id):
        """The neutral state of a package (or of the unpacked lines of an order)."""
        with self.lock:
            package = self._resolve(package_id)
            if package is not None:
                if package["status"] == "Cancelled" and any(
                    c["cancelledBy"] == "Merchant"
                    for c in self.cancels
                    if c.get("packageNumber") == package["packageNumber"]
                ):
                    return "unsupplied"
                return PACKAGE_NEUTRAL.get(package["status"], "replaced")
            lines = [line for line in self.lines.values() if line["orderNumber"] == str(package_id)]
            if not lines:
                raise KeyError(package_id)
            if any(line["_state"] == "open" for line in lines):
                return "created"
            cancels = [c for c in self.cancels if c["orderNumber"] == str(package_id)]
            merchant = any(c["cancelledBy"] == "Merchant" for c in cancels)
            return "unsupplied" if merchant else "cancelled"

    def set_state(self, package_id, state):
        """Carrier / customer side: ``picking`` (packed), ``shipped``, ``delivered``,
        ``undelivered``, ``cancelled`` (by the customer)."""
        with self.lock:
            package = self._resolve(package_id)
            if state == "unsupplied":
                if package is not None:
                    raise ValueError("the fake unsupplies lines not packed yet")
                lines = [
                    line
                    for line in self.lines.values()
                    if line["orderNumber"] == str(package_id) and line["_state"] == "open"
                ]
                self._cancel_lines(lines, "Merchant", 83)
                return
            if state == "cancelled":
                if package is None:
                    lines = [
                        line
                        for line in self.lines.values()
                        if line["orderNumber"] == str(package_id) and line["_state"] == "open"
                    ]
                    self._cancel_lines(lines, "Customer", "CustomerRequest")
                    return
                lines = [self.lines[item["lineItemId"]] for item in package["items"]]
                self._cancel_lines(lines, "Customer", "CustomerRequest", package)
                self._touch(package, "Cancelled")
                return
            if package is None:  # Hepsiburada packs automatically
                ids = [
                    (line["id"], line["quantity"])
                    for line in self.lines.values()
                    if line["orderNumber"] == str(package_id) and line["_state"] == "open"
                ]
                package = self.packages[self._pack(ids)]
            status = {
                "picking": "Open",
                "invoiced": "Open",
                "shipped": "InTransit",
                "delivered": "Delivered",
                "undelivered": "Undelivered",
            }.get(state)
            if status is None:
                raise ValueError(f"the fake cannot put a package in state {state!r}")
            if status != package["status"]:
                self._touch(package, status)
                if status in ("InTransit", "Delivered"):
                    package.setdefault("shippedDate", package["lastStatusUpdateDate"])

    def invoice_of(self, package_id):
        with self.lock:
            package = self._resolve(package_id)
            link = self.invoices.get(package["packageNumber"]) if package else None
            return {"number": None, "link": link, "file": None} if link else None

    def stock_of(self, barcode):
        with self.lock:
            for listing in self.listings.values():
                if listing["barcode"] == barcode:
                    return {"quantity": listing["availableStock"], "price": listing["price"]}
            return None

    def add_claim(self, package_id, line_id, quantity=1, reason="Ürün beklentimi karşılamadı"):
        with self.lock:
            line = self.lines[str(line_id)]
            package = self._resolve(package_id)
            number = self._number(9100000)
            now = utcnow()
            self.claims[number] = {
                "id": str(uuid.UUID(int=self.rng.getrandbits(128))),
                "number": number,
                "claimType": "Return",
                "claimDate": local_iso(now),
                "status": "AwaitingAction",
                "orderNumber": line["orderNumber"],
                "orderDate": line["orderDate"],
                "packageNumber": package["packageNumber"] if package else None,
                "sku": line["sku"],
                "MerchantSku": line["merchantSKU"],
                "productBarcode": line["productBarcode"],
                "productName": line["name"],
                "lineItemId": line["id"],
                "quantity": int(quantity),
                "priceAmount": line["unitPrice"]["amount"],
                "priceCurrency": "TRY",
                "totalPriceAmount": round(line["unitPrice"]["amount"] * int(quantity), 2),
                "vatRate": line["vatRate"],
                "explanation": reason,
                "Reason": {"Code": "NotAsExpected", "Name": reason},
                "customerName": line["customerName"],
                "AwaitingActionExpireDate": local_iso(now + timedelta(days=2)),
                "Deliveries": [
                    {
                        "TrackingNumber": "7" + number,
                        "CargoCompany": {"Name": "Yurtiçi Kargo", "Alias": "YK"},
                        "PackageNumber": "R" + number,
                        "Status": "Delivered",
                    }
                ],
                "_changed": now,
            }
            return number

    def claim_state(self, claim_id):
        with self.lock:
            return NEUTRAL_CLAIM_STATES.get(self.claims[str(claim_id)]["status"], "waiting")

    # ------------------------------------------------------------- lifecycle
    def banner(self):
        return (
            f"FakeHepsiburada listening on {self.url} (merchant {self.merchant_id}, "
            f"service key {self.service_key}, User-Agent {self.integrator_name})"
        )

    # --------------------------------------------------------------- routing
    @staticmethod
    def not_found(method, path):
        return FakeError(404, f"No endpoint {method} {path}")

    def routes(self):
        mid = r"(?P<mid>[^/]+)"
        pkg = rf"/packages/merchantid/{mid}/packagenumber/(?P<pn>[^/]+)"
        return [
            ("GET", rf"^/orders/merchantid/{mid}$", "orders.list", self.h_orders),
            ("GET", rf"^/orders/merchantid/{mid}/cancelled$", "feed.cancelled", self.h_cancelled),
            (
                "GET",
                rf"^/orders/merchantid/{mid}/ordernumber/(?P<on>[^/]+)$",
                "order.get",
                self.h_order,
            ),
            ("GET", rf"^/packages/merchantid/{mid}$", "packages.list", self.h_packages),
            ("POST", rf"^/packages/merchantid/{mid}$", "packages.create", self.h_pack),
            (
                "GET",
                rf"^/packages/merchantid/{mid}/(?P<feed>shipped|delivered|undelivered)$",
                "feed.status",
                self.h_feed,
            ),
            (
                "GET",
                rf"^/packages/merchantid/{mid}/status/unpacked$",
                "feed.unpacked",
                self.h_unpacked,
            ),
            ("GET", rf"^{pkg}$", "package.get", self.h_package),
            ("POST", rf"^{pkg}/split$", "package.split", self.h_split),
            ("POST", rf"^{pkg}/unpack$", "package.unpack", self.h_unpack),
            ("PUT", rf"^{pkg}/invoice$", "package.invoice", self.h_invoice),
            ("GET", rf"^{pkg}/labels$", "package.labels", self.h_labels),
            (
                "POST",
                rf"^{pkg}/(?P<action>intransit|deliver|undeliver)$",
                "package.own_cargo",
                self.h_own_cargo,
            ),
            (
                "GET",
                rf"^/lineitems/merchantid/{mid}/packageablewith/lineitemid/(?P<lid>[^/]+)$",
                "lines.packable",
                self.h_packable,
            ),
            (
                "POST",
                rf"^/lineitems/merchantid/{mid}/id/(?P<lid>[^/]+)/cancelbymerchant$",
                "line.cancel",
                self.h_cancel_line,
            ),
            (
                "POST",
                rf"^/listings/(?P<case>merchant[iI]d)/{mid}/(?P<kind>stock-uploads|price-uploads)$",
                "listing.upload",
                self.h_upload,
            ),
            (
                "GET",
                rf"^/listings/(?P<case>merchant[iI]d)/{mid}/(?P<kind>stock-uploads|price-uploads)/id/(?P<uid>[^/]+)$",
                "listing.upload.status",
                self.h_upload_status,
            ),
            ("GET", rf"^/listings/(?P<case>merchant[iI]d)/{mid}$", "listing.list", self.h_listings),
            (
                "GET",
                rf"^/claims/merchantId/{mid}(?:/status/(?P<status>[^/]+))?$",
                "claims.list",
                self.h_claims,
            ),
            (
                "POST",
                r"^/claims/number/(?P<cn>[^/]+)/(?P<action>accept|reject)$",
                "claims.action",
                self.h_claim_action,
            ),
        ]

    def check_auth(self, request, groups):
        expected = (
            "Basic " + base64.b64encode(f"{self.merchant_id}:{self.service_key}".encode()).decode()
        )
        if request["headers"].get("Authorization") != expected:
            raise FakeError(401)
        if request["headers"].get("User-Agent") != self.integrator_name:
            raise FakeError(401)
        if groups.get("mid") not in (None, self.merchant_id):
            raise FakeError(403, f"Merchant {groups.get('mid')} is not yours")
        if groups.get("case") not in (None, "merchantid"):
            raise FakeError(400, "Path must use /merchantid/ (lower case)")

    # -------------------------------------------------------------- helpers
    @staticmethod
    def _paging(query, offset_key, maximum):
        if query.get(offset_key) in (None, "") or query.get("limit") in (None, ""):
            raise FakeError(400, "Bad Request limit and offset parameters are required")
        limit, offset = int(query["limit"]), int(query[offset_key])
        if not 1 <= limit <= maximum:
            raise FakeError(400, f"limit must be between 1 and {maximum}")
        if offset < 0:
            raise FakeError(400, "offset must be >= 0")
        return offset, limit

    @classmethod
    def _capital_paging(cls, query):
        """``/packages`` paging: the offset is spelled ``Offset``; a lower-case one is
        ignored (page 1 again), both missing is a 400."""
        if query.get("limit") in (None, "") or all(
            query.get(key) in (None, "") for key in ("Offset", "offset")
        ):
            raise FakeError(400, "Bad Request limit and offset parameters are required")
        return cls._paging(
            dict(query, Offset=query.get("Offset") or "0"), "Offset", MAX_PACKAGES_LIMIT
        )

    @classmethod
    def _feed_paging(cls, query):
        """The status feeds take no dates (a 400) and page by ``offset``."""
        if query.get("begindate") or query.get("enddate"):
            raise FakeError(400, "WrongDateFormat")
        return cls._paging(query, "offset", MAX_FEED_LIMIT)

    def _packages_in(self, status, stamp, begin=None, end=None):
        """The public packages in ``status``, oldest ``stamp`` first (within begin..end)."""
        with self.lock:
            rows = sorted(
                (
                    p
                    for p in self.packages.values()
                    if p["status"] == status and (begin is None or begin <= p[stamp] <= end)
                ),
                key=lambda p: (p[stamp], p["packageNumber"]),
            )
            return [self._public(p) for p in rows]

    def _range(self, request, begin_key="begindate", end_key="enddate"):
        query = request["query"]
        try:
            begin = parse_local(query[begin_key]) if query.get(begin_key) else None
            end = parse_local(query[end_key]) if query.get(end_key) else None
        except ValueError:
            raise FakeError(400, "WrongDateFormat: dates are yyyy-MM-dd HH:mm") from None
        if begin is None:
            return None, None
        end = end or begin + MAX_RANGE
        if end - begin > MAX_RANGE:  # Hepsiburada ignores enddate: begindate + 24 h
            if self.strict_range:
                raise FakeError(400, "The date range cannot exceed 24 hours")
            request["truncated"] = True
            end = begin + MAX_RANGE
        return begin, end

    @staticmethod
    def _public(record):
        return {k: v for k, v in record.items() if not k.startswith("_")}

    @staticmethod
    def _envelope(rows, offset, limit):
        page = rows[offset : offset + limit]
        return {
            "items": page,
            "limit": limit,
            "offset": offset,
            "pageCount": -(-len(rows) // limit),
            "totalCount": len(rows),
        }

    def _package(self, number):
        package = self.packages.get(number)
        if package is None or package["status"] in ("Unpacked", "Split"):
            raise FakeError(404, f"Package {number} not found")
        return package

    # ------------------------------------------------------------ handlers
    def h_orders(self, req, groups):
        offset, limit = self._paging(req["query"], "offset", MAX_ORDERS_LIMIT)
        begin, end = self._range(req)
        with self.lock:
            rows = sorted(
                (
                    line
                    for line in self.lines.values()
                    if line["_state"] == "open"
                    and (begin is None or begin <= line["_order_date"] <= end)
                ),
                key=lambda line: (line["_order_date"], line["id"]),
            )
            return 200, self._envelope([self._public(r) for r in rows], offset, limit)

    def h_packages(self, req, groups):
        query = req["query"]
        offset, limit = self._capital_paging(query)
        begin, end = self._range(req)
        if begin is None:
            hours = int(query.get("timespan") or 24)
            end, begin = utcnow(), utcnow() - timedelta(hours=hours)
        rows = self._packages_in("Open", "_packed_at", begin, end)
        return 200, rows[offset : offset + limit]

    def h_feed(self, req, groups):
        offset, limit = self._feed_paging(req["query"])
        status = {"shipped": "InTransit", "delivered": "Delivered", "undelivered": "Undelivered"}[
            groups["feed"]
        ]
        rows = self._packages_in(status, "lastStatusUpdateDate")
        return 200, self._envelope(rows, offset, limit)

    def h_unpacked(self, req, groups):
        offset, limit = self._capital_paging(req["query"])
        return 200, self._packages_in("Unpacked", "unpackedDate")[offset : offset + limit]

    def h_cancelled(self, req, groups):
        offset, limit = self._feed_paging(req["query"])
        with self.lock:
            return 200, self._envelope(list(self.cancels), offset, limit)

    def h_order(self, req, groups):
        with self.lock:
            rows = [
                self._public(line)
                for line in self.lines.values()
                if line["orderNumber"] == groups["on"]
            ]
        if not rows:
            raise FakeError(404, f"Order {groups['on']} not found")
        return 200, {"items": rows}

    def h_package(self, req, groups):
        with self.lock:
            package = self._package(groups["pn"])
            return 200, {
                "packageNumber": package["packageNumber"],
                "barcode": package["barcode"],
                "cargoCompany": package["cargoCompany"],
                "trackingInfoCode": package.get("trackingNumber") or package["barcode"],
                "trackingInfoUrl": package.get("trackingUrl") or "",
                "status": package["status"],
                "deci": package["totalDeci"],
            }

    def h_pack(self, req, groups):
        body = req["json"] or {}
        rows = [(row.get("id"), row.get("quantity")) for row in body.get("lineItemRequests") or []]
        with self.lock:
            number = self._pack(
                rows, parcel_quantity=body.get("parcelQuantity") or 1, deci=body.get("deci")
            )
            return 201, {"packageNumber": number, "barcode": self.packages[number]["barcode"]}

    def h_split(self, req, groups):
        body = req["json"] or {}
        with self.lock:
            package = self._package(groups["pn"])
            if package["status"] != "Open":
                raise FakeError(400, "Only packages waiting to be shipped can be split")
            by_id = {item["lineItemId"]: item for item in package["items"]}
            used = {}
            cancelled = {}
            for row in body.get("cancelledItems") or []:
                if int(row.get("cancelReasonId") or 0) not in CANCEL_REASONS:
                    raise FakeError(400, "Invalid cancelReasonId")
                cancelled[str(row["orderLineId"])] = int(row["quantity"])
            groups_rows = []
            for detail in body.get("packageDetails") or []:
                rows = [
                    (str(r["orderLineId"]), int(r["quantity"])) for r in detail.get("lines") or []
                ]
                if not rows:
                    raise FakeError(400, "A package detail has no lines")
                groups_rows.append(rows)
                for line_id, quantity in rows:
                    used[line_id] = used.get(line_id, 0) + quantity
            for line_id in set(used) | set(cancelled):
                if line_id not in by_id:
                    raise FakeError(
                        400, f"Line {line_id} is not in package {package['packageNumber']}"
                    )
            for line_id, item in by_id.items():
                if used.get(line_id, 0) + cancelled.get(line_id, 0) != item["quantity"]:
                    raise FakeError(
                        400, f"Quantities of line {line_id} do not add up to {item['quantity']}"
                    )
            package["status"] = "Split"
            for line_id, quantity in cancelled.items():
                line = self.lines[line_id]
                if quantity == line["quantity"]:
                    self._cancel_lines([line], "Merchant", 83)
                else:  # the cancelled units leave the line
                    self.cancels.append(
                        {
                            "lineItemId": line_id,
                            "quantity": quantity,
                            "cancelDate": local_iso(utcnow()),
                            "cancelledBy": "Merchant",
                            "cancelReasonCode": "83",
                            "merchantSku": line["merchantSKU"],
                            "sku": line["sku"],
                            "orderNumber": line["orderNumber"],
                        }
                    )
                    line["quantity"] -= quantity
                    line["totalPrice"] = money(line["unitPrice"]["amount"] * line["quantity"])
            created = []
            for rows in groups_rows:
                for line_id, _quantity in rows:
                    self.lines[line_id]["_state"] = "open"
                created.append(self._pack(rows))
            return 200, {"packageNumbers": created}

    def h_unpack(self, req, groups):
        with self.lock:
            package = self._package(groups["pn"])
            if package["status"] != "Open":
                raise FakeError(400, "Only packages waiting to be shipped can be unpacked")
            self._touch(package, "Unpacked")
            package["unpackedDate"] = package["lastStatusUpdateDate"]
            for item in package["items"]:
                line = self.lines[item["lineItemId"]]
                line["_state"] = "open"
                line["_package"] = None
        return 200, None

    def h_cancel_line(self, req, groups):
        body = req["json"] or {}
        if int(body.get("reasonId") or 0) not in CANCEL_REASONS:
            raise FakeError(400, "Invalid reasonId")
        with self.lock:
            line = self.lines.get(groups["lid"])
            if line is None:
                raise FakeError(404, f"Line item {groups['lid']} not found")
            if line["_state"] != "open":
                raise FakeError(
                    400, f"Line item {groups['lid']} cannot be cancelled (packed or cancelled)"
                )
            self._cancel_lines([line], "Merchant", body["reasonId"])
        return 200, None

    def h_packable(self, req, groups):
        with self.lock:
            line = self.lines.get(groups["lid"])
            if line is None:
                raise FakeError(404, "Line item not found")
            return 200, [
                {"id": other["id"]}
                for other in self.lines.values()
                if other["_state"] == "open" and other["customerName"] == line["customerName"]
            ]

    def h_invoice(self, req, groups):
        link = (req["json"] or {}).get("invoiceLink")
        if not isinstance(link, str) or not re.match(r"^https?://", link):
            raise FakeError(400, "invoiceLink must be a reachable URL")
        with self.lock:
            package = self._package(groups["pn"])
            self.invoices[package["packageNumber"]] = link
        return 204, None

    def h_labels(self, req, groups):
        label_format = (req["query"].get("format") or "").upper()
        if label_format not in LABEL_FORMATS:
            raise FakeError(400, f"format must be one of {sorted(LABEL_FORMATS)}")
        with self.lock:
            package = self._package(groups["pn"])
            parcels = package.get("_parcels", 1)
            zpl = [
                f"^XA^CI28^FO40,40^A0N,36,36^FD{package['cargoCompany']}^FS"
                f"^FO40,100^BY3^BCN,120,Y,N,N^FD{package['barcode']}^FS"
                f"^FO40,280^A0N,30,30^FD{package['recipientName']}^FS"
                f"^FO40,320^A0N,26,26^FDPaket {package['packageNumber']} Koli {n}/{parcels}^FS^XZ"
                for n in range(1, parcels + 1)
            ]
            if label_format == "PDF":
                data = [
                    base64.b64encode(b"%PDF-1.4 " + z.encode() + b"\n%%EOF").decode() for z in zpl
                ]
            else:
                data = zpl
            return 200, {"format": label_format, "data": data, "hasMerchantMutualBarcode": True}

    def h_own_cargo(self, req, groups):
        body = req["json"] or {}
        action = groups["action"]
        date_key = {
            "intransit": "shippedDate",
            "deliver": "receivedDate",
            "undeliver": "undeliveredDate",
        }[action]
        try:
            moment = parse_iso(body[date_key])
        except (KeyError, TypeError, ValueError):
            raise FakeError(400, f"{date_key} is required (ISO date)") from None
        with self.lock:
            package = self._package(groups["pn"])
            if utcnow() - moment > OWN_CARGO_MAX_AGE:
                raise FakeError(400, f"{date_key} cannot be older than 7 days")
            if moment < package["_packed_at"] - timedelta(minutes=1):
                raise FakeError(400, f"{date_key} cannot precede the packing date")
            if action == "intransit":
                if package["status"] != "Open":
                    raise FakeError(
                        400, f"Package {package['packageNumber']} is {package['status']}"
                    )
                if not body.get("trackingNumber"):
                    raise FakeError(400, "trackingNumber is required")
                package["trackingNumber"] = body["trackingNumber"]
                package["trackingUrl"] = body.get("trackingUrl") or ""
                package["shippedDate"] = local_iso(moment)
                self._touch(package, "InTransit")
            else:
                if package["status"] not in ("InTransit", "Undelivered"):
                    raise FakeError(400, f"Package {package['packageNumber']} is not in transit")
                if action == "undeliver" and not body.get("undeliveredReason"):
                    raise FakeError(400, "undeliveredReason is required")
                self._touch(package, "Delivered" if action == "deliver" else "Undelivered")
        return 200, None

    def h_upload(self, req, groups):
        rows = req["json"]
        if not isinstance(rows, list) or not rows:
            raise FakeError(400, "The body must be a JSON array of listings")
        with self.lock:
            running = [u for u in self.uploads.values() if _running(u)]
            if len(running) >= MAX_RUNNING_UPLOADS:
                return 200, {"message": "En fazla 5 yükleme aynı anda işlenebilir"}
            upload_id = str(uuid.UUID(int=self.rng.getrandbits(128)))
            self.uploads[upload_id] = {
                "kind": groups["kind"],
                "rows": rows,
                "polls": 0,
                "final_after": self.upload_polls,  # status polls it stays InProgress
                "created": utcnow(),
                "errors": None,
            }
            # applied at once; the status says so only after ``upload_polls`` polls
            self._apply_upload(self.uploads[upload_id])
            return 200, {"id": upload_id}

    def _apply_upload(self, upload):
        errors = []
        for number, row in enumerate(upload["rows"]):
            messages = []
            sku = str(row.get("merchantSku") or "") if isinstance(row, dict) else ""
            listing = self.listings.get(sku)
            if listing is None and self.auto_listings and sku:
                listing = self.add_listing(sku, row.get("barcode"))
            if listing is None:
                messages.append(f"Listing {sku or row!r} not found")
            elif upload["kind"] == "stock-uploads":
                stock = row.get("availableStock")
                if listing["isFulfilledByHB"]:
                    messages.append("Stock of a listing fulfilled by Hepsiburada cannot be changed")
                elif not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
                    messages.append(f"availableStock must be a whole number >= 0, got {stock!r}")
                else:
                    listing["availableStock"] = stock
            else:
                price = row.get("price")
                if not isinstance(price, (int, float)) or isinstance(price, bool) or price <= 0:
                    messages.append(f"price must be a positive number, got {price!r}")
                else:
                    listing["price"] = round(float(price), 2)
            if messages:
                errors.append(
                    {
                        "elementNo": number,
                        "hepsiburadaSku": listing["hepsiburadaSku"] if listing else "",
                        "merchantSku": sku,
                        "errors": messages,
                    }
                )
        upload["errors"] = errors

    def h_upload_status(self, req, groups):
        with self.lock:
            upload = self.uploads.get(groups["uid"])
            if upload is None or upload["kind"] != groups["kind"]:
                raise FakeError(404, "Upload not found")
            upload["polls"] += 1
            running = _running(upload)
            return 200, {
                "id": groups["uid"],
                "status": "InProgress" if running else "Done",
                "createdAt": local_iso(upload["created"]),
                "total": len(upload["rows"]),
                "errors": [] if running else upload["errors"],
            }

    def h_listings(self, req, groups):
        offset, limit = self._paging(req["query"], "offset", MAX_LISTINGS_LIMIT)
        with self.lock:
            rows = sorted(self.listings.values(), key=lambda listing: listing["merchantSku"])
            return 200, {
                "totalCount": len(rows),
                "limit": limit,
                "offset": offset,
                "listings": [dict(r) for r in rows[offset : offset + limit]],
            }

    def h_claims(self, req, groups):
        offset, limit = self._paging(req["query"], "offset", MAX_CLAIMS_LIMIT)
        status = groups.get("status")
        keys = ("statusBeginDate", "statusEndDate") if status else ("beginDate", "endDate")
        begin, end = self._range(req, *keys)
        with self.lock:
            rows = sorted(
                (
                    c
                    for c in self.claims.values()
                    if (status is None or c["status"] == status)
                    and (begin is None or begin <= c["_changed"] <= end)
                ),
                key=lambda c: (c["_changed"], c["number"]),
            )
            page = [self._public(c) for c in rows[offset : offset + limit]]
            headers = {
                "X-Total-Count": str(len(rows)),
                "X-Total-Pages": str(-(-len(rows) // limit)),
                "X-Page": str(offset // limit),
                "X-Offset": str(offset),
                "X-Limit": str(limit),
            }
            return 200, page, headers

    def h_claim_action(self, req, groups):
        body = req["json"] or {}
        with self.lock:
            claim = self.claims.get(groups["cn"])
            if claim is None:
                raise FakeError(404, f"Claim {groups['cn']} not found")
            if claim["status"] not in ("NewRequest", "AwaitingAction"):
                raise FakeError(400, f"Claim {groups['cn']} is {claim['status']}")
            if groups["action"] == "reject":
                if not body.get("ClaimRejectionReason"):
                    raise FakeError(400, "ClaimRejectionReason is required")
                claim["merchantRejectionStatement"] = body.get("MerchantStatement")
                claim["_reports"] = [r.get("FileName") for r in body.get("Reports") or []]
                claim["status"] = "Rejected"
            else:
                claim["status"] = "Accepted"
            claim["_changed"] = utcnow()
        return 204, None

    # --------------------------------------------------------------- control
    def control(self, method, path, payload):
        if method == "GET" and path == "state":
            with self.lock:
                return {
                    "lines": [self._public(line) for line in self.lines.values()],
                    "packages": [self._public(p) for p in self.packages.values()],
                    "cancelled": self.cancels,
                    "invoices": self.invoices,
                    "listings": list(self.listings.values()),
                    "claims": [self._public(c) for c in self.claims.values()],
                }
        if method != "POST":
            return super().control(method, path, payload)
        if path == "seed":
            created = []
            orders = payload.get("orders")
            if isinstance(orders, int):
                created += self.seed_orders(orders, int(payload.get("lines_per_order", 2)))
            for order in orders if isinstance(orders, list) else []:
                created.append(
                    self.add_order(
                        order["order_number"],
                        order["lines"],
                        order.get("status", "created"),
                        order.get("buyer"),
                    )
                )
            for listing in payload.get("listings") or []:
                self.add_listing(**listing)
            claims = [self.add_claim(**claim) for claim in payload.get("claims") or []]
            return {"packages": created, "claims": claims}
        if path == "state":
            self.set_state(payload["package_id"], payload["state"])
            return {"state": self.package_state(payload["package_id"])}
        return super().control(method, path, payload)

    def dispatch(self, method, path, request):
        """``(status, body, headers)`` of one API call."""
        endpoint, handler, groups = self.route(method, path, request)
        fault = self._pop_fault(endpoint)
        if fault:
            kind = request["fault"] = fault["kind"]
            if kind == "rate_limit":
                headers = {"Retry-After": "1"} if fault.get("retry_after", True) else {}
                return (
                    429,
                    {"message": "TooManyRequest"},
                    {
                        **headers,
                        "X-RateLimit-Limit": "1000",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": "2",
                    },
                )
            if kind == "unavailable":
                return 503, b"Service Unavailable", {}
            if kind == "server_error":
                return 500, b"Internal Server Error", {}
            if kind == "auth":
                raise FakeError(401)
            if kind == "drop":
                raise DropConnection()
            if kind == "malformed":
                return 200, b'{"items": [{"id": "x",', {}
            raise ValueError(f"unknown fault kind {kind!r}")
        answer = handler(request, groups)
        return answer if len(answer) == 3 else (*answer, {})


def _running(upload):
    """Is an upload still running (status InProgress)?"""
    return upload["final_after"] > 0 and upload["polls"] <= upload["final_after"]


def contract_fake():
    """The contract harness of the cross-marketplace tests: an unstarted fake whose
    unknown merchant SKUs become listings on their first upload and whose uploads are final
    at the first poll (their values are applied when they are sent)."""
    return FakeHepsiburada(
        merchant_id="0c0ffee0-0000-4000-8000-000000000001", auto_listings=True, upload_polls=0
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fake Hepsiburada seller API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8074)
    parser.add_argument("--seed", type=int, default=0, help="orders to seed at start")
    parser.add_argument("--merchant-id", default="6b0f3c5e-2d1a-4c8e-9f7b-1a2b3c4d5e6f")
    parser.add_argument("--service-key", default="Sk9x2Lm4Qw7z")
    parser.add_argument("--integrator-name", default="odootr_dev")
    options = parser.parse_args(argv)
    fake = FakeHepsiburada(
        options.host,
        options.port,
        merchant_id=options.merchant_id,
        service_key=options.service_key,
        integrator_name=options.integrator_name,
        auto_listings=True,
    )
    if options.seed:
        fake.seed_orders(options.seed)
    fake.serve_forever()


if __name__ == "__main__":
    main()
