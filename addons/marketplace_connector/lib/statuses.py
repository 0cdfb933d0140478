"""Readable names of the marketplaces' own status codes: ``(code, name)`` pairs for the
models' status labels (one list per kind, over all registered marketplaces, first name wins)."""

from .marketplace import adapter_classes


def _merged(attribute):
    """One entry per code, compared without case (Odoo names a selection value by its lower
    case: ``Cancelled`` and ``CANCELLED`` are one value)."""
    names = {}
    for adapter in adapter_classes():
        for code, name in getattr(adapter, attribute):
            names.setdefault(code.lower(), (code, name))
    return list(names.values())


PACKAGE_STATUS_NAMES = _merged("package_status_names")
CLAIM_STATUS_NAMES = _merged("claim_status_names")


def known(names, code):
    """The value of ``names`` for ``code`` (compared without case), else False."""
    if not code:
        return False
    return next((value for value, _name in names if value.lower() == code.lower()), False)
