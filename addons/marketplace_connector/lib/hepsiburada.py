"""Hepsiburada seller API client (marketplaces.md §2; plain Python, no ``odoo``).

Auth (§2.1): HTTP Basic ``merchantId:serviceKey`` ("Servis Anahtarı") and a ``User-Agent``
that is **exactly** the integrator user name registered at Hepsiburada (``"<id> - name"`` or
``name/1.0`` → 401). A 401 says so in its message: it otherwise looks like a wrong password.

Hosts (§2.1): orders, packages and claims on the OMS host, stock/price uploads and listings
on the listing host; the test environment (SIT) is the same hosts with ``-sit``. ``base_url``
``'production'`` / ``'test'`` picks a host set; any other URL (a fake, a sandbox) is used
as-is for every service.

Orders (§2.2): paid lines waiting to be packed (``/orders``, ``offset``/``limit`` ≤ 100,
envelope with ``totalCount``/``pageCount``) and packages (``/packages``, ``Offset`` with a
capital O, ``limit`` ≤ 10, a bare array), both filtered by ``begindate``/``enddate`` in
``yyyy-MM-dd HH:mm`` Turkey time over at most 24 h (a longer range is silently cut by
Hepsiburada, so ranges are walked in 24 h windows on whole minutes). Packed lines leave
``/orders``: the feeds are merged (:func:`merge_feeds`), never one taken as a snapshot. The
shipped / delivered / undelivered / cancelled feeds take no dates (they reject them), nor
does this client send any to the unpacked packages (``/packages/status/unpacked``, paged like
``/packages``): they are paged whole and filtered here on each item's status date, so that a
package shipped, delivered, cancelled or unpacked does not stay open. Their item shapes are
not in the sources (§2.2): the package feeds are read as packages, the cancelled one as lines
(``lineItemId``, ``quantity``, ``cancelDate``, ``cancelledBy``, ``cancelReasonCode``...).

Stock and price (§2.5): uploads to the listing host answer an upload id; the upload's status
(polled) lists the rejected rows inside a 200 answer.

Dates sent and read without a zone are Turkey local time (UTC+3, no DST); the client takes
and returns naive UTC.
"""

import base64
import time
from datetime import datetime, timedelta, timezone

from .http import (
    AuthError,
    IncompleteFetchError,
    MalformedResponseError,
    MarketplaceError,
    MarketplaceHttpClient,
)
from .windows import page_problems, slice_windows

HOSTS = {
    "production": {
        "oms": "https://oms-external.hepsiburada.com",
        "listing": "https://listing-external.hepsiburada.com",
    },
    "test": {
        "oms": "https://oms-external-sit.hepsiburada.com",
        "listing": "https://listing-external-sit.hepsiburada.com",
    },
}
# environment → the base URL shown for it (the OMS host: orders, packages, claims)
URLS = {environment: hosts["oms"] for environment, hosts in HOSTS.items()}

MAX_ORDERS_LIMIT = 100
MAX_PACKAGES_LIMIT = 10
MAX_FEED_LIMIT = 100
MAX_CLAIMS_LIMIT = 100
MAX_LISTINGS_LIMIT = 100
MAX_WINDOW = timedelta(hours=24)
TURKEY_OFFSET = timedelta(hours=3)
DATE_FORMAT = "%Y-%m-%d %H:%M"
# a window whose pages were not read consistently is read again this often in one run
WINDOW_READ_ATTEMPTS = 3
# §2.3: the documented reason of a cancel by the merchant
CANCEL_REASONS = {83: "Ürün tedarik edilemedi (cannot be supplied)"}
# §2.5 [LIB]: at most 4000 rows per upload and 5 uploads running at once (a sixth is refused
# inside a 200); 1000 rows keep a rejected upload small
MAX_UPLOAD_ROWS = 1000
MAX_RUNNING_UPLOADS = 5
# §2.3: own-cargo dates may not be older than 7 days
OWN_CARGO_MAX_AGE = timedelta(days=7)
# upload statuses meaning "still running" (anything else is final)
UPLOAD_RUNNING = {"", "created", "pending", "waiting", "inprogress", "in_progress", "processing"}
UPLOAD_KINDS = ("stock-uploads", "price-uploads")
# status feeds (no date filter), with the date each item is kept by
STATUS_FEEDS = {
    "shipped": "/packages/merchantid/{mid}/shipped",
    "delivered": "/packages/merchantid/{mid}/delivered",
    "undelivered": "/packages/merchantid/{mid}/undelivered",
    "cancelled": "/orders/merchantid/{mid}/cancelled",
    "unpacked": "/packages/merchantid/{mid}/status/unpacked",
}
# the status a package read from a feed is given when it carries none
FEED_STATUS = {
    "orders": "ToBePacked",
    "packages": "Open",
    "shipped": "InTransit",
    "delivered": "Delivered",
    "undelivered": "Undelivered",
    "cancelled": "Cancelled",
    "unpacked": "Unpacked",
}
# a later feed wins over an earlier one for the same package
FEED_RANK = {
    "packages": 0,
    "shipped": 1,
    "undelivered": 2,
    "delivered": 3,
    "cancelled": 4,
    "unpacked": 5,
}
AUTH_HINT = (
    "Hepsiburada refused the credentials: check the merchant id, the service key, that the "
    "integrator was added to the store, and that the User-Agent {user_agent!r} is exactly the "
    "integrator user name registered at Hepsiburada"
)


