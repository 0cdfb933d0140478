"""Customer status codes (Minerva vocabulary) and the rules for moving between them."""

STATUS_CODES = (
    ("AA", "Lead customer"),
    ("BA", "Potential customer"),
    ("DB", "Under investigation"),
    ("DF", "Awaiting approval"),
    ("LA", "Active customer"),
    ("PA", "Blocked customer"),
    ("YH", "Cancelled customer"),
    ("XA", "Former customer"),
    ("ZZ", "Archived customer"),
)
STATUS_LABELS = dict(STATUS_CODES)
# Selection of the status fields: the code next to its name ("LA - Active customer").
STATUS_SELECTION = [(code, f"{code} - {label}") for code, label in STATUS_CODES]
DEFAULT_STATUS = "LA"
# Partners in these statuses cannot be used on new sale orders or invoices.
BLOCKED_STATUSES = frozenset({"PA", "YH", "ZZ"})
# Statuses that only an approval action of a manager may leave (to any other status, so that
# DF -> AA -> LA cannot go around the approval of DF -> LA).
APPROVAL_STATUSES = frozenset({"DF"})


def is_valid_status(code):
    return isinstance(code, str) and code in STATUS_LABELS


def is_blocked(code):
    """True when documents must be refused for a partner in status ``code``."""
    return code in BLOCKED_STATUSES


def needs_approval(old, new):
    """True when ``old`` → ``new`` may only happen through the manager's approval action."""
    return old in APPROVAL_STATUSES and new != old


def check_transition(old, new, approved=False):
    """Return an error key ('invalid', 'unchanged', 'approval') or None when allowed."""
    if not is_valid_status(new):
        return "invalid"
    if old == new:
        return "unchanged"
    if needs_approval(old, new) and not approved:
        return "approval"
    return None
