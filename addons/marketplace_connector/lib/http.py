"""Base REST client shared by the marketplace clients (plain Python, no ``odoo``).

What every marketplace call gets here (marketplaces.md §0, §1.10, §4; connector.md §3.4, §9.1):

* a per-request timeout;
* retries with exponential backoff + jitter on 429, 5xx, connection errors and timeouts,
  honouring ``Retry-After`` (seconds or an HTTP date);
* client-side pacing per endpoint key (sliding window "N requests per P seconds", e.g.
  Trendyol's 50 requests / 10 s per endpoint) with an injectable clock and sleep;
* one redacted log record per attempt, handed to ``logger`` (a callable receiving a dict, or a
  :class:`logging.Logger`);
* typed errors (:class:`MarketplaceError` and subclasses).

Non-idempotent calls: a POST whose answer was lost (read timeout, connection dropped after the
request was sent, 500/502/504) may already have been applied by the marketplace, so it is
retried only when the caller says ``idempotent=True``. Otherwise the client raises
:class:`TransientError` with ``maybe_applied=True`` and the caller decides (re-read the remote
state, or let the next run repeat it). Requests that certainly never reached the server
(connection refused, connect timeout) and 429/503 answers are retried for every method.
"""

import email.utils
import json
import logging
import random
import re
import time
from collections import deque

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# answers that mean "not processed at all": safe to repeat even for a POST
NOT_APPLIED_STATUSES = frozenset({429, 503})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

SECRET_KEYS = re.compile(
    r"^(authorization|proxy-authorization|x-api-key|api[-_]?key|api[-_]?secret|apisecret|"
    r"secret|password|passwd|token|access[-_]?token|refresh[-_]?token|client[-_]?secret|"
    r"service[-_]?key|appkey|appsecret|cookie|set-cookie)$",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<!\d)(\+?90[\s-]?)?0?5\d{2}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)")
REDACTED = "***"
BODY_EXCERPT = 500