class UploadRefused(MarketplaceError):
    """A listing upload answered 200 without an upload id (e.g. five uploads of the
    merchant still running): nothing was accepted; try again later."""

    retryable = True


# ----------------------------------------------------------------------------- dates
def hb_date(moment):
    """Naive UTC datetime → ``yyyy-MM-dd HH:mm`` Turkey time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return (moment + TURKEY_OFFSET).strftime(DATE_FORMAT)


def iso_utc(moment):
    """Naive UTC datetime → ``2026-10-16T10:14:17.707Z`` (bodies of the own-cargo calls)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_date(value):
    """An ISO string (or ``yyyy-MM-dd HH:mm``) → naive UTC; without a zone it is Turkey
    time. None for empty; ValueError for anything else."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.strptime(text, DATE_FORMAT)
    if moment.tzinfo is None:
        return moment - TURKEY_OFFSET
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def minute_windows(start, end, max_span=MAX_WINDOW):
    """``[start, end]`` widened to whole minutes (the filter's resolution) and cut into
    windows of at most ``max_span`` (24 h: Hepsiburada cuts a longer range silently)."""
    start = start.replace(second=0, microsecond=0)
    if end.second or end.microsecond:
        end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return slice_windows(start, end, max_span)


def resolve_hosts(base_url):
    """``{'oms', 'listing'}`` of an environment name, of one of its URLs, or of any other URL
    (used for every service)."""
    base_url = base_url or "production"
    if base_url in HOSTS:
        return dict(HOSTS[base_url])
    url = base_url.rstrip("/")
    for hosts in HOSTS.values():
        if url in hosts.values():
            return dict(hosts)
    return {"oms": url, "listing": url}


# ----------------------------------------------------------------------------- client
class HepsiburadaClient(MarketplaceHttpClient):
    """One Hepsiburada merchant. ``merchant_id`` (GUID) goes into the paths; ``username``
    (default: the merchant id) and ``service_key`` are the Basic credentials;
    ``integrator_name`` is the registered integrator user name sent as User-Agent."""

    def __init__(
        self,
        merchant_id,
        service_key,
        base_url="production",
        integrator_name=None,
        username=None,
        timeout=30,
        max_retries=4,
        logger=None,
        sleep=time.sleep,
        clock=time.monotonic,
        **kwargs,
    ):
        self.merchant_id = str(merchant_id or "").strip()
        if not self.merchant_id:
            raise ValueError("Hepsiburada needs the merchant id")
        if not service_key:
            raise ValueError("Hepsiburada needs the service key (Servis Anahtarı)")
        self.integrator_name = str(integrator_name or "").strip()
        if not self.integrator_name:
            raise ValueError(
                "Hepsiburada needs the integrator user name registered for the User-Agent"
            )
        self.hosts = resolve_hosts(base_url)
        username = str(username or self.merchant_id).strip()
        token = base64.b64encode(f"{username}:{service_key}".encode()).decode()
        super().__init__(
            base_url=self.hosts["oms"],
            headers={
                "Authorization": f"Basic {token}",
                "User-Agent": self.integrator_name,
                "Accept": "application/json",
            },
            timeout=timeout,
            max_retries=max_retries,
            logger=logger,
            sleep=sleep,
            clock=clock,
            secrets=(service_key, token),
            **kwargs,
        )

    @property
    def user_agent(self):
        """§2.1: exactly the registered integrator user name."""
        return self.integrator_name

    def _retry_delay(self, attempt, response):
        """``Retry-After``, else ``X-RateLimit-Reset`` (seconds, §2.10), else backoff."""
        reset = _rate_limit_reset(response)
        if reset is not None:
            return reset
        return super()._retry_delay(attempt, response)

    def _http_error(self, method, endpoint, url, response):
        error = super()._http_error(method, endpoint, url, response)
        if error.retry_after is None:
            error.retry_after = _rate_limit_reset(response)
        if isinstance(error, AuthError):
            error.message = f"{error.message}. {AUTH_HINT.format(user_agent=self.user_agent)}"
            error.args = (error.message,)
        return error

    # ------------------------------------------------------------------ paths
    def _oms(self, path):
        return f"{self.hosts['oms']}{path.format(mid=self.merchant_id)}"

    def _listing(self, path):
        return f"{self.hosts['listing']}{path.format(mid=self.merchant_id)}"

    def _package_path(self, package_number, suffix=""):
        return self._oms(f"/packages/merchantid/{{mid}}/packagenumber/{package_number}{suffix}")

    # ------------------------------------------------------------ paged reads
    def get_orders_page(self, start, end, offset=0, limit=MAX_ORDERS_LIMIT):
        """One page of the paid lines to pack: ``{items, limit, offset, pageCount,
        totalCount}``."""
        params = {
            "offset": int(offset),
            "limit": min(int(limit), MAX_ORDERS_LIMIT),
            "begindate": hb_date(start),
            "enddate": hb_date(end),
        }
        envelope = self.request_json(
            "GET", self._oms("/orders/merchantid/{mid}"), params=params, endpoint="orders.list"
        )
        return _check_envelope(envelope, "orders")

    def get_packages_page(self, start, end, offset=0, limit=MAX_PACKAGES_LIMIT):
        """One page of packages (a bare array; ``Offset`` spelled with a capital O)."""
        params = {
            "Offset": int(offset),
            "limit": min(int(limit), MAX_PACKAGES_LIMIT),
            "begindate": hb_date(start),
            "enddate": hb_date(end),
        }
        response = self.request(
            "GET", self._oms("/packages/merchantid/{mid}"), params=params, endpoint="packages.list"
        )
        page = self.decode_json(response, "GET", "packages.list")
        if not isinstance(page, list) or not all(isinstance(p, dict) for p in page):
            raise MalformedResponseError(
                "packages: unexpected answer (not a list of packages)",
                status=200,
                body=str(page)[:300],
            )
        return page, _header_count(response, "X-Total-Count")

    def _read_orders_once(self, start, end, limit):
        pages, lines, offset = [], [], 0
        while True:
            try:
                envelope = self.get_orders_page(start, end, offset, limit)
            except MalformedResponseError as error:
                return lines, [f"orders at offset {offset}: {error}"]
            items = envelope["items"]
            keys = [_line_id(item) or f"#{offset + n}" for n, item in enumerate(items)]
            pages.append((envelope["totalCount"], envelope["pageCount"], keys))
            lines.extend(items)
            offset += limit
            if not items or offset >= envelope["totalCount"]:
                break
        return lines, page_problems(pages, limit)

    def _read_packages_once(self, start, end, limit):
        packages, offset, problems, keys, total = [], 0, [], [], None
        while True:
            try:
                page, page_total = self.get_packages_page(start, end, offset, limit)
            except MalformedResponseError as error:
                return packages, [f"packages at offset {offset}: {error}"]
            if page_total is not None:
                if total is not None and page_total != total:
                    problems.append(f"total changed from {total} to {page_total} while paging")
                total = page_total
            keys += [_package_number(p) or f"#{offset + n}" for n, p in enumerate(page)]
            packages.extend(page)
            offset += limit
            if len(page) < limit:
                break
        if len(set(keys)) != len(keys):
            problems.append(f"{len(keys) - len(set(keys))} package(s) moved between pages")
        if total is not None and total != len(keys):
            problems.append(f"{len(keys)} packages read, {total} announced")
        return packages, problems

    def _read_window(self, what, reader, start, end, limit, key):
        """Every item of one window, read again up to :data:`WINDOW_READ_ATTEMPTS` times while
        its pages are not complete and consistent; then :class:`IncompleteFetchError` carries
        what was read."""
        collected, problems = {}, []
        for _attempt in range(WINDOW_READ_ATTEMPTS):
            items, problems = reader(start, end, limit)
            if not problems:
                return items
            for item in items:
                collected[key(item) or f"#{len(collected)}"] = item
        raise IncompleteFetchError(
            f"{what} {hb_date(start)}–{hb_date(end)} (Turkey time): pages not read "
            f"consistently after {WINDOW_READ_ATTEMPTS} attempts: {'; '.join(problems)}",
            packages=list(collected.values()),
            status=200,
        )

    def _read_windows(self, what, reader, start, end, limit, key):
        """Every item of ``[start, end]`` walked in 24 h windows; a window that could not be
        read whole does not stop the others: :class:`IncompleteFetchError` comes at the end,
        with everything read."""
        items, problems = {}, []
        for window in minute_windows(start, end):
            try:
                found = self._read_window(what, reader, *window, limit, key)
            except IncompleteFetchError as error:
                problems.append(str(error))
                found = error.packages
            for item in found:
                items[key(item) or f"#{len(items)}"] = item
        if problems:
            raise IncompleteFetchError("; ".join(problems), packages=items.values(), status=200)
        return list(items.values())

    def fetch_order_lines(self, start, end, limit=MAX_ORDERS_LIMIT):
        """Every paid line waiting to be packed, ordered in ``[start, end]`` (24 h windows)."""
        limit = min(int(limit), MAX_ORDERS_LIMIT)
        return self._read_windows("orders", self._read_orders_once, start, end, limit, _line_id)

    def fetch_packed(self, start, end, limit=MAX_PACKAGES_LIMIT):
        """Every package packed in ``[start, end]`` (24 h windows, pages of ≤ 10)."""
        limit = min(int(limit), MAX_PACKAGES_LIMIT)
        return self._read_windows(
            "packages", self._read_packages_once, start, end, limit, _package_number
        )

    def fetch_feed(self, feed, start=None, end=None):
        """Items of a status feed (``shipped``, ``delivered``, ``undelivered``, ``cancelled``,
        ``unpacked``): paged whole (no date filter: Hepsiburada rejects it on these), then
        kept when their status date falls in ``[start, end]`` (items without one are kept).
        A page that cannot be read raises :class:`IncompleteFetchError` with what was read."""
        items, problems = [], []
        try:
            if feed == "unpacked":
                problems = self._read_unpacked(items)
            else:
                problems = self._read_feed(feed, items)
        except MalformedResponseError as error:
            problems = [str(error)]
        kept = [item for item in items if _in_range(_status_date(item), start, end)]
        if problems:
            raise IncompleteFetchError(
                f"{feed} feed: pages not read completely: {'; '.join(problems)}",
                packages=kept,
                status=200,
            )
        return kept

    def _read_feed(self, feed, items, limit=MAX_FEED_LIMIT):
        """Pages of an enveloped feed into ``items``; returns the problems of the read."""
        pages, offset = [], 0
        while True:
            envelope = _check_envelope(
                self.request_json(
                    "GET",
                    self._oms(STATUS_FEEDS[feed]),
                    params={"offset": offset, "limit": limit},
                    endpoint=f"feed.{feed}",
                ),
                feed,
            )
            page = envelope["items"]
            pages.append((envelope["totalCount"], len(page)))
            items.extend(page)
            offset += limit
            if not page or offset >= envelope["totalCount"]:
                return _feed_problems(pages)

    def _read_unpacked(self, items, limit=MAX_PACKAGES_LIMIT):
        """Pages of the unpacked packages (a bare array, ``Offset`` with a capital O like
        ``/packages``) into ``items``; returns the problems of the read."""
        offset, keys = 0, []
        while True:
            page = self.request_json(
                "GET",
                self._oms(STATUS_FEEDS["unpacked"]),
                params={"Offset": offset, "limit": limit},
                endpoint="feed.unpacked",
            )
            if not isinstance(page, list) or not all(isinstance(p, dict) for p in page):
                return [f"unexpected answer at offset {offset}: {str(page)[:200]}"]
            keys += [_package_number(p) for p in page]
            items.extend(page)
            offset += limit
            if len(page) < limit:
                dropped = len(keys) - len(set(keys))
                return [f"{dropped} package(s) moved between pages"] if dropped else []

    def fetch_window(self, start, end, feeds=tuple(STATUS_FEEDS)):
        """Every raw package of ``[start, end]`` (naive UTC): the lines to pack grouped by
        order, the packages, and the packages and lines of the status feeds, merged
        (:func:`merge_feeds`). A part that could not be read whole raises
        :class:`IncompleteFetchError` once every part was tried, with everything read."""
        problems = []

        def read(function, *args):
            try:
                return function(*args)
            except IncompleteFetchError as error:
                problems.append(str(error))
                return error.packages

        lines = read(self.fetch_order_lines, start, end)
        packages = read(self.fetch_packed, start, end)
        feed_items = {feed: read(self.fetch_feed, feed, start, end) for feed in feeds}
        merged = merge_feeds(lines, packages, feed_items)
        if problems:
            raise IncompleteFetchError("; ".join(problems), packages=merged, status=200)
        return merged

    def get_package(self, package_number):
        """``GET .../packagenumber/{pn}``: tracking info of one package."""
        return self.request_json("GET", self._package_path(package_number), endpoint="package.get")

    def get_order(self, order_number):
        """``GET /orders/merchantid/{mid}/ordernumber/{orderNumber}``."""
        return self.request_json(
            "GET",
            self._oms(f"/orders/merchantid/{{mid}}/ordernumber/{order_number}"),
            endpoint="order.get",
        )

    # ------------------------------------------------------------ packing (§2.3)
    def packable_with(self, line_id):
        """Line ids that may share a package with ``line_id``."""
        answer = self.request_json(
            "GET",
            self._oms(f"/lineitems/merchantid/{{mid}}/packageablewith/lineitemid/{line_id}"),
            endpoint="lines.packable",
        )
        rows = answer.get("items", []) if isinstance(answer, dict) else answer or []
        return [str(row.get("id") if isinstance(row, dict) else row) for row in rows]

    def pack(self, lines, parcel_quantity=1, deci=None, warehouse=None):
        """``POST /packages/merchantid/{mid}``: pack ``[{'id', 'quantity'}]`` lines into one
        package. Returns ``{'packageNumber', 'barcode'}``. Not repeated after a lost answer
        (the next fetch shows whether the package exists)."""
        body = {
            "lineItemRequests": [
                {"id": str(line["id"]), "quantity": int(line["quantity"]), "serialNumbers": []}
                for line in _require(lines, "no lines to pack")
            ],
            "parcelQuantity": int(parcel_quantity),
        }
        if deci is not None:
            body["deci"] = float(deci)
        if warehouse:
            body["warehouse"] = {"shippingAddressLabel": warehouse}
        answer = self.request_json(
            "POST",
            self._oms("/packages/merchantid/{mid}"),
            json_body=body,
            endpoint="packages.create",
            idempotent=False,
        )
        if not isinstance(answer, dict) or not answer.get("packageNumber"):
            raise MalformedResponseError(
                "pack: no packageNumber in the answer", status=200, body=str(answer)[:300]
            )
        return answer

    def split_package(self, package_number, groups, cancelled=(), reason_id=83):
        """``POST .../packagenumber/{pn}/split``: ``groups`` ``[[{'id', 'quantity'}]]`` become
        packages; ``cancelled`` ``[{'id', 'quantity'}]`` are cancelled with ``reason_id``."""
        reason_id = _reason(reason_id)
        body = {
            "packageDetails": [
                {
                    "lines": [
                        {"orderLineId": str(line["id"]), "quantity": int(line["quantity"])}
                        for line in group
                    ],
                    "parcelQuantity": 1,
                }
                for group in groups
            ],
            "cancelledItems": [
                {
                    "orderLineId": str(line["id"]),
                    "quantity": int(line["quantity"]),
                    "cancelReasonId": reason_id,
                }
                for line in cancelled
            ],
        }
        if not body["packageDetails"] and not body["cancelledItems"]:
            raise ValueError("nothing to split")
        self.request(
            "POST",
            self._package_path(package_number, "/split"),
            json_body=body,
            endpoint="package.split",
            idempotent=False,
        )
        return True

    def unpack_package(self, package_number):
        """``POST .../packagenumber/{pn}/unpack``: the lines go back to ``/orders``."""
        self.request(
            "POST",
            self._package_path(package_number, "/unpack"),
            endpoint="package.unpack",
            idempotent=False,
        )
        return True

    def cancel_line(self, line_id, reason_id=83):
        """``POST /lineitems/merchantid/{mid}/id/{lineId}/cancelbymerchant`` (a line not
        packed yet; the whole line)."""
        self.request(
            "POST",
            self._oms(f"/lineitems/merchantid/{{mid}}/id/{line_id}/cancelbymerchant"),
            json_body={"reasonId": _reason(reason_id)},
            endpoint="line.cancel",
            idempotent=False,
        )
        return True

    # ------------------------------------------------------------ invoice (§2.4)
    def send_invoice_link(self, package_number, url):
        """``PUT .../packagenumber/{pn}/invoice`` ``{"invoiceLink": url}`` (204). The same
        link sent again is harmless, so a lost answer is retried."""
        if not str(url or "").startswith(("http://", "https://")):
            raise ValueError(f"the invoice link must be an http(s) URL, got {url!r}")
        response = self.request(
            "PUT",
            self._package_path(package_number, "/invoice"),
            json_body={"invoiceLink": url},
            endpoint="package.invoice",
            idempotent=True,
        )
        return {"done": True, "repeat": False, "status": response.status_code, "message": ""}

    # -------------------------------------------------------------- labels (§2.8)
    def get_labels(self, package_number, label_format="ZPL"):
        """``GET .../packagenumber/{pn}/labels?format=``: ``{'format', 'data': [..]}``
        (``data`` empty while the package has no label yet)."""
        response = self.request(
            "GET",
            self._package_path(package_number, "/labels"),
            params={"format": label_format},
            endpoint="package.labels",
            allow_status=(404,),
        )
        if response.status_code == 404:
            return {"format": label_format, "data": []}
        answer = self.decode_json(response, "GET", "package.labels")
        if not isinstance(answer, dict) or not isinstance(answer.get("data") or [], list):
            raise MalformedResponseError(
                "labels: unexpected answer", status=200, body=str(answer)[:300]
            )
        return {"format": answer.get("format") or label_format, "data": answer.get("data") or []}

    # ----------------------------------------------------- own cargo (§2.3)
    def mark_in_transit(
        self, package_number, tracking_number, tracking_url=None, shipped_at=None, **extra
    ):
        """``POST .../intransit`` (own cargo, "Mağaza Hesabı")."""
        body = {
            "shippedDate": iso_utc(_recent(shipped_at)),
            "trackingNumber": str(tracking_number),
            "trackingUrl": tracking_url or "",
        }
        body.update({key: value for key, value in extra.items() if value is not None})
        return self._own_cargo(package_number, "intransit", body)

    def mark_delivered(self, package_number, received_by, received_at=None, digital_codes=None):
        """``POST .../deliver`` (own cargo)."""
        body = {"receivedBy": received_by or "", "receivedDate": iso_utc(_recent(received_at))}
        if digital_codes:
            body["digitalCodes"] = list(digital_codes)
        return self._own_cargo(package_number, "deliver", body)

    def mark_undelivered(self, package_number, reason, undelivered_at=None):
        """``POST .../undeliver`` (own cargo)."""
        if not reason:
            raise ValueError("an undelivered package needs a reason")
        body = {"undeliveredDate": iso_utc(_recent(undelivered_at)), "undeliveredReason": reason}
        return self._own_cargo(package_number, "undeliver", body)

    def _own_cargo(self, package_number, action, body):
        self.request(
            "POST",
            self._package_path(package_number, f"/{action}"),
            json_body=body,
            endpoint=f"package.{action}",
            idempotent=True,  # the same status again changes nothing
        )
        return True

    # --------------------------------------------------- stock & price (§2.5)
    def upload(self, kind, rows):
        """``POST /listings/merchantid/{mid}/{kind}`` (``stock-uploads`` or
        ``price-uploads``), a JSON array of at most :data:`MAX_UPLOAD_ROWS` rows; returns
        the upload id. An answer without an id (e.g. a sixth upload while five run) is
        :class:`UploadRefused` carrying Hepsiburada's message."""
        if kind not in UPLOAD_KINDS:
            raise ValueError(f"unknown upload {kind!r}")
        rows = list(_require(rows, "nothing to upload"))
        if len(rows) > MAX_UPLOAD_ROWS:
            raise ValueError(f"at most {MAX_UPLOAD_ROWS} rows per upload")
        answer = self.request_json(
            "POST",
            self._listing(f"/listings/merchantid/{{mid}}/{kind}"),
            json_body=rows,
            endpoint=f"listing.{kind}",
            idempotent=True,  # absolute values: sending them twice changes nothing
        )
        upload_id = answer.get("id") if isinstance(answer, dict) else None
        if not upload_id:
            message = (answer or {}).get("message") if isinstance(answer, dict) else answer
            raise UploadRefused(
                f"{kind}: no upload id in the answer: {str(message or answer)[:300]}",
                status=200,
                body=answer,
            )
        return str(upload_id)

    def upload_status(self, kind, upload_id):
        """``GET .../{kind}/id/{id}`` → ``{'id', 'status', 'final', 'total', 'errors':
        [{'row', 'hepsiburada_sku', 'merchant_sku', 'messages'}]}`` (rejected rows arrive
        inside the 200 answer)."""
        if kind not in UPLOAD_KINDS:
            raise ValueError(f"unknown upload {kind!r}")
        raw = self.request_json(
            "GET",
            self._listing(f"/listings/merchantid/{{mid}}/{kind}/id/{upload_id}"),
            endpoint=f"listing.{kind}.status",
        )
        if not isinstance(raw, dict) or not isinstance(raw.get("errors") or [], list):
            raise MalformedResponseError(
                f"{kind} {upload_id}: unexpected answer", status=200, body=str(raw)[:300]
            )
        status = str(raw.get("status") or "")
        errors = [
            {
                "row": row.get("elementNo"),
                "hepsiburada_sku": str(row.get("hepsiburadaSku") or ""),
                "merchant_sku": str(row.get("merchantSku") or ""),
                "messages": [str(m) for m in row.get("errors") or []],
            }
            for row in raw.get("errors") or []
            if isinstance(row, dict)
        ]
        return {
            "id": str(raw.get("id") or upload_id),
            "status": status,
            "final": status.lower() not in UPLOAD_RUNNING,
            "total": raw.get("total"),
            "errors": errors,
        }

    def iter_listings(self, limit=MAX_LISTINGS_LIMIT):
        """Yield the merchant's listings (``GET /listings/merchantid/{mid}``, paged)."""
        limit = min(int(limit), MAX_LISTINGS_LIMIT)
        offset = 0
        while True:
            answer = self.request_json(
                "GET",
                self._listing("/listings/merchantid/{mid}"),
                params={"offset": offset, "limit": limit},
                endpoint="listing.list",
            )
            rows = answer.get("listings") if isinstance(answer, dict) else None
            if not isinstance(rows, list):
                raise MalformedResponseError(
                    "listings: unexpected answer", status=200, body=str(answer)[:300]
                )
            yield from rows
            offset += limit
            if not rows or offset >= int(answer.get("totalCount") or 0):
                break

    # ------------------------------------------------------------ claims (§2.7)
    def iter_claims(self, start, end, status=None, limit=MAX_CLAIMS_LIMIT):
        """Yield raw claims of ``[start, end]`` (24 h windows; paging in ``X-Total-Count``)."""
        limit = min(int(limit), MAX_CLAIMS_LIMIT)
        path = "/claims/merchantId/{mid}" + (f"/status/{status}" if status else "")
        seen = set()
        for window_start, window_end in minute_windows(start, end):
            offset = 0
            while True:
                dates = {"beginDate": hb_date(window_start), "endDate": hb_date(window_end)}
                if status:
                    dates = {
                        "statusBeginDate": dates["beginDate"],
                        "statusEndDate": dates["endDate"],
                    }
                response = self.request(
                    "GET",
                    self._oms(path),
                    params={"offset": offset, "limit": limit, **dates},
                    endpoint="claims.list",
                )
                page = self.decode_json(response, "GET", "claims.list")
                if not isinstance(page, list) or not all(isinstance(c, dict) for c in page):
                    raise MalformedResponseError(
                        "claims: unexpected answer", status=200, body=str(page)[:300]
                    )
                for claim in page:
                    key = claim.get("number") or claim.get("id")
                    if key not in seen:
                        seen.add(key)
                        yield claim
                total = _header_count(response, "X-Total-Count")
                offset += limit
                if len(page) < limit or (total is not None and offset >= total):
                    break

    def accept_claim(self, claim_number, reason=None, invoice_link=None, finalized_with=None):
        """``POST /claims/number/{claimNumber}/accept`` (204)."""
        body = {
            "FinalizedWith": finalized_with,
            "InvoiceLink": invoice_link,
            "AcceptionReason": reason,
        }
        self.request(
            "POST",
            self._oms(f"/claims/number/{claim_number}/accept"),
            json_body={k: v for k, v in body.items() if v},
            endpoint="claims.accept",
            idempotent=False,
        )
        return True

    def reject_claim(self, claim_number, reason, statement, reports=(), report_urls=()):
        """``POST /claims/number/{claimNumber}/reject`` (204). ``reports``: evidence
        ``[(filename, bytes, mimetype)]`` sent inline as base64 [UNCONFIRMED shape];
        ``report_urls``: evidence already online."""
        if not reason:
            raise ValueError("a rejected claim needs a reason")
        body = {
            "ClaimRejectionReason": reason,
            "MerchantStatement": statement or "",
            "Reports": [
                {
                    "FileName": name,
                    "ContentType": mimetype,
                    "Content": base64.b64encode(content).decode(),
                }
                for name, content, mimetype in reports
            ],
            "UploadedReportsUrls": list(report_urls),
        }
        self.request(
            "POST",
            self._oms(f"/claims/number/{claim_number}/reject"),
            json_body=body,
            endpoint="claims.reject",
            idempotent=False,
        )
        return True


# ----------------------------------------------------------------------------- merging
def merge_feeds(lines, packages, feed_items=None):
    """The raw packages of one read, each tagged with the ``feed`` it came from.

    * a package (``packageNumber``) is taken from the most advanced feed it appears in
      (unpacked > cancelled > delivered > undelivered > shipped > packages);
    * cancelled lines (the ``cancelled`` feed) form a package with their package number when
      they carry one, else one per order (``{'feed': 'cancelled', 'orderNumber', 'items'}``);
    * the lines still to pack form one package per order (``{'feed': 'orders',
      'orderNumber', 'items'}``), without the lines any package or cancellation of this read
      holds: a line packed between the two reads shows up once, as packed;
    * an unpacked package keeps its number (state ``replaced``); its lines are to pack again.
    """
    feed_items = dict(feed_items or {})
    by_number = {}
    for feed, items in [("packages", packages)] + [
        (feed, items) for feed, items in feed_items.items() if feed != "cancelled"
    ]:
        for index, package in enumerate(items or []):
            number = _package_number(package) or f"#{feed}{index}"
            known = by_number.get(number)
            if known is None or FEED_RANK[feed] >= FEED_RANK[known["feed"]]:
                by_number[number] = dict(package, feed=feed)
    cancelled = {}
    for line in feed_items.get("cancelled") or []:
        key = str(line.get("packageNumber") or "") or str(line.get("orderNumber") or "")
        group = cancelled.setdefault(
            key,
            {"feed": "cancelled", "orderNumber": line.get("orderNumber"), "items": []},
        )
        if line.get("packageNumber"):
            group["packageNumber"] = str(line["packageNumber"])
        group["items"].append(line)
    taken = {
        str(item.get("lineItemId"))
        for package in by_number.values()
        if package["feed"] != "unpacked"  # its lines are back in /orders
        for item in package.get("items") or []
    } | {str(_line_id(line)) for group in cancelled.values() for line in group["items"]}
    for number in [key for key in cancelled if key in by_number]:
        package = by_number[number]
        gone = cancelled.pop(number)["items"]
        package_lines = {str(item.get("lineItemId")) for item in package.get("items") or []}
        whole = package_lines <= {_line_id(line) for line in gone}
        by_number[number] = dict(
            package, feed="cancelled" if whole else package["feed"], cancelled=gone
        )
    orders = {}
    for line in lines or []:
        if str(_line_id(line)) in taken:
            continue
        order = str(line.get("orderNumber") or "")
        orders.setdefault(order, {"feed": "orders", "orderNumber": order, "items": []})
        orders[order]["items"].append(line)
    return list(by_number.values()) + list(cancelled.values()) + list(orders.values())


# ----------------------------------------------------------------------------- helpers
def _line_id(line):
    return str(line.get("id") or line.get("lineItemId") or "") if isinstance(line, dict) else ""


def _package_number(package):
    return str(package.get("packageNumber") or package.get("id") or "")


def _status_date(item):
    for key in (
        "lastStatusUpdateDate",
        "cancelDate",
        "unpackedDate",
        "deliveredDate",
        "shippedDate",
    ):
        if isinstance(item, dict) and item.get(key):
            try:
                return parse_date(item[key])
            except ValueError:
                return None
    return None


def _in_range(moment, start, end):
    if moment is None:
        return True
    return (start is None or moment >= start) and (end is None or moment <= end)


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_envelope(envelope, what):
    """``{'items': [...], 'totalCount': n, 'pageCount': n, ...}``; anything else (an error
    text with 200, ``{}``, ``null``) is a fetch error, never an empty page."""
    if not (
        isinstance(envelope, dict)
        and isinstance(envelope.get("items"), list)
        and _is_count(envelope.get("totalCount"))
        and _is_count(envelope.get("pageCount"))
        and all(isinstance(item, dict) for item in envelope["items"])
    ):
        raise MalformedResponseError(
            f"{what}: unexpected answer (not a page with 'items', 'totalCount' and 'pageCount')",
            status=200,
            body=str(envelope)[:300],
        )
    return envelope


def _feed_problems(pages):
    """Totals changing while a feed is paged, or fewer items than announced."""
    total = pages[0][0]
    problems = [
        f"page {n} announces {t} items, page 0 announced {total}"
        for n, (t, _count) in enumerate(pages)
        if t != total
    ]
    read = sum(count for _t, count in pages)
    if read < total:
        problems.append(f"{read} of {total} items read")
    return problems


def _rate_limit_reset(response):
    """Seconds until a 429's limit resets (``X-RateLimit-Reset``) when no ``Retry-After``
    says it, else None."""
    if response.status_code != 429 or response.headers.get("Retry-After"):
        return None
    try:
        return max(0.0, float(response.headers.get("X-RateLimit-Reset")))
    except (TypeError, ValueError):
        return None


def _header_count(response, name):
    value = response.headers.get(name)
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _require(items, message):
    items = list(items or [])
    if not items:
        raise ValueError(message)
    return items


def _reason(reason_id):
    reason_id = int(reason_id)
    if reason_id not in CANCEL_REASONS:
        raise ValueError(f"unknown Hepsiburada cancel reason {reason_id}")
    return reason_id


def _recent(moment):
    """``moment`` (default now, naive UTC), refused when older than 7 days (§2.3)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    moment = moment or now
    if now - moment > OWN_CARGO_MAX_AGE:
        raise ValueError("Hepsiburada refuses own-cargo dates older than 7 days")
    return moment


def upload_ref(kind, upload_id):
    """The batch reference of an upload: ``'stock-uploads:<id>'``."""
    return f"{kind}:{upload_id}"


def parse_upload_ref(ref):
    kind, _sep, upload_id = str(ref).partition(":")
    if kind not in UPLOAD_KINDS or not upload_id:
        raise ValueError(f"not a Hepsiburada upload reference: {ref!r}")
    return kind, upload_id
