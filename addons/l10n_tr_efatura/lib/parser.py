"""XXE-safe reader for incoming UBL-TR invoices.

``parse_invoice(xml_bytes) -> dict``; raises :class:`InvoiceParseError` (a ``ValueError`` with a
``code`` and ``params``, so that Odoo can show a translated message) for documents that are not a
UBL ``Invoice`` or that carry a DTD (``<!DOCTYPE``: refused, so no entity, external or internal,
is ever expanded and nothing is fetched from the network), that are too large (``MAX_BYTES``),
too deep (``MAX_DEPTH``) or have too many lines (``MAX_LINES``), that lack a mandatory element
(ID, UUID, IssueDate, the supplier's VKN/TCKN), or that carry a bad date, a number that is not a
plain decimal (``NaN``, ``Infinity``, ``1e309``), an amount above ``MAX_AMOUNT`` or a quantity
above ``MAX_QUANTITY`` or below zero. Shape::

    {
      "id": "ABC2026000000001", "ettn": "<UUID>", "profile": "TEMELFATURA", "type": "SATIS",
      "customization": "TR1.2", "issue_date": "2026-01-31", "issue_time": "10:00:00" | None,
      "currency": "TRY", "exchange_rate": Decimal | None, "notes": [str],
      "billing_references": [{"id", "issue_date", "type_code"}],
      "order_reference": {"id", "issue_date"} | None,
      "supplier": PARTY, "customer": PARTY, "buyer": PARTY | None (IHRACAT),
      "lines": [{"id", "name", "description", "quantity": Decimal, "unit_code",
                 "price_unit": Decimal, "discount_amount": Decimal, "discount_percent": Decimal,
                 "line_extension": Decimal, "seller_code", "gtip",
                 "taxes": [{"code", "name", "percent", "base", "amount", "exemption_code",
                            "exemption_reason"}],
                 "withholdings": [{"code", "percent", "base", "amount"}]}],
      "tax_subtotals": [TAX], "withholding_subtotals": [WITHHOLDING],
      "allowances": [{"charge": bool, "reason", "amount", "base_amount", "percent"}],
      "totals": {"line_extension", "tax_exclusive", "tax_inclusive", "allowance_total",
                 "charge_total", "rounding", "payable", "tax", "withholding"},
      "attachments": [{"id", "type", "type_code", "filename", "mime", "content": bytes}],
      "pdf": bytes | None (first embedded PDF), "xslt": bytes | None,
    }
    PARTY = {"vat", "vat_kind": "VKN" | "TCKN" | None, "name", "first_name", "family_name",
             "tax_office", "street", "building_number", "district", "city", "zip",
             "country_code", "country_name", "phone", "email", "website", "ids": {scheme: id}}
"""

import base64
import binascii
import datetime
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_LINES = 5000
MAX_QUANTITY = Decimal(10) ** 9
MAX_AMOUNT = Decimal(10) ** 15
DECIMAL_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class InvoiceParseError(ValueError):
    """A refused incoming document. ``code`` names the reason, ``params`` its values; the
    English ``str()`` is for logs, Odoo maps ``code`` to a translated message.

    Codes: ``too_large`` (size, limit), ``dtd``, ``entity``, ``not_xml`` (detail),
    ``too_deep`` (limit), ``wrong_root`` (root), ``wrong_namespace`` (namespace),
    ``missing`` (element), ``bad_date`` (element, value), ``bad_number`` (element, value),
    ``too_big`` (element, value, limit), ``negative`` (element, value),
    ``too_many_lines`` (count, limit)."""

    def __init__(self, code, message, **params):
        super().__init__(message)
        self.code = code
        self.params = params


def _safe_parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def safe_fromstring(xml_bytes):
    """Parse XML refusing any DTD; returns the root element or raises ``ValueError``."""
    if isinstance(xml_bytes, str):
        xml_bytes = xml_bytes.encode()
    if len(xml_bytes) > MAX_BYTES:
        raise InvoiceParseError(
            "too_large",
            f"document too large: {len(xml_bytes)} bytes",
            size=len(xml_bytes),
            limit=MAX_BYTES,
        )
    root = etree.fromstring(xml_bytes, parser=_safe_parser())
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InvoiceParseError("dtd", "documents with a DTD are refused")
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise InvoiceParseError("entity", "documents with entities are refused")
    _check_depth(root)
    return root


