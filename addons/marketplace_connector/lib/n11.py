"""n11 seller API client (marketplaces.md §3; plain Python, no ``odoo``).

REST (§3.2–§3.6) for orders, picking confirmation, split / partial cancel and stock/price
tasks; SOAP through ``zeep`` (§3.1, §3.5, §3.8, §3.9) for what has no REST equivalent yet:
the invoice link (``SellerInvoiceService``), returns (``ReturnService``), customer cancel
requests (``ClaimCancelService``), own-cargo shipment (``OrderService``) and the carrier list
(``ShipmentCompanyService``).

Auth (§3.2): REST sends the headers ``appkey`` and ``appsecret`` (no Authorization header);
every SOAP request carries ``<auth><appKey/><appSecret/></auth>``. Wrong keys (§3.10):
``/rest/`` → 403 text "Authentication failed", ``/ms/`` → 401 JSON, SOAP → HTTP 200 with
``result/status=failure`` and ``errorCode SELLER_API.authenticationFailed``: all three are
:class:`AuthError`. Any other SOAP ``status=failure`` in a 200 is a :class:`ClientError` with
n11's message (§3.10 pitfall 5).

Base URL ``https://api.n11.com`` (no public sandbox is documented); any other URL (a fake, a
sandbox) works the same. The WSDL of a SOAP service is read from ``<base>/ws/<Service>.wsdl``
(§3.1), or from ``wsdl_urls[<Service>]`` when given; zeep sends its requests through the same
:class:`MarketplaceHttpClient` (timeouts, retries, pacing, redaction, typed errors).

Orders (§3.3): ``status`` takes one value per request, so a window is read once per status;
windows are at most 14 days (n11 silently clips longer ranges), pages at most 100. Epoch
milliseconds are read as real epoch instants (the "GMT+3" note of §3.3 is [LIB]).

Non-idempotent calls (split, partial cancel, stock/price task, invoice link, return
approve/deny, shipment notification) whose answer was lost raise :class:`OutcomeUnknown`:
the caller re-reads the remote state before repeating them.
"""

import json
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.helpers import serialize_object
from zeep.transports import Transport

from .http import (
    AuthError,
    ClientError,
    IncompleteFetchError,
    MalformedResponseError,
    MarketplaceError,
    MarketplaceHttpClient,
    ServerError,
    TransientError,
    redact_text,
)
from .mapping_common import to_epoch_ms
from .marketplace import OutcomeUnknown, _lt
from .windows import merge_latest, page_problems, slice_windows

N11_URLS = {"production": "https://api.n11.com"}

# §3.3
PACKAGES_PATH = "/rest/delivery/v1/shipmentPackages"
# read in lifecycle order: a package moving on while a window is read shows up again in its
# next status (its latest version wins)
PACKAGE_STATUSES = (
    "Created",
    "Picking",
    "Shipped",
    "Delivered",
    "Cancelled",
    "UnPacked",
    "UnSupplied",
)
MAX_PAGE_SIZE = 100
MAX_ORDER_WINDOW = timedelta(days=14)
WINDOW_READ_ATTEMPTS = 3
# §3.4
UPDATE_PATH = "/rest/order/v1/update"
SPLIT_PATH = "/rest/delivery/v1/splitCombinePackage"
SPLIT_BY_QUANTITY_PATH = "/rest/delivery/v1/splitPackageByQuantity"
CANCEL_REASONS = {
    61: _lt("Out of stock"),
    62: _lt("Defective product"),
    63: _lt("Wrong price"),
    64: _lt("Force majeure"),
    65: _lt("Other"),
}
# §3.6
PRICE_STOCK_PATH = "/ms/product/tasks/price-stock-update"
TASK_DETAILS_PATH = "/ms/product/task-details/page-query"
MAX_SKUS = 1000
MAX_STOCK = 999999
TASK_FINAL = {"PROCESSED", "REJECT"}
# §3.10: 1000 requests per minute documented for shipmentPackages; others undocumented,
# kept conservative (5 per second)
RATE_LIMITS = {"orders.list": [(1000, 60.0)]}
DEFAULT_RATE_LIMIT = [(5, 1.0)]
# §3.1: the SOAP services and the operations this client calls
SOAP_NAMESPACE = "http://www.n11.com/ws/schemas"
SOAP_OPERATIONS = {
    "SellerInvoiceService": ("SaveLinkSellerInvoice",),
    "ReturnService": ("ClaimReturnList", "ClaimReturnApprove", "ClaimReturnDeny"),
    "ClaimCancelService": ("ClaimCancelApprove", "ClaimCancelDeny"),
    "OrderService": ("MakeOrderItemShipment", "OrderItemDelivery"),
    "ShipmentCompanyService": ("GetShipmentCompanies",),
}
# read-only operations: repeated freely after a lost answer
SOAP_IDEMPOTENT = {"ClaimReturnList", "GetShipmentCompanies"}
AUTH_ERROR_MARKERS = ("authentication", "unauthorized", "yetkisiz")
# §3.8: deny reasons of ClaimReturnDeny (no list operation found [UNCONFIRMED])
RETURN_DENY_REASONS = {
    1: _lt("Product is used"),
    2: _lt("Product is damaged or incomplete"),
    3: _lt("Product does not meet the return conditions"),
    4: _lt("Other"),
}
# §3.5: n11 accepts a link of at most 2048 characters over https
MAX_INVOICE_URL = 2048
ISTANBUL = timezone(timedelta(hours=3))