# ----------------------------------------------------------------------------- errors
class MarketplaceError(Exception):
    """Any failed marketplace call. ``status`` (HTTP code or None), ``body`` (parsed JSON or
    text), ``retryable`` (worth trying again later), ``retry_after`` (seconds or None)."""

    retryable = False

    def __init__(
        self,
        message,
        status=None,
        body=None,
        retryable=None,
        retry_after=None,
        method=None,
        url=None,
        maybe_applied=False,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        if retryable is not None:
            self.retryable = retryable
        self.retry_after = retry_after
        self.method = method
        self.url = url
        self.maybe_applied = maybe_applied

    def __str__(self):
        return f"{self.message} (HTTP {self.status})" if self.status else self.message


class AuthError(MarketplaceError):
    """401/403: wrong API key/secret, seller id, or missing/invalid User-Agent."""


class ClientError(MarketplaceError):
    """Other 4xx: the request itself is wrong (validation, not found, conflict...)."""


class RateLimitError(MarketplaceError):
    """429 after the retries (or a Retry-After longer than the client may sleep)."""

    retryable = True


class ServerError(MarketplaceError):
    """5xx after the retries."""

    retryable = True


class TransientError(MarketplaceError):
    """Timeout or connection error. ``maybe_applied`` is True when the request was sent and
    its answer lost: the marketplace may have applied it."""

    retryable = True


class MalformedResponseError(MarketplaceError):
    """The marketplace answered 2xx with a body that is not the expected JSON."""

    retryable = True


class IncompleteFetchError(MalformedResponseError):
    """The pages of a list window were not all read completely and consistently (an odd
    body, totals changing between pages, missing items, items moving between pages).
    ``packages``: what was read anyway (storing it is harmless; the window is read again
    next time, its cursor does not move)."""

    def __init__(self, message, packages=(), **kwargs):
        super().__init__(message, **kwargs)
        self.packages = list(packages)


# ----------------------------------------------------------------------------- pacing
class EndpointPacer:
    """Client-side pacing: for each endpoint key, at most ``count`` requests in any
    ``period`` seconds (one or several windows per key, sliding log).

    ``limits``: ``{key: [(count, period), ...]}``; keys not listed use ``default``
    (``None`` = no pacing). ``clock``/``sleep`` are injectable for tests.
    """

    def __init__(self, limits=None, default=None, clock=time.monotonic, sleep=time.sleep):
        self.limits = {key: _as_windows(value) for key, value in (limits or {}).items()}
        self.default = _as_windows(default) if default else []
        self.clock = clock
        self.sleep = sleep
        self._sent = {}  # key -> deque of monotonic times

    def windows(self, key):
        return self.limits.get(key, self.default)

    def wait_time(self, key):
        """Seconds to wait before one more request on ``key`` is allowed."""
        now = self.clock()
        sent = self._sent.get(key)
        if not sent:
            return 0.0
        longest = max((period for _count, period in self.windows(key)), default=0)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        wait = 0.0
        for count, period in self.windows(key):
            recent = [t for t in sent if t > now - period]
            if len(recent) >= count:
                wait = max(wait, recent[-count] + period - now)
        return wait

    def acquire(self, key):
        """Block (through ``sleep``) until a request on ``key`` is allowed; return the wait."""
        if not self.windows(key):
            return 0.0
        waited = 0.0
        wait = self.wait_time(key)
        while wait > 0:
            self.sleep(wait)
            waited += wait
            wait = self.wait_time(key)
        self._sent.setdefault(key, deque()).append(self.clock())
        return waited


def _as_windows(value):
    if not value:
        return []
    if isinstance(value, tuple) and len(value) == 2 and not isinstance(value[0], tuple):
        return [value]
    return [tuple(window) for window in value]


# ---------------------------------------------------------------------------- helpers
def parse_retry_after(value, now=None):
    """``Retry-After`` as seconds (float >= 0) or None: delta-seconds or an HTTP date."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, moment.timestamp() - now)


def redact(value, redact_pii=False):
    """Copy of a JSON-like value with secrets (and optionally e-mails/phones) masked."""
    if isinstance(value, dict):
        return {
            key: REDACTED
            if SECRET_KEYS.match(str(key)) and item not in (None, "")
            else redact(item, redact_pii)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item, redact_pii) for item in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and redact_pii:
        return PHONE_RE.sub(REDACTED, EMAIL_RE.sub(REDACTED, value))
    return value


def redact_text(text, secrets=(), redact_pii=False):
    """Mask known secret values (and optionally e-mails/phones) inside free text."""
    if not isinstance(text, str):
        return text
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    if redact_pii:
        text = PHONE_RE.sub(REDACTED, EMAIL_RE.sub(REDACTED, text))
    return text


def _never_sent(exc):
    """True when a requests exception proves the request never reached the server."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = exc.args[0] if exc.args else None
        if isinstance(reason, MaxRetryError):
            reason = reason.reason
        return isinstance(reason, (NewConnectionError, ConnectionRefusedError))
    return False


def _error_message(body, fallback):
    """Best human message out of a marketplace error body (Trendyol: ``errors[].message``)."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            messages = [
                str(e.get("message") or e.get("key") or e) if isinstance(e, dict) else str(e)
                for e in errors
            ]
            return "; ".join(messages)
        for key in ("message", "errorMessage", "error", "detail", "exception"):
            if body.get(key):
                return str(body[key])
    if isinstance(body, str) and body.strip():
        return body.strip()[:300]
    return fallback


# ----------------------------------------------------------------------------- client
class MarketplaceHttpClient:
    """A ``requests.Session`` with timeouts, retries, pacing and redacted logging.

    ``base_url``: prefix for relative paths. ``auth``/``headers``: session defaults.
    ``rate_limits``: ``{endpoint_key: [(count, period_s), ...]}``, ``default_rate_limit``
    applies to other keys. ``logger``: callable(dict) or a :class:`logging.Logger`.
    ``max_retries``: extra attempts after the first. ``max_retry_after``: longest sleep the
    client accepts from a Retry-After header; a longer one raises :class:`RateLimitError`
    at once (its ``retry_after`` tells the caller when to come back).
    """

    def __init__(
        self,
        base_url="",
        auth=None,
        headers=None,
        timeout=30,
        max_retries=4,
        backoff_base=1.0,
        backoff_cap=30.0,
        max_retry_after=120.0,
        rate_limits=None,
        default_rate_limit=None,
        logger=None,
        sleep=time.sleep,
        clock=time.monotonic,
        wall_clock=time.time,
        redact_pii=False,
        secrets=(),
        session=None,
        rng=None,
    ):
        self.base_url = (base_url or "").rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self.logger = logger
        self.sleep = sleep
        self.clock = clock
        self.wall_clock = wall_clock
        self.redact_pii = redact_pii
        self.secrets = tuple(s for s in secrets if s)
        self.rng = rng or random.Random()
        self.pacer = EndpointPacer(rate_limits, default_rate_limit, clock=clock, sleep=sleep)
        self.session = session or requests.Session()
        if auth is not None:
            self.session.auth = auth
        if headers:
            self.session.headers.update(headers)

    # ------------------------------------------------------------------ public API
    def url_for(self, path):
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method,
        path,
        *,
        endpoint=None,
        params=None,
        json_body=None,
        data=None,
        files=None,
        headers=None,
        timeout=None,
        idempotent=None,
        allow_status=(),
    ):
        """Send one call with retries; return the final :class:`requests.Response`.

        ``endpoint``: pacing/log key (default: method + path). ``idempotent``: may a
        request that was possibly applied be repeated? Default: True for GET/PUT/DELETE,
        False for POST/PATCH. ``allow_status``: non-2xx statuses returned instead of raised.
        """
        method = method.upper()
        url = self.url_for(path)
        endpoint = endpoint or f"{method} {path}"
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            attempt += 1
            paced = self.pacer.acquire(endpoint)
            started = self.clock()
            record = {
                "method": method,
                "url": self._redacted_url(url, params),
                "endpoint": endpoint,
                "attempt": attempt,
                "status": None,
                "error": None,
                "paced_ms": round(paced * 1000),
                "request_body_redacted": self._redacted_body(json_body, data, files),
            }
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=data,
                    files=files,
                    headers=headers,
                    timeout=timeout or self.timeout,
                )
            except requests.exceptions.RequestException as exc:
                never_sent = _never_sent(exc)
                error = TransientError(
                    f"{method} {endpoint}: {type(exc).__name__}: "
                    f"{redact_text(str(exc), self.secrets)}",
                    method=method,
                    url=record["url"],
                    maybe_applied=not never_sent,
                )
                record.update(error=str(error), duration_ms=self._elapsed_ms(started))
                may_retry = idempotent or never_sent
                delay = self._backoff(attempt) if may_retry else None
                self._log(record, retry_in=delay)
                if may_retry and attempt <= self.max_retries:
                    self.sleep(delay)
                    continue
                raise error from exc
            record.update(status=response.status_code, duration_ms=self._elapsed_ms(started))
            status = response.status_code
            if status < 400 or status in allow_status:
                self._log(record, response=response)
                return response
            error = self._http_error(method, endpoint, record["url"], response)
            retry_in = None
            if status in RETRY_STATUSES and (idempotent or status in NOT_APPLIED_STATUSES):
                retry_in = self._retry_delay(attempt, response)
            record["error"] = str(error)
            self._log(record, response=response, retry_in=retry_in)
            if retry_in is not None and attempt <= self.max_retries:
                if retry_in > self.max_retry_after:
                    error.retry_after = retry_in
                    raise error
                self.sleep(retry_in)
                continue
            raise error

    def request_json(self, method, path, **kwargs):
        """Like :meth:`request` but return the decoded JSON (None for an empty body)."""
        response = self.request(method, path, **kwargs)
        return self.decode_json(response, method, kwargs.get("endpoint") or path)

    def decode_json(self, response, method="", endpoint=""):
        text = response.text
        if not text or not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise MalformedResponseError(
                f"{method} {endpoint}: the answer is not valid JSON",
                status=response.status_code,
                body=redact_text(text[:BODY_EXCERPT], self.secrets),
                method=method,
                url=response.url,
            ) from exc

    # ------------------------------------------------------------------ internals
    def _http_error(self, method, endpoint, url, response):
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = response.text[:BODY_EXCERPT]
        body = redact(body)
        message = f"{method} {endpoint}: {_error_message(body, response.reason or 'error')}"
        message = redact_text(message, self.secrets)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.wall_clock())
        kwargs = {
            "status": status,
            "body": body,
            "method": method,
            "url": url,
            "retry_after": retry_after,
        }
        if status in (401, 403):
            return AuthError(message, **kwargs)
        if status == 429:
            return RateLimitError(message, **kwargs)
        if status >= 500:
            return ServerError(message, maybe_applied=status not in NOT_APPLIED_STATUSES, **kwargs)
        return ClientError(message, **kwargs)

    def _backoff(self, attempt):
        """Exponential backoff with "equal jitter": half fixed, half random."""
        delay = min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def _retry_delay(self, attempt, response):
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.wall_clock())
        if retry_after is not None:
            return retry_after
        return self._backoff(attempt)

    def _elapsed_ms(self, started):
        return round((self.clock() - started) * 1000, 1)

    def _redacted_url(self, url, params):
        if not params:
            return url
        safe = redact(dict(params), self.redact_pii)
        query = "&".join(f"{key}={value}" for key, value in safe.items() if value is not None)
        return f"{url}?{query}" if query else url

    def _redacted_body(self, json_body, data, files):
        if json_body is not None:
            return redact(json_body, self.redact_pii)
        if data is None and not files:
            return None
        body = {}
        if data is not None:
            body["data"] = (
                redact(data, self.redact_pii)
                if isinstance(data, (dict, list))
                else f"<{len(data)} bytes>"
            )
        pairs = files.items() if isinstance(files, dict) else (files or [])
        for name, spec in pairs:
            content = spec[1] if isinstance(spec, (tuple, list)) else spec
            size = len(content) if isinstance(content, (bytes, str)) else "?"
            body.setdefault("files", []).append(f"{name}: <{size} bytes>")
        return body

    def _log(self, record, response=None, retry_in=None):
        if retry_in is not None:
            record["retry_in_s"] = round(retry_in, 3)
        if response is not None and (response.status_code >= 400 or record.get("error")):
            record["response_excerpt"] = redact_text(
                (response.text or "")[:BODY_EXCERPT], self.secrets, self.redact_pii
            )
        if self.logger is None:
            return
        if isinstance(self.logger, logging.Logger) or hasattr(self.logger, "isEnabledFor"):
            level = logging.WARNING if record.get("error") else logging.DEBUG
            if self.logger.isEnabledFor(level):
                self.logger.log(level, "marketplace call %s", json.dumps(record, default=str))
            return
        self.logger(record)