def _check_depth(root):
    depth = 0
    for event, _node in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise InvoiceParseError(
                "too_deep", f"document nested deeper than {MAX_DEPTH}", limit=MAX_DEPTH
            )


def _dec(text, element="", limit=MAX_AMOUNT, signed=True):
    """A plain decimal (no exponent, NaN or Infinity) of at most ``limit``, else refused;
    ``signed=False`` refuses negatives. Empty -> None."""
    text = (text or "").strip()
    if not text:
        return None
    if not DECIMAL_RE.match(text):
        raise InvoiceParseError(
            "bad_number",
            f"{element}: not a decimal number: {text[:40]!r}",
            element=element,
            value=text[:40],
        )
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - DECIMAL_RE lets only decimals in
        raise InvoiceParseError(
            "bad_number", f"{element}: not a decimal number", element=element, value=text[:40]
        ) from exc
    if abs(value) > limit:
        raise InvoiceParseError(
            "too_big",
            f"{element}: {text[:40]} exceeds {limit}",
            element=element,
            value=text[:40],
            limit=str(limit),
        )
    if not signed and value < 0:
        raise InvoiceParseError(
            "negative",
            f"{element}: {text[:40]} must not be negative",
            element=element,
            value=text[:40],
        )
    return value


def _num(node, path, **options):
    """:func:`_dec` of the text at ``path`` under ``node``, named by its last element."""
    return _dec(node.findtext(path), path.rsplit("}", 1)[-1], **options)


def _text(node, path):
    value = node.findtext(path) if node is not None else None
    return value.strip() if value else None


def _party(party):
    if party is None:
        return None
    ids = {}
    for ident in party.findall(f"{CAC}PartyIdentification/{CBC}ID"):
        ids[ident.get("schemeID") or ""] = (ident.text or "").strip()
    kind = "VKN" if "VKN" in ids else "TCKN" if "TCKN" in ids else None
    address = party.find(CAC + "PostalAddress")
    first = _text(party, f"{CAC}Person/{CBC}FirstName")
    family = _text(party, f"{CAC}Person/{CBC}FamilyName")
    name = (
        _text(party, f"{CAC}PartyName/{CBC}Name")
        or _text(party, f"{CAC}PartyLegalEntity/{CBC}RegistrationName")
        or " ".join(filter(None, (first, family)))
        or None
    )
    return {
        "vat": ids.get(kind) if kind else None,
        "vat_kind": kind,
        "name": name,
        "first_name": first,
        "family_name": family,
        "tax_office": _text(party, f"{CAC}PartyTaxScheme/{CAC}TaxScheme/{CBC}Name"),
        "street": _text(address, CBC + "StreetName"),
        "building_number": _text(address, CBC + "BuildingNumber"),
        "district": _text(address, CBC + "CitySubdivisionName"),
        "city": _text(address, CBC + "CityName"),
        "zip": _text(address, CBC + "PostalZone"),
        "country_code": _text(address, f"{CAC}Country/{CBC}IdentificationCode"),
        "country_name": _text(address, f"{CAC}Country/{CBC}Name"),
        "phone": _text(party, f"{CAC}Contact/{CBC}Telephone"),
        "email": _text(party, f"{CAC}Contact/{CBC}ElectronicMail"),
        "website": _text(party, CBC + "WebsiteURI"),
        "ids": ids,
    }


def _subtotals(total):
    result = []
    if total is None:
        return result
    for sub in total.findall(CAC + "TaxSubtotal"):
        category = sub.find(CAC + "TaxCategory")
        result.append(
            {
                "code": _text(category, f"{CAC}TaxScheme/{CBC}TaxTypeCode"),
                "name": _text(category, f"{CAC}TaxScheme/{CBC}Name"),
                "percent": _num(sub, CBC + "Percent", limit=Decimal(100), signed=False),
                "base": _num(sub, CBC + "TaxableAmount"),
                "amount": _num(sub, CBC + "TaxAmount"),
                "exemption_code": _text(category, CBC + "TaxExemptionReasonCode"),
                "exemption_reason": _text(category, CBC + "TaxExemptionReason"),
            }
        )
    return result


