"""Human (HTML) view of a UBL-TR invoice: an XSLT 1.0 stylesheet applied with lxml.

``render_html(xml_bytes, xslt_bytes=None) -> bytes`` (UTF-8 HTML). Without ``xslt_bytes`` the
addon's own stylesheet (``lib/xslt/general.xslt``, the one embedded in every document we build)
is used; it is compiled once per process. Both the document and the stylesheet are parsed
XXE-safe (no DTD, no entity expansion, no network), and the transformation runs with lxml's
``XSLTAccessControl.DENY_ALL``: ``document()``, ``xsl:include``/``xsl:import`` of other files
and any write are refused, so a foreign stylesheet can read nothing from disk or the network.
"""

import functools
import threading

from lxml import etree

from .parser import safe_fromstring
from .ubl import XSLT_PATH

_TRANSFORM_LOCK = threading.Lock()  # the cached stylesheet is shared by Odoo's threads


class PreviewError(ValueError):
    """The document or the stylesheet cannot be rendered."""


def _compile(xslt_bytes):
    try:
        stylesheet = safe_fromstring(xslt_bytes)
        return etree.XSLT(stylesheet, access_control=etree.XSLTAccessControl.DENY_ALL)
    except (etree.XMLSyntaxError, etree.XSLTParseError, ValueError) as exc:
        raise PreviewError(f"invalid XSLT: {exc}") from exc


@functools.lru_cache(maxsize=1)
def default_transform():
    """The compiled addon stylesheet (cached)."""
    return _compile(XSLT_PATH.read_bytes())


def render_html(xml_bytes, xslt_bytes=None):
    """Apply the stylesheet to the UBL-TR XML and return the HTML as UTF-8 bytes."""
    transform = _compile(xslt_bytes) if xslt_bytes else default_transform()
    try:
        document = safe_fromstring(xml_bytes)
        with _TRANSFORM_LOCK:
            result = transform(document)
    except (etree.XMLSyntaxError, etree.XSLTApplyError, ValueError) as exc:
        raise PreviewError(f"cannot render the document: {exc}") from exc
    html = bytes(result)
    if not html.strip():
        raise PreviewError("the stylesheet produced no output")
    return html