def turkish_day(moment):
    """Naive UTC datetime → ``dd/MM/yyyy`` of its day in Turkey (SOAP period filters)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ISTANBUL).strftime("%d/%m/%Y")


def _money(value):
    return round(float(value) + 0.0, 2)


def _line_id(value):
    text = str(value).strip()
    if not text:
        raise ValueError("empty orderLineId")
    return int(text) if text.isdigit() else text


def _outcome_unknown(error):
    """A lost answer of a non-idempotent call as :class:`OutcomeUnknown` (else ``error``)."""
    if isinstance(error, OutcomeUnknown) or not error.maybe_applied:
        return error
    if not isinstance(error, (TransientError, ServerError)):
        return error
    return OutcomeUnknown(
        f"{error.message} (the request may have been applied)",
        status=error.status,
        body=error.body,
        method=error.method,
        url=error.url,
    )


def package_key(package):
    """Identity of a raw package while reading: its id, or (no id: n11's "Konuma Özel
    Teslimat") its order number and line ids."""
    if package.get("id") not in (None, ""):
        return str(package["id"])
    lines = package.get("lines") or []
    ids = sorted(str(line.get("orderLineId")) for line in lines if isinstance(line, dict))
    return f"{package.get('orderNumber')}:{'-'.join(ids)}"


class _SoapTransport(Transport):
    """A zeep transport reading WSDLs and posting requests through :class:`N11Client`
    (timeouts, retries only for read-only operations, typed errors)."""

    def __init__(self, client):
        super().__init__(session=client.session, timeout=client.timeout)
        self.n11 = client
        self.operation = None

    def load(self, url):
        return self.n11.soap_get(url)

    def post(self, address, message, headers):
        return self.n11.soap_post(self.operation, address, message, headers)


class N11Client(MarketplaceHttpClient):
    """One n11 seller account. All datetimes are naive UTC."""

    def __init__(
        self,
        app_key,
        app_secret,
        base_url=N11_URLS["production"],
        integrator_name="SelfIntegration",
        wsdl_urls=None,
        timeout=30,
        max_retries=4,
        logger=None,
        sleep=time.sleep,
        clock=time.monotonic,
        **kwargs,
    ):
        self.app_key = str(app_key or "").strip()
        self.app_secret = str(app_secret or "").strip()
        if not self.app_key or not self.app_secret:
            raise ValueError("n11 needs the API key (appkey) and the API secret (appsecret)")
        self.integrator_name = (integrator_name or "SelfIntegration").strip()
        self.wsdl_urls = dict(wsdl_urls or {})
        kwargs.setdefault("rate_limits", RATE_LIMITS)
        kwargs.setdefault("default_rate_limit", DEFAULT_RATE_LIMIT)
        super().__init__(
            base_url=N11_URLS.get(base_url, base_url),
            headers={
                "appkey": self.app_key,
                "appsecret": self.app_secret,
                "Accept": "application/json",
            },
            timeout=timeout,
            max_retries=max_retries,
            logger=logger,
            sleep=sleep,
            clock=clock,
            secrets=(self.app_key, self.app_secret),
            **kwargs,
        )
        self._soap_clients = {}

    # ----------------------------------------------------------------- orders (§3.3)
    def get_packages_page(self, start, end, status, page=0, page_size=MAX_PAGE_SIZE, **filters):
        """One page of ``GET /rest/delivery/v1/shipmentPackages`` for one ``status``,
        windowed on the last-modified date, oldest first (raw envelope)."""
        if status not in PACKAGE_STATUSES:
            raise ValueError(f"n11 package status must be one of {PACKAGE_STATUSES}: {status!r}")
        params = {
            "startDate": to_epoch_ms(start),
            "endDate": to_epoch_ms(end),
            "status": status,
            "page": page,
            "size": min(int(page_size), MAX_PAGE_SIZE),
            "orderByField": "true",
            "orderByDirection": "ASC",
        }
        params.update({k: v for k, v in filters.items() if v is not None})
        envelope = self.request_json("GET", PACKAGES_PATH, params=params, endpoint="orders.list")
        _check_envelope(envelope)
        return envelope

    def fetch_window(self, start, end, statuses=PACKAGE_STATUSES, page_size=MAX_PAGE_SIZE):
        """Every raw package modified in ``[start, end]``: windows of at most 14 days, each
        read once per status (one status per call), every page. A window whose pages could
        not be read completely raises :class:`IncompleteFetchError` with everything read
        (the other statuses and windows are still read first)."""
        collected, problems = {}, []
        for window_start, window_end in slice_windows(start, end, MAX_ORDER_WINDOW):
            for status in statuses:
                packages, window_problems = self._window_packages(
                    window_start, window_end, status, page_size
                )
                merge_latest(collected, packages, package_key)
                problems += [
                    f"{status} {window_start:%Y-%m-%d %H:%M}–{window_end:%Y-%m-%d %H:%M}: {p}"
                    for p in window_problems
                ]
        if problems:
            raise IncompleteFetchError(
                f"n11 orders not read completely: {'; '.join(problems)}",
                packages=list(collected.values()),
                status=200,
            )
        return list(collected.values())

    def _window_packages(self, start, end, status, page_size):
        """``(packages, problems)`` of one status in one window, read again up to
        :data:`WINDOW_READ_ATTEMPTS` times while its pages are inconsistent."""
        collected, problems = {}, []
        for _attempt in range(WINDOW_READ_ATTEMPTS):
            packages, problems = self._read_window_once(start, end, status, page_size)
            merge_latest(collected, packages, package_key)
            if not problems:
                break
        return list(collected.values()), problems

    def _read_window_once(self, start, end, status, page_size):
        size = min(int(page_size), MAX_PAGE_SIZE)
        pages, packages, page = [], [], 0
        while True:
            try:
                envelope = self.get_packages_page(start, end, status, page, size)
            except MalformedResponseError as error:
                return packages, [f"page {page}: {error}"]
            total, total_pages = int(envelope["totalElements"]), int(envelope["totalPages"])
            content = envelope["content"]
            pages.append((total, total_pages, [package_key(p) for p in content]))
            packages.extend(content)
            page += 1
            if not content or page >= total_pages:
                break
        return packages, page_problems(pages, size)

    def get_order_packages(self, order_number, status):
        """The packages of one order in one status (``orderNumber`` lookup)."""
        end = datetime.now(timezone.utc).replace(tzinfo=None)
        envelope = self.get_packages_page(
            end - MAX_ORDER_WINDOW, end, status, 0, MAX_PAGE_SIZE, orderNumber=order_number
        )
        return envelope["content"]

    # ------------------------------------------------------- status, split, cancel (§3.4)
    def confirm_lines(self, line_ids):
        """``PUT /rest/order/v1/update`` ``{"lines": [{"lineId"}], "status": "Picking"}``
        (Created → Picking; Picking is the only status this call sets). Idempotent."""
        lines = [{"lineId": _line_id(i)} for i in line_ids]
        if not lines:
            raise ValueError("no lines to confirm")
        answer = self.request_json(
            "PUT",
            UPDATE_PATH,
            json_body={"lines": lines, "status": "Picking"},
            endpoint="order.update",
        )
        return _check_result(answer, "order.update")

    def split_package(self, line_groups):
        """``POST /rest/delivery/v1/splitCombinePackage`` ``{"splitGroups": [{"orderLineIds":
        [...]}]}``: each group becomes a package, the lines not listed another one (only in
        Picking)."""
        groups = [{"orderLineIds": [_line_id(i) for i in group]} for group in line_groups if group]
        if not groups:
            raise ValueError("no line groups to split off")
        answer = self._post_once(SPLIT_PATH, {"splitGroups": groups}, "package.split")
        return _check_result(answer, "package.split")

    def split_by_quantity(self, order_number, packages, cancel=None, reason_id=None):
        """``POST /rest/delivery/v1/splitPackageByQuantity`` (only in Picking, one order per
        request): ``packages`` ``[{line_id: quantity}]`` become new packages; ``cancel``
        ``{line_id: quantity}`` is cancelled with ``reason_id`` (61–65) in the same request
        (n11 cancels only while splitting). Where the cancel data sits in the body is
        [UNCONFIRMED] (§3.4): ``cancelPackage {cancelReasonId, packageDetails}``."""
        body = {
            "orderNumber": str(order_number),
            "packages": [{"packageDetails": _details(group)} for group in packages if group],
        }
        if cancel:
            reason_id = int(reason_id or 0)
            if reason_id not in CANCEL_REASONS:
                raise ValueError(f"n11 cancel reason must be one of {sorted(CANCEL_REASONS)}")
            body["cancelPackage"] = {
                "cancelReasonId": reason_id,
                "packageDetails": _details(cancel),
            }
        if not body["packages"] and not cancel:
            raise ValueError("nothing to split or cancel")
        answer = self._post_once(SPLIT_BY_QUANTITY_PATH, body, "package.split_quantity")
        return _check_result(answer, "package.split_quantity")

    def _post_once(self, path, body, endpoint, idempotent=False):
        try:
            return self.request_json(
                "POST", path, json_body=body, endpoint=endpoint, idempotent=idempotent
            )
        except MarketplaceError as error:
            raise _outcome_unknown(error) from error

    # ------------------------------------------------------------- stock & price (§3.6)
    def update_price_stock(self, skus):
        """``POST /ms/product/tasks/price-stock-update`` with at most 1000 SKUs
        ``{'stockCode', 'quantity'?, 'salePrice'?, 'listPrice'?}`` (prices together, two
        decimals, ``listPrice >= salePrice``; stock ≤ 999,999). Returns the task
        ``{'id', 'status', 'reasons'}``; a ``REJECT`` task raises :class:`ClientError`."""
        payload = [_sku(sku) for sku in skus]
        if not payload:
            raise ValueError("no SKUs")
        if len(payload) > MAX_SKUS:
            raise ValueError(f"n11 takes at most {MAX_SKUS} SKUs per task, got {len(payload)}")
        codes = [sku["stockCode"] for sku in payload]
        if len(set(codes)) != len(codes):
            raise ValueError("a stock code appears twice in one task")
        answer = self._post_once(
            PRICE_STOCK_PATH,
            {"payload": {"integrator": self.integrator_name, "skus": payload}},
            "price_stock.update",
        )
        task = _task(answer, "price_stock.update")
        if task["status"] == "REJECT":
            raise ClientError(
                f"n11 rejected the price/stock task: {'; '.join(task['reasons']) or 'REJECT'}",
                status=200,
                body=answer,
            )
        return task

    def get_task(self, task_id, page_size=MAX_SKUS):
        """``POST /ms/product/task-details/page-query``: ``{'id', 'status', 'reasons',
        'done', 'skus': [{'stock_code', 'status', 'reasons', 'sku'}]}`` (every page)."""
        skus, page, task = [], 0, None
        while True:
            answer = self.request_json(
                "POST",
                TASK_DETAILS_PATH,
                json_body={"taskId": _int(task_id), "pageable": {"page": page, "size": page_size}},
                endpoint="price_stock.task",
                idempotent=True,
            )
            task = _task(answer, "price_stock.task")
            rows = answer.get("skus")
            if rows is None and task["status"] != "PROCESSED":
                break
            if not isinstance(rows, dict) or not isinstance(rows.get("content"), list):
                raise MalformedResponseError(
                    "price_stock.task: no 'skus.content' page", status=200, body=str(answer)[:300]
                )
            for row in rows["content"]:
                skus.append(
                    {
                        "stock_code": str(row.get("itemCode") or ""),
                        "status": str(row.get("status") or "").upper(),
                        "reasons": [str(r) for r in row.get("reasons") or []],
                        "sku": row.get("sku") or {},
                    }
                )
            page += 1
            if not rows["content"] or page >= int(rows.get("totalPages") or 0):
                break
        task["skus"] = skus
        task["done"] = task["status"] in TASK_FINAL
        return task

    # ------------------------------------------------------------------ SOAP plumbing
    def wsdl_url(self, service):
        return self.wsdl_urls.get(service) or f"{self.base_url}/ws/{service}.wsdl"

    def soap_service(self, service):
        """The zeep service proxy of ``service`` (WSDL read once per client)."""
        if service not in self._soap_clients:
            transport = _SoapTransport(self)
            settings = zeep.Settings(strict=False, xml_huge_tree=False, forbid_entities=True)
            try:
                client = zeep.Client(self.wsdl_url(service), transport=transport, settings=settings)
            except MarketplaceError:
                raise
            except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
                raise MalformedResponseError(
                    f"{service}: unreadable WSDL ({type(exc).__name__}: {exc})"
                ) from exc
            self._soap_clients[service] = (client, transport)
        return self._soap_clients[service]

    def soap_get(self, url):
        """The WSDL/XSD documents zeep reads (through the typed-error client)."""
        return self.request("GET", url, endpoint="soap.wsdl").content

    def soap_post(self, operation, address, message, headers):
        """One SOAP POST through the typed-error client. A read-only operation is retried
        like any read; for a write, a SOAP Fault (HTTP 500 with a Fault envelope) is handed
        to zeep and any other lost or failed answer is :class:`OutcomeUnknown`."""
        idempotent = operation in SOAP_IDEMPOTENT
        try:
            response = self.request(
                "POST",
                address,
                data=message,
                headers=headers,
                endpoint=f"soap.{operation}",
                idempotent=idempotent,
                # a read is retried on 500; a write's 500 may be a SOAP Fault for zeep
                allow_status=() if idempotent else (500,),
            )
        except MarketplaceError as error:
            raise (error if idempotent else _outcome_unknown(error)) from error
        if response.status_code == 500 and b"Fault>" not in response.content:
            raise _outcome_unknown(
                ServerError(
                    f"POST soap.{operation}: HTTP 500",
                    status=500,
                    body=redact_text(response.text[:500], self.secrets),
                    method="POST",
                    url=address,
                    maybe_applied=True,
                )
            )
        return response

    def soap_call(self, service, operation, **arguments):
        """Call ``operation`` of ``service`` with the auth element; return the answer as
        plain dicts/lists. ``status=failure`` in the result raises (see module docstring)."""
        client, transport = self.soap_service(service)
        transport.operation = operation
        auth = {"appKey": self.app_key, "appSecret": self.app_secret}
        try:
            answer = getattr(client.service, operation)(auth=auth, **arguments)
        except zeep.exceptions.Fault as fault:
            message = redact_text(str(fault.message), self.secrets)
            code = str(fault.code or "")
            error_class = ClientError if "client" in code.lower() else ServerError
            raise error_class(
                f"{service}.{operation}: SOAP fault: {message}", status=500
            ) from fault
        except (zeep.exceptions.XMLSyntaxError, etree.XMLSyntaxError) as exc:
            raise MalformedResponseError(
                f"{service}.{operation}: the answer is not SOAP XML", status=200
            ) from exc
        except (zeep.exceptions.Error, requests.exceptions.RequestException) as exc:
            raise MalformedResponseError(
                f"{service}.{operation}: unexpected answer "
                f"({type(exc).__name__}: {redact_text(str(exc), self.secrets)})",
                status=200,
            ) from exc
        data = _plain(serialize_object(answer, dict))
        if isinstance(data, dict) and "result" not in data and "status" in data:
            data = {"result": data}  # zeep unwraps an answer whose only element is the result
        if not isinstance(data, dict) or not isinstance(data.get("result"), dict):
            raise MalformedResponseError(
                f"{service}.{operation}: no result in the answer", status=200, body=str(data)[:300]
            )
        _check_soap_result(service, operation, data["result"])
        return data

    # ------------------------------------------------------------ SOAP functions
    def save_invoice_link(self, order_number, url):
        """``SellerInvoiceService.SaveLinkSellerInvoice`` (§3.5): the invoice of an order
        as an https link (pdf/png/jpeg, ≤ 2048 characters)."""
        if not str(url or "").startswith("https://"):
            raise ValueError("n11 accepts only https invoice links")
        if len(url) > MAX_INVOICE_URL:
            raise ValueError(f"n11 accepts invoice links of at most {MAX_INVOICE_URL} characters")
        self.soap_call(
            "SellerInvoiceService",
            "SaveLinkSellerInvoice",
            orderNumber=str(order_number),
            url=url,
        )
        return True

    def list_returns(self, start=None, end=None, status=None, page_size=100):
        """``ReturnService.ClaimReturnList`` (§3.8) over every page: raw claim returns of the
        period (``dd/MM/yyyy`` days in Turkey) and ``status`` (all when None)."""
        search = {}
        if status:
            search["status"] = status
        if start or end:
            search["period"] = {
                "startDate": turkish_day(start) if start else None,
                "endDate": turkish_day(end) if end else None,
            }
        returns, page = [], 0
        while True:
            data = self.soap_call(
                "ReturnService",
                "ClaimReturnList",
                searchData=search,
                pagingData={"currentPage": page, "pageSize": page_size},
            )
            rows = (data.get("claimReturnList") or {}).get("claimReturn") or []
            returns.extend(rows)
            paging = data.get("pagingData") or {}
            page += 1
            if not rows or page >= int(paging.get("pageCount") or 0):
                break
        return returns

    def approve_return(self, claim_return_id):
        """``ReturnService.ClaimReturnApprove``."""
        self.soap_call("ReturnService", "ClaimReturnApprove", claimReturnId=_int(claim_return_id))
        return True

    def deny_return(self, claim_return_id, deny_reason_id, note):
        """``ReturnService.ClaimReturnDeny`` with a reason id and a note."""
        self.soap_call(
            "ReturnService",
            "ClaimReturnDeny",
            claimReturnId=_int(claim_return_id),
            denyReasonId=int(deny_reason_id),
            denyReasonNote=(note or "").strip(),
        )
        return True

    def approve_cancel_request(self, claim_cancel_id):
        """``ClaimCancelService.ClaimCancelApprove``: accept a buyer's cancel request."""
        self.soap_call(
            "ClaimCancelService", "ClaimCancelApprove", claimCancelId=_int(claim_cancel_id)
        )
        return True

    def deny_cancel_request(self, claim_cancel_id, deny_reason_id, note):
        """``ClaimCancelService.ClaimCancelDeny`` (e.g. already shipped)."""
        self.soap_call(
            "ClaimCancelService",
            "ClaimCancelDeny",
            claimCancelId=_int(claim_cancel_id),
            denyReasonId=int(deny_reason_id),
            denyReasonNote=(note or "").strip(),
        )
        return True

    def make_shipment(self, line_ids, tracking_number, shipment_company_id, method=1):
        """``OrderService.MakeOrderItemShipment`` (own cargo, §3.4): the order items left
        with ``tracking_number`` by the carrier ``shipment_company_id``
        (:meth:`shipment_companies`). ``shipmentMethod`` 1 (cargo) is [UNCONFIRMED]."""
        if not tracking_number:
            raise ValueError("a tracking number is required")
        items = [
            {
                "id": _line_id(line_id),
                "shipmentInfo": {
                    "shipmentCompany": {"id": _int(shipment_company_id)},
                    "trackingNumber": str(tracking_number),
                    "shipmentMethod": int(method),
                },
            }
            for line_id in line_ids
        ]
        if not items:
            raise ValueError("no order items")
        self.soap_call("OrderService", "MakeOrderItemShipment", orderItemList={"orderItem": items})
        return True

    def deliver_items(self, line_ids):
        """``OrderService.OrderItemDelivery`` (own cargo delivered; [LIB] operation, body
        [UNCONFIRMED])."""
        items = [{"id": _line_id(line_id)} for line_id in line_ids]
        if not items:
            raise ValueError("no order items")
        self.soap_call("OrderService", "OrderItemDelivery", orderItemList={"orderItem": items})
        return True

    def shipment_companies(self):
        """``ShipmentCompanyService.GetShipmentCompanies`` → ``[{'id', 'name',
        'short_name'}]``."""
        data = self.soap_call("ShipmentCompanyService", "GetShipmentCompanies")
        rows = (data.get("shipmentCompanies") or {}).get("shipmentCompany") or []
        return [
            {"id": str(row.get("id")), "name": row.get("name"), "short_name": row.get("shortName")}
            for row in rows
        ]


# ----------------------------------------------------------------------------- helpers
def _int(value):
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def _plain(value):
    """zeep's answer as JSON-able dicts/lists (decimals → float, dates → ISO text)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _details(quantities):
    details = []
    for line_id, quantity in quantities.items():
        quantity = int(quantity)
        if quantity <= 0:
            raise ValueError(f"quantity of line {line_id} must be positive, got {quantity}")
        details.append({"orderLineId": _line_id(line_id), "quantities": quantity})
    return details


def _sku(item):
    stock_code = str(item.get("stockCode") or "").strip()
    if not stock_code:
        raise ValueError(f"SKU without stockCode: {item!r}")
    sku = {"stockCode": stock_code}
    if item.get("quantity") is not None:
        sku["quantity"] = max(0, min(MAX_STOCK, int(float(item["quantity"]))))
    sale, listed = item.get("salePrice"), item.get("listPrice")
    if sale is not None or listed is not None:
        if sale is None:
            raise ValueError(f"{stock_code}: n11 wants salePrice and listPrice together")
        sale = _money(sale)
        if sale <= 0:
            raise ValueError(f"{stock_code}: salePrice must be positive, got {sale}")
        sku["salePrice"] = sale
        sku["listPrice"] = max(_money(listed) if listed is not None else sale, sale)
        sku["currencyType"] = "TL"
    if len(sku) == 1:
        raise ValueError(f"{stock_code}: neither quantity nor prices")
    return sku


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_envelope(envelope):
    """A page is ``{'content': [...], 'totalElements': n, 'totalPages': n}``; anything
    else with a 200 is a fetch error, never an empty page."""
    if not (
        isinstance(envelope, dict)
        and isinstance(envelope.get("content"), list)
        and _is_count(envelope.get("totalElements"))
        and _is_count(envelope.get("totalPages"))
        and all(isinstance(item, dict) for item in envelope["content"])
    ):
        raise MalformedResponseError(
            "shipmentPackages: unexpected answer (not a page with 'content', 'totalElements' "
            "and 'totalPages')",
            status=200,
            body=str(envelope)[:300],
        )


def _check_result(answer, endpoint):
    """REST answers ``{"code": 200, "message": "success"}``; another code in a 200 is a
    rejection with n11's message."""
    if answer is None:
        return True
    if not isinstance(answer, dict):
        raise MalformedResponseError(f"{endpoint}: unexpected answer", body=str(answer)[:300])
    code = answer.get("code")
    if code not in (None, 200, "200"):
        raise ClientError(
            f"{endpoint}: n11 refused: {answer.get('message') or code}", status=200, body=answer
        )
    return True


def _task(answer, endpoint):
    if not isinstance(answer, dict) or answer.get("id") in (None, "") or not answer.get("status"):
        raise MalformedResponseError(
            f"{endpoint}: no task id/status in the answer", status=200, body=str(answer)[:300]
        )
    return {
        "id": str(answer.get("id")),
        "status": str(answer.get("status")).upper(),
        "reasons": [str(r) for r in answer.get("reasons") or []],
    }


def _check_soap_result(service, operation, result):
    status = str(result.get("status") or "").lower()
    if status == "success":
        return
    code = str(result.get("errorCode") or "")
    message = str(result.get("errorMessage") or code or "status=failure")
    text = f"{service}.{operation}: n11: {message}" + (f" ({code})" if code else "")
    if status != "failure":
        raise MalformedResponseError(f"{service}.{operation}: result status {status!r}", status=200)
    if any(marker in (code + " " + message).lower() for marker in AUTH_ERROR_MARKERS):
        raise AuthError(text, status=200, body=json.loads(json.dumps(result, default=str)))
    raise ClientError(text, status=200, body=json.loads(json.dumps(result, default=str)))
