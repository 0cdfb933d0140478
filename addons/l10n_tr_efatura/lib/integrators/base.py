"""Integrator-neutral interface: results, errors, the one state set and the call log hook.

Every integrator adapter (one class per GİB özel entegratör) implements :class:`Provider`.
Odoo code only talks to this interface, never to an integrator's SOAP shapes.
"""
import re
import time
from dataclasses import dataclass, field

# The one state set shown on the invoice (same keys as account.move.l10n_tr_edoc_state).
STATES = ("to_send", "sent", "processing", "accepted", "delivered", "rejected", "error",
          "cancelled")
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
_SECRET_RE = re.compile(
    r"(<(?:[\w.-]+:)?(?:%s)\b[^>]*>)[^<]*(</)" % "|".join(_SECRET_TAGS))
_LONG_RE = re.compile(r">([A-Za-z0-9+/=\s]{400,})<")


def redact(payload, limit=20000):
    """Hide secrets and long base64 blobs from a SOAP envelope before it is logged."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "replace")
    payload = _SECRET_RE.sub(r"\1***\2", payload or "")
    payload = _LONG_RE.sub(lambda m: f">[{len(m.group(1))} base64 chars]<", payload)
    return payload[:limit]


class CallLogger:
    """Collects (operation, duration, result, payload) of each call; Odoo stores them."""

    def __init__(self, callback=None):
        self.callback = callback
        self.entries = []

    def record(self, operation, started, result, message="", payload=""):
        entry = {
            "operation": operation,
            "duration_ms": int((time.monotonic() - started) * 1000),
            "result": result,
            "message": message or "",
            "payload": redact(payload),
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
    # documents per SendInvoice call the integrator accepts
    max_batch = 1

    def __init__(self, username, password, urls=None, environment="test", timeout=30,
                 sender_alias="", sender_vat="", log_callback=None):
        self.username = username
        self.password = password
        self.environment = environment
        self.urls = dict(self.DEFAULT_URLS.get(environment, {}))
        self.urls.update({k: v for k, v in (urls or {}).items() if v})
        self.timeout = timeout
        self.sender_alias = sender_alias
        self.sender_vat = sender_vat
        self.logger = CallLogger(log_callback)

    # --- registered users -------------------------------------------------------------
    def check_user(self, vat):
        """-> :class:`UserInfo` for a VKN/TCKN."""
        raise NotImplementedError

    # --- outgoing ---------------------------------------------------------------------
    def send_invoice(self, xml, ettn, gib_number, receiver_vat, receiver_alias):
        """Send an e-Fatura to the buyer's mailbox. -> :class:`SendResult`."""
        raise NotImplementedError

    def send_earchive(self, xml, ettn, gib_number, internet_sale=None, delivery="electronic",
                      email=""):
        """Send (archive + report) an e-Arşiv invoice. ``internet_sale`` = dict of
        website, payment_method, payment_agent, payment_date, carrier_vat, carrier_name,
        shipment_date. -> :class:`SendResult`."""
        raise NotImplementedError

    def get_status(self, ettn, earchive=False):
        """-> :class:`StatusResult` (``found=False`` when the integrator does not know it)."""
        raise NotImplementedError

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
