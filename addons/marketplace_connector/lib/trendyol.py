"""Trendyol seller API client (marketplaces.md §1; plain Python, no ``odoo``).

Auth (§1.1): HTTP Basic ``apiKey:apiSecret``, the seller id in the path and a mandatory
User-Agent ``"<sellerId> - <IntegratorName>"`` (``SelfIntegration`` when the seller wrote the
integration; alphanumeric, max 30 chars). Production ``https://apigw.trendyol.com``, stage
``https://stageapigw.trendyol.com`` (IP whitelist; 503 when missing); any other URL (a fake
or a sandbox) works the same. Paths all start with ``/integration/``.

Pacing (§1.10): at most 50 requests per 10 s on the same endpoint; claims approve/issue
5 per minute (§1.7); common label 100 per minute (§1.8).
"""

import base64
import re
import time
from datetime import datetime, timedelta, timezone

from .http import (
    ClientError,
    IncompleteFetchError,
    MalformedResponseError,
    MarketplaceError,
    MarketplaceHttpClient,
)
from .mapping_common import to_epoch_ms
from .marketplace import _lt
from .push import MAX_BATCH, batched, normalize_item
from .windows import merge_latest, page_problems, slice_windows

TRENDYOL_URLS = {
    "production": "https://apigw.trendyol.com",
    "stage": "https://stageapigw.trendyol.com",
}

# §1.2.1: page size <= 200, a startDate/endDate range of at most two weeks, and (2026) at
# most 10,000 records per query window (page * size).
MAX_PAGE_SIZE = 200
MAX_ORDER_WINDOW = timedelta(days=14)
MAX_QUERY_WINDOW_RESULT = 10000
MIN_BISECT_SPAN = timedelta(minutes=1)
# a window whose pages were not read consistently is read again this often in one run
WINDOW_READ_ATTEMPTS = 3
ORDER_BY_FIELDS = {"PackageLastModifiedDate", "CreatedDate"}
# §1.3: the only statuses a seller sets through updatePackage
SELLER_STATUSES = ("Picking", "Invoiced")
# §1.3: unsupplied (seller cancel) reasons; no list endpoint is documented
UNSUPPLIED_REASONS = {
    500: _lt("Out of stock"),
    501: _lt("Defective product"),
    502: _lt("Wrong price"),
    504: _lt("Integration error"),
    505: _lt("Bulk purchase"),
    506: _lt("Force majeure"),
}
# §1.7: reasons accepted without an evidence file on createClaimIssue
CLAIM_ISSUE_NO_FILE_REASONS = {1651, 451, 2101}
CLAIM_DESCRIPTION_MAX = 500
# answers of the invoice endpoints meaning "this package already has an invoice" (§1.4)
ALREADY_SENT_MARKERS = ("already", "önceden gönderilmiş", "zaten", "daha önce")

RATE_LIMITS = {
    "claims.approve": [(5, 60.0), (50, 10.0)],
    "claims.issue": [(5, 60.0), (50, 10.0)],
    "common_label.create": [(100, 60.0), (50, 10.0)],
    "common_label.get": [(100, 60.0), (50, 10.0)],
}
DEFAULT_RATE_LIMIT = [(50, 10.0)]


def claim_issue_requires_file(reason_id):
    """Does Trendyol want an evidence file with this claim issue (reject) reason? (§1.7)"""
    return int(reason_id) not in CLAIM_ISSUE_NO_FILE_REASONS


def _line_payload(lines):
    """``[{'lineId', 'quantity'}]`` from dicts using ``lineId`` or ``line_id``."""
    payload = []
    for line in lines:
        line_id = line.get("lineId", line.get("line_id"))
        if line_id is None:
            raise ValueError(f"line without lineId: {line!r}")
        if isinstance(line_id, str) and line_id.isdigit():
            line_id = int(line_id)
        payload.append({"lineId": line_id, "quantity": int(line.get("quantity") or 0)})
    if not payload:
        raise ValueError("no lines")
    return payload


