"""Readable names of the marketplaces' own status codes: ``(code, name)`` pairs for the
models' status labels (one list per kind, over all registered marketplaces, first name wins)."""

from .marketplace import adapter_classes


def _merged(attribute):
    names = {}
    for adapter in adapter_classes():
        for code, name in getattr(adapter, attribute):
            names.setdefault(code, name)
    return list(names.items())


PACKAGE_STATUS_NAMES = _merged("package_status_names")
CLAIM_STATUS_NAMES = _merged("claim_status_names")


def known(names, code):
    """``code`` when it has a name in ``names``, else False."""
    return code if code and code in dict(names) else False
