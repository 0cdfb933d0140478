"""Integrator-neutral interface: results, errors, the one state set and the call log hook.

Every integrator adapter (one class per GİB özel entegratör) implements :class:`Provider`.
Odoo code only talks to this interface, never to an integrator's SOAP shapes.
"""

import contextlib
import re
import time
from dataclasses import dataclass, field

from ..codes import GTB_EXPORT_ALIAS, GTB_VKN

# The one state list of an e-document: the selection of account.move.l10n_tr_edoc_state.
STATE_SELECTION = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("unknown", "Outcome Unknown"),
    ("processing", "Processing"),
    ("accepted", "Accepted by GİB"),
    ("delivered", "Delivered"),
    ("rejected", "Rejected"),
    ("error", "Error"),
    ("cancelled", "Cancelled"),
]
STATES = tuple(state for state, _label in STATE_SELECTION)
# States after which nothing changes any more: status polling stops there.
FINAL_STATES = ("delivered", "rejected", "error", "cancelled")


class IntegratorError(Exception):
    """The integrator answered with an error; ``code`` and ``message`` are its raw values."""

    def __init__(self, message, code=None, operation=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.operation = operation

    def __str__(self):
        prefix = f"[{self.code}] " if self.code else ""
        return f"{prefix}{self.message}"


class AuthenticationError(IntegratorError):
    """Wrong user name / password (after one re-login attempt for expired sessions)."""


class DocumentRejected(IntegratorError):
    """The integrator refused the document (schema/schematron/business rule): nothing was sent."""


class DuplicateDocument(IntegratorError):
    """The integrator already holds this ETTN / number: the document was sent before."""


class OutcomeUnknown(IntegratorError):
    """Timeout or lost connection: the request may or may not have been processed.

    For a send this must be resolved by a status query, never by sending again blindly.
    """


class ServiceUnavailable(IntegratorError):
    """The service could not be reached at all (connection refused): nothing was processed."""


@dataclass
class SendResult:
    ettn: str
    gib_number: str
    state: str = "sent"
    raw_code: str = ""
    raw_message: str = ""
    duplicate: bool = False


@dataclass
class OutgoingDocument:
    """One document to send: its ETTN and GİB number are fixed before the first attempt."""

    ettn: str
    gib_number: str
    xml: bytes
    earchive: bool = False
    # e-Fatura: the buyer's VKN/TCKN and receiver mailbox (pk alias)
    receiver_vat: str = ""
    receiver_alias: str = ""
    # IHRACAT: addressed to the customs administration's export mailbox (GTB), never to the
    # foreign buyer; the receiver fields are set to GTB's
    export: bool = False
    # e-Arşiv: see Provider.send_earchive
    internet_sale: dict = None
    delivery: str = "electronic"
    email: str = ""

    def __post_init__(self):
        if self.export:
            self.receiver_vat, self.receiver_alias = GTB_VKN, GTB_EXPORT_ALIAS


# per-document outcomes of Provider.send_documents
SENT = "sent"  # accepted by the integrator now
DUPLICATE = "duplicate"  # the integrator already held it: counted as sent, not sent again
FAILED = "error"  # refused (or not sendable): nothing was sent
UNKNOWN = "unknown"  # no answer and the status could not tell: ask again, never resend
# raw_code of a FAILED result: the integrator called the document a duplicate, but it does not
# hold our ETTN (the GİB number is another document's): not "already sent"
DUPLICATE_ELSEWHERE = "DUPLICATE_ELSEWHERE"


@dataclass
class DocumentResult:
    ettn: str
    outcome: str
    gib_number: str = ""
    raw_code: str = ""
    raw_message: str = ""
    # the integrator's status when the outcome was learnt by a status query
    status: "StatusResult" = None

    @property
    def ok(self):
        return self.outcome in (SENT, DUPLICATE)


@dataclass
class StatusResult:
    ettn: str
    found: bool
    state: str = ""
    raw_code: str = ""
    raw_message: str = ""
    gib_number: str = ""
    # buyer's answer to a commercial invoice: "KABUL" / "RED" / ""
    response: str = ""
    # nothing will change any more: stop polling
    final: bool = False


@dataclass
class IncomingDocument:
    ettn: str
    gib_number: str
    sender_vat: str
    sender_name: str
    profile: str
    type_code: str
    issue_date: str
    received_at: str
    xml: bytes
    # raw integrator status (e.g. 132 waiting for an answer)
    raw_code: str = ""
    raw_message: str = ""
    integrator_id: str = ""


@dataclass
class InboxPage:
    documents: list
    remaining: int = 0

    @property
    def has_more(self):
        return self.remaining > 0


@dataclass
class UserInfo:
    vat: str
    registered: bool
    title: str = ""
    aliases: list = field(default_factory=list)
    default_alias: str = ""


def pick_default_alias(aliases):
    """The receiver mailbox to address: the ``defaultpk`` alias if any, else the first pk."""
    aliases = [a for a in aliases if a]
    for alias in aliases:
        if "defaultpk" in alias.lower():
            return alias
    return aliases[0] if aliases else ""


_SECRET_TAGS = ("PASSWORD", "Password", "SESSION_ID", "password", "Nonce")
_SECRET_RE = re.compile(r"(<(?:[\w.-]+:)?(?:%s)\b[^>]*>)[^<]*(</)" % "|".join(_SECRET_TAGS))
_LONG_RE = re.compile(r">([A-Za-z0-9+/=\s]{400,})<")


def redact(payload, limit=20000):
    """Hide secrets and long base64 blobs from a SOAP envelope before it is logged."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "replace")
    payload = _SECRET_RE.sub(r"\1***\2", payload or "")
    payload = _LONG_RE.sub(lambda m: f">[{len(m.group(1))} base64 chars]<", payload)
    return payload[:limit]


class CallLogger:
    """Collects (operation, duration, result, payload) of each call; Odoo stores them.

    ``context`` (see :meth:`Provider.log_context`) travels with each entry, e.g. the
    documents a batch call carried."""

    def __init__(self, callback=None):
        self.callback = callback
        self.entries = []
        self.context = {}

    def record(self, operation, started, result, message="", payload=""):
        entry = {
            "operation": operation,
            "duration_ms": int((time.monotonic() - started) * 1000),
            "result": result,
            "message": message or "",
            "payload": redact(payload),
            "context": dict(self.context),
        }
        self.entries.append(entry)
        if self.callback:
            self.callback(entry)
        return entry


class Provider:
    """Base class of the integrator adapters; methods raise :class:`IntegratorError`s."""

    code = ""
    name = ""
    # documented default WSDL addresses: {"test": {...}, "production": {...}}
    DEFAULT_URLS = {}
    # documents per send request the integrator accepts, and raw UBL bytes per request
    max_batch = 1
    max_batch_bytes = 0

    def __init__(
        self,
        username,
        password,
        urls=None,
        environment="test",
        timeout=30,
        sender_alias="",
        sender_vat="",
        log_callback=None,
    ):
        self.username = username
        self.password = password
        self.environment = environment
        self.urls = dict(self.DEFAULT_URLS.get(environment, {}))
        self.urls.update({k: v for k, v in (urls or {}).items() if v})
        self.timeout = timeout
        self.sender_alias = sender_alias
        self.sender_vat = sender_vat
        self.logger = CallLogger(log_callback)

    @contextlib.contextmanager
    def log_context(self, **values):
        """Attach ``values`` to the call log entries recorded inside the block."""
        previous = self.logger.context
        self.logger.context = dict(previous, **values)
        try:
            yield
        finally:
            self.logger.context = previous

    # --- registered users -------------------------------------------------------------
    def check_user(self, vat):
        """-> :class:`UserInfo` for a VKN/TCKN."""
        raise NotImplementedError

    # --- outgoing ---------------------------------------------------------------------
    def send_invoice(self, xml, ettn, gib_number, receiver_vat, receiver_alias):
        """Send an e-Fatura to the buyer's mailbox. -> :class:`SendResult`."""
        raise NotImplementedError

    def send_earchive(
        self, xml, ettn, gib_number, internet_sale=None, delivery="electronic", email=""
    ):
        """Send (archive + report) an e-Arşiv invoice. ``internet_sale`` = dict of
        website, payment_method, payment_agent, payment_date, carrier_vat, carrier_name,
        shipment_date. -> :class:`SendResult`."""
        raise NotImplementedError

    def get_status(self, ettn, earchive=False):
        """-> :class:`StatusResult` (``found=False`` when the integrator does not know it)."""
        raise NotImplementedError

    def get_statuses(self, ettns, earchive=False):
        """{ettn: StatusResult} of several documents; an ETTN whose status could not be read
        is missing (unknown is not "not found"). Connection problems raise."""
        statuses = {}
        for ettn in ettns:
            try:
                statuses[ettn] = self.get_status(ettn, earchive=earchive)
            except (ServiceUnavailable, OutcomeUnknown, AuthenticationError):
                raise
            except IntegratorError:
                continue
        return statuses

    # --- batches ----------------------------------------------------------------------
    def batch_key(self, document):
        """Documents with equal keys may travel in one request (default: same kind)."""
        return ("earchive" if document.earchive else "efatura",)

    def split_batches(self, documents, size=None):
        """Requests to make: lists of documents of one batch key, at most ``size`` (capped by
        :attr:`max_batch`) documents and :attr:`max_batch_bytes` bytes each."""
        size = max(1, min(size or self.max_batch, self.max_batch))
        groups = {}
        for document in documents:
            groups.setdefault(self.batch_key(document), []).append(document)
        for group in groups.values():
            chunk, chunk_bytes = [], 0
            for document in group:
                too_big = (
                    self.max_batch_bytes and chunk_bytes + len(document.xml) > self.max_batch_bytes
                )
                if chunk and (len(chunk) >= size or too_big):
                    yield chunk
                    chunk, chunk_bytes = [], 0
                chunk.append(document)
                chunk_bytes += len(document.xml)
            if chunk:
                yield chunk

    def send_documents(self, documents, batch_size=None):
        """Send :class:`OutgoingDocument` s with as few requests as the integrator allows.

        -> one :class:`DocumentResult` per document, in order. Exactly once per document:
        after a timeout or lost answer each document's status is asked, never resent; when
        the integrator refuses a whole request, the documents it does not hold are sent one
        by one so that only the bad one fails."""
        results = {}
        for chunk in self.split_batches(documents, batch_size):
            for result in self._send_chunk(chunk):
                results[result.ettn] = result
        return [results[document.ettn] for document in documents]

    def _send_chunk(self, documents):
        if len(documents) == 1:
            return [self._send_single(documents[0])]
        try:
            sent = self._send_many(documents)
        except OutcomeUnknown as exc:
            return self._resolve_unknown(documents, exc)
        except (ServiceUnavailable, AuthenticationError) as exc:
            return [_failed(document, exc) for document in documents]
        except IntegratorError as exc:
            return self._isolate(documents, exc)
        return [_from_send(result) for result in sent]

    def _send_single(self, document):
        try:
            if document.earchive:
                result = self.send_earchive(
                    document.xml,
                    document.ettn,
                    document.gib_number,
                    internet_sale=document.internet_sale,
                    delivery=document.delivery,
                    email=document.email,
                )
            else:
                result = self.send_invoice(
                    document.xml,
                    document.ettn,
                    document.gib_number,
                    document.receiver_vat,
                    document.receiver_alias,
                )
        except OutcomeUnknown as exc:
            return self._resolve_unknown([document], exc)[0]
        except IntegratorError as exc:
            return _failed(document, exc)
        if result.duplicate:
            return self._confirm_duplicate(document, result)
        return _from_send(result)

    def _confirm_duplicate(self, document, result):
        """A "duplicate" answer counts as "already sent" only when the integrator holds this
        very ETTN; otherwise our number belongs to another document there: an error."""
        try:
            status = self.get_status(document.ettn, earchive=document.earchive)
        except IntegratorError as exc:
            return DocumentResult(
                ettn=document.ettn,
                outcome=UNKNOWN,
                gib_number=document.gib_number,
                raw_code=exc.code or result.raw_code or "",
                raw_message=f"{result.raw_message} (status: {exc.message})",
            )
        if status.found:
            return _held(document, status, DUPLICATE)
        return DocumentResult(
            ettn=document.ettn,
            outcome=FAILED,
            gib_number=document.gib_number,
            raw_code=DUPLICATE_ELSEWHERE,
            raw_message=f"The integrator reports {document.gib_number} as a duplicate but "
            f"does not hold ETTN {document.ettn}: {result.raw_message}",
        )

    def _send_many(self, documents):
        """One request carrying ``documents`` (same batch key). -> [SendResult] in order;
        raises :class:`IntegratorError` s for the request as a whole."""
        raise NotImplementedError

    def _statuses_or_none(self, documents):
        """{ettn: status} of what the integrator holds; {} when it cannot be asked."""
        try:
            return self.get_statuses([d.ettn for d in documents], earchive=documents[0].earchive)
        except IntegratorError:
            return {}

    def _resolve_unknown(self, documents, error):
        """No answer: what the integrator holds is sent; the rest stays unknown."""
        statuses = self._statuses_or_none(documents)
        results = []
        for document in documents:
            status = statuses.get(document.ettn)
            if status is not None and status.found:
                results.append(_held(document, status, SENT))
            else:
                results.append(
                    DocumentResult(
                        ettn=document.ettn,
                        outcome=UNKNOWN,
                        gib_number=document.gib_number,
                        raw_code=error.code or "",
                        raw_message=error.message,
                    )
                )
        return results

    def _isolate(self, documents, error):
        """The request was refused as a whole: keep what the integrator holds, send the
        documents it does not know one by one, leave the unknown ones in error."""
        statuses = self._statuses_or_none(documents)
        results = []
        for document in documents:
            status = statuses.get(document.ettn)
            if status is None:
                results.append(_failed(document, error))
            elif status.found:
                results.append(_held(document, status, DUPLICATE))
            else:
                results.append(self._send_single(document))
        return results

    def get_pdf(self, ettn, direction="OUT", earchive=False):
        """-> PDF bytes of an outgoing (OUT) or incoming (IN) invoice."""
        raise NotImplementedError

    def cancel_earchive(self, ettn, gib_number, reason="", amount=0.0, cancel_date=None):
        """Cancel an e-Arşiv invoice. -> True."""
        raise NotImplementedError

    # --- incoming ---------------------------------------------------------------------
    def fetch_inbox(self, limit=50):
        """The next not-yet-fetched incoming invoices. -> :class:`InboxPage`.

        Call :meth:`mark_fetched` on them before asking for the next page."""
        raise NotImplementedError

    def mark_fetched(self, documents):
        """Mark incoming documents (list of :class:`IncomingDocument`) as fetched."""
        raise NotImplementedError

    def respond(self, ettn, accept, reason="", gib_number=""):
        """Answer a commercial invoice: KABUL (accept=True) or RED with a reason. -> True."""
        raise NotImplementedError


def _failed(document, error):
    return DocumentResult(
        ettn=document.ettn,
        outcome=FAILED,
        gib_number=document.gib_number,
        raw_code=error.code or "ERROR",
        raw_message=error.message,
    )


def _held(document, status, outcome):
    return DocumentResult(
        ettn=document.ettn,
        outcome=outcome,
        gib_number=status.gib_number or document.gib_number,
        raw_code=status.raw_code,
        raw_message=status.raw_message,
        status=status,
    )


def _from_send(result):
    return DocumentResult(
        ettn=result.ettn,
        outcome=DUPLICATE if result.duplicate else SENT,
        gib_number=result.gib_number,
        raw_code=result.raw_code,
        raw_message=result.raw_message,
    )