def int_id(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


class TrendyolClient(MarketplaceHttpClient):
    """One Trendyol seller account. All datetimes are naive UTC."""

    def __init__(
        self,
        supplier_id,
        api_key,
        api_secret,
        base_url=TRENDYOL_URLS["production"],
        integrator_name="SelfIntegration",
        timeout=30,
        max_retries=4,
        logger=None,
        sleep=time.sleep,
        clock=time.monotonic,
        **kwargs,
    ):
        self.supplier_id = str(supplier_id).strip()
        self.integrator_name = (integrator_name or "SelfIntegration").strip()
        if not re.fullmatch(r"[A-Za-z0-9]{1,30}", self.integrator_name):
            raise ValueError(
                "Trendyol integrator name must be alphanumeric, max 30 characters "
                f"(got {self.integrator_name!r})"
            )
        if not self.supplier_id.isdigit():
            raise ValueError(f"Trendyol seller id must be numeric (got {self.supplier_id!r})")
        token = base64.b64encode(f"{api_key}:{api_secret}".encode()).decode()
        kwargs.setdefault("rate_limits", RATE_LIMITS)
        kwargs.setdefault("default_rate_limit", DEFAULT_RATE_LIMIT)
        super().__init__(
            base_url=TRENDYOL_URLS.get(base_url, base_url),
            headers={
                "Authorization": f"Basic {token}",
                "User-Agent": self.user_agent,
                "Accept": "application/json",
            },
            timeout=timeout,
            max_retries=max_retries,
            logger=logger,
            sleep=sleep,
            clock=clock,
            secrets=(api_key, api_secret, token),
            **kwargs,
        )

    @property
    def user_agent(self):
        """§1.1: ``"<sellerId> - <IntegratorName>"``."""
        return f"{self.supplier_id} - {self.integrator_name}"

    # ------------------------------------------------------------------ paths
    def _order_path(self, suffix=""):
        return f"/integration/order/sellers/{self.supplier_id}{suffix}"

    def _package_path(self, package_id, suffix=""):
        return self._order_path(f"/shipment-packages/{package_id}{suffix}")

    def _seller_path(self, suffix):
        return f"/integration/sellers/{self.supplier_id}{suffix}"

    # ----------------------------------------------------------------- orders (§1.2)
    def get_packages_page(
        self,
        start,
        end,
        page=0,
        page_size=MAX_PAGE_SIZE,
        statuses=None,
        order_by="PackageLastModifiedDate",
        direction="ASC",
        **filters,
    ):
        """One page of ``GET /integration/order/sellers/{id}/orders`` (raw envelope:
        ``content``, ``page``, ``size``, ``totalPages``, ``totalElements``)."""
        if order_by not in ORDER_BY_FIELDS:
            order_by = "PackageLastModifiedDate" if "Modified" in str(order_by) else "CreatedDate"
        params = {
            "startDate": to_epoch_ms(start),
            "endDate": to_epoch_ms(end),
            "page": page,
            "size": min(int(page_size), MAX_PAGE_SIZE),
            "orderByField": order_by,
            "orderByDirection": direction,
        }
        if statuses:
            params["status"] = statuses if isinstance(statuses, str) else ",".join(statuses)
        params.update({k: v for k, v in filters.items() if v is not None})
        envelope = self.request_json(
            "GET", self._order_path("/orders"), params=params, endpoint="orders.list"
        )
        _check_envelope(envelope)
        return envelope

    def iter_packages(
        self, start, end, statuses=None, page_size=MAX_PAGE_SIZE, order_by="PackageLastModifiedDate"
    ):
        """Yield raw package dicts modified in ``[start, end]`` (naive UTC).

        The range is cut into windows of at most 14 days (§1.2.1), each read completely
        (:meth:`_window_packages`) before its packages are yielded.
        """
        for window_start, window_end in slice_windows(start, end, MAX_ORDER_WINDOW):
            yield from self._window_packages(
                window_start, window_end, statuses, page_size, order_by
            )

    def _window_packages(self, start, end, statuses, page_size, order_by):
        """Every package of one window, paged through ``page``/``size`` sorted ascending by
        package last-modified date — the field the window filters on (connector.md §3.2).

        A read whose pages are not complete and consistent (odd body, totals changing
        between pages, fewer items than announced, a package moving between pages) is
        repeated up to :data:`WINDOW_READ_ATTEMPTS` times; then :class:`IncompleteFetchError`
        carries what was read. A package seen in several reads is returned once, in its
        latest version. A window over the 10,000-record query limit is halved until it fits.
        """
        collected = {}
        problems = []
        for _attempt in range(WINDOW_READ_ATTEMPTS):
            read = self._read_window_once(start, end, statuses, page_size, order_by)
            if read is None:
                middle = start + (end - start) / 2
                return self._window_packages(
                    start, middle, statuses, page_size, order_by
                ) + self._window_packages(middle, end, statuses, page_size, order_by)
            packages, problems = read
            merge_latest(collected, packages, _package_id)
            if not problems:
                return list(collected.values())
        raise IncompleteFetchError(
            f"orders {start:%Y-%m-%d %H:%M:%S}–{end:%Y-%m-%d %H:%M:%S}: pages not read "
            f"consistently after {WINDOW_READ_ATTEMPTS} attempts: {'; '.join(problems)}",
            packages=list(collected.values()),
            status=200,
        )

    def _read_window_once(self, start, end, statuses, page_size, order_by):
        """One pass over the pages of a window: ``(packages, problems)``, or None when the
        window holds more than the query limit and must be halved."""
        size = min(int(page_size), MAX_PAGE_SIZE)
        pages, packages = [], []
        page = 0
        while True:
            try:
                envelope = self.get_packages_page(start, end, page, size, statuses, order_by)
            except MalformedResponseError as error:
                return packages, [f"page {page}: {error}"]
            total, total_pages = int(envelope["totalElements"]), int(envelope["totalPages"])
            if page == 0 and total > MAX_QUERY_WINDOW_RESULT and end - start > MIN_BISECT_SPAN:
                return None
            content = envelope["content"]
            pages.append((total, total_pages, [_package_id(p) for p in content]))
            packages.extend(content)
            page += 1
            if not content or page >= total_pages or page * size >= MAX_QUERY_WINDOW_RESULT:
                break
        return packages, page_problems(pages, size)

    def fetch_window(
        self, start, end, statuses=None, page_size=MAX_PAGE_SIZE, order_by="PackageLastModifiedDate"
    ):
        """All raw packages of ``[start, end]`` as a list (all pages read completely and
        consistently before returning, so the caller saves its cursor only for a complete
        window; else :class:`IncompleteFetchError`)."""
        return list(self.iter_packages(start, end, statuses, page_size, order_by))

    def get_package(self, package_id):
        """The current state of one package (``shipmentPackageIds`` filter) or None."""
        envelope = self.request_json(
            "GET",
            self._order_path("/orders"),
            endpoint="orders.list",
            params={"shipmentPackageIds": package_id, "size": MAX_PAGE_SIZE},
        )
        content = (envelope or {}).get("content") or []
        return content[0] if content else None

    # --------------------------------------------------------- package status (§1.3)
    def update_package_status(self, package_id, lines, status, invoice_number=None):
        """``PUT .../shipment-packages/{id}`` to ``Picking`` or ``Invoiced`` (with the GİB
        invoice number). ``lines``: ``[{'lineId'|'line_id', 'quantity'}]``. Returns True."""
        if status not in SELLER_STATUSES:
            raise ValueError(f"Trendyol accepts only {SELLER_STATUSES} here, not {status!r}")
        params = {}
        if status == "Invoiced":
            if not invoice_number:
                raise ValueError("status Invoiced needs the invoice number")
            params["invoiceNumber"] = invoice_number
        body = {"lines": _line_payload(lines), "params": params, "status": status}
        self.request(
            "PUT",
            self._package_path(package_id),
            json_body=body,
            endpoint="package.status",
            idempotent=True,
        )
        return True

    def unsupply_package(self, package_id, lines, reason_id):
        """``PUT .../shipment-packages/{id}/items/unsupplied`` (§1.3): the seller cannot supply
        these lines. Trendyol re-creates the rest of the package under a new id (re-fetch).
        Not repeated after a lost answer (a second call would unsupply more units)."""
        reason_id = int(reason_id)
        if reason_id not in UNSUPPLIED_REASONS:
            raise ValueError(f"unknown unsupplied reason {reason_id}")
        body = {"lines": _line_payload(lines), "reasonId": reason_id}
        self.request(
            "PUT",
            self._package_path(package_id, "/items/unsupplied"),
            json_body=body,
            endpoint="package.unsupplied",
            idempotent=False,
        )
        return True

    def get_unsupplied_reasons(self):
        """The documented reason ids (no endpoint lists them): ``[{'id', 'name'}]``."""
        return [{"id": key, "name": name} for key, name in UNSUPPLIED_REASONS.items()]

    def split_package(self, package_id, quantity_splits):
        """Split a package (§1.3; asynchronous — the new packages arrive with a re-fetch,
        the old one becomes ``UnPacked``).

        ``quantity_splits`` is either
        * a list of line-id groups ``[[line_id, ...], ...]`` → ``multi-split`` (one group →
          ``split``): each group becomes its own package, the remainder another one; or
        * ``{line_id: [q1, q2, ...]}`` / ``[{'orderLineId'|'line_id', 'quantities'}]`` →
          ``quantity-split``: one line cut into packages of these quantities.
        """
        path, body = self._split_request(quantity_splits)
        self.request(
            "POST",
            self._package_path(package_id, path),
            json_body=body,
            endpoint=f"package{path.replace('/', '.')}",
            idempotent=False,
        )
        return True

    @staticmethod
    def _split_request(splits):
        if isinstance(splits, dict):
            splits = [{"orderLineId": key, "quantities": value} for key, value in splits.items()]
        if not splits:
            raise ValueError("nothing to split")
        first = splits[0]
        if isinstance(first, dict):
            rows = [
                {
                    "orderLineId": int_id(row.get("orderLineId", row.get("line_id"))),
                    "quantities": [int(q) for q in row["quantities"]],
                }
                for row in splits
            ]
            return "/quantity-split", {"quantitySplit": rows}
        groups = [[int_id(line_id) for line_id in group] for group in splits if group]
        if len(groups) == 1:
            return "/split", {"orderLineIds": groups[0]}
        return "/multi-split", {"splitGroups": [{"orderLineIds": g} for g in groups]}

    # ------------------------------------------------------------ invoice back (§1.4)
    def send_invoice_link(self, package_id, url, invoice_number=None, invoice_datetime=None):
        """``POST /integration/sellers/{id}/seller-invoice-links``. 409 (the package already
        has an invoice) counts as done. Returns ``{'done', 'repeat', 'status', 'message'}``."""
        body = {"invoiceLink": url, "shipmentPackageId": int_id(str(package_id))}
        if invoice_number:
            body["invoiceNumber"] = invoice_number
        if invoice_datetime:
            body["invoiceDateTime"] = to_epoch_ms(invoice_datetime)
        # a repeat is answered 409 → done, so repeating after a lost answer is harmless
        response = self.request(
            "POST",
            self._seller_path("/seller-invoice-links"),
            json_body=body,
            endpoint="invoice.link",
            idempotent=True,
            allow_status=(409,),
        )
        return self._invoice_result(response)

    def send_invoice_file(
        self,
        package_id,
        pdf_bytes,
        invoice_number=None,
        invoice_datetime=None,
        filename=None,
        content_type="application/pdf",
    ):
        """``POST /integration/sellers/{id}/seller-invoice-file`` (multipart: text field
        ``shipmentPackageId``, the file; ``invoiceNumber``/``invoiceDateTime`` too). An
        "already sent" answer counts as done. Returns ``{'done', 'repeat', 'status',
        'message'}``."""
        if not pdf_bytes:
            raise ValueError("empty invoice file")
        if len(pdf_bytes) > 10 * 1024 * 1024:
            raise ValueError("Trendyol accepts invoice files up to 10 MB")
        data = {"shipmentPackageId": str(package_id)}
        if invoice_number:
            data["invoiceNumber"] = invoice_number
        if invoice_datetime:
            data["invoiceDateTime"] = str(to_epoch_ms(invoice_datetime))
        filename = filename or f"{invoice_number or package_id}.pdf"
        try:
            response = self.request(
                "POST",
                self._seller_path("/seller-invoice-file"),
                data=data,
                files={"file": (filename, pdf_bytes, content_type)},
                endpoint="invoice.file",
                idempotent=True,
                allow_status=(409,),
            )
        except ClientError as error:
            if _already_sent(error.status, error.body):
                return {"done": True, "repeat": True, "status": error.status, "message": str(error)}
            raise
        return self._invoice_result(response)

    def delete_invoice_link(self, package_id, customer_id):
        """``POST .../seller-invoice-links/delete`` (a wrong link). Returns True."""
        body = {
            "serviceSourceId": int_id(str(package_id)),
            "channelId": 1,
            "customerId": int_id(str(customer_id)),
        }
        self.request(
            "POST",
            self._seller_path("/seller-invoice-links/delete"),
            json_body=body,
            endpoint="invoice.link.delete",
            idempotent=True,
        )
        return True

    def _invoice_result(self, response):
        if response.status_code == 409 or (
            response.status_code >= 400
            and _already_sent(response.status_code, _safe_json(response))
        ):
            body = _safe_json(response)
            message = _first_message(body) or "invoice already sent"
            return {
                "done": True,
                "repeat": True,
                "status": response.status_code,
                "message": message,
            }
        return {"done": True, "repeat": False, "status": response.status_code, "message": ""}

    # ------------------------------------------------------------- stock & price (§1.5)
    def update_price_inventory(self, items):
        """``POST /integration/inventory/sellers/{id}/products/price-and-inventory`` in
        batches of at most 1000 items ``{'barcode', 'quantity'?, 'price'?, 'list_price'?}``
        (sent as Trendyol's ``salePrice``/``listPrice``).
        Returns the ``batchRequestId`` of each batch, in order.

        Absolute values, so repeating a request whose answer was lost is retried; plan with
        :func:`.push.plan_stock_price_push` so nothing identical goes out within 15 minutes.
        """
        clean = [normalize_item(item) for item in items]
        batch_ids = []
        for batch in batched(clean, MAX_BATCH):
            answer = self.request_json(
                "POST",
                f"/integration/inventory/sellers/{self.supplier_id}/products/price-and-inventory",
                json_body={"items": [_inventory_item(item) for item in batch]},
                endpoint="inventory.update",
                idempotent=True,
            )
            batch_id = (answer or {}).get("batchRequestId") if isinstance(answer, dict) else None
            if not batch_id:
                raise MarketplaceError(
                    "price-and-inventory: no batchRequestId in the answer",
                    body=answer,
                    retryable=True,
                )
            batch_ids.append(batch_id)
        return batch_ids

    def get_batch_result(self, batch_id):
        """``GET /integration/product/sellers/{id}/products/batch-requests/{batchId}``.

        Stock/price batches have no batch-level status (§1.5), so ``status`` is derived:
        ``COMPLETED`` when every item has a final status, else ``IN_PROGRESS`` (a documented
        top-level ``status`` wins when present). Returns ``{'batch_id', 'status',
        'item_count', 'failed_item_count', 'items': [{'barcode', 'status',
        'failure_reasons', 'request_item'}]}``.
        """
        raw = self.request_json(
            "GET",
            f"/integration/product/sellers/{self.supplier_id}/products/batch-requests/{batch_id}",
            endpoint="batch.result",
        )
        if not isinstance(raw, dict):
            raise MarketplaceError("batch result: unexpected answer", body=raw, retryable=True)
        items = []
        for item in raw.get("items") or []:
            request_item = item.get("requestItem") or {}
            reasons = item.get("failureReasons") or []
            items.append(
                {
                    "barcode": str(request_item.get("barcode") or item.get("barcode") or ""),
                    "status": str(item.get("status") or "").upper(),
                    "failure_reasons": [r if isinstance(r, str) else str(r) for r in reasons],
                    "request_item": request_item,
                }
            )
        item_count = int(raw.get("itemCount") or len(items))
        failed = raw.get("failedItemCount")
        final = {"SUCCESS", "FAILED"}
        status = raw.get("status") or (
            "COMPLETED"
            if items and len(items) >= item_count and all(i["status"] in final for i in items)
            else "IN_PROGRESS"
        )
        return {
            "batch_id": raw.get("batchRequestId") or batch_id,
            "status": str(status).upper(),
            "item_count": item_count,
            "failed_item_count": int(
                failed if failed is not None else sum(i["status"] == "FAILED" for i in items)
            ),
            "items": items,
        }

    # ----------------------------------------------------------- common label (§1.8)
    def create_common_label(
        self, tracking_number, format="ZPL", box_quantity=1, volumetric_height=None
    ):
        """``POST /integration/sellers/{id}/common-label/{cargoTrackingNumber}`` (after
        Picking/Invoiced; TEX, Aras, UPS seller-pays). Returns True."""
        body = {"format": format, "boxQuantity": int(box_quantity)}
        if volumetric_height is not None:
            body["volumetricHeight"] = volumetric_height
        self.request(
            "POST",
            self._seller_path(f"/common-label/{tracking_number}"),
            json_body=body,
            endpoint="common_label.create",
            idempotent=True,
        )
        return True

    def get_common_labels(self, tracking_number):
        """``GET .../common-label/{cargoTrackingNumber}`` → ``[{'label', 'format'}]``
        (one per parcel; ``[]`` when not created yet)."""
        response = self.request(
            "GET",
            self._seller_path(f"/common-label/{tracking_number}"),
            endpoint="common_label.get",
            allow_status=(404,),
        )
        if response.status_code == 404:
            return []
        answer = self.decode_json(response, "GET", "common_label.get") or {}
        data = answer.get("data") if isinstance(answer, dict) else None
        return [entry for entry in data or [] if isinstance(entry, dict) and entry.get("label")]

    def get_common_label(self, tracking_number):
        """The ZPL of all parcels of a tracking number joined by newlines ('' if none)."""
        return "\n".join(entry["label"] for entry in self.get_common_labels(tracking_number))

    # ------------------------------------------------------------------ claims (§1.7)
    def iter_claims(self, start, end, status=None, page_size=MAX_PAGE_SIZE, order_number=None):
        """Yield raw claims created in ``[start, end]`` (``claimItemStatus`` filter
        optional), paged, in windows of at most 14 days."""
        for window_start, window_end in slice_windows(start, end, MAX_ORDER_WINDOW):
            page = 0
            while True:
                params = {
                    "startDate": to_epoch_ms(window_start),
                    "endDate": to_epoch_ms(window_end),
                    "page": page,
                    "size": min(int(page_size), MAX_PAGE_SIZE),
                }
                if status:
                    params["claimItemStatus"] = status
                if order_number:
                    params["orderNumber"] = order_number
                envelope = self.request_json(
                    "GET", self._order_path("/claims"), params=params, endpoint="claims.list"
                )
                _check_envelope(envelope, "claims")  # an odd body is an error, not the end
                content = envelope["content"]
                yield from content
                page += 1
                if not content or page >= int(envelope.get("totalPages") or 0):
                    break

    def approve_claim(self, claim_id, claim_line_item_ids):
        """``PUT .../claims/{claimId}/items/approve`` (only WaitingInAction items; 5/min).
        Returns True."""
        ids = [str(i) for i in claim_line_item_ids]
        if not ids:
            raise ValueError("no claim items to approve")
        self.request(
            "PUT",
            self._order_path(f"/claims/{claim_id}/items/approve"),
            json_body={"claimLineItemIdList": ids, "params": {}},
            endpoint="claims.approve",
            idempotent=False,
        )
        return True

    def reject_claim(self, claim_id, claim_line_item_ids, reason_id, description, files=None):
        """``POST .../claims/{claimId}/issue?claimIssueReasonId=..&claimItemIdList=..&
        description=..`` (multipart evidence files; optional only for reasons 1651, 451,
        2101; description <= 500 chars; 5/min). ``files``: ``[(filename, bytes, mimetype)]``.
        Returns True."""
        reason_id = int(reason_id)
        ids = [str(i) for i in claim_line_item_ids]
        if not ids:
            raise ValueError("no claim items to reject")
        if not files and claim_issue_requires_file(reason_id):
            raise ValueError(
                f"Trendyol requires an evidence file for claim issue reason "
                f"{reason_id} (only {sorted(CLAIM_ISSUE_NO_FILE_REASONS)} "
                "go without)"
            )
        params = {
            "claimIssueReasonId": reason_id,
            "claimItemIdList": ",".join(ids),
            "description": (description or "")[:CLAIM_DESCRIPTION_MAX],
        }
        multipart = [("files", spec) for spec in files or []]
        self.request(
            "POST",
            self._order_path(f"/claims/{claim_id}/issue"),
            params=params,
            files=multipart or None,
            endpoint="claims.issue",
            idempotent=False,
        )
        return True

    def get_claim_issue_reasons(self):
        """``GET /integration/order/claim-issue-reasons`` → ``[{'id', 'name'}]``."""
        answer = (
            self.request_json(
                "GET", "/integration/order/claim-issue-reasons", endpoint="claims.reasons"
            )
            or []
        )
        if isinstance(answer, dict):
            answer = answer.get("content") or answer.get("data") or []
        return [{"id": r.get("id"), "name": r.get("name")} for r in answer if isinstance(r, dict)]


def _inventory_item(item):
    """A cleaned neutral stock/price item → Trendyol's price-and-inventory item."""
    payload = {"barcode": item["barcode"]}
    if "quantity" in item:
        payload["quantity"] = item["quantity"]
    if "price" in item:
        payload["salePrice"] = item["price"]
        payload["listPrice"] = item["list_price"]
    return payload


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_envelope(envelope, what="orders"):
    """A list page is ``{'content': [...], 'totalElements': n, 'totalPages': n, ...}``;
    anything else (``{}``, ``[]``, ``null``, an error text with 200) is a fetch error, never
    an empty page."""
    if not (
        isinstance(envelope, dict)
        and isinstance(envelope.get("content"), list)
        and _is_count(envelope.get("totalElements"))
        and _is_count(envelope.get("totalPages"))
        and all(isinstance(item, dict) for item in envelope["content"])
    ):
        raise MalformedResponseError(
            f"{what}: unexpected answer (not a page with 'content', 'totalElements' and "
            "'totalPages')",
            status=200,
            body=str(envelope)[:300],
            retryable=True,
        )


def _package_id(package):
    return package.get("shipmentPackageId", package.get("id"))


def _safe_json(response):
    try:
        return response.json()
    except ValueError:
        return response.text


def _first_message(body):
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or "")
        return str(body.get("message") or "")
    return str(body or "")[:300]


def _already_sent(status, body):
    if status == 409:
        return True
    text = _first_message(body).lower() if body is not None else ""
    return status in (400, 422) and any(marker in text for marker in ALREADY_SENT_MARKERS)


def epoch_ms_to_datetime(value):
    """Epoch milliseconds → naive UTC datetime (None for empty)."""
    if value in (None, "", 0):
        return None
    return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc).replace(tzinfo=None)
