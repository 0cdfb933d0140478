"""Small UBL-TR invoices (fictitious data) for the integrator fakes and tests.

``sample_invoice(...) -> bytes`` renders a compact, schema-shaped UBL-TR 1.2 ``Invoice`` with
KDV lines, enough for an integrator round trip and for ``lib.parser.parse_invoice``.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"


def _money(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _el(parent, ns, tag, text=None, **attrs):
    node = etree.SubElement(parent, f"{{{ns}}}{tag}", **attrs)
    if text is not None:
        node.text = str(text)
    return node


def _party(parent, tag, vkn, name, city="İstanbul", district="Kadıköy", tax_office="Kadıköy"):
    party = _el(_el(parent, CAC, tag), CAC, "Party")
    _el(
        _el(party, CAC, "PartyIdentification"),
        CBC,
        "ID",
        vkn,
        schemeID="VKN" if len(vkn) == 10 else "TCKN",
    )
    _el(_el(party, CAC, "PartyName"), CBC, "Name", name)
    address = _el(party, CAC, "PostalAddress")
    _el(address, CBC, "StreetName", "Bağdat Caddesi No:1")
    _el(address, CBC, "CitySubdivisionName", district)
    _el(address, CBC, "CityName", city)
    _el(_el(address, CAC, "Country"), CBC, "Name", "Türkiye")
    _el(_el(_el(party, CAC, "PartyTaxScheme"), CAC, "TaxScheme"), CBC, "Name", tax_office)


def _tax_total(parent, base, amount, percent, currency):
    total = _el(parent, CAC, "TaxTotal")
    _el(total, CBC, "TaxAmount", amount, currencyID=currency)
    sub = _el(total, CAC, "TaxSubtotal")
    _el(sub, CBC, "TaxableAmount", base, currencyID=currency)
    _el(sub, CBC, "TaxAmount", amount, currencyID=currency)
    _el(sub, CBC, "Percent", percent)
    scheme = _el(_el(sub, CAC, "TaxCategory"), CAC, "TaxScheme")
    _el(scheme, CBC, "Name", "KDV")
    _el(scheme, CBC, "TaxTypeCode", "0015")


def sample_invoice(
    number="ABC2026000000001",
    ettn=None,
    profile="TEMELFATURA",
    type_code="SATIS",
    supplier=("4840847211", "Tedarikçi A.Ş."),
    customer=("1234567803", "Alıcı Ltd. Şti."),
    issue_date="2026-01-15",
    lines=(("Kalem A", 2, "100.00", 20),),
    currency="TRY",
):
    """A UBL-TR invoice as bytes; ``lines`` = (name, quantity, unit price, KDV %)."""
    ettn = ettn or str(uuid.uuid4())
    root = etree.Element(f"{{{INV}}}Invoice", nsmap={None: INV, "cac": CAC, "cbc": CBC, "ext": EXT})
    _el(_el(_el(root, EXT, "UBLExtensions"), EXT, "UBLExtension"), EXT, "ExtensionContent")
    for tag, value in (
        ("UBLVersionID", "2.1"),
        ("CustomizationID", "TR1.2"),
        ("ProfileID", profile),
        ("ID", number),
        ("CopyIndicator", "false"),
        ("UUID", ettn),
        ("IssueDate", issue_date),
        ("IssueTime", "10:00:00"),
        ("InvoiceTypeCode", type_code),
        ("DocumentCurrencyCode", currency),
        ("LineCountNumeric", len(lines)),
    ):
        _el(root, CBC, tag, value)
    signature = _el(root, CAC, "Signature")
    _el(signature, CBC, "ID", supplier[0], schemeID="VKN_TCKN")
    _el(
        _el(_el(signature, CAC, "SignatoryParty"), CAC, "PartyIdentification"),
        CBC,
        "ID",
        supplier[0],
        schemeID="VKN",
    )
    _el(
        _el(_el(signature, CAC, "DigitalSignatureAttachment"), CAC, "ExternalReference"),
        CBC,
        "URI",
        f"#Signature_{number}",
    )
    _party(root, "AccountingSupplierParty", *supplier)
    _party(root, "AccountingCustomerParty", *customer)
    computed = []
    for name, quantity, price, percent in lines:
        base = _money(Decimal(str(quantity)) * Decimal(str(price)))
        computed.append(
            (
                name,
                quantity,
                Decimal(str(price)),
                percent,
                base,
                _money(base * Decimal(percent) / 100),
            )
        )
    by_rate = {}
    for *_head, percent, base, tax in computed:
        old = by_rate.get(percent, (Decimal(0), Decimal(0)))
        by_rate[percent] = (old[0] + base, old[1] + tax)
    total = _el(root, CAC, "TaxTotal")
    tax_sum = sum((t for _b, t in by_rate.values()), Decimal(0))
    _el(total, CBC, "TaxAmount", tax_sum, currencyID=currency)
    for percent, (base, tax) in by_rate.items():
        sub = _el(total, CAC, "TaxSubtotal")
        _el(sub, CBC, "TaxableAmount", base, currencyID=currency)
        _el(sub, CBC, "TaxAmount", tax, currencyID=currency)
        _el(sub, CBC, "Percent", percent)
        scheme = _el(_el(sub, CAC, "TaxCategory"), CAC, "TaxScheme")
        _el(scheme, CBC, "Name", "KDV")
        _el(scheme, CBC, "TaxTypeCode", "0015")
    untaxed = sum((c[4] for c in computed), Decimal(0))
    monetary = _el(root, CAC, "LegalMonetaryTotal")
    for tag, value in (
        ("LineExtensionAmount", untaxed),
        ("TaxExclusiveAmount", untaxed),
        ("TaxInclusiveAmount", untaxed + tax_sum),
        ("PayableAmount", untaxed + tax_sum),
    ):
        _el(monetary, CBC, tag, value, currencyID=currency)
    for index, (name, quantity, price, percent, base, tax) in enumerate(computed, 1):
        line = _el(root, CAC, "InvoiceLine")
        _el(line, CBC, "ID", index)
        _el(line, CBC, "InvoicedQuantity", quantity, unitCode="C62")
        _el(line, CBC, "LineExtensionAmount", base, currencyID=currency)
        _tax_total(line, base, tax, percent, currency)
        _el(_el(line, CAC, "Item"), CBC, "Name", name)
        _el(_el(line, CAC, "Price"), CBC, "PriceAmount", price, currencyID=currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _edited(xml, edit):
    root = etree.fromstring(xml)
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _set(path, value):
    def edit(root):
        root.find(path, {"cac": CAC, "cbc": CBC}).text = value

    return edit


def _drop(path):
    def edit(root):
        node = root.find(path, {"cac": CAC, "cbc": CBC})
        node.getparent().remove(node)

    return edit


def _nest(depth):
    def edit(root):
        node = root.find("cbc:Note", {"cbc": CBC}) or _el(root, CBC, "Note")
        for _level in range(depth):
            node = _el(node, CBC, "Note")

    return edit


def hostile_invoice(kind, number="BAD2026000000001", ettn=None, supplier_vkn="4840847211"):
    """An incoming invoice that must be refused, with its ``InvoiceParseError`` code in
    :data:`HOSTILE_KINDS`; the same ID/UUID as a good one where the document still has them."""
    ettn = ettn or str(uuid.uuid4())
    base = sample_invoice(number=number, ettn=ettn, supplier=(supplier_vkn, "Kötü A.Ş."))
    if kind == "dtd":
        return (
            b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM '
            b'"file:///etc/passwd">]>\n'
            + base.split(b"?>", 1)[1].replace(
                f"<cbc:ID>{number}</cbc:ID>".encode(), b"<cbc:ID>&xxe;</cbc:ID>", 1
            )
        )
    if kind == "wrong_namespace":
        return base.replace(INV.encode(), b"urn:example:not-ubl", 1)
    if kind == "wrong_root":
        return base.replace(b"<Invoice ", b"<CreditNote ", 1).replace(
            b"</Invoice>", b"</CreditNote>"
        )
    if kind == "not_xml":
        return base[: len(base) // 2]
    if kind == "too_many_lines":
        return sample_invoice(
            number=number,
            ettn=ettn,
            supplier=(supplier_vkn, "Kötü A.Ş."),
            lines=tuple((f"Kalem {i}", 1, "1.00", 20) for i in range(5001)),
        )
    edits = {
        "too_deep": _nest(100),
        "missing_id": _drop("cbc:ID"),
        "missing_uuid": _drop("cbc:UUID"),
        "missing_issue_date": _drop("cbc:IssueDate"),
        "missing_supplier_vkn": _drop(
            "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification"
        ),
        "bad_date": _set("cbc:IssueDate", "2026-02-30"),
        "huge_amount": _set("cac:InvoiceLine/cac:Price/cbc:PriceAmount", "1e309"),
        "nan_amount": _set("cac:LegalMonetaryTotal/cbc:PayableAmount", "NaN"),
        "infinite_amount": _set("cac:TaxTotal/cbc:TaxAmount", "Infinity"),
        "absurd_quantity": _set("cac:InvoiceLine/cbc:InvoicedQuantity", "1000000000000"),
        "negative_quantity": _set("cac:InvoiceLine/cbc:InvoicedQuantity", "-5"),
    }
    return _edited(base, edits[kind])


# hostile kind -> the InvoiceParseError code it must raise
HOSTILE_KINDS = {
    "dtd": "dtd",
    "wrong_namespace": "wrong_namespace",
    "wrong_root": "wrong_root",
    "not_xml": "not_xml",
    "too_many_lines": "too_many_lines",
    "too_deep": "too_deep",
    "missing_id": "missing",
    "missing_uuid": "missing",
    "missing_issue_date": "missing",
    "missing_supplier_vkn": "missing",
    "bad_date": "bad_date",
    "huge_amount": "bad_number",
    "nan_amount": "bad_number",
    "infinite_amount": "bad_number",
    "absurd_quantity": "too_big",
    "negative_quantity": "negative",
}
