"""GİB integrator adapters behind one interface (see :mod:`.base`)."""

from .base import (  # noqa: F401
    DUPLICATE,
    DUPLICATE_ELSEWHERE,
    FAILED,
    SENT,
    STATE_SELECTION,
    STATES,
    UNKNOWN,
    AuthenticationError,
    DocumentRejected,
    DocumentResult,
    DuplicateDocument,
    InboxPage,
    IncomingDocument,
    IntegratorError,
    OutcomeUnknown,
    OutgoingDocument,
    Provider,
    SendResult,
    ServiceUnavailable,
    StatusResult,
    UserInfo,
    pick_default_alias,
    redact,
)
from .izibiz import IzibizProvider
from .uyumsoft import UyumsoftProvider

PROVIDERS = {cls.code: cls for cls in (IzibizProvider, UyumsoftProvider)}


def get_provider(code, **config):
    """An adapter instance for ``code`` ("izibiz", "uyumsoft"); config as in Provider."""
    try:
        return PROVIDERS[code](**config)
    except KeyError:
        raise ValueError(f"Unknown e-Fatura integrator: {code!r}") from None
