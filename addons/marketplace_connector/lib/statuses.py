"""Readable names of the marketplaces' status codes: ``(code, name)`` pairs for the models'
status labels (one list per kind, over all supported marketplaces, first name wins)."""

from . import trendyol_mapping

_MAPPINGS = (trendyol_mapping,)


def _merged(attribute):
    names = {}
    for mapping in _MAPPINGS:
        for code, name in getattr(mapping, attribute):
            names.setdefault(code, name)
    return list(names.items())


PACKAGE_STATUS_NAMES = _merged("PACKAGE_STATUS_NAMES")
CLAIM_STATUS_NAMES = _merged("CLAIM_STATUS_NAMES")


def known(names, code):
    """``code`` when it has a name in ``names``, else False."""
    return code if code and code in dict(names) else False
