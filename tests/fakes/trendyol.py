"""Fake Trendyol seller API over HTTP on 127.0.0.1 (stdlib only).

Speaks the documented paths and JSON shapes of ``shared/reference/marketplaces.md`` §1:
orders list (page/size <= 200, startDate/endDate on the package last-modified date, at most
14 days, 10,000-record query window), package status (Picking → Invoiced), unsupplied, split /
multi-split / quantity-split (new package ids; the old package becomes UnPacked / UnSupplied),
invoice link (409 on repeat) and file upload ("already sent" on repeat), price-and-inventory
batches (<= 1000 items, identical body within 15 min rejected) with per-item batch results,
common label (ZPL), claims list / approve / issue, claim issue reasons, and the stage status
simulator. Auth: HTTP Basic apiKey:apiSecret (401), the seller id in the path and the
User-Agent ``"<sellerId> - <IntegratorName>"`` (403).

Python API::

    fake = FakeTrendyol().start()        # fake.url, fake.supplier_id, fake.api_key, ...
    fake.seed_orders(5)                   # realistic packages; or fake.add_package(...)
    fake.add_fault("rate_limit", endpoint="orders.list", retry_after=2)
    fake.requests                         # recorded calls
    fake.stop()

HTTP control (Odoo tests, Docker sandbox): ``POST /__fake__/seed`` ``{"orders": 10}`` or
``{"packages": [...], "claims": [...], "products": [...]}``, ``POST /__fake__/faults``
``{"kind": "server_error", "endpoint": "orders.list", "count": 2}``, ``POST /__fake__/status``
``{"package_id": .., "status": "Shipped"}``, ``POST /__fake__/reset``,
``GET /__fake__/requests``, ``GET /__fake__/packages``.

Standalone: ``python -m tests.fakes.trendyol --port 8070 --seed 20``.

Fault kinds (``add_fault(kind, endpoint='*', method=None, count=1, **params)``):
``rate_limit`` (429, ``retry_after`` seconds or an HTTP date string), ``server_error``
(``status`` 500/502/503/504), ``http_error`` (any ``status``/``body``), ``slow`` (``delay``
seconds, then the normal answer; alias ``timeout``), ``malformed`` (200 with broken JSON),
``drop`` (connection closed, nothing applied), ``lost_response`` (applied, then the connection
is closed without an answer), ``auth`` (401), ``odd_body`` (200 with ``body``, default ``{}``:
an answer of the wrong shape), ``shift`` (before answering, packages change so the pages
shift under the reader: ``move`` packages at the head of the requested window are modified
now — ``stay=True`` keeps them inside the window's end —, ``backdate`` new packages appear
at the window's start; then the normal answer). Any fault may carry ``page`` (only that
page number of a list) .
"""

import argparse
import base64
import copy
import email.parser
import email.policy
import hashlib
import itertools
import json
import random
import re
import time
import uuid

from stdnum.tr import tckimlik, vkn

from tests.fakes.httpfake import DropConnection, HttpError, HttpFake

MAX_PAGE_SIZE = 200
MAX_WINDOW_MS = 14 * 24 * 3600 * 1000
DEFAULT_WINDOW_MS = 7 * 24 * 3600 * 1000
MAX_QUERY_WINDOW_RESULT = 10000
MAX_INVENTORY_ITEMS = 1000
IDENTICAL_REQUEST_S = 15 * 60
GMT3_MS = 3 * 3600 * 1000
UNSUPPLIED_REASONS = {500, 501, 502, 504, 505, 506}
NO_FILE_ISSUE_REASONS = {1651, 451, 2101}
CLAIM_ISSUE_REASONS = [
    {"id": 1, "name": "İade gelen ürün sahte"},
    {"id": 51, "name": "İade gelen ürün kullanılmış"},
    {"id": 201, "name": "İade gelen ürün yanlış"},
    {"id": 251, "name": "İade gelen ürün defolu / zarar görmüş"},
    {"id": 401, "name": "Eksik ürün"},
    {"id": 451, "name": "Diğer"},
    {"id": 1651, "name": "İade paketi elime ulaşmadı"},
]
INVOICE_NUMBER_RE = re.compile(r"^[A-Za-z0-9]{3}20[2-9]\d\d{9}$")
USER_AGENT_RE = r"^{sid} - [A-Za-z0-9]{{1,30}}$"

FIRST_NAMES = [
    "Ayşe",
    "Mehmet",
    "Zeynep",
    "Mustafa",
    "Elif",
    "Ahmet",
    "Fatma",
    "Emre",
    "Şule",
    "Gökhan",
    "Çağla",
    "İbrahim",
    "Özge",
    "Burak",
    "Gülşen",
    "Ömer",
]
LAST_NAMES = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Öztürk",
    "Aydın",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Çetin",
    "Koç",
    "Kurt",
    "Özdemir",
    "Erdoğan",
]
PLACES = [
    ("İstanbul", 34, "Kadıköy", "34710"),
    ("İstanbul", 34, "Şişli", "34394"),
    ("Ankara", 6, "Çankaya", "06690"),
    ("İzmir", 35, "Karşıyaka", "35540"),
    ("Bursa", 16, "Nilüfer", "16110"),
    ("Antalya", 7, "Muratpaşa", "07100"),
    ("Eskişehir", 26, "Tepebaşı", "26010"),
    ("Gaziantep", 27, "Şahinbey", "27010"),
]
COMPANIES = [
    "Örnek Teknoloji A.Ş.",
    "Boğaziçi Tekstil Ltd. Şti.",
    "Güneş Gıda San. A.Ş.",
    "Ege Yapı Malzemeleri Ltd. Şti.",
    "Anadolu Bilişim A.Ş.",
]
TAX_OFFICES = ["Zincirlikuyu", "Kadıköy", "Çankaya", "Karşıyaka", "Nilüfer"]
# The demo products of marketplace_connector (demo/marketplace_demo.xml): same barcode, stock
# code and name, so that the demo's sandbox orders match them.
PRODUCTS = [
    ("8691234567890", "TSHIRT-BLK-M", "Basic Tişört Siyah M", 749.90, 10),
    ("8691234567891", "TSHIRT-WHT-L", "Basic Tişört Beyaz L", 699.90, 10),
    ("8691234567892", "JEANS-SLIM-32", "Slim Fit Kot Pantolon 32", 899.00, 10),
    ("8691234567893", "SNEAKER-42", "Spor Ayakkabı 42", 1499.00, 10),
    ("8691234567894", "MUG-350", "Seramik Kupa 350 ml", 149.50, 20),
    ("8691234567895", "TEA-500", "Siyah Çay 500 g", 129.90, 10),
    ("8691234567896", "OLIVE-1L", "Natürel Sızma Zeytinyağı 1 L", 449.00, 10),
    ("8691234567897", "TOWEL-5090", "Pamuklu Havlu 50x90", 219.00, 10),
    ("8691234567898", "CASE-CLR", "Telefon Kılıfı Şeffaf", 99.90, 20),
    ("8691234567899", "PB-10000", "Powerbank 10000 mAh", 699.00, 20),
]
CARGO = [
    ("Trendyol Express Marketplace", "733"),
    ("Yurtiçi Kargo Marketplace", "725"),
    ("Aras Kargo Marketplace", "726"),
]


