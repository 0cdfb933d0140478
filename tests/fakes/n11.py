"""Fake n11 seller API over HTTP on 127.0.0.1: the REST API and the SOAP services
(stdlib + lxml; the SOAP side reuses :mod:`tests.fakes.soapkit`).

Speaks ``shared/reference/marketplaces.md`` §3:

* REST, headers ``appkey`` / ``appsecret`` (wrong keys: ``/rest/`` → 403 text/plain
  "Authentication failed", ``/ms/`` → 401 JSON ``SellerApiUserUnauthorizedException``):
  ``GET /rest/delivery/v1/shipmentPackages`` (one ``status`` per call, ``size`` ≤ 100,
  ``startDate``/``endDate`` at most 14 days apart — n11 clips longer ranges silently, the
  fake refuses them with 400 so a client that relies on them fails loudly —, windowed on
  ``lastModifiedDate``, oldest first), ``PUT /rest/order/v1/update`` (Created → Picking),
  ``POST /rest/delivery/v1/splitCombinePackage`` and ``…/splitPackageByQuantity`` (only in
  Picking; the old package becomes UnPacked, new packages get new ids and campaign codes; a
  cancelled part becomes an UnSupplied package carrying the reason 61–65),
  ``POST /ms/product/tasks/price-stock-update`` (≤ 1000 SKUs by stock code; a task with a bad
  price is ``REJECT`` in a 200) and ``POST /ms/product/task-details/page-query`` (the task is
  ``IN_QUEUE`` for ``task_polls`` polls, then ``PROCESSED`` with per-SKU SUCCESS/FAIL rows);
* SOAP (``/ws/<Service>``, WSDL at ``/ws/<Service>.wsdl`` or ``?wsdl``, served from
  ``tests/fakes/n11_wsdl/``): ``SellerInvoiceService.SaveLinkSellerInvoice``,
  ``ReturnService.ClaimReturnList/ClaimReturnApprove/ClaimReturnDeny``,
  ``ClaimCancelService.ClaimCancelApprove/ClaimCancelDeny``,
  ``OrderService.MakeOrderItemShipment/OrderItemDelivery``,
  ``ShipmentCompanyService.GetShipmentCompanies``; every error is n11's HTTP 200 with
  ``<result><status>failure</status><errorCode/><errorMessage/>`` (wrong keys:
  ``SELLER_API.authenticationFailed``).

Fault injection: ``add_fault(kind, endpoint="*", count=1, **params)``; kinds ``rate_limit``
(429 + ``Retry-After: 1``), ``unavailable`` (503), ``server_error`` (500), ``auth`` (the
answer to wrong keys: 403/401 on REST, a SOAP authentication failure), ``drop`` (the
connection is closed after the request was read; nothing applied), ``lost_response``
(applied, then closed), ``malformed`` (200 with an odd body), ``soap_failure`` (200 with
``status=failure`` and ``message``). Endpoints: ``orders.list``, ``order.update``,
``package.split``, ``package.split_quantity``, ``price_stock.update``, ``price_stock.task``,
``soap.<Operation>``, ``soap.wsdl`` (``*`` matches every endpoint but ``soap.wsdl``).

HTTP control: ``POST /__fake__/seed`` ``{"orders": [{"order_number", "lines", "status",
"buyer"}], "products": [...], "claims": [...]}``, ``POST /__fake__/faults``, ``POST
/__fake__/state`` ``{"package_id", "state"}``, ``POST /__fake__/reset``, ``GET
/__fake__/state``, ``GET /__fake__/requests``.

Contract harness (the cross-marketplace contract tests): :func:`contract_fake`.

Standalone: ``python -m tests.fakes.n11 --port 8073``; ``--write-wsdl`` regenerates the WSDL
files from the service tables below.
"""

import argparse
import copy
import itertools
import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lxml import etree

from tests.fakes import soapkit
from tests.fakes.httpfake import JSON_UTF8, DropConnection, HttpError, HttpFake

WSDL_DIR = Path(__file__).resolve().parent / "n11_wsdl"
WSDL_ADDRESS = "https://api.n11.com/ws/{service}"
SOAP_NS = "http://www.n11.com/ws/schemas"
MAX_PAGE_SIZE = 100
MAX_WINDOW_MS = 14 * 24 * 3600 * 1000
MAX_SKUS = 1000
MAX_STOCK = 999999
PACKAGE_STATUSES = ("Created", "Picking", "Shipped", "Delivered", "Cancelled", "UnPacked")
PACKAGE_STATUSES += ("UnSupplied",)
NEUTRAL = {
    "Created": "created",
    "Picking": "picking",
    "Shipped": "shipped",
    "Delivered": "delivered",
    "Cancelled": "cancelled",
    "UnSupplied": "unsupplied",
    "UnPacked": "replaced",
}
FROM_NEUTRAL = {"shipped": "Shipped", "delivered": "Delivered", "cancelled": "Cancelled"}
CLAIM_NEUTRAL = {
    "REQUESTED": "waiting",
    "PENDING": "waiting",
    "APPROVED": "accepted",
    "COMPLETED": "accepted",
    "DENIED": "rejected",
    "CANCELLED": "cancelled",
}
CANCEL_REASONS = {61, 62, 63, 64, 65}
DENY_REASONS = {1, 2, 3, 4}
SHIPMENT_COMPANIES = [
    {"id": "344", "name": "Yurtiçi Kargo", "shortName": "YK"},
    {"id": "345", "name": "Aras Kargo", "shortName": "ARAS"},
    {"id": "346", "name": "MNG Kargo", "shortName": "MNG"},
    {"id": "347", "name": "PTT Kargo", "shortName": "PTT"},
]
ISTANBUL = timezone(timedelta(hours=3))