def _all_subtotals(node, tag):
    return [s for total in node.findall(CAC + tag) for s in _subtotals(total)]


def _allowances(node):
    result = []
    for charge in node.findall(CAC + "AllowanceCharge"):
        factor = _num(charge, CBC + "MultiplierFactorNumeric", limit=Decimal(1), signed=False)
        result.append(
            {
                "charge": (charge.findtext(CBC + "ChargeIndicator") or "").strip() == "true",
                "reason": _text(charge, CBC + "AllowanceChargeReason"),
                "amount": _num(charge, CBC + "Amount"),
                "base_amount": _num(charge, CBC + "BaseAmount"),
                "percent": factor * 100 if factor is not None else None,
            }
        )
    return result


def _line(line):
    quantity = line.find(CBC + "InvoicedQuantity")
    discounts = [a for a in _allowances(line) if not a["charge"]]
    return {
        "id": _text(line, CBC + "ID"),
        "name": _text(line, f"{CAC}Item/{CBC}Name"),
        "description": _text(line, f"{CAC}Item/{CBC}Description"),
        "quantity": _dec(quantity.text, "InvoicedQuantity", limit=MAX_QUANTITY, signed=False)
        if quantity is not None
        else None,
        "unit_code": quantity.get("unitCode") if quantity is not None else None,
        "price_unit": _num(line, f"{CAC}Price/{CBC}PriceAmount", signed=False),
        "discount_amount": sum((a["amount"] or 0 for a in discounts), Decimal(0)),
        "discount_percent": discounts[0]["percent"] if discounts else None,
        "line_extension": _num(line, CBC + "LineExtensionAmount"),
        "seller_code": _text(line, f"{CAC}Item/{CAC}SellersItemIdentification/{CBC}ID"),
        "gtip": _text(line, f"{CAC}Delivery/{CAC}Shipment/{CAC}GoodsItem/{CBC}RequiredCustomsID"),
        "taxes": _all_subtotals(line, "TaxTotal"),
        "withholdings": _all_subtotals(line, "WithholdingTaxTotal"),
    }


def _attachments(root):
    result = []
    for ref in root.findall(CAC + "AdditionalDocumentReference"):
        blob = ref.find(f"{CAC}Attachment/{CBC}EmbeddedDocumentBinaryObject")
        content = None
        if blob is not None and blob.text:
            try:
                content = base64.b64decode(blob.text.strip(), validate=False)
            except (binascii.Error, ValueError):
                content = None
        result.append(
            {
                "id": _text(ref, CBC + "ID"),
                "type": _text(ref, CBC + "DocumentType"),
                "type_code": _text(ref, CBC + "DocumentTypeCode"),
                "filename": blob.get("filename") if blob is not None else None,
                "mime": blob.get("mimeCode") if blob is not None else None,
                "content": content,
            }
        )
    return result


def _totals(root):
    monetary = root.find(CAC + "LegalMonetaryTotal")
    keys = (
        ("line_extension", "LineExtensionAmount"),
        ("tax_exclusive", "TaxExclusiveAmount"),
        ("tax_inclusive", "TaxInclusiveAmount"),
        ("allowance_total", "AllowanceTotalAmount"),
        ("charge_total", "ChargeTotalAmount"),
        ("rounding", "PayableRoundingAmount"),
        ("payable", "PayableAmount"),
    )
    totals = {key: _num(monetary, CBC + tag) if monetary is not None else None for key, tag in keys}
    totals["tax"] = sum(
        (_num(t, CBC + "TaxAmount") or 0 for t in root.findall(CAC + "TaxTotal")), Decimal(0)
    )
    totals["withholding"] = sum(
        (_num(t, CBC + "TaxAmount") or 0 for t in root.findall(CAC + "WithholdingTaxTotal")),
        Decimal(0),
    )
    return totals


def _check_root(root):
    name = etree.QName(root)
    if name.localname != "Invoice":
        raise InvoiceParseError(
            "wrong_root", f"not a UBL Invoice: root is {name.localname}", root=name.localname[:80]
        )
    if name.namespace != INVOICE_NS:
        raise InvoiceParseError(
            "wrong_namespace",
            f"not a UBL Invoice: namespace is {name.namespace!r}",
            namespace=(name.namespace or "")[:200],
        )