# ----------------------------------------------------------------------- identity numbers
def make_tckn(rng):
    """A random T.C. kimlik no with a valid checksum (python-stdnum's check digits)."""
    body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _i in range(8))
    return body + tckimlik.calc_check_digits(body)


def make_vkn(rng):
    """A random 10-digit vergi kimlik no with a valid check digit (python-stdnum's)."""
    body = "".join(str(rng.randint(0, 9)) for _i in range(9))
    return body + vkn.calc_check_digit(body)


def now_ms():
    return int(time.time() * 1000)


class FakeError(HttpError):
    def __init__(self, status, message, key="generic.exception", exception="ClientApiException"):
        super().__init__(message)
        self.status = status
        self.body = {
            "timestamp": now_ms(),
            "exception": exception,
            "errors": [{"key": key, "message": message, "errorCode": None}],
        }


# ------------------------------------------------------------------------------- server
class FakeTrendyol(HttpFake):
    server_version = "FakeTrendyol/1.0"

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        supplier_id=123456,
        api_key="fake-api-key",
        api_secret="fake-api-secret",
        seed=42,
        batch_delay=0.0,
    ):
        super().__init__(host, port)
        self.supplier_id = supplier_id
        self.api_key = api_key
        self.api_secret = api_secret
        self.batch_delay = batch_delay
        self.rng = random.Random(seed)
        self._ids = itertools.count(1)
        self.reset()

    # ---------------------------------------------------------------- state
    def reset(self):
        with self.lock:
            self.packages = {}  # shipmentPackageId -> raw package
            self.claims = {}
            self.claim_issues = []  # every accepted issue (reject): reason, items, files
            self.invoices = {}  # package id -> {"kind", "link"|"filename", "number", ...}
            self.products = {}  # barcode -> {"quantity", "salePrice", "listPrice"}
            self.batches = {}
            self.labels = {}  # tracking number -> [zpl]
            self.inventory_bodies = {}  # fingerprint -> time.time()
            self.requests = []
            self.faults = []

    def _new_id(self, base):
        return base + next(self._ids) * 7 + self.rng.randint(0, 6)

    # ------------------------------------------------------------ seeding
    def add_product(self, barcode, quantity=0, sale_price=None, list_price=None):
        with self.lock:
            self.products.setdefault(
                str(barcode),
                {"quantity": quantity, "salePrice": sale_price, "listPrice": list_price},
            )

    def add_packages(self, packages):
        """Store raw packages as they are (replacing those with the same id)."""
        stored = []
        with self.lock:
            for raw in packages:
                raw = copy.deepcopy(raw)
                package_id = raw.get("shipmentPackageId", raw.get("id"))
                raw.setdefault("lastModifiedDate", now_ms())
                self.packages[package_id] = raw
                for line in raw.get("lines") or []:
                    if line.get("barcode"):
                        self.add_product(line["barcode"])
                stored.append(raw)
        return stored

    seed_packages = add_packages

    def add_package(
        self,
        order_number=None,
        lines=None,
        status="Created",
        commercial=False,
        identity=None,
        customer=None,
        last_modified=None,
        package_id=None,
        ty_discount=0.0,
        cargo_fee=0.0,
        micro=False,
        **extra,
    ):
        """Build and store one realistic package. ``lines``: ``[{'barcode', 'quantity',
        'price' (gross unit incl. KDV), 'seller_discount' (line total), 'ty_discount',
        'vat', 'stock_code', 'name', 'line_id'}]`` (defaults picked from a small catalogue).
        Returns the raw package."""
        rng = self.rng
        modified = int(last_modified if last_modified is not None else now_ms())
        order_number = str(order_number or rng.randint(10**10, 10**11 - 1))
        package_id = package_id or self._new_id(3460000000)
        if lines is None:
            lines = [{} for _i in range(2)]
        first, last = (
            (customer or {}).get("first_name") or rng.choice(FIRST_NAMES),
            (customer or {}).get("last_name") or rng.choice(LAST_NAMES),
        )
        city, city_code, district, postal = rng.choice(PLACES)
        raw_lines = [
            self._line(line, status, ty_discount if index == 0 else 0.0)
            for index, line in enumerate(lines)
        ]
        gross = round(sum(line["lineGrossAmount"] for line in raw_lines), 2)
        seller = round(sum(line["lineSellerDiscount"] for line in raw_lines), 2)
        tyd = round(sum(line["lineTyDiscount"] for line in raw_lines), 2)
        if identity is None:
            identity = "11111111111" if rng.random() < 0.5 else make_tckn(rng)
        address = {
            "id": self._new_id(90000000),
            "firstName": first,
            "lastName": last,
            "company": "",
            "address1": f"Atatürk Mah. Çiçek Sok. No:{rng.randint(1, 99)} D:{rng.randint(1, 20)}",
            "address2": "",
            "city": city,
            "cityCode": city_code,
            "district": district,
            "districtId": rng.randint(100, 999),
            "neighborhood": "Merkez Mah",
            "postalCode": postal,
            "countryCode": "TR",
            "phone": f"05{rng.randint(30, 59)}{rng.randint(1000000, 9999999)}",
            "fullName": f"{first} {last}",
            "fullAddress": f"Atatürk Mah. Çiçek Sok. {district} {city}",
        }
        invoice = dict(address, id=self._new_id(90000000))
        if commercial:
            invoice.update(
                company=(customer or {}).get("company") or rng.choice(COMPANIES),
                taxOffice=rng.choice(TAX_OFFICES),
                taxNumber=(customer or {}).get("vkn") or make_vkn(rng),
                eInvoiceAvailable=rng.random() < 0.5,
            )
        provider, prefix = rng.choice(CARGO)
        package = {
            "shipmentPackageId": package_id,
            "id": package_id,
            "orderNumber": order_number,
            "status": status,
            "shipmentPackageStatus": status,
            "orderDate": modified - 600000 + GMT3_MS,
            "lastModifiedDate": modified,
            "originShipmentDate": modified - 600000,
            "agreedDeliveryDate": modified + 2 * 86400000,
            "currencyCode": "TRY",
            "sellerId": self.supplier_id,
            "customerId": (customer or {}).get("customer_id") or rng.randint(10**8, 10**9),
            "customerFirstName": first,
            "customerLastName": last,
            "customerEmail": f"pf+{uuid.uuid4().hex[:8]}@trendyolmail.com",
            "identityNumber": identity,
            "taxNumber": None,
            "commercial": commercial,
            "micro": micro,
            "3pByTrendyol": False,
            "deliveryType": "normal",
            "deliveryAddressType": "Shipment",
            "fastDelivery": False,
            "createdBy": "order-creation",
            "originPackageIds": None,
            "packageGrossAmount": gross,
            "packageSellerDiscount": seller,
            "packageTyDiscount": tyd,
            "packageTotalDiscount": round(seller + tyd, 2),
            "packageTotalPrice": round(gross - seller - tyd + cargo_fee, 2),
            "cargoProviderName": provider,
            "cargoTrackingNumber": int(prefix + str(rng.randint(10**9, 10**10 - 1))),
            "cargoTrackingLink": f"https://kargotakip.trendyol.com/?token={uuid.uuid4().hex}",
            "cargoSenderNumber": prefix + str(rng.randint(10**8, 10**9 - 1)),
            "cargoDeci": rng.randint(1, 5),
            "whoPays": 1,
            "shipmentAddress": address,
            "invoiceAddress": invoice,
            "lines": raw_lines,
            "packageHistories": [
                {"createdDate": modified - 600000, "status": "Awaiting"},
                {"createdDate": modified, "status": status},
            ],
        }
        package.update(extra)
        return self.add_packages([package])[0]

    def _line(self, spec, status, ty_discount):
        barcode, stock_code, name, price, vat = self.rng.choice(PRODUCTS)
        barcode = spec.get("barcode", barcode)
        if "barcode" in spec and "price" not in spec:
            known = next((p for p in PRODUCTS if p[0] == barcode), None)
            if known:
                _b, stock_code, name, price, vat = known
        quantity = int(spec.get("quantity", self.rng.choice([1, 1, 2, 3])))
        price = float(spec.get("price", price))
        gross = round(price * quantity, 2)
        seller = float(
            spec.get("seller_discount", round(gross * 0.1, 2) if self.rng.random() < 0.4 else 0.0)
        )
        ty = float(spec.get("ty_discount", ty_discount))
        line_id = spec.get("line_id") or self._new_id(5529900000)
        return {
            "lineId": line_id,
            "id": line_id,
            "quantity": quantity,
            "barcode": barcode,
            "stockCode": spec.get("stock_code", stock_code),
            "merchantSku": spec.get("stock_code", stock_code),
            "contentId": self.rng.randint(10**8, 10**9),
            "productName": spec.get("name", name),
            "productOrigin": "TR",
            "lineGrossAmount": gross,
            "lineSellerDiscount": seller,
            "lineTyDiscount": ty,
            "lineTotalDiscount": round(seller + ty, 2),
            "lineUnitPrice": round((gross - seller) / quantity, 2),
            "discountDetails": [
                {
                    "lineItemPrice": round((gross - seller) / quantity, 2),
                    "lineItemSellerDiscount": round(seller / quantity, 2),
                    "lineItemTyDiscount": round(ty / quantity, 2),
                }
                for _i in range(quantity)
            ],
            "vatRate": int(spec.get("vat", vat)),
            "currencyCode": "TRY",
            "commission": 19,
            "orderLineItemStatusName": status,
            "cancelledBy": None,
            "cancelReason": None,
            "cancelReasonCode": None,
        }

    def seed_orders(
        self,
        n,
        lines_per_order=2,
        status="Created",
        commercial_ratio=0.25,
        start_ms=None,
        spacing_ms=60000,
    ):
        """``n`` orders (one package each), last modified ``spacing_ms`` apart ending now."""
        start_ms = start_ms if start_ms is not None else now_ms() - n * spacing_ms
        created = []
        for index in range(n):
            commercial = self.rng.random() < commercial_ratio
            created.append(
                self.add_package(
                    lines=[{} for _i in range(lines_per_order)],
                    status=status,
                    commercial=commercial,
                    ty_discount=25.0 if commercial else 0.0,
                    last_modified=start_ms + index * spacing_ms,
                )
            )
        return created

    def add_claim(
        self,
        package,
        line_index=0,
        quantity=None,
        status="WaitingInAction",
        reason=(401, "Vazgeçtim"),
        claim_date=None,
        customer_note="",
    ):
        """A return of ``quantity`` units of one line of ``package``; returns the raw claim."""
        line = package["lines"][line_index]
        quantity = quantity or line["quantity"]
        date = claim_date or now_ms()
        claim = {
            "id": str(uuid.uuid4()),
            "orderNumber": package["orderNumber"],
            "orderDate": package.get("orderDate"),
            "claimDate": date,
            "orderShipmentPackageId": package["shipmentPackageId"],
            "cargoTrackingNumber": int("733" + str(self.rng.randint(10**9, 10**10 - 1))),
            "cargoProviderName": "Trendyol Express Marketplace",
            "cargoTrackingLink": "https://kargotakip.trendyol.com/?token=ret",
            "items": [
                {
                    "orderLine": {
                        "id": line["lineId"],
                        "lineId": line["lineId"],
                        "barcode": line["barcode"],
                        "merchantSku": line["stockCode"],
                        "productName": line["productName"],
                        "price": line["lineUnitPrice"],
                        "vatBaseAmount": line["vatRate"],
                    },
                    "claimItems": [
                        {
                            "id": str(uuid.uuid4()),
                            "orderLineItemId": int(line["lineId"]) * 10 + unit,
                            "customerClaimItemReason": {
                                "id": reason[0],
                                "name": reason[1],
                                "code": str(reason[0]),
                            },
                            "claimItemStatus": {"name": status},
                            "customerNote": customer_note,
                            "autoAccepted": False,
                            "acceptedBySeller": False,
                            "resolved": False,
                        }
                        for unit in range(quantity)
                    ],
                }
            ],
            "lastModifiedDate": date,
        }
        with self.lock:
            self.claims[claim["id"]] = claim
        return claim

    def set_status(self, package_id, status):
        """Carrier-side status change (Shipped, Delivered, ...) like the stage simulator."""
        with self.lock:
            package = self.packages[_id(package_id)]
            self._touch(package, status)
            return package

    # ------------------------------------------------------------- faults
    def add_fault(self, kind, endpoint="*", method=None, count=1, **params):
        super().add_fault(kind, endpoint, count, method=method, **params)

    def fault_matches(self, fault, endpoint, method=None, query=None):
        return (
            super().fault_matches(fault, endpoint)
            and fault["method"] in (None, method)
            and fault.get("page") in (None, int((query or {}).get("page") or 0))
        )

    def _shift(self, query, move=0, backdate=0, stay=False):
        """Packages change while a list is paged: the first ``move`` packages of the
        requested window are modified (to the window's end when ``stay``, else now) and
        ``backdate`` new ones appear at its head (as old as its oldest package)."""
        start, end = int(query.get("startDate") or 0), int(query.get("endDate") or now_ms())
        with self.lock:
            rows = sorted(
                (p for p in self.packages.values() if start <= p["lastModifiedDate"] <= end),
                key=lambda p: (p["lastModifiedDate"], p["shipmentPackageId"]),
            )
            # back-dated: as old as the oldest package of the window (all others shift)
            stamp = rows[0]["lastModifiedDate"] if rows else start + 1
            for offset, package in enumerate(rows[: int(move)]):
                if stay:
                    package["lastModifiedDate"] = end - offset
                else:
                    self._touch(package)
            for _i in range(int(backdate)):
                self.add_package(last_modified=stamp)

    # ---------------------------------------------------------- lifecycle
    def banner(self):
        return (
            f"FakeTrendyol listening on {self.url} (seller {self.supplier_id}, "
            f"key {self.api_key}, secret {self.api_secret})"
        )

    def read_body(self, request, raw, content_type):
        request["form"], request["files"], request["file_parts"] = {}, {}, []
        if content_type.startswith("multipart/form-data"):
            request["json"] = None
            request["form"], request["files"], request["file_parts"] = _parse_multipart(
                content_type, raw
            )
        else:
            super().read_body(request, raw, content_type)

    # ------------------------------------------------------------ routing
    @staticmethod
    def not_found(method, path):
        return FakeError(404, f"No endpoint {method} {path}", "not.found")

    def routes(self):
        sid = r"(?P<sid>[^/]+)"
        pkg = rf"/integration/order/sellers/{sid}/shipment-packages/(?P<pid>\d+)"
        return [
            ("GET", rf"^/integration/order/sellers/{sid}/orders$", "orders.list", self.h_orders),
            ("PUT", rf"^{pkg}$", "package.status", self.h_package_status),
            ("PUT", rf"^{pkg}/items/unsupplied$", "package.unsupplied", self.h_unsupplied),
            (
                "POST",
                rf"^{pkg}/(?P<kind>split|multi-split|quantity-split)$",
                "package.split",
                self.h_split,
            ),
            (
                "PUT",
                rf"^/integration/test/order/sellers/{sid}/shipment-packages/(?P<pid>\d+)"
                r"/status$",
                "test.status",
                self.h_test_status,
            ),
            (
                "POST",
                rf"^/integration/sellers/{sid}/seller-invoice-links$",
                "invoice.link",
                self.h_invoice_link,
            ),
            (
                "POST",
                rf"^/integration/sellers/{sid}/seller-invoice-links/delete$",
                "invoice.link.delete",
                self.h_invoice_delete,
            ),
            (
                "POST",
                rf"^/integration/sellers/{sid}/seller-invoice-file$",
                "invoice.file",
                self.h_invoice_file,
            ),
            (
                "POST",
                rf"^/integration/inventory/sellers/{sid}/products/price-and-inventory$",
                "inventory.update",
                self.h_inventory,
            ),
            (
                "GET",
                rf"^/integration/product/sellers/{sid}/products/batch-requests/(?P<bid>[^/]+)$",
                "batch.result",
                self.h_batch,
            ),
            (
                "POST",
                rf"^/integration/sellers/{sid}/common-label/(?P<tn>\d+)$",
                "common_label.create",
                self.h_label_create,
            ),
            (
                "GET",
                rf"^/integration/sellers/{sid}/common-label/(?P<tn>\d+)$",
                "common_label.get",
                self.h_label_get,
            ),
            ("GET", rf"^/integration/order/sellers/{sid}/claims$", "claims.list", self.h_claims),
            (
                "PUT",
                rf"^/integration/order/sellers/{sid}/claims/(?P<cid>[^/]+)/items/approve$",
                "claims.approve",
                self.h_claim_approve,
            ),
            (
                "POST",
                rf"^/integration/order/sellers/{sid}/claims/(?P<cid>[^/]+)/issue$",
                "claims.issue",
                self.h_claim_issue,
            ),
            (
                "GET",
                r"^/integration/order/claim-issue-reasons$",
                "claims.reasons",
                self.h_claim_reasons,
            ),
        ]

    def check_auth(self, request, groups):
        user_agent = request["headers"].get("User-Agent") or ""
        sid = groups.get("sid")
        auth = request["headers"].get("Authorization") or ""
        expected = (
            "Basic " + base64.b64encode(f"{self.api_key}:{self.api_secret}".encode()).decode()
        )
        if auth != expected:
            raise FakeError(
                401,
                "Unauthorized",
                "basic.authorization.failed",
                "ClientApiAuthenticationException",
            )
        if sid is not None and str(sid) != str(self.supplier_id):
            raise FakeError(
                403,
                f"Seller {sid} is not authorised for this API key",
                "seller.forbidden",
                "TrendyolAuthorizationException",
            )
        if not re.match(USER_AGENT_RE.format(sid=re.escape(str(self.supplier_id))), user_agent):
            raise FakeError(
                403,
                "Forbidden: a User-Agent '<sellerId> - <IntegratorName>' is mandatory",
                "user.agent.invalid",
                "TrendyolAuthorizationException",
            )

    # ----------------------------------------------------------- handlers
    def h_orders(self, req, groups):
        query = req["query"]
        size = min(int(query.get("size") or 50), MAX_PAGE_SIZE)
        page = int(query.get("page") or 0)
        end = int(query.get("endDate") or now_ms())
        start = int(query.get("startDate") or end - DEFAULT_WINDOW_MS)
        if end - start > MAX_WINDOW_MS:
            raise FakeError(
                400,
                "startDate ile endDate arası en fazla 2 hafta olabilir",
                "order.date.range.exceeded",
            )
        if (page + 1) * size > MAX_QUERY_WINDOW_RESULT:
            raise FakeError(
                400,
                "Result window is too large, maxQueryWindowResult is 10000",
                "max.query.window.result",
            )
        statuses = set(filter(None, (query.get("status") or "").split(",")))
        ids = set(filter(None, (query.get("shipmentPackageIds") or "").split(",")))
        with self.lock:
            rows = [
                p
                for p in self.packages.values()
                if (ids and str(p["shipmentPackageId"]) in ids)
                or (not ids and start <= p["lastModifiedDate"] <= end)
            ]
            if statuses:
                rows = [p for p in rows if p["status"] in statuses]
            if query.get("orderNumber"):
                rows = [p for p in rows if p["orderNumber"] == query["orderNumber"]]
            field = (
                "orderDate" if query.get("orderByField") == "CreatedDate" else "lastModifiedDate"
            )
            rows.sort(
                key=lambda p: (p[field], p["shipmentPackageId"]),
                reverse=query.get("orderByDirection") == "DESC",
            )
            return 200, _page(rows, page, size)

    def _package(self, package_id):
        package = self.packages.get(_id(package_id))
        if package is None:
            raise FakeError(
                400, f"{package_id} Idli kargo paketi bulunamadı", "shipment.package.not.found"
            )
        return package

    def _touch(self, package, status=None):
        stamp = max(now_ms(), package["lastModifiedDate"] + 1)
        package["lastModifiedDate"] = stamp
        if status:
            package["status"] = package["shipmentPackageStatus"] = status
            for line in package["lines"]:
                if line.get("orderLineItemStatusName") not in ("Cancelled", "UnSupplied"):
                    line["orderLineItemStatusName"] = status
            package.setdefault("packageHistories", []).append(
                {"createdDate": stamp, "status": status}
            )

    def _check_lines(self, package, lines):
        by_id = {str(line["lineId"]): line for line in package["lines"]}
        for line in lines:
            known = by_id.get(str(line.get("lineId")))
            if known is None:
                raise FakeError(
                    400, f"lineId {line.get('lineId')} pakete ait değil", "line.not.found"
                )
            if not 0 < int(line.get("quantity") or 0) <= known["quantity"]:
                raise FakeError(
                    400, f"lineId {line['lineId']}: geçersiz adet", "line.quantity.invalid"
                )
        return by_id

    def h_package_status(self, req, groups):
        body = req["json"] or {}
        status = body.get("status")
        with self.lock:
            package = self._package(groups["pid"])
            self._check_lines(package, body.get("lines") or [])
            allowed = {"Picking": {"Created", "Picking"}, "Invoiced": {"Picking", "Invoiced"}}
            if status not in allowed:
                raise FakeError(400, f"Status {status} is not allowed", "status.invalid")
            if package["status"] not in allowed[status]:
                raise FakeError(
                    400,
                    f"Package in status {package['status']} cannot be moved to {status}",
                    "status.transition.invalid",
                )
            if status == "Invoiced":
                number = (body.get("params") or {}).get("invoiceNumber")
                if not number:
                    raise FakeError(400, "invoiceNumber is required", "invoice.number.required")
                package["invoiceNumber"] = number
            if package["status"] != status:
                self._touch(package, status)
        return 200, None

    def h_test_status(self, req, groups):
        status = (req["json"] or {}).get("status")
        with self.lock:
            self._touch(self._package(groups["pid"]), status)
        return 200, None

    def _respawn(self, package, lines, created_by, status=None):
        """A new package of the same order holding ``lines`` (new id and cargo number)."""
        new = copy.deepcopy(package)
        new_id = self._new_id(3460000000)
        new.update(
            shipmentPackageId=new_id,
            id=new_id,
            lines=lines,
            createdBy=created_by,
            originPackageIds=[package["shipmentPackageId"]],
            cargoTrackingNumber=int(
                str(package["cargoTrackingNumber"])[:3] + str(self.rng.randint(10**9, 10**10 - 1))
            ),
        )
        self._recompute(new)
        self._touch(new, status or package["status"])
        self.packages[new_id] = new
        return new

    @staticmethod
    def _recompute(package):
        lines = package["lines"]
        gross = round(sum(line["lineGrossAmount"] for line in lines), 2)
        seller = round(sum(line["lineSellerDiscount"] for line in lines), 2)
        ty = round(sum(line["lineTyDiscount"] for line in lines), 2)
        package.update(
            packageGrossAmount=gross,
            packageSellerDiscount=seller,
            packageTyDiscount=ty,
            packageTotalDiscount=round(seller + ty, 2),
            packageTotalPrice=round(gross - seller - ty, 2),
        )

    @staticmethod
    def _slice_line(line, quantity, line_id=None):
        """A copy of ``line`` for ``quantity`` units (amounts prorated)."""
        ratio = quantity / line["quantity"]
        part = copy.deepcopy(line)
        part.update(quantity=quantity, discountDetails=line.get("discountDetails", [])[:quantity])
        for key in ("lineGrossAmount", "lineSellerDiscount", "lineTyDiscount", "lineTotalDiscount"):
            part[key] = round(line[key] * ratio, 2)
        if line_id is not None:
            part["lineId"] = part["id"] = line_id
        return part

    def h_unsupplied(self, req, groups):
        body = req["json"] or {}
        if int(body.get("reasonId") or 0) not in UNSUPPLIED_REASONS:
            raise FakeError(400, "reasonId geçersiz", "reason.invalid")
        with self.lock:
            package = self._package(groups["pid"])
            if package["status"] not in ("Created", "Picking", "Invoiced", "Awaiting"):
                raise FakeError(
                    400,
                    f"Package in status {package['status']} cannot be unsupplied",
                    "status.transition.invalid",
                )
            by_id = self._check_lines(package, body.get("lines") or [])
            unsupplied = {str(line["lineId"]): int(line["quantity"]) for line in body["lines"]}
            remaining, gone = [], []
            for key, line in by_id.items():
                quantity = unsupplied.get(key, 0)
                if quantity:
                    gone.append(self._slice_line(line, quantity))
                if line["quantity"] - quantity:
                    remaining.append(self._slice_line(line, line["quantity"] - quantity))
            previous = package["status"]
            package["lines"] = gone
            for line in gone:
                line["orderLineItemStatusName"] = "UnSupplied"
            self._recompute(package)
            self._touch(package, "UnSupplied")
            if remaining:
                self._respawn(package, remaining, "cancel", previous)
        return 200, None

    def h_split(self, req, groups):
        body = req["json"] or {}
        kind = groups["kind"]
        with self.lock:
            package = self._package(groups["pid"])
            if package["status"] not in ("Created", "Picking"):
                raise FakeError(
                    400, "Only Created/Picking packages can be split", "status.transition.invalid"
                )
            by_id = {str(line["lineId"]): line for line in package["lines"]}
            if kind == "quantity-split":
                new_groups = self._quantity_groups(body, by_id)
            else:
                id_groups = (
                    [body.get("orderLineIds") or []]
                    if kind == "split"
                    else [g.get("orderLineIds") or [] for g in body.get("splitGroups") or []]
                )
                taken = [str(i) for group in id_groups for i in group]
                if (
                    not taken
                    or any(i not in by_id for i in taken)
                    or len(set(taken)) != len(taken)
                    or len(set(taken)) >= len(by_id)
                ):
                    raise FakeError(
                        400, "orderLineIds geçersiz (tüm satırlar seçilemez)", "split.invalid"
                    )
                rest = [line for key, line in by_id.items() if key not in taken]
                new_groups = [[by_id[str(i)] for i in group] for group in id_groups] + [rest]
            previous = package["status"]
            self._touch(package, "UnPacked")
            created = [
                self._respawn(package, copy.deepcopy(lines), "split", previous)
                for lines in new_groups
            ]
        return 200, {"shipmentPackageIds": [p["shipmentPackageId"] for p in created]}

    def _quantity_groups(self, body, by_id):
        """quantity-split: the first chunk keeps the line id, the others get new line ids
        (Trendyol does not document what happens to line ids here [UNCONFIRMED])."""
        groups = []
        split_ids = set()
        for row in body.get("quantitySplit") or []:
            line = by_id.get(str(row.get("orderLineId")))
            quantities = [int(q) for q in row.get("quantities") or []]
            if line is None or sum(quantities) != line["quantity"] or len(quantities) < 2:
                raise FakeError(400, "quantitySplit geçersiz", "split.invalid")
            split_ids.add(str(line["lineId"]))
            for index, quantity in enumerate(quantities):
                new_id = None if index == 0 else self._new_id(5529900000)
                groups.append([self._slice_line(line, quantity, new_id)])
        rest = [line for key, line in by_id.items() if key not in split_ids]
        if rest:
            groups[0] = groups[0] + rest
        return groups

    def _invoice_conflict(self, package_id, link=None):
        if package_id in self.invoices:
            return f"{package_id} numaralı pakete ait fatura önceden gönderilmiş"
        if link and any(i.get("link") == link for i in self.invoices.values()):
            return "Bu fatura linki başka bir paket için daha önce gönderilmiş"
        return None

    def _check_invoice_fields(self, number, moment):
        if number and not INVOICE_NUMBER_RE.match(str(number)):
            raise FakeError(400, f"invoiceNumber {number} geçersiz", "invoice.number.invalid")
        if moment not in (None, ""):
            value = int(moment)
            value = value * 1000 if len(str(value)) == 10 else value
            if len(str(int(moment))) not in (10, 13):
                raise FakeError(
                    400, "invoiceDateTime 10 ya da 13 haneli olmalı", "invoice.datetime.invalid"
                )
            if value > now_ms() + 60000:
                raise FakeError(400, "İleri tarihli fatura eklenemez", "invoice.future.date")

    def h_invoice_link(self, req, groups):
        body = req["json"] or {}
        with self.lock:
            package_id = _id(body.get("shipmentPackageId"))
            self._package(package_id)
            if not str(body.get("invoiceLink") or "").startswith(("http://", "https://")):
                raise FakeError(400, "invoiceLink geçersiz", "invoice.link.invalid")
            self._check_invoice_fields(body.get("invoiceNumber"), body.get("invoiceDateTime"))
            conflict = self._invoice_conflict(package_id, body["invoiceLink"])
            if conflict:
                raise FakeError(409, conflict, "invoice.already.exists")
            self.invoices[package_id] = {
                "kind": "link",
                "link": body["invoiceLink"],
                "number": body.get("invoiceNumber"),
                "datetime": body.get("invoiceDateTime"),
            }
        return 201, None

    def h_invoice_delete(self, req, groups):
        body = req["json"] or {}
        with self.lock:
            self.invoices.pop(_id(body.get("serviceSourceId")), None)
        return 202, None

    def h_invoice_file(self, req, groups):
        form, files = req["form"], req["files"]
        with self.lock:
            if not form.get("shipmentPackageId"):
                raise FakeError(400, "shipmentPackageId zorunludur", "package.required")
            package_id = _id(form["shipmentPackageId"])
            package = self._package(package_id)
            upload = next(iter(files.values()), None)
            if upload is None:
                raise FakeError(
                    400,
                    "Dosya gönderilmedi. Lütfen fatura dosyasını seçip tekrar deneyin.",
                    "file.required",
                )
            if upload["content_type"] not in ("application/pdf", "image/jpeg", "image/png"):
                raise FakeError(
                    400,
                    f"Dosya türü ({upload['content_type']}) desteklenmiyor. "
                    "Desteklenen dosya türleri: application/pdf,image/jpeg,"
                    "image/png",
                    "file.type.invalid",
                )
            if upload["size"] > 10 * 1024 * 1024:
                raise FakeError(400, "Dosya boyutu 10 MB dan büyük olamaz", "file.too.large")
            if package.get("micro") and not (
                form.get("invoiceNumber") and form.get("invoiceDateTime")
            ):
                raise FakeError(
                    400,
                    "Micro export type'lari icin fatura bilgisi zorunludur",
                    "invoice.micro.required",
                )
            self._check_invoice_fields(form.get("invoiceNumber"), form.get("invoiceDateTime"))
            conflict = self._invoice_conflict(package_id)
            if conflict:
                raise FakeError(400, conflict, "invoice.already.sent")
            self.invoices[package_id] = {
                "kind": "file",
                "filename": upload["filename"],
                "size": upload["size"],
                "sha1": upload["sha1"],
                "number": form.get("invoiceNumber"),
                "datetime": form.get("invoiceDateTime"),
            }
        return 201, None

    def h_inventory(self, req, groups):
        items = (req["json"] or {}).get("items")
        if not isinstance(items, list) or not items:
            raise FakeError(400, "items zorunludur", "items.required")
        if len(items) > MAX_INVENTORY_ITEMS:
            raise FakeError(400, "Bir istekte en fazla 1000 ürün gönderilebilir", "items.too.many")
        fingerprint = hashlib.sha1(json.dumps(items, sort_keys=True).encode()).hexdigest()
        with self.lock:
            sent = self.inventory_bodies.get(fingerprint)
            if sent and time.time() - sent < IDENTICAL_REQUEST_S:
                raise FakeError(
                    400,
                    "15 dakika boyunca aynı isteği tekrarlı olarak atamazsınız!",
                    "request.duplicate",
                )
            self.inventory_bodies[fingerprint] = time.time()
            batch_id = f"{uuid.uuid4()}-{int(time.time())}"
            results = [self._inventory_item(item) for item in items]
            self.batches[batch_id] = {"items": results, "created": time.time()}
        return 200, {"batchRequestId": batch_id}

    def _inventory_item(self, item):
        reasons = []
        barcode = str(item.get("barcode") or "")
        product = self.products.get(barcode)
        if product is None:
            reasons.append(f"{barcode} barkodlu ürün bulunamadı")
        quantity = item.get("quantity")
        if quantity is not None and not 0 <= int(quantity) <= 20000:
            reasons.append("Stok adedi 0 ile 20000 arasında olmalıdır")
        sale, list_price = item.get("salePrice"), item.get("listPrice")
        if sale is not None and list_price is not None and float(list_price) < float(sale):
            reasons.append("Liste fiyatı satış fiyatından küçük olamaz")
        if not reasons and product is not None:
            for key in ("quantity", "salePrice", "listPrice"):
                if item.get(key) is not None:
                    product[key] = item[key]
        return {
            "requestItem": item,
            "status": "FAILED" if reasons else "SUCCESS",
            "failureReasons": reasons,
        }

    def h_batch(self, req, groups):
        with self.lock:
            batch = self.batches.get(groups["bid"])
            if batch is None:
                raise FakeError(404, "Batch request bulunamadı", "batch.not.found")
            ready = time.time() - batch["created"] >= self.batch_delay
            items = batch["items"] if ready else []
            count = batch.get("count", len(batch["items"]))
        return 200, {
            "batchRequestId": groups["bid"],
            "items": items,
            "itemCount": count,
            "failedItemCount": sum(i["status"] == "FAILED" for i in items),
            "batchRequestType": "ProductInventoryUpdate",
            "sourceType": "API",
            "creationDate": int(batch["created"] * 1000),
            "lastModification": now_ms(),
        }

    def _package_by_tracking(self, tracking):
        for package in self.packages.values():
            if str(package.get("cargoTrackingNumber")) == str(tracking):
                return package
        raise FakeError(
            400, f"{tracking} kargo takip numaralı paket bulunamadı", "package.not.found"
        )

    def h_label_create(self, req, groups):
        body = req["json"] or {}
        if (body.get("format") or "ZPL") != "ZPL":
            raise FakeError(400, "Sadece ZPL formatı desteklenir", "label.format.invalid")
        with self.lock:
            package = self._package_by_tracking(groups["tn"])
            if package["status"] not in ("Picking", "Invoiced"):
                raise FakeError(
                    400,
                    "Etiket Picking/Invoiced statüsünden sonra alınabilir",
                    "label.status.invalid",
                )
            boxes = int(body.get("boxQuantity") or 1)
            self.labels[str(groups["tn"])] = [_zpl(package, box + 1, boxes) for box in range(boxes)]
        return 200, None

    def h_label_get(self, req, groups):
        with self.lock:
            labels = self.labels.get(str(groups["tn"]))
        if not labels:
            raise FakeError(404, "Etiket bulunamadı", "label.not.found")
        return 200, {"data": [{"label": label, "format": "ZPL"} for label in labels]}

    def h_claims(self, req, groups):
        query = req["query"]
        size = min(int(query.get("size") or 50), MAX_PAGE_SIZE)
        page = int(query.get("page") or 0)
        with self.lock:
            rows = list(self.claims.values())
            if query.get("claimIds"):
                ids = set(query["claimIds"].split(","))
                rows = [c for c in rows if c["id"] in ids]
            else:
                end = int(query.get("endDate") or now_ms())
                start = int(query.get("startDate") or end - MAX_WINDOW_MS)
                if end - start > MAX_WINDOW_MS:
                    raise FakeError(
                        400, "Tarih aralığı en fazla 2 hafta olabilir", "claim.date.range.exceeded"
                    )
                rows = [c for c in rows if start <= c["claimDate"] <= end]
                if query.get("claimItemStatus"):
                    rows = [
                        c
                        for c in rows
                        if any(
                            ci["claimItemStatus"]["name"] == query["claimItemStatus"]
                            for item in c["items"]
                            for ci in item["claimItems"]
                        )
                    ]
                if query.get("orderNumber"):
                    rows = [c for c in rows if c["orderNumber"] == query["orderNumber"]]
            rows.sort(key=lambda c: c["lastModifiedDate"])
            return 200, _page(rows, page, size)

    def _claim_items(self, claim_id, item_ids):
        claim = self.claims.get(claim_id)
        if claim is None:
            raise FakeError(400, f"Claim {claim_id} bulunamadı", "claim.not.found")
        found = {ci["id"]: ci for item in claim["items"] for ci in item["claimItems"]}
        if not item_ids or any(i not in found for i in item_ids):
            raise FakeError(400, "claimLineItemIdList geçersiz", "claim.items.invalid")
        for item_id in item_ids:
            if found[item_id]["claimItemStatus"]["name"] != "WaitingInAction":
                raise FakeError(
                    400,
                    "Sadece WaitingInAction statüsündeki iadeler için işlem yapılabilir",
                    "claim.status.invalid",
                )
        return claim, [found[i] for i in item_ids]

    def h_claim_approve(self, req, groups):
        ids = [str(i) for i in (req["json"] or {}).get("claimLineItemIdList") or []]
        with self.lock:
            claim, items = self._claim_items(groups["cid"], ids)
            for item in items:
                item["claimItemStatus"] = {"name": "Accepted"}
                item["acceptedBySeller"] = True
            claim["lastModifiedDate"] = now_ms()
        return 200, None

    def h_claim_issue(self, req, groups):
        query = req["query"]
        reason = int(query.get("claimIssueReasonId") or 0)
        ids = [i for i in (query.get("claimItemIdList") or "").split(",") if i]
        if reason not in {r["id"] for r in CLAIM_ISSUE_REASONS} | NO_FILE_ISSUE_REASONS:
            raise FakeError(400, "claimIssueReasonId geçersiz", "claim.reason.invalid")
        if len(query.get("description") or "") > 500:
            raise FakeError(400, "description en fazla 500 karakter", "description.too.long")
        files = [part for part in req.get("file_parts") or [] if part["size"]]
        if reason not in NO_FILE_ISSUE_REASONS and not files:
            raise FakeError(
                400, "Bu ret sebebi için dosya yüklemek zorunludur", "claim.file.required"
            )
        with self.lock:
            claim, items = self._claim_items(groups["cid"], ids)
            for item in items:
                item["claimItemStatus"] = {"name": "Unresolved"}
            claim["lastModifiedDate"] = now_ms()
            self.claim_issues.append(
                {
                    "claim_id": groups["cid"],
                    "reason_id": reason,
                    "claim_item_ids": ids,
                    "description": query.get("description") or "",
                    "files": files,
                }
            )
        return 200, None

    def h_claim_reasons(self, req, groups):
        return 200, copy.deepcopy(CLAIM_ISSUE_REASONS)

    # ------------------------------------------------------------ control
    def control(self, method, path, payload):
        if method == "GET" and path == "packages":
            with self.lock:
                return list(self.packages.values())
        if method == "GET" and path == "state":
            with self.lock:
                return {
                    "invoices": {str(k): v for k, v in self.invoices.items()},
                    "labels": self.labels,
                    "claims": list(self.claims.values()),
                    "claim_issues": self.claim_issues,
                    "products": self.products,
                }
        if method != "POST":
            return super().control(method, path, payload)
        if path == "seed":
            created = []
            if payload.get("orders"):
                created += self.seed_orders(
                    int(payload["orders"]),
                    int(payload.get("lines_per_order", 2)),
                    payload.get("status", "Created"),
                )
            if payload.get("packages"):
                created += self.add_packages(payload["packages"])
            for barcode in payload.get("products") or []:
                self.add_product(barcode)
            for claim in payload.get("claims") or []:
                with self.lock:
                    self.claims[claim["id"]] = claim
            return {"packages": [p["shipmentPackageId"] for p in created]}
        if path == "status":
            package = self.set_status(payload["package_id"], payload["status"])
            return {"package_id": package["shipmentPackageId"], "status": package["status"]}
        return super().control(method, path, payload)

    # ------------------------------------------------------------ dispatch
    def dispatch(self, method, path, request):
        """(status, json body or bytes, extra headers) for one API call."""
        endpoint, handler, groups = self.route(method, path, request)
        fault = self._pop_fault(endpoint, method, request.get("query"))
        lost = False
        if fault:
            request["fault"] = fault["kind"]
            kind = fault["kind"]
            if kind == "rate_limit":
                headers = {"Retry-After": str(fault.get("retry_after", 1))}
                return (
                    429,
                    {"errors": [{"key": "too.many.requests", "message": "Too many requests"}]},
                    headers,
                )
            if kind in ("server_error", "http_error", "unavailable"):
                default = {"server_error": 500, "unavailable": 503}.get(kind, 400)
                status = int(fault.get("status", default))
                body = fault.get("body") or {
                    "timestamp": now_ms(),
                    "exception": "TrendyolSystemException",
                    "errors": [{"key": "generic.exception", "message": "Exception Occured"}],
                }
                headers = (
                    {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else {}
                )
                return status, body, headers
            if kind == "auth":
                raise FakeError(
                    401,
                    "Unauthorized",
                    "basic.authorization.failed",
                    "ClientApiAuthenticationException",
                )
            if kind in ("slow", "timeout"):
                time.sleep(float(fault.get("delay", 2)))
            if kind == "malformed":
                return 200, b'{"content": [{"shipmentPackageId": 1,', {}
            if kind == "lost_batch":
                batch_id = f"{uuid.uuid4()}-{int(time.time())}"
                with self.lock:
                    self.batches[batch_id] = {
                        "items": [],
                        "created": time.time(),
                        "lost": True,
                        "count": len((request.get("json") or {}).get("items") or []),
                    }
                return 200, {"batchRequestId": batch_id}, {}
            if kind == "odd_body":
                return 200, json.dumps(fault.get("body", {})).encode(), {}
            if kind == "shift":
                self._shift(
                    request.get("query") or {},
                    fault.get("move", 0),
                    fault.get("backdate", 0),
                    fault.get("stay", False),
                )
            if kind == "drop":
                raise DropConnection()
            lost = kind == "lost_response"
        status, body = handler(request, groups)
        if lost:
            raise DropConnection()
        return status, body, {}


def _id(value):
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def _page(rows, page, size):
    """Trendyol's page envelope around (a copy of) page ``page`` of ``rows``."""
    total = len(rows)
    return {
        "totalElements": total,
        "totalPages": -(-total // size),
        "page": page,
        "size": size,
        "content": copy.deepcopy(rows[page * size : (page + 1) * size]),
    }


def _zpl(package, box, boxes):
    tracking = package["cargoTrackingNumber"]
    address = package.get("shipmentAddress") or {}
    return (
        f"^XA^CI28^FO40,40^A0N,36,36^FD{package.get('cargoProviderName')}^FS"
        f"^FO40,100^BY3^BCN,120,Y,N,N^FD{tracking}^FS"
        f"^FO40,280^A0N,30,30^FD{address.get('fullName', '')}^FS"
        f"^FO40,320^A0N,26,26^FD{address.get('district', '')} / "
        f"{address.get('city', '')}^FS"
        f"^FO40,360^A0N,26,26^FDSipariş {package['orderNumber']} Koli {box}/{boxes}^FS^XZ"
    )


def _parse_multipart(content_type, body):
    """``(form, files, file_parts)``: ``files`` maps a field name to its last file,
    ``file_parts`` lists every file part in order (several may share one field name)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    form, files, parts = {}, {}, []
    if not message.is_multipart():
        return form, files, parts
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = {
                "field": name,
                "filename": filename,
                "content_type": part.get_content_type(),
                "size": len(payload),
                "sha1": hashlib.sha1(payload).hexdigest(),
            }
            parts.append(files[name])
        else:
            form[name] = payload.decode("utf-8", "replace")
    return form, files, parts


# ------------------------------------------------------------- contract harness
# the neutral package / claim states of the marketplace interface ↔ Trendyol's statuses
CONTRACT_STATUSES = {
    "awaiting": "Awaiting",
    "created": "Created",
    "picking": "Picking",
    "invoiced": "Invoiced",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
    "returned": "Returned",
    "unsupplied": "UnSupplied",
    "replaced": "UnPacked",
}
CONTRACT_CLAIM_STATES = {
    "WaitingInAction": "waiting",
    "Accepted": "accepted",
    "Rejected": "rejected",
    "Unresolved": "disputed",
    "Cancelled": "cancelled",
}


class ContractFake(FakeTrendyol):
    """The fake as the cross-marketplace contract tests drive it (tests/test_marketplace_
    contract.py): orders, states, invoices, stock and claims in the interface's terms."""

    def credentials(self):
        return {
            "name": "Contract",
            "marketplace": "trendyol",
            "base_url": self.url,
            "supplier_id": str(self.supplier_id),
            "api_key": self.api_key,
            "api_secret": self.api_secret,
            "integrator_name": "SelfIntegration",
        }

    def add_order(self, order_number, lines, status="created", buyer=None):
        buyer = buyer or {}
        raw = self.add_package(
            order_number=order_number,
            lines=[
                {
                    "line_id": line.get("line_id") and int(line["line_id"]),
                    "barcode": line["barcode"],
                    "stock_code": line.get("stock_code") or line["barcode"],
                    "quantity": line["quantity"],
                    "price": line["price"],
                    "seller_discount": line.get("seller_discount", 0.0),
                    "vat": line.get("vat", 20),
                }
                for line in lines
            ],
            status=CONTRACT_STATUSES[status],
            commercial=bool(buyer.get("vkn")),
            identity=buyer.get("tckn") or "11111111111",
            customer={
                "first_name": buyer.get("first_name"),
                "last_name": buyer.get("last_name"),
                "vkn": buyer.get("vkn"),
                "company": buyer.get("company"),
            },
        )
        return str(raw["shipmentPackageId"])

    def package_state(self, package_id):
        status = self.packages[_id(package_id)]["status"]
        return {value: key for key, value in CONTRACT_STATUSES.items()}[status]

    def set_state(self, package_id, state):
        self.set_status(package_id, CONTRACT_STATUSES[state])

    def invoice_of(self, package_id):
        invoice = self.invoices.get(_id(package_id))
        if not invoice:
            return None
        return {
            "number": invoice.get("number"),
            "link": invoice.get("link"),
            "file": invoice.get("sha1"),
        }

    def stock_of(self, barcode):
        product = self.products.get(str(barcode))
        if not product or (product["quantity"] is None and product["salePrice"] is None):
            return None
        return {"quantity": product["quantity"], "price": product["salePrice"]}

    def add_claim(self, package_id, line_id=None, quantity=1, reason="Vazgeçtim", **kwargs):
        if isinstance(package_id, dict):  # the fake's own signature (package, line_index...)
            return super().add_claim(package_id, line_id or 0, quantity, reason=reason, **kwargs)
        package = self.packages[_id(package_id)]
        index = next(
            i for i, line in enumerate(package["lines"]) if str(line["lineId"]) == str(line_id)
        )
        return super().add_claim(package, index, quantity, reason=(401, reason))["id"]

    def claim_state(self, claim_id):
        states = {
            CONTRACT_CLAIM_STATES.get(claim_item["claimItemStatus"]["name"], "waiting")
            for item in self.claims[claim_id]["items"]
            for claim_item in item["claimItems"]
        }
        return states.pop() if len(states) == 1 else "mixed"


def contract_fake():
    # a seller of its own: the demo sandbox account uses the default seller id
    return ContractFake(supplier_id=654321)


def start(port=0, host="127.0.0.1", seed_orders=0, **kwargs):
    """Start a fake Trendyol in a background thread (``.url``, ``.stop()``)."""
    fake = FakeTrendyol(host, port, **kwargs).start()
    if seed_orders:
        fake.seed_orders(seed_orders)
    return fake


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fake Trendyol seller API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--seed", type=int, default=0, help="orders to seed at start")
    parser.add_argument("--supplier-id", type=int, default=123456)
    parser.add_argument("--api-key", default="fake-api-key")
    parser.add_argument("--api-secret", default="fake-api-secret")
    options = parser.parse_args(argv)
    fake = FakeTrendyol(
        options.host,
        options.port,
        supplier_id=options.supplier_id,
        api_key=options.api_key,
        api_secret=options.api_secret,
    )
    if options.seed:
        fake.seed_orders(options.seed)
    fake.serve_forever()


if __name__ == "__main__":
    main()