# --------------------------------------------------------------------- SOAP services
_AUTH = ("auth", "Authentication")
_RESULT = ("result", "ResultInfo")
_TYPES = {
    "Authentication": [("appKey", "string"), ("appSecret", "string")],
    "ResultInfo": [
        ("status", "string"),
        ("errorCode", "string"),
        ("errorMessage", "string"),
        ("errorCategory", "string"),
    ],
    "PagingData": [
        ("currentPage", "int"),
        ("pageSize", "int"),
        ("totalCount", "int"),
        ("pageCount", "int"),
    ],
    "Period": [("startDate", "string"), ("endDate", "string")],
    "ClaimReturnSearch": [("status", "string"), ("period", "Period")],
    "ReturnCargo": [("shipmentCompanyName", "string"), ("trackingNumber", "string")],
    "ClaimOrderItem": [
        ("orderItemId", "string"),
        ("productId", "string"),
        ("productName", "string"),
        ("quantity", "int"),
        ("price", "decimal"),
    ],
    "ClaimOrderItemList": [("orderItem", "ClaimOrderItem", "*")],
    "ClaimReturn": [
        ("id", "string"),
        ("orderNumber", "string"),
        ("status", "string"),
        ("createdDate", "string"),
        ("reason", "string"),
        ("reasonId", "string"),
        ("customerNote", "string"),
        ("returnCargo", "ReturnCargo"),
        ("orderItemList", "ClaimOrderItemList"),
    ],
    "ClaimReturnListData": [("claimReturn", "ClaimReturn", "*")],
    "ShipmentCompanyRef": [("id", "string")],
    "ShipmentInfo": [
        ("shipmentCompany", "ShipmentCompanyRef"),
        ("trackingNumber", "string"),
        ("shipmentMethod", "int"),
    ],
    "ShipmentItem": [("id", "string"), ("shipmentInfo", "ShipmentInfo")],
    "ShipmentItemList": [("orderItem", "ShipmentItem", "*")],
    "ShipmentCompany": [("id", "string"), ("name", "string"), ("shortName", "string")],
    "ShipmentCompanyList": [("shipmentCompany", "ShipmentCompany", "*")],
}


def _service(name, operations):
    """A soapkit service declaring exactly ``operations`` and the types they use."""
    used, todo = set(), [spec[1] for request, response in operations.values() for spec in request]
    todo += [spec[1] for _request, response in operations.values() for spec in response]
    while todo:
        type_name = todo.pop()
        if type_name in _TYPES and type_name not in used:
            used.add(type_name)
            todo += [spec[1] for spec in _TYPES[type_name]]
    types = {key: value for key, value in _TYPES.items() if key in used}
    return soapkit.Service(name, f"/ws/{name}", SOAP_NS, types, operations)


SERVICES = [
    _service(
        "SellerInvoiceService",
        {
            "SaveLinkSellerInvoice": (
                [_AUTH, ("orderNumber", "string"), ("url", "string")],
                [_RESULT],
            )
        },
    ),
    _service(
        "ReturnService",
        {
            "ClaimReturnList": (
                [_AUTH, ("searchData", "ClaimReturnSearch"), ("pagingData", "PagingData")],
                [_RESULT, ("claimReturnList", "ClaimReturnListData"), ("pagingData", "PagingData")],
            ),
            "ClaimReturnApprove": ([_AUTH, ("claimReturnId", "string")], [_RESULT]),
            "ClaimReturnDeny": (
                [
                    _AUTH,
                    ("claimReturnId", "string"),
                    ("denyReasonId", "int"),
                    ("denyReasonNote", "string"),
                ],
                [_RESULT],
            ),
        },
    ),
    _service(
        "ClaimCancelService",
        {
            "ClaimCancelApprove": ([_AUTH, ("claimCancelId", "string")], [_RESULT]),
            "ClaimCancelDeny": (
                [
                    _AUTH,
                    ("claimCancelId", "string"),
                    ("denyReasonId", "int"),
                    ("denyReasonNote", "string"),
                ],
                [_RESULT],
            ),
        },
    ),
    _service(
        "OrderService",
        {
            "MakeOrderItemShipment": ([_AUTH, ("orderItemList", "ShipmentItemList")], [_RESULT]),
            "OrderItemDelivery": ([_AUTH, ("orderItemList", "ShipmentItemList")], [_RESULT]),
        },
    ),
    _service(
        "ShipmentCompanyService",
        {
            "GetShipmentCompanies": (
                [_AUTH],
                [_RESULT, ("shipmentCompanies", "ShipmentCompanyList")],
            )
        },
    ),
]
SERVICES_BY_PATH = {service.path.lower(): service for service in SERVICES}


def wsdl_text(service):
    """The WSDL of ``service`` as stored in ``n11_wsdl/`` (address: production)."""
    return service.wsdl(WSDL_ADDRESS.format(service=service.name)).decode()


def write_wsdls(directory=WSDL_DIR):
    directory.mkdir(exist_ok=True)
    for service in SERVICES:
        (directory / f"{service.name}.wsdl").write_text(wsdl_text(service), encoding="utf-8")


class FakeError(HttpError):
    def __init__(self, status, body, content_type=JSON_UTF8):
        super().__init__(str(body))
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = {"Content-Type": content_type}


def rest_error(message, status=400):
    return FakeError(status, {"code": status, "message": message, "status": "failure"})


class SoapFailure(Exception):
    """n11's error answer: HTTP 200, ``result/status=failure``."""

    def __init__(self, message, code="SELLER_API.validationError", category="SAFE"):
        super().__init__(message)
        self.result = {
            "status": "failure",
            "errorCode": code,
            "errorMessage": message,
            "errorCategory": category,
        }


def now_ms():
    return int(time.time() * 1000)


def _money(value):
    return round(float(value) + 0.0, 2)


def _turkish_time(ms):
    return datetime.fromtimestamp(ms / 1000, tz=ISTANBUL).strftime("%d/%m/%Y %H:%M")


def _turkish_day(text):
    return datetime.strptime(text, "%d/%m/%Y").date()