def _required(root, tag):
    value = _text(root, CBC + tag)
    if not value:
        raise InvoiceParseError("missing", f"mandatory element {tag} is missing", element=tag)
    return value


def _required_party(supplier):
    if not supplier or not supplier["vat"]:
        raise InvoiceParseError(
            "missing",
            "the supplier's VKN/TCKN is missing",
            element="AccountingSupplierParty/PartyIdentification",
        )
    return supplier


def _date(text, element):
    """An ISO date ``YYYY-MM-DD`` (years 2000-2099), kept as text; else refused."""
    try:
        if not DATE_RE.match(text):
            raise ValueError(text)
        value = datetime.date.fromisoformat(text)
        if not 2000 <= value.year <= 2099:
            raise ValueError(text)
    except ValueError as exc:
        raise InvoiceParseError(
            "bad_date",
            f"{element}: not a valid date: {text[:40]!r}",
            element=element,
            value=text[:40],
        ) from exc
    return text


def parse_invoice(xml_bytes):
    """Read a UBL-TR ``Invoice`` into plain values (see the module docstring)."""
    try:
        root = safe_fromstring(xml_bytes)
    except etree.XMLSyntaxError as exc:
        raise InvoiceParseError(
            "not_xml", f"not well-formed XML: {exc}", detail=str(exc)[:200]
        ) from exc
    _check_root(root)
    lines = root.findall(CAC + "InvoiceLine")
    if len(lines) > MAX_LINES:
        raise InvoiceParseError(
            "too_many_lines",
            f"{len(lines)} lines, at most {MAX_LINES}",
            count=len(lines),
            limit=MAX_LINES,
        )
    supplier = _party(root.find(f"{CAC}AccountingSupplierParty/{CAC}Party"))
    attachments = _attachments(root)
    order = root.find(CAC + "OrderReference")
    return {
        "id": _required(root, "ID"),
        "ettn": _required(root, "UUID"),
        "profile": _text(root, CBC + "ProfileID"),
        "type": _text(root, CBC + "InvoiceTypeCode"),
        "customization": _text(root, CBC + "CustomizationID"),
        "issue_date": _date(_required(root, "IssueDate"), "IssueDate"),
        "issue_time": _text(root, CBC + "IssueTime"),
        "currency": _text(root, CBC + "DocumentCurrencyCode"),
        "exchange_rate": _num(root, f"{CAC}PricingExchangeRate/{CBC}CalculationRate", signed=False),
        "notes": [n.text.strip() for n in root.findall(CBC + "Note") if n.text],
        "billing_references": [
            {
                "id": _text(ref, CBC + "ID"),
                "issue_date": _text(ref, CBC + "IssueDate"),
                "type_code": _text(ref, CBC + "DocumentTypeCode"),
            }
            for ref in root.findall(f"{CAC}BillingReference/{CAC}InvoiceDocumentReference")
        ],
        "order_reference": {
            "id": _text(order, CBC + "ID"),
            "issue_date": _text(order, CBC + "IssueDate"),
        }
        if order is not None
        else None,
        "supplier": _required_party(supplier),
        "customer": _party(root.find(f"{CAC}AccountingCustomerParty/{CAC}Party")),
        "buyer": _party(root.find(f"{CAC}BuyerCustomerParty/{CAC}Party")),
        "lines": [_line(line) for line in lines],
        "tax_subtotals": _all_subtotals(root, "TaxTotal"),
        "withholding_subtotals": _all_subtotals(root, "WithholdingTaxTotal"),
        "allowances": _allowances(root),
        "totals": _totals(root),
        "attachments": attachments,
        "pdf": next(
            (
                a["content"]
                for a in attachments
                if a["content"]
                and (
                    a["mime"] == "application/pdf" or (a["filename"] or "").lower().endswith(".pdf")
                )
            ),
            None,
        ),
        "xslt": next(
            (a["content"] for a in attachments if (a["type"] or "").upper() == "XSLT"), None
        ),
    }