# ------------------------------------------------------------------------------- server
class FakeN11(HttpFake):
    server_version = "FakeN11/1.0"
    control_errors = (KeyError, TypeError, ValueError)
    keep_blank_query = True
    hidden_request_keys = ("raw", "headers")

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        app_key="fake-n11-appkey",
        app_secret="fake-n11-appsecret",
        integrator="FakeIntegrator",
        seed=11,
        task_polls=1,
    ):
        super().__init__(host, port)
        self.app_key = app_key
        self.app_secret = app_secret
        self.integrator = integrator
        self.task_polls = task_polls
        self.rng = random.Random(seed)
        self._ids = itertools.count(1)
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self):
        with self.lock:
            self.packages = {}  # package key (id) -> raw package
            self.products = {}  # stock code -> {"barcode", "quantity", "salePrice", ...}
            self.tasks = {}
            self.invoices = {}  # order number -> {"link", "number", "file"}
            self.returns = {}  # claim return id -> raw claim return
            self.cancel_requests = {}
            self.shipments = []
            self.requests = []
            self.faults = []

    def _new_id(self, base):
        return base + next(self._ids) * 7 + self.rng.randint(0, 6)

    # ---------------------------------------------------------------- seeding
    def add_product(self, stock_code, barcode=None, quantity=None, price=None, vat=20):
        with self.lock:
            product = self.products.setdefault(
                str(stock_code),
                {"quantity": quantity, "salePrice": price, "listPrice": price, "vatRate": vat},
            )
            product["barcode"] = barcode or product.get("barcode") or str(stock_code)
            return product

    def add_package(
        self, order_number=None, lines=None, status="Created", buyer=None, last_modified=None
    ):
        """Build and store one package. ``lines``: ``[{'line_id', 'barcode', 'stock_code',
        'quantity', 'price' (gross unit incl. KDV), 'seller_discount' (whole line),
        'mall_discount' (whole line, n11-funded), 'vat', 'name'}]``. Returns the raw package."""
        rng = self.rng
        buyer = dict(buyer or {})
        first = buyer.get("first_name") or rng.choice(["Zeynep", "Ahmet", "Elif", "Mehmet"])
        last = buyer.get("last_name") or rng.choice(["Demir", "Yılmaz", "Kaya", "Çelik"])
        company = buyer.get("company") or ""
        vkn = buyer.get("vkn") or ""
        tckn = buyer.get("tckn") or ""
        package_id = self._new_id(112999455000000)
        address = {
            "fullName": f"{first} {last}",
            "address": buyer.get("street") or f"Moda Cad. No:{rng.randint(1, 99)} D:2",
            "neighborhood": "Caferağa",
            "district": buyer.get("district") or "Kadıköy",
            "city": buyer.get("city") or "İstanbul",
            "postalCode": "34710",
            "gsm": f"53{rng.randint(10000000, 99999999)}",
            "tcId": tckn,
        }
        billing = dict(address, fullName=company or address["fullName"])
        if vkn:
            billing.update(taxId=vkn, taxOffice=buyer.get("tax_office") or "Kadıköy")
        raw_lines = [self._line(spec, status) for spec in lines or [{}]]
        package = {
            "id": package_id,
            "orderNumber": str(order_number or rng.randint(10**11, 10**12 - 1)),
            "shipmentPackageStatus": status,
            "customerId": rng.randint(10**7, 10**8 - 1),
            "customerfullName": f"{first} {last}",
            "customerEmail": buyer.get("email") or f"{first.lower()}@example.com",
            "tcIdentityNumber": tckn,
            "taxId": vkn,
            "taxOffice": billing.get("taxOffice", ""),
            "billingAddress": billing,
            "shippingAddress": address,
            "cargoProviderName": "Yurtiçi Kargo",
            "cargoTrackingNumber": f"N11Y{rng.randint(10**8, 10**9 - 1)}",
            "cargoTrackingLink": None,
            "cargoSenderNumber": None,
            "orderDate": now_ms(),
            "lastModifiedDate": int(last_modified if last_modified is not None else now_ms()),
            "agreedDeliveryDate": now_ms() + 3 * 24 * 3600 * 1000,
            "lines": raw_lines,
        }
        self._recompute(package)
        with self.lock:
            self.packages[str(package_id)] = package
        return package

    def _line(self, spec, status):
        quantity = int(spec.get("quantity") or 1)
        price = _money(spec.get("price") or 292.80)
        seller = _money(spec.get("seller_discount") or 0)
        mall = _money(spec.get("mall_discount") or 0)
        stock_code = str(spec.get("stock_code") or f"SKU-{self.rng.randint(1000, 9999)}")
        self.add_product(stock_code, spec.get("barcode"), vat=spec.get("vat", 20))
        invoice = _money(price * quantity - seller)
        return {
            "orderLineId": int(spec.get("line_id") or self._new_id(426659000)),
            "productId": self.rng.randint(10**8, 10**9 - 1),
            "productName": spec.get("name") or f"Ürün {stock_code}",
            "stockCode": stock_code,
            "barcode": spec.get("barcode") or "",
            "quantity": quantity,
            "price": price,
            "totalSellerDiscountPrice": seller,
            "totalMallDiscountPrice": mall,
            "dueAmount": _money(invoice - mall),
            "sellerInvoiceAmount": invoice,
            "orderItemLineItemStatusName": status,
            "variantAttributes": [{"name": "Renk", "value": "Beyaz"}],
        }

    @staticmethod
    def _recompute(package):
        lines = package["lines"]
        package["totalAmount"] = _money(sum(line["dueAmount"] for line in lines))
        package["totalDiscountAmount"] = _money(
            sum(line["totalSellerDiscountPrice"] + line["totalMallDiscountPrice"] for line in lines)
        )

    def _touch(self, package, status=None):
        package["lastModifiedDate"] = max(now_ms(), package["lastModifiedDate"] + 1)
        if status:
            package["shipmentPackageStatus"] = status
            for line in package["lines"]:
                line["orderItemLineItemStatusName"] = status

    def set_status(self, package_id, status):
        with self.lock:
            package = self.packages[str(package_id)]
            self._touch(package, status)
            return package

    def add_return(self, package_id, line_id, quantity=1, reason="Beden uymadı", status=None):
        with self.lock:
            package = self.packages[str(package_id)]
            line = next(li for li in package["lines"] if str(li["orderLineId"]) == str(line_id))
            claim_id = str(self._new_id(7700000))
            self.returns[claim_id] = {
                "id": claim_id,
                "orderNumber": package["orderNumber"],
                "status": status or "REQUESTED",
                "createdDate": _turkish_time(now_ms()),
                "reason": reason,
                "reasonId": "12",
                "customerNote": "",
                "returnCargo": {"shipmentCompanyName": "Yurtiçi Kargo", "trackingNumber": ""},
                "orderItemList": {
                    "orderItem": [
                        {
                            "orderItemId": str(line["orderLineId"]),
                            "productId": str(line["productId"]),
                            "productName": line["productName"],
                            "quantity": int(quantity),
                            "price": line["price"],
                        }
                    ]
                },
            }
            return claim_id

    def add_cancel_request(self, package_id, line_id):
        with self.lock:
            request_id = str(self._new_id(8800000))
            self.cancel_requests[request_id] = {
                "package_id": str(package_id),
                "line_id": str(line_id),
                "status": "REQUESTED",
            }
            return request_id

    # ---------------------------------------------------------- contract harness
    def credentials(self):
        return {
            "name": "n11 (fake)",
            "marketplace": "n11",
            "base_url": self.url,
            "supplier_id": "contract-store",
            "api_key": self.app_key,
            "api_secret": self.app_secret,
            "integrator_name": self.integrator,
        }

    def add_order(self, order_number, lines, status="created", buyer=None):
        """One package of ``order_number`` in the neutral ``status`` (created/picking);
        returns its package id."""
        wanted = {v: k for k, v in NEUTRAL.items()}.get(status, status)
        package = self.add_package(order_number, lines, wanted, buyer)
        return str(package["id"])

    def package_state(self, package_id):
        with self.lock:
            return NEUTRAL[self.packages[str(package_id)]["shipmentPackageStatus"]]

    def set_state(self, package_id, state):
        self.set_status(package_id, FROM_NEUTRAL.get(state, state))

    def invoice_of(self, package_id):
        with self.lock:
            order = self.packages[str(package_id)]["orderNumber"]
            invoice = self.invoices.get(order)
            return dict(invoice) if invoice else None

    def stock_code_of(self, barcode):
        with self.lock:
            for stock_code, product in self.products.items():
                if product.get("barcode") == str(barcode):
                    return stock_code
        return str(barcode) if str(barcode) in self.products else None

    def stock_of(self, barcode):
        with self.lock:
            product = self.products.get(self.stock_code_of(barcode) or "")
            if not product or (product["quantity"] is None and product["salePrice"] is None):
                return None
            return {"quantity": product["quantity"], "price": product["salePrice"]}

    def add_claim(self, package_id, line_id, quantity=1, reason="Beden uymadı"):
        return self.add_return(package_id, line_id, quantity, reason)

    def claim_state(self, claim_id):
        with self.lock:
            return CLAIM_NEUTRAL[self.returns[str(claim_id)]["status"]]

    # ----------------------------------------------------------------- faults
    def fault_matches(self, fault, endpoint):
        """``*`` matches every endpoint but ``soap.wsdl``."""
        wildcard = fault["endpoint"] == "*" and endpoint != "soap.wsdl"
        return wildcard or fault["endpoint"] == endpoint

    # -------------------------------------------------------------- lifecycle
    def banner(self):
        return f"FakeN11 listening on {self.url} (appkey {self.app_key})"

    def read_body(self, request, raw, content_type):
        request["json"] = None
        if not request["path"].startswith("/ws/"):
            super().read_body(request, raw, content_type)

    def answer(self, method, path, request, raw):
        return self.dispatch(method, path, request, raw)

    def content_type(self, data):
        return "text/xml; charset=utf-8" if data.lstrip().startswith(b"<?xml") else JSON_UTF8

    def control_failed(self, exc):
        return 400, {"error": f"bad control request: {exc}"}

    # ---------------------------------------------------------------- routing
    def routes(self):
        return {
            ("GET", "/rest/delivery/v1/shipmentPackages"): ("orders.list", self.h_packages),
            ("PUT", "/rest/order/v1/update"): ("order.update", self.h_update),
            ("POST", "/rest/delivery/v1/splitCombinePackage"): ("package.split", self.h_split),
            ("POST", "/rest/delivery/v1/splitPackageByQuantity"): (
                "package.split_quantity",
                self.h_split_quantity,
            ),
            ("POST", "/ms/product/tasks/price-stock-update"): (
                "price_stock.update",
                self.h_price_stock,
            ),
            ("POST", "/ms/product/task-details/page-query"): ("price_stock.task", self.h_task),
        }

    def check_rest_auth(self, request):
        headers = request["headers"]
        if headers.get("Appkey") == self.app_key and headers.get("Appsecret") == self.app_secret:
            return
        raise self._rest_auth_error(request["path"])

    @staticmethod
    def _rest_auth_error(path):
        if path.startswith("/ms/"):
            return FakeError(
                401,
                {
                    "type": "SellerApiUserUnauthorizedException",
                    "message": "Seller api user is unauthorized",
                },
            )
        return FakeError(403, b"Authentication failed", "text/plain;charset=UTF-8")

    # --------------------------------------------------------------- orders
    def h_packages(self, req):
        query = req["query"]
        status = query.get("status") or ""
        if status not in PACKAGE_STATUSES:
            raise rest_error(f"status tek bir değer olmalı: {sorted(PACKAGE_STATUSES)}")
        size = int(query.get("size") or 20)
        page = int(query.get("page") or 0)
        if size < 1 or size > MAX_PAGE_SIZE:
            raise rest_error(f"size en fazla {MAX_PAGE_SIZE} olabilir")
        number = query.get("orderNumber")
        start, end = query.get("startDate"), query.get("endDate")
        if not number and (start is None or end is None):
            raise rest_error("startDate ve endDate zorunludur")
        if start is not None and end is not None and int(end) - int(start) > MAX_WINDOW_MS:
            raise rest_error("startDate ile endDate arası en fazla 14 gün olabilir")
        with self.lock:
            rows = [
                p
                for p in self.packages.values()
                if p["shipmentPackageStatus"] == status
                and (not number or p["orderNumber"] == number)
                and (start is None or int(start) <= p["lastModifiedDate"] <= int(end))
            ]
            rows.sort(key=lambda p: (p["lastModifiedDate"], p["id"] or 0))
            if query.get("orderByDirection") == "DESC":
                rows.reverse()
            content = copy.deepcopy(rows[page * size : (page + 1) * size])
        return 200, {
            "content": content,
            "totalElements": len(rows),
            "totalPages": -(-len(rows) // size),
            "page": page,
            "size": size,
        }

    def _line_index(self):
        return {
            str(line["orderLineId"]): (package, line)
            for package in self.packages.values()
            if package["shipmentPackageStatus"] not in ("UnPacked",)
            for line in package["lines"]
        }

    def h_update(self, req):
        body = req["json"] or {}
        if body.get("status") != "Picking":
            raise rest_error("Yalnızca Picking statüsü güncellenebilir")
        ids = [str(line.get("lineId")) for line in body.get("lines") or []]
        if not ids:
            raise rest_error("lines boş olamaz")
        with self.lock:
            index = self._line_index()
            for line_id in ids:
                if line_id not in index:
                    raise rest_error(f"Sipariş kalemi bulunamadı: {line_id}")
                status = index[line_id][1]["orderItemLineItemStatusName"]
                if status not in ("Created", "Picking"):
                    raise rest_error(f"{line_id} numaralı kalem {status} statüsünde onaylanamaz")
            for line_id in ids:
                package, line = index[line_id]
                if line["orderItemLineItemStatusName"] == "Created":
                    line["orderItemLineItemStatusName"] = "Picking"
                    package["lastModifiedDate"] = max(now_ms(), package["lastModifiedDate"] + 1)
                if all(li["orderItemLineItemStatusName"] == "Picking" for li in package["lines"]):
                    package["shipmentPackageStatus"] = "Picking"
        return 200, {"code": 200, "message": "success"}

    def _picking_package(self, line_ids, order_number=None):
        index = self._line_index()
        packages = {id(index[i][0]): index[i][0] for i in line_ids if i in index}
        if len(packages) != 1 or any(i not in index for i in line_ids):
            raise rest_error("orderLineIds tek bir pakete ait olmalı")
        package = next(iter(packages.values()))
        if order_number and package["orderNumber"] != str(order_number):
            raise rest_error("Kalemler bu siparişe ait değil")
        if package["shipmentPackageStatus"] != "Picking":
            raise rest_error("Yalnızca Picking statüsündeki paketler bölünebilir")
        return package

    def _respawn(self, package, lines, status):
        new = copy.deepcopy(package)
        new_id = self._new_id(112999455000000)
        new.update(
            id=new_id,
            lines=lines,
            cargoTrackingNumber=f"N11Y{self.rng.randint(10**8, 10**9 - 1)}",
        )
        self._recompute(new)
        self._touch(new, status)
        self.packages[str(new_id)] = new
        return new

    def h_split(self, req):
        groups = [
            [str(i) for i in group.get("orderLineIds") or []]
            for group in (req["json"] or {}).get("splitGroups") or []
        ]
        taken = [i for group in groups for i in group]
        if not groups or not all(groups) or len(set(taken)) != len(taken):
            raise rest_error("splitGroups geçersiz")
        with self.lock:
            package = self._picking_package(taken)
            by_id = {str(line["orderLineId"]): line for line in package["lines"]}
            rest = [line for key, line in by_id.items() if key not in taken]
            new_groups = [[by_id[i] for i in group] for group in groups] + ([rest] if rest else [])
            if len(new_groups) < 2:
                raise rest_error("Paket en az iki pakete bölünmelidir")
            self._touch(package, "UnPacked")
            for lines in new_groups:
                self._respawn(package, copy.deepcopy(lines), "Picking")
        return 200, {"code": 200, "message": "success"}

    def _slice(self, line, quantity, keep_id):
        ratio = quantity / line["quantity"]
        part = copy.deepcopy(line)
        part["quantity"] = quantity
        for key in ("totalSellerDiscountPrice", "totalMallDiscountPrice"):
            part[key] = _money(line[key] * ratio)
        part["sellerInvoiceAmount"] = _money(
            part["price"] * quantity - part["totalSellerDiscountPrice"]
        )
        part["dueAmount"] = _money(part["sellerInvoiceAmount"] - part["totalMallDiscountPrice"])
        if not keep_id:
            part["orderLineId"] = self._new_id(426659000)
        return part

    def h_split_quantity(self, req):
        body = req["json"] or {}
        groups = [
            {str(d.get("orderLineId")): int(d.get("quantities") or 0) for d in p["packageDetails"]}
            for p in body.get("packages") or []
            if p.get("packageDetails")
        ]
        cancel = body.get("cancelPackage")
        cancel_group = None
        if cancel:
            if int(cancel.get("cancelReasonId") or 0) not in CANCEL_REASONS:
                raise rest_error("cancelReasonId geçersiz (61-65)")
            cancel_group = {
                str(d.get("orderLineId")): int(d.get("quantities") or 0)
                for d in cancel.get("packageDetails") or []
            }
        every = groups + ([cancel_group] if cancel_group else [])
        if not every or any(q <= 0 for group in every for q in group.values()):
            raise rest_error("packageDetails geçersiz")
        with self.lock:
            ids = sorted({i for group in every for i in group})
            package = self._picking_package(ids, body.get("orderNumber"))
            by_id = {str(line["orderLineId"]): line for line in package["lines"]}
            for line_id, line in by_id.items():
                total = sum(group.get(line_id, 0) for group in every)
                if line_id in ids and total != line["quantity"]:
                    raise rest_error(
                        f"{line_id}: miktarların toplamı {line['quantity']} olmalı, {total} verildi"
                    )
            used = set()
            plans = [(group, "Picking") for group in groups]
            if cancel_group:
                plans.append((cancel_group, "UnSupplied"))
            rest = [line for key, line in by_id.items() if key not in ids]
            self._touch(package, "UnPacked")
            for number, (group, status) in enumerate(plans):
                lines = []
                for line_id, quantity in group.items():
                    lines.append(self._slice(by_id[line_id], quantity, line_id not in used))
                    used.add(line_id)
                if number == 0 and rest:
                    lines += copy.deepcopy(rest)
                new = self._respawn(package, lines, status)
                if status == "UnSupplied":
                    reason = int(cancel["cancelReasonId"])
                    for line in new["lines"]:
                        line["cancelReason"] = str(reason)
            if rest and not groups:
                self._respawn(package, copy.deepcopy(rest), "Picking")
        return 200, {"code": 200, "message": "success"}

    # ---------------------------------------------------------- stock & price
    def h_price_stock(self, req):
        payload = (req["json"] or {}).get("payload") or {}
        if not payload.get("integrator"):
            raise rest_error("integrator alanı zorunludur")
        skus = payload.get("skus") or []
        if not skus:
            raise rest_error("skus boş olamaz")
        if len(skus) > MAX_SKUS:
            raise rest_error(f"Bir istekte en fazla {MAX_SKUS} sku gönderilebilir")
        reasons = []
        for sku in skus:
            reasons += _sku_problems(sku)
        task_id = self._new_id(1090)
        task = {
            "id": task_id,
            "type": "SKU_UPDATE",
            "status": "REJECT" if reasons else "IN_QUEUE",
            "reasons": reasons or [f"{len(skus)} sku işlenmeye alındı."],
            "skus": copy.deepcopy(skus),
            "polls": 0,
            "rows": [],
        }
        with self.lock:
            self.tasks[task_id] = task
        return 200, {k: task[k] for k in ("id", "type", "status", "reasons")}

    def _process(self, task):
        rows = []
        for sku in task["skus"]:
            product = self.products.get(str(sku.get("stockCode")))
            if product is None:
                rows.append(
                    {
                        "itemCode": sku.get("stockCode"),
                        "status": "FAIL",
                        "reasons": ["Stok kodu ile eşleşen ürün bulunamadı."],
                        "sku": {},
                    }
                )
                continue
            if "quantity" in sku:
                product["quantity"] = int(sku["quantity"])
            if "salePrice" in sku:
                product["salePrice"], product["listPrice"] = sku["salePrice"], sku["listPrice"]
            rows.append(
                {
                    "itemCode": sku["stockCode"],
                    "status": "SUCCESS",
                    "reasons": [],
                    "sku": {
                        "salePrice": product["salePrice"],
                        "listPrice": product["listPrice"],
                        "stock": product["quantity"],
                    },
                }
            )
        task["rows"] = rows
        task["status"] = "PROCESSED"

    def h_task(self, req):
        body = req["json"] or {}
        pageable = body.get("pageable") or {}
        page, size = int(pageable.get("page") or 0), int(pageable.get("size") or 100)
        if size < 1 or size > MAX_SKUS:
            raise rest_error(f"size en fazla {MAX_SKUS} olabilir")
        with self.lock:
            task = self.tasks.get(_int(body.get("taskId")))
            if task is None:
                raise rest_error("Task bulunamadı", 404)
            if task["status"] == "IN_QUEUE":
                task["polls"] += 1
                if task["polls"] > self.task_polls:
                    self._process(task)
            rows = task["rows"]
            answer = {k: task[k] for k in ("id", "type", "status", "reasons")}
            answer["skus"] = {
                "content": copy.deepcopy(rows[page * size : (page + 1) * size]),
                "totalElements": len(rows),
                "totalPages": -(-len(rows) // size),
                "page": page,
                "size": size,
            }
        return 200, answer

    # -------------------------------------------------------------------- SOAP
    def soap_check_auth(self, request):
        auth = request.get("auth") or {}
        if auth.get("appKey") != self.app_key or auth.get("appSecret") != self.app_secret:
            raise SoapFailure(
                "Kimlik doğrulama başarısız", "SELLER_API.authenticationFailed", "SECURITY"
            )

    def op_SaveLinkSellerInvoice(self, req):
        url, order = req.get("url") or "", req.get("orderNumber") or ""
        if not url.startswith("https://") or len(url) > 2048:
            raise SoapFailure("Fatura linki https ile başlamalı ve 2048 karakteri geçmemeli")
        with self.lock:
            if not any(p["orderNumber"] == order for p in self.packages.values()):
                raise SoapFailure(f"Sipariş bulunamadı: {order}")
            self.invoices[order] = {"number": None, "link": url, "file": None}
        return {}

    def op_ClaimReturnList(self, req):
        search = req.get("searchData") or {}
        paging = req.get("pagingData") or {}
        page, size = int(paging.get("currentPage") or 0), int(paging.get("pageSize") or 100)
        if size < 1 or size > 100:
            raise SoapFailure("pageSize en fazla 100 olabilir")
        period = search.get("period") or {}
        start = _turkish_day(period["startDate"]) if period.get("startDate") else None
        end = _turkish_day(period["endDate"]) if period.get("endDate") else None
        with self.lock:
            rows = [
                claim
                for claim in self.returns.values()
                if (not search.get("status") or claim["status"] == search["status"])
                and (start is None or _turkish_day(claim["createdDate"][:10]) >= start)
                and (end is None or _turkish_day(claim["createdDate"][:10]) <= end)
            ]
            content = copy.deepcopy(rows[page * size : (page + 1) * size])
        return {
            "claimReturnList": {"claimReturn": content},
            "pagingData": {
                "currentPage": page,
                "pageSize": size,
                "totalCount": len(rows),
                "pageCount": -(-len(rows) // size),
            },
        }

    def _waiting_return(self, claim_id):
        claim = self.returns.get(str(claim_id))
        if claim is None:
            raise SoapFailure(f"İade talebi bulunamadı: {claim_id}")
        if claim["status"] not in ("REQUESTED", "PENDING"):
            raise SoapFailure(f"İade talebi {claim['status']} durumunda, işlem yapılamaz")
        return claim

    def op_ClaimReturnApprove(self, req):
        with self.lock:
            self._waiting_return(req.get("claimReturnId"))["status"] = "APPROVED"
        return {}

    def op_ClaimReturnDeny(self, req):
        if int(req.get("denyReasonId") or 0) not in DENY_REASONS:
            raise SoapFailure("denyReasonId geçersiz")
        if not (req.get("denyReasonNote") or "").strip():
            raise SoapFailure("denyReasonNote zorunludur")
        with self.lock:
            claim = self._waiting_return(req.get("claimReturnId"))
            claim.update(status="DENIED", denyReasonNote=req["denyReasonNote"])
        return {}

    def _cancel_request(self, request_id):
        request = self.cancel_requests.get(str(request_id))
        if request is None or request["status"] != "REQUESTED":
            raise SoapFailure(f"İptal talebi bulunamadı veya sonuçlanmış: {request_id}")
        return request

    def op_ClaimCancelApprove(self, req):
        with self.lock:
            request = self._cancel_request(req.get("claimCancelId"))
            request["status"] = "APPROVED"
            self.set_status(request["package_id"], "Cancelled")
        return {}

    def op_ClaimCancelDeny(self, req):
        if not (req.get("denyReasonNote") or "").strip():
            raise SoapFailure("denyReasonNote zorunludur")
        with self.lock:
            self._cancel_request(req.get("claimCancelId"))["status"] = "DENIED"
        return {}

    def _items(self, req, statuses):
        items = (req.get("orderItemList") or {}).get("orderItem") or []
        if not items:
            raise SoapFailure("orderItemList boş olamaz")
        index = self._line_index()
        for item in items:
            found = index.get(str(item.get("id")))
            if found is None:
                raise SoapFailure(f"Sipariş kalemi bulunamadı: {item.get('id')}")
            if found[1]["orderItemLineItemStatusName"] not in statuses:
                raise SoapFailure(
                    f"{item.get('id')} numaralı kalem "
                    f"{found[1]['orderItemLineItemStatusName']} durumunda"
                )
        return [(item, index[str(item["id"])]) for item in items]

    def _settle(self, packages, status):
        for package in packages:
            if all(li["orderItemLineItemStatusName"] == status for li in package["lines"]):
                package["shipmentPackageStatus"] = status
            package["lastModifiedDate"] = max(now_ms(), package["lastModifiedDate"] + 1)

    def op_MakeOrderItemShipment(self, req):
        companies = {c["id"]: c for c in SHIPMENT_COMPANIES}
        with self.lock:
            found = self._items(req, ("Created", "Picking"))
            touched = {}
            for item, (package, line) in found:
                info = item.get("shipmentInfo") or {}
                company = companies.get((info.get("shipmentCompany") or {}).get("id"))
                if company is None or not info.get("trackingNumber"):
                    raise SoapFailure("Geçerli bir kargo firması ve takip numarası gerekli")
                line["orderItemLineItemStatusName"] = "Shipped"
                package.update(
                    cargoProviderName=company["name"], cargoTrackingNumber=info["trackingNumber"]
                )
                touched[id(package)] = package
                self.shipments.append(
                    {
                        "line_id": str(line["orderLineId"]),
                        "tracking_number": info["trackingNumber"],
                        "company_id": company["id"],
                    }
                )
            self._settle(touched.values(), "Shipped")
        return {}

    def op_OrderItemDelivery(self, req):
        with self.lock:
            found = self._items(req, ("Shipped",))
            for _item, (_package, line) in found:
                line["orderItemLineItemStatusName"] = "Delivered"
            self._settle({id(p): p for _i, (p, _l) in found}.values(), "Delivered")
        return {}

    def op_GetShipmentCompanies(self, req):
        return {"shipmentCompanies": {"shipmentCompany": copy.deepcopy(SHIPMENT_COMPANIES)}}

    def soap_answer(self, service, operation, values):
        _request_fields, response_fields = service.operations[operation]
        node = etree.Element(f"{{{SOAP_NS}}}{operation}Response", nsmap={"ns": SOAP_NS})
        service.build(node, response_fields, values)
        return soapkit.envelope(node)

    def soap_dispatch(self, service, request):
        """(status, body bytes, headers) of one SOAP call (faults already handled)."""
        operation = request["operation"]
        try:
            self.soap_check_auth(request["soap"])
            values = getattr(self, "op_" + operation)(request["soap"])
            values = dict(values, result={"status": "success"})
        except SoapFailure as failure:
            values = {"result": failure.result}
        return 200, self.soap_answer(service, operation, values), {}

    # ---------------------------------------------------------------- control
    def state(self):
        with self.lock:
            return {
                "packages": list(self.packages.values()),
                "products": self.products,
                "invoices": self.invoices,
                "returns": list(self.returns.values()),
                "cancel_requests": self.cancel_requests,
                "shipments": self.shipments,
                "tasks": [
                    {k: v for k, v in task.items() if k != "skus"} for task in self.tasks.values()
                ],
            }

    def control(self, method, path, payload):
        if method == "GET" and path == "state":
            return self.state()
        if method != "POST":
            return super().control(method, path, payload)
        if path == "seed":
            created = [
                self.add_order(
                    order.get("order_number"),
                    order.get("lines") or [{}],
                    order.get("status", "created"),
                    order.get("buyer"),
                )
                for order in payload.get("orders") or []
            ]
            for product in payload.get("products") or []:
                self.add_product(**product)
            claims = [self.add_claim(**claim) for claim in payload.get("claims") or []]
            return {"packages": created, "claims": claims}
        if path == "state":
            self.set_state(payload["package_id"], payload["state"])
            return {"package_id": payload["package_id"], "state": payload["state"]}
        return super().control(method, path, payload)

    # --------------------------------------------------------------- dispatch
    def identify(self, method, path, raw):
        """``(endpoint, handler or SOAP service, operation)`` of one request."""
        if path.startswith("/ws/"):
            name = path[4:]
            if method == "GET" or name.endswith(".wsdl"):
                service = SERVICES_BY_PATH.get(f"/ws/{name.removesuffix('.wsdl')}".lower())
                return "soap.wsdl", service, None
            service = SERVICES_BY_PATH.get(path.lower())
            if service is None:
                return None, None, None
            try:
                root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False))
                body = root.find(f"{{{soapkit.SOAP_ENV}}}Body")
                node = next(child for child in body if isinstance(child.tag, str))
            except (etree.XMLSyntaxError, StopIteration, TypeError):
                return "soap.invalid", service, None
            operation = service.op_for_element(etree.QName(node).localname)
            if operation is None:
                return "soap.invalid", service, None
            return f"soap.{operation}", service, (operation, node)
        endpoint, handler = self.routes().get((method, path), (None, None))
        return endpoint, handler, None

    def dispatch(self, method, path, request, raw):
        """(status, body, headers, content type) for one call."""
        endpoint, target, soap = self.identify(method, path, raw)
        self.record(request, endpoint)
        if endpoint is None:
            raise FakeError(404, {"code": 404, "message": f"No endpoint {method} {path}"})
        if endpoint == "soap.wsdl" and target is None:
            raise FakeError(404, b"no such service", "text/plain")
        if endpoint == "soap.invalid":
            fault = soapkit.fault_envelope(soapkit.SoapFault("Bad request", "soap:Client"))
            raise FakeError(500, fault, "text/xml; charset=utf-8")
        is_soap = endpoint.startswith("soap.")
        if soap:
            operation, node = soap
            request_fields = target.operations[operation][0]
            request["operation"] = operation
            request["soap"] = target.parse(node, request_fields)
        elif not is_soap:
            self.check_rest_auth(request)
        fault = self._pop_fault(endpoint)
        lost = False
        if fault:
            request["fault"] = kind = fault["kind"]
            if kind == "rate_limit":
                return 429, {"code": 429, "message": "Too many requests"}, {"Retry-After": "1"}
            if kind == "unavailable":
                return 503, b"Service Unavailable", {"Content-Type": "text/html"}
            if kind == "server_error":
                return 500, b"Internal Server Error", {"Content-Type": "text/html"}
            if kind == "auth":
                if not is_soap:
                    raise self._rest_auth_error(path)
                if soap:
                    failure = SoapFailure(
                        "Kimlik doğrulama başarısız", "SELLER_API.authenticationFailed"
                    )
                    return 200, self.soap_answer(target, soap[0], {"result": failure.result}), {}
            if kind == "drop":
                raise DropConnection()
            if kind == "malformed":
                body = b"<html><body>Bakim calismasi" if is_soap else b'{"content": [{"id": 1,'
                return 200, body, {}
            if kind == "soap_failure":
                message = fault.get("message") or "İşlem sırasında bir hata oluştu"
                if soap:
                    failure = SoapFailure(message, fault.get("code", "SELLER_API.systemError"))
                    return 200, self.soap_answer(target, soap[0], {"result": failure.result}), {}
                return 200, {"code": 500, "message": message, "status": "failure"}, {}
            lost = kind == "lost_response"
        if endpoint == "soap.wsdl":
            host = request["headers"].get("Host") or f"{self.host}:{self.port}"
            text = (WSDL_DIR / f"{target.name}.wsdl").read_text(encoding="utf-8")
            text = text.replace(
                WSDL_ADDRESS.format(service=target.name), f"http://{host}{target.path}"
            )
            answer = (200, text.encode(), {"Content-Type": "text/xml; charset=utf-8"})
        elif soap:
            answer = self.soap_dispatch(target, request)
        else:
            status, body = target(request)
            answer = (status, body, {})
        if lost:
            raise DropConnection()
        return answer


def _int(value):
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def _two_decimals(value):
    return isinstance(value, (int, float)) and round(float(value), 2) == float(value)


def _sku_problems(sku):
    code = sku.get("stockCode") or "?"
    problems = []
    if not sku.get("stockCode"):
        problems.append("stockCode zorunludur")
    if ("salePrice" in sku) != ("listPrice" in sku):
        problems.append(f"{code}: listPrice ve salePrice birlikte gönderilmelidir")
    elif "salePrice" in sku:
        sale, listed = sku["salePrice"], sku["listPrice"]
        if not _two_decimals(sale) or not _two_decimals(listed) or sale <= 0:
            problems.append(f"{code}: fiyatlar iki ondalık basamaklı pozitif sayı olmalı")
        elif listed < sale:
            problems.append(f"{code}: listPrice salePrice'tan küçük olamaz")
    if "quantity" in sku:
        quantity = sku["quantity"]
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            problems.append(f"{code}: quantity tam sayı olmalı")
        elif not 0 <= quantity <= MAX_STOCK:
            problems.append(f"{code}: stok 0 ile {MAX_STOCK} arasında olmalı")
    return problems


def contract_fake(**kwargs):
    """The contract-test harness: an unstarted :class:`FakeN11` (``start()`` returns it)."""
    return FakeN11(**kwargs)


def start(port=0, host="127.0.0.1", **kwargs):
    """Start a fake n11 in a background thread (``.url``, ``.stop()``)."""
    return FakeN11(host, port, **kwargs).start()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fake n11 seller API (REST + SOAP)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8073)
    parser.add_argument("--app-key", default="fake-n11-appkey")
    parser.add_argument("--app-secret", default="fake-n11-appsecret")
    parser.add_argument("--seed", type=int, default=0, help="orders to seed at start")
    parser.add_argument("--write-wsdl", action="store_true", help="regenerate n11_wsdl/*.wsdl")
    options = parser.parse_args(argv)
    if options.write_wsdl:
        write_wsdls()
        return
    fake = FakeN11(options.host, options.port, options.app_key, options.app_secret)
    for _i in range(options.seed):
        fake.add_package(lines=[{}, {}])
    fake.serve_forever()


if __name__ == "__main__":
    main()
