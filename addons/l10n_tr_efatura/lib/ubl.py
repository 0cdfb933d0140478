"""UBL-TR 1.2 ``Invoice`` builder: plain values in, XML bytes out (GİB XSD element order).

``build_invoice(values) -> bytes`` (UTF-8, with XML declaration). The document carries the
unsigned-draft ``ext:UBLExtensions`` placeholder and the ``cac:Signature`` block integrators
expect; the integrator replaces the placeholder with its XAdES signature.

``values`` (amounts may be ``Decimal``, ``int``, ``float`` or numeric ``str``; dates
``datetime.date`` or ``"YYYY-MM-DD"``)::

    {
      "profile": "TEMELFATURA" | "TICARIFATURA" | "EARSIVFATURA" | "IHRACAT",
      "type": "SATIS" | "IADE" | "TEVKIFAT" | "ISTISNA" | "IHRACKAYITLI" | "OZELMATRAH",
      "id": "ABC2026000000001", "uuid": "<ETTN>", "issue_date": date, "issue_time": "14:05:00",
      "currency": "TRY", "exchange_rate": Decimal (TRY for 1 unit, needed when currency != TRY),
      "exchange_rate_date": date,
      "notes": [str], "amount_in_words": True (adds "YALNIZ : ..." note),
      "order_reference": {"id": str, "issue_date": date},
      "billing_references": [{"id": GİB number, "issue_date": date, "type_code": "IADE"}],
      "despatch_references": [{"id": str, "issue_date": date}],
      "attachments": [{"id", "issue_date", "filename", "content": bytes, "mime", "type"}],
      "xslt": bytes | None (default: the addon's general XSLT; False/None: omit),
      "supplier": PARTY, "customer": PARTY,
      "internet_sale": {"website", "payment_method" (KREDIKARTI/BANKAKARTI, EFT/HAVALE,
                        KAPIDAODEME, ODEMEARACISI, DIGER), "payment_agent", "payment_date",
                        "carrier": {"vat", "name", "address": ADDRESS (the carrier's own)},
                        "shipment_date"},
      "export": {"incoterm": "FOB", "transport_mode": "1".."9", "delivery_address": ADDRESS},
      "delivery_party": PARTY (where the goods go when not to the buyer, e.g. a retailer's end
                        customer: DeliveryAddress and DeliveryParty of the invoice's Delivery),
      "payment_means": {"code": "1", "due_date": date, "note": str, "iban": str},
      "allowances": [{"reason", "amount", "base_amount", "percent", "charge": False}],
      "lines": [LINE],
      "tax_subtotals": [TAX]  (optional; default: aggregated from the lines; a subtotal whose
                      amount is off base x percent by more than 1 kuruş because of per-line
                      rounding is written as several same-rate subtotals over groups of
                      lines, see ``consistent_tax_subtotals``),
      "withholding_subtotals": [WITHHOLDING]  (optional; default: aggregated from the lines;
                      split like ``tax_subtotals``),
      "totals": {"line_extension", "tax_exclusive", "tax_inclusive", "allowance_total",
                 "charge_total", "rounding", "payable"}  (optional; computed when missing),
    }
    PARTY = {"vat": VKN/TCKN (None for foreign buyers), "name", "first_name", "family_name",
             "tax_office", "is_company", "street", "building_number", "district", "city",
             "zip", "region", "country_code", "country_name", "phone", "email", "website",
             "extra_ids": [(schemeID, value)],
             "foreign_id": str (a foreign buyer's VAT / registration number; IHRACAT writes it,
                            else ``vat``, as BuyerCustomerParty's PartyLegalEntity/CompanyID)}
    LINE = {"name", "description", "quantity", "unit_code" ("C62"), "price_unit",
            "discount_amount", "discount_percent", "line_extension" (qty*price-discount when
            missing), "taxes": [TAX], "withholdings": [WITHHOLDING], "seller_code",
            "buyer_code", "brand", "model", "gtip" (12-digit customs code, IHRACAT and
            IHRACKAYITLI 702), "dib_line_code" (the buyer's 11-character DİİB line code,
            IHRACKAYITLI 702), "note"}
           (a line's "withholdings" feed the document WithholdingTaxTotal only)
    TAX = {"code": "0015", "name": "KDV", "percent", "base", "amount",
           "exemption_code", "exemption_reason"}
    WITHHOLDING = {"code": "602", "percent": 90, "base" (the KDV withheld from), "amount",
                   "name"}
"""

import base64
import functools
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

from .amount_words import amount_in_words
from .codes import GTB_NAME, GTB_VKN, PAYMENT_METHODS, TAX_TYPES, WITHHOLDING_CODES
from .identity import GIB_PLACEHOLDER_TCKN, GIB_PLACEHOLDER_VKN, normalize_tax_id, tax_id_kind

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
NS_DRAFT = "urn:l10n-tr-efatura:unsigned-draft"
NSMAP = {None: NS_INVOICE, "cac": NS_CAC, "cbc": NS_CBC, "ext": NS_EXT}
CAC = "{%s}" % NS_CAC
CBC = "{%s}" % NS_CBC
EXT = "{%s}" % NS_EXT

CENT = Decimal("0.01")
ZERO = Decimal(0)
XSLT_PATH = Path(__file__).parent / "xslt" / "general.xslt"


class BuildError(ValueError):
    """The values cannot make a UBL-TR document (missing or inconsistent data).

    ``code`` and ``params`` name the problem for callers that word it themselves (the Odoo
    side translates them): ``tax_id``, ``person_name``, ``address``, ``tax_office``
    (``name``), ``missing_value`` (``key``), ``no_lines``, ``exchange_rate``, ``totals``
    (``document``, ``booked``).
    """

    def __init__(self, message, code=None, **params):
        super().__init__(message)
        self.code = code
        self.params = params


# ---------------------------------------------------------------- formatting helpers


def _dec(value):
    if value is None or value == "":
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _money(value):
    return str(_dec(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _num(value, max_decimals=8):
    """Plain decimal text, at least 2 and at most ``max_decimals`` decimals, no exponent."""
    number = _dec(value).quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    text = format(number.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def plain_number(value):
    """A quantity or a rate without trailing zeros or exponent: 3, 2.5, 12.5."""
    number = _dec(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _date(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sub(parent, tag, text=None, **attrs):
    node = etree.SubElement(parent, tag, attrs) if attrs else etree.SubElement(parent, tag)
    if text is not None:
        node.text = str(text)
    return node


def _amount(parent, tag, value, currency):
    return _sub(parent, CBC + tag, _money(value), currencyID=currency)


@functools.lru_cache(maxsize=1)
def default_xslt_base64():
    return base64.b64encode(XSLT_PATH.read_bytes()).decode()


# ---------------------------------------------------------------- parties


def _person_name(party):
    """(first name, family name) of a person, or None when the name has a single word."""
    first, family = party.get("first_name"), party.get("family_name")
    if first and family:
        return first, family
    parts = (party.get("name") or "").split()
    if len(parts) < 2:
        return None
    return " ".join(parts[:-1]), parts[-1]


def _split_person(party):
    name = _person_name(party)
    if not name:
        raise BuildError(
            f"person {party.get('name')!r} needs a first and a family name",
            "person_name",
            name=party.get("name") or "",
        )
    return name


def _party_tax_id(party, foreign_ok):
    vat = normalize_tax_id(party.get("vat"))
    kind = tax_id_kind(vat)
    if kind:
        return kind, vat
    if not foreign_ok:
        raise BuildError(
            f"{party.get('name')!r} has no VKN/TCKN", "tax_id", name=party.get("name") or ""
        )
    return (
        ("VKN", GIB_PLACEHOLDER_VKN) if party.get("is_company") else ("TCKN", GIB_PLACEHOLDER_TCKN)
    )


def party_problems(party, foreign_ok=False, tax_office_needed=True):
    """What a party lacks for a UBL-TR document: ``[(code, params)]`` (codes as BuildError's).

    The same rules the builder applies (VKN/TCKN, a person's first and family name), plus
    what GİB's guide and VUK 230 want printed: an address with a city (il) and, for a VKN
    holder, its tax office (vergi dairesi).
    """
    name = party.get("name") or ""
    kind = tax_id_kind(normalize_tax_id(party.get("vat")))
    problems = []
    if not kind and not foreign_ok:
        problems.append(("tax_id", {"name": name}))
    person = kind == "TCKN" or (not kind and foreign_ok and not party.get("is_company"))
    if person and not _person_name(party):
        problems.append(("person_name", {"name": name}))
    if not (party.get("city") or party.get("region")) or not party.get("street"):
        problems.append(("address", {"name": name}))
    if kind == "VKN" and tax_office_needed and not party.get("tax_office"):
        problems.append(("tax_office", {"name": name}))
    return problems


def _address(parent, tag, address):
    node = _sub(parent, CAC + tag)
    if address.get("street"):
        _sub(node, CBC + "StreetName", address["street"])
    if address.get("building_number"):
        _sub(node, CBC + "BuildingNumber", address["building_number"])
    city = address.get("city") or address.get("region") or "-"
    _sub(node, CBC + "CitySubdivisionName", address.get("district") or city)
    _sub(node, CBC + "CityName", city)
    if address.get("zip"):
        _sub(node, CBC + "PostalZone", address["zip"])
    country = _sub(node, CAC + "Country")
    if address.get("country_code"):
        _sub(country, CBC + "IdentificationCode", address["country_code"])
    _sub(country, CBC + "Name", address.get("country_name") or "Türkiye")
    return node


def _party(parent, tag, party, foreign_ok=False, identification=None):
    """``identification`` overrides the VKN/TCKN (e.g. ``("PARTYTYPE", "EXPORT")``)."""
    node = _sub(parent, CAC + tag)
    if party.get("website"):
        _sub(node, CBC + "WebsiteURI", party["website"])
    if identification:
        kind, number = identification
    else:
        kind, number = _party_tax_id(party, foreign_ok)
    _sub(_sub(node, CAC + "PartyIdentification"), CBC + "ID", number, schemeID=kind)
    for scheme, value in party.get("extra_ids") or ():
        _sub(_sub(node, CAC + "PartyIdentification"), CBC + "ID", value, schemeID=scheme)
    if kind != "TCKN" and party.get("name"):
        _sub(_sub(node, CAC + "PartyName"), CBC + "Name", party["name"])
    _address(node, "PostalAddress", party)
    if party.get("tax_office") or identification:
        scheme = _sub(_sub(node, CAC + "PartyTaxScheme"), CAC + "TaxScheme")
        _sub(scheme, CBC + "Name", party.get("tax_office") or "-")
    if identification:
        legal = _sub(node, CAC + "PartyLegalEntity")
        _sub(legal, CBC + "RegistrationName", party.get("name"))
        company_id = party.get("foreign_id") or party.get("vat")
        if company_id:  # the foreign buyer's own VAT / registration number
            _sub(legal, CBC + "CompanyID", company_id)
    if party.get("phone") or party.get("email"):
        contact = _sub(node, CAC + "Contact")
        if party.get("phone"):
            _sub(contact, CBC + "Telephone", party["phone"])
        if party.get("email"):
            _sub(contact, CBC + "ElectronicMail", party["email"])
    if kind == "TCKN":
        first, family = _split_person(party)
        person = _sub(node, CAC + "Person")
        _sub(person, CBC + "FirstName", first)
        _sub(person, CBC + "FamilyName", family)
    return node


# ---------------------------------------------------------------- amounts


def _line_extension(line):
    if line.get("line_extension") is not None:
        return _dec(line["line_extension"])
    gross = _dec(line.get("quantity")) * _dec(line.get("price_unit"))
    return (gross - _dec(line.get("discount_amount"))).quantize(CENT, rounding=ROUND_HALF_UP)


def _tax_key(tax):
    return (
        tax.get("code") or "0015",
        _dec(tax.get("percent")).normalize(),
        tax.get("exemption_code") or "",
        tax.get("exemption_reason") or "",
    )


def _aggregate(lines, field):
    groups = {}
    for line in lines:
        for tax in line.get(field) or ():
            key = _tax_key(tax)
            group = groups.setdefault(key, dict(tax, base=ZERO, amount=ZERO))
            group["base"] += _dec(tax.get("base"))
            group["amount"] += _dec(tax.get("amount"))
    return list(groups.values())


def expected_tax_amount(base, percent):
    """TaxableAmount x Percent / 100, rounded to the kuruş."""
    return (_dec(base) * _dec(percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def tax_amount_consistent(base, amount, percent):
    """GİB arithmetic rule: TaxAmount = TaxableAmount x Percent / 100 (1 kuruş tolerance)."""
    expected = expected_tax_amount(base, percent)
    return abs(expected - _dec(amount).quantize(CENT, rounding=ROUND_HALF_UP)) <= CENT


def fit_tax_amounts(entries, booked):
    """Per-line tax amounts that obey GİB's line rule and add up to the booked total.

    ``entries``: one tax's per-line dicts with ``base``, ``percent`` and optionally ``raw``
    (the unrounded amount the books computed); each gets ``amount``. Every line starts at
    ``base x percent / 100`` rounded to the kuruş; the difference between their sum and
    ``booked`` (what the posted tax journal items say) is spread one kuruş per line (GİB's
    tolerance), first on the lines whose unrounded amount leans most that way. Only a
    difference larger than the number of lines (a manual tax amount) goes beyond a kuruş.
    Returns ``entries``.
    """
    if not entries:
        return entries
    for entry in entries:
        entry["amount"] = expected_tax_amount(entry["base"], entry["percent"])
    delta = _dec(booked).quantize(CENT, rounding=ROUND_HALF_UP) - sum(
        (e["amount"] for e in entries), ZERO
    )
    direction = 1 if delta > 0 else -1
    step = CENT * direction
    ordered = sorted(
        entries,
        key=lambda e: (
            -(_dec(e.get("raw", e["amount"])) - e["amount"]) * direction,
            -abs(_dec(e["base"])),
        ),
    )
    index = 0
    while delta:
        ordered[index % len(ordered)]["amount"] += step
        delta -= step
        index += 1
    return entries


def _deviation(entry):
    return _dec(entry["amount"]) - _dec(entry["base"]) * _dec(entry["percent"]) / 100


def _consistent_groups(entries, percent):
    """Split one rate's per-line (base, amount) entries into groups that each obey the rule.

    Per-line rounding (Odoo's ``round_per_line``) leaves each line within half a kuruş of
    ``base x percent``, but 100 lines can drift several kuruş apart at document level. Lines
    whose roundings cancel out are grouped together (a group's drift is offset by the line of
    the opposite sign with the largest drift while one is left), so the number of groups stays
    close to what the total drift needs (e.g. 4 for -0.05); the sum of all groups is unchanged.
    """
    ups = sorted((e for e in entries if _deviation(e) > 0), key=_deviation)
    downs = sorted((e for e in entries if _deviation(e) <= 0), key=_deviation, reverse=True)
    groups, base, amount, count = [], ZERO, ZERO, 0
    while ups or downs:
        drift = amount - base * _dec(percent) / 100
        entry = (downs if (drift > 0 and downs) or not ups else ups).pop()
        entry_base, entry_amount = _dec(entry["base"]), _dec(entry["amount"])
        if count and not tax_amount_consistent(base + entry_base, amount + entry_amount, percent):
            groups.append((base, amount))
            base, amount, count = ZERO, ZERO, 0
        base, amount, count = base + entry_base, amount + entry_amount, count + 1
    if count:
        groups.append((base, amount))
    return groups


def consistent_tax_subtotals(subtotals, lines, field="taxes"):
    """Document subtotals, a subtotal that breaks the arithmetic rule split by line groups.

    A subtotal is split only when the lines' own entries with the same tax key add up exactly
    to it (otherwise it is the caller's figure and is kept as given).
    """
    by_key = {}
    for line in lines:
        for entry in line.get(field) or ():
            by_key.setdefault(_tax_key(entry), []).append(entry)
    result = []
    for subtotal in subtotals:
        entries = by_key.get(_tax_key(subtotal), [])
        if (
            tax_amount_consistent(
                subtotal.get("base"), subtotal.get("amount"), subtotal.get("percent")
            )
            or sum((_dec(e["base"]) for e in entries), ZERO) != _dec(subtotal.get("base"))
            or sum((_dec(e["amount"]) for e in entries), ZERO) != _dec(subtotal.get("amount"))
        ):
            result.append(subtotal)
            continue
        for base, amount in _consistent_groups(entries, subtotal.get("percent")):
            result.append(dict(subtotal, base=base, amount=amount))
    return result


def compute_totals(values, tax_subtotals, withholding_subtotals):
    """LegalMonetaryTotal amounts from the lines, allowances and tax subtotals."""
    line_total = sum((_line_extension(line) for line in values["lines"]), ZERO)
    allowances = values.get("allowances") or ()
    allowance = sum((_dec(a["amount"]) for a in allowances if not a.get("charge")), ZERO)
    charge = sum((_dec(a["amount"]) for a in allowances if a.get("charge")), ZERO)
    tax = sum((_dec(t["amount"]) for t in tax_subtotals), ZERO)
    withheld = sum((_dec(w["amount"]) for w in withholding_subtotals), ZERO)
    exclusive = line_total - allowance + charge
    totals = {
        "line_extension": line_total,
        "allowance_total": allowance,
        "charge_total": charge,
        "tax_exclusive": exclusive,
        "tax_inclusive": exclusive + tax,
        "rounding": ZERO,
    }
    totals.update(values.get("totals") or {})
    if "payable" not in (values.get("totals") or {}):
        totals["payable"] = _dec(totals["tax_inclusive"]) - withheld + _dec(totals["rounding"])
    return totals


def _tax_subtotal(parent, tax, currency, withholding=False):
    node = _sub(parent, CAC + "TaxSubtotal")
    _amount(node, "TaxableAmount", tax.get("base"), currency)
    _amount(node, "TaxAmount", tax.get("amount"), currency)
    _sub(node, CBC + "Percent", plain_number(tax.get("percent")))
    category = _sub(node, CAC + "TaxCategory")
    if tax.get("exemption_code"):
        _sub(category, CBC + "TaxExemptionReasonCode", tax["exemption_code"])
        _sub(
            category,
            CBC + "TaxExemptionReason",
            tax.get("exemption_reason") or tax["exemption_code"],
        )
    scheme = _sub(category, CAC + "TaxScheme")
    code = tax.get("code") or ("" if withholding else "0015")
    names = WITHHOLDING_CODES if withholding else TAX_TYPES
    _sub(scheme, CBC + "Name", tax.get("name") or names.get(code, code))
    _sub(scheme, CBC + "TaxTypeCode", code)


def _tax_total(parent, subtotals, currency, tag="TaxTotal"):
    node = _sub(parent, CAC + tag)
    _amount(node, "TaxAmount", sum((_dec(t.get("amount")) for t in subtotals), ZERO), currency)
    for tax in subtotals:
        _tax_subtotal(node, tax, currency, withholding=tag == "WithholdingTaxTotal")
    return node


def _allowance(parent, allowance, currency):
    node = _sub(parent, CAC + "AllowanceCharge")
    _sub(node, CBC + "ChargeIndicator", "true" if allowance.get("charge") else "false")
    if allowance.get("reason"):
        _sub(node, CBC + "AllowanceChargeReason", allowance["reason"])
    if allowance.get("percent"):
        _sub(node, CBC + "MultiplierFactorNumeric", _num(_dec(allowance["percent"]) / 100, 6))
    _amount(node, "Amount", allowance["amount"], currency)
    if allowance.get("base_amount") is not None:
        _amount(node, "BaseAmount", allowance["base_amount"], currency)


# ---------------------------------------------------------------- blocks


def _signature(root, supplier):
    kind, number = _party_tax_id(supplier, False)
    node = _sub(root, CAC + "Signature")
    _sub(node, CBC + "ID", number, schemeID="VKN_TCKN")
    signatory = _sub(node, CAC + "SignatoryParty")
    _sub(_sub(signatory, CAC + "PartyIdentification"), CBC + "ID", number, schemeID=kind)
    _address(signatory, "PostalAddress", supplier)
    attachment = _sub(node, CAC + "DigitalSignatureAttachment")
    _sub(_sub(attachment, CAC + "ExternalReference"), CBC + "URI", "#Signature")


def _document_reference(parent, tag, ref, issue_date):
    node = _sub(parent, CAC + tag)
    _sub(node, CBC + "ID", ref["id"])
    _sub(node, CBC + "IssueDate", _date(ref.get("issue_date") or issue_date))
    if ref.get("type_code"):
        _sub(node, CBC + "DocumentTypeCode", ref["type_code"])
    if ref.get("type"):
        _sub(node, CBC + "DocumentType", ref["type"])
    if ref.get("content") is not None:
        attachment = _sub(node, CAC + "Attachment")
        content = ref["content"]
        encoded = content if isinstance(content, str) else base64.b64encode(content).decode()
        _sub(
            attachment,
            CBC + "EmbeddedDocumentBinaryObject",
            encoded,
            characterSetCode="UTF-8",
            encodingCode="Base64",
            filename=ref.get("filename") or "attachment",
            mimeCode=ref.get("mime") or "application/octet-stream",
        )
    return node


def _internet_sale_delivery(root, values):
    sale = values.get("internet_sale") or {}
    receiver = values.get("delivery_party")
    delivery = _sub(root, CAC + "Delivery")
    if sale.get("shipment_date"):
        _sub(delivery, CBC + "ActualDeliveryDate", _date(sale["shipment_date"]))
    if sale.get("tracking_number"):
        _sub(delivery, CBC + "TrackingID", sale["tracking_number"])
    if receiver:
        _address(delivery, "DeliveryAddress", receiver)
    carrier = sale.get("carrier") or {}
    if carrier.get("vat") or carrier.get("name"):
        # the carrier's own address (never the buyer's); "-" where the carrier's is unknown
        party = dict(
            carrier.get("address") or {},
            vat=carrier.get("vat"),
            name=carrier.get("name"),
            is_company=True,
        )
        _party(delivery, "CarrierParty", party, foreign_ok=True)
    if receiver:
        _party(delivery, "DeliveryParty", receiver, foreign_ok=True)
    if sale.get("shipment_date"):
        _sub(
            _sub(delivery, CAC + "Despatch"),
            CBC + "ActualDespatchDate",
            _date(sale["shipment_date"]),
        )


def _payment_means(root, values):
    means = dict(values.get("payment_means") or {})
    sale = values.get("internet_sale")
    if sale:
        means.setdefault("code", PAYMENT_METHODS.get(sale.get("payment_method"), "ZZZ"))
        means.setdefault("due_date", sale.get("payment_date"))
        note = " - ".join(filter(None, (sale.get("payment_method"), sale.get("payment_agent"))))
        means.setdefault("note", note)
    if not means:
        return
    node = _sub(root, CAC + "PaymentMeans")
    _sub(node, CBC + "PaymentMeansCode", means.get("code") or "1")
    if means.get("due_date"):
        _sub(node, CBC + "PaymentDueDate", _date(means["due_date"]))
    if means.get("note"):
        _sub(node, CBC + "InstructionNote", means["note"])
    if means.get("iban"):
        account = _sub(node, CAC + "PayeeFinancialAccount")
        _sub(account, CBC + "ID", means["iban"])
        _sub(account, CBC + "CurrencyCode", values.get("currency") or "TRY")


def _export_line_delivery(node, line, export):
    delivery = _sub(node, CAC + "Delivery")
    _address(delivery, "DeliveryAddress", export.get("delivery_address") or {})
    terms = _sub(delivery, CAC + "DeliveryTerms")
    _sub(terms, CBC + "ID", export.get("incoterm") or "", schemeID="INCOTERMS")
    shipment = _sub(delivery, CAC + "Shipment")
    _sub(shipment, CBC + "ID", line.get("id") or 1)
    goods = _sub(shipment, CAC + "GoodsItem")
    _sub(goods, CBC + "RequiredCustomsID", line.get("gtip") or "")
    stage = _sub(shipment, CAC + "ShipmentStage")
    _sub(stage, CBC + "TransportModeCode", export.get("transport_mode") or "")


def _dib_line_delivery(node, index, line, buyer):
    """IHRACKAYITLI 702 (DİİB): the GTİP and the buyer's DİİB line code (ALICIDIBSATIRKOD)."""
    shipment = _sub(_sub(node, CAC + "Delivery"), CAC + "Shipment")
    _sub(shipment, CBC + "ID", line.get("id") or index)
    _sub(_sub(shipment, CAC + "GoodsItem"), CBC + "RequiredCustomsID", line.get("gtip") or "")
    declaration = _sub(_sub(shipment, CAC + "TransportHandlingUnit"), CAC + "CustomsDeclaration")
    _sub(declaration, CBC + "ID", line.get("id") or index)
    issuer = _sub(declaration, CAC + "IssuerParty")
    _sub(
        _sub(issuer, CAC + "PartyIdentification"),
        CBC + "ID",
        line["dib_line_code"],
        schemeID="ALICIDIBSATIRKOD",
    )
    _address(issuer, "PostalAddress", buyer)


def _invoice_line(root, index, line, values, currency):
    node = _sub(root, CAC + "InvoiceLine")
    _sub(node, CBC + "ID", line.get("id") or index)
    if line.get("note"):
        _sub(node, CBC + "Note", line["note"])
    _sub(
        node,
        CBC + "InvoicedQuantity",
        _num(line.get("quantity"), 6),
        unitCode=line.get("unit_code") or "C62",
    )
    _amount(node, "LineExtensionAmount", _line_extension(line), currency)
    if values.get("profile") == "IHRACAT":
        _export_line_delivery(node, line, values.get("export") or {})
    elif values.get("type") == "IHRACKAYITLI" and line.get("dib_line_code"):
        _dib_line_delivery(node, index, line, values["customer"])
    discount = _dec(line.get("discount_amount"))
    if discount:
        gross = _dec(line.get("quantity")) * _dec(line.get("price_unit"))
        _allowance(
            node,
            {"amount": discount, "base_amount": gross, "percent": line.get("discount_percent")},
            currency,
        )
    if line.get("taxes"):
        _tax_total(node, line["taxes"], currency)
    item = _sub(node, CAC + "Item")
    if line.get("description"):
        _sub(item, CBC + "Description", line["description"])
    _sub(item, CBC + "Name", line.get("name") or "-")
    if line.get("brand"):
        _sub(item, CBC + "BrandName", line["brand"])
    if line.get("model"):
        _sub(item, CBC + "ModelName", line["model"])
    for tag, key in (
        ("BuyersItemIdentification", "buyer_code"),
        ("SellersItemIdentification", "seller_code"),
    ):
        if line.get(key):
            _sub(_sub(item, CAC + tag), CBC + "ID", line[key])
    price = _sub(node, CAC + "Price")
    _sub(price, CBC + "PriceAmount", _num(line.get("price_unit")), currencyID=currency)


def _notes(values, totals):
    notes = [n for n in values.get("notes") or () if n]
    currency = values.get("currency") or "TRY"
    if values.get("amount_in_words", True):
        notes.insert(0, amount_in_words(totals["payable"], currency))
    if currency != "TRY" and values.get("exchange_rate"):
        notes.append(f"KUR : {_num(values['exchange_rate'], 6)} TL")
    if values.get("internet_sale"):
        notes.append("Bu satış internet üzerinden yapılmıştır.")
    return notes


def _check(values):
    for key in ("profile", "type", "id", "uuid", "issue_date", "supplier", "customer"):
        if not values.get(key):
            raise BuildError(f"missing value: {key}", "missing_value", key=key)
    if not values.get("lines"):
        raise BuildError("an invoice needs at least one line", "no_lines")
    if (values.get("currency") or "TRY") != "TRY" and not values.get("exchange_rate"):
        raise BuildError(
            "a non-TRY invoice needs exchange_rate (PricingExchangeRate)", "exchange_rate"
        )


def build_invoice_tree(values):
    """Same as :func:`build_invoice` but returns the lxml root element."""
    _check(values)
    currency = values.get("currency") or "TRY"
    lines = values["lines"]
    tax_subtotals = consistent_tax_subtotals(
        values.get("tax_subtotals") or _aggregate(lines, "taxes"), lines
    )
    withholdings = values.get("withholding_subtotals")
    if withholdings is None:
        withholdings = _aggregate(lines, "withholdings")
    withholdings = consistent_tax_subtotals(withholdings, lines, "withholdings")
    totals = compute_totals(values, tax_subtotals, withholdings)
    issue_date = _date(values["issue_date"])

    root = etree.Element("Invoice", nsmap=NSMAP)
    content = _sub(
        _sub(_sub(root, EXT + "UBLExtensions"), EXT + "UBLExtension"), EXT + "ExtensionContent"
    )
    etree.SubElement(content, "{%s}UnsignedDraft" % NS_DRAFT, nsmap={"draft": NS_DRAFT})
    _sub(root, CBC + "UBLVersionID", "2.1")
    _sub(root, CBC + "CustomizationID", "TR1.2")
    _sub(root, CBC + "ProfileID", values["profile"])
    _sub(root, CBC + "ID", values["id"])
    _sub(root, CBC + "CopyIndicator", "false")
    _sub(root, CBC + "UUID", values["uuid"])
    _sub(root, CBC + "IssueDate", issue_date)
    if values.get("issue_time"):
        _sub(root, CBC + "IssueTime", values["issue_time"])
    _sub(root, CBC + "InvoiceTypeCode", values["type"])
    for note in _notes(values, totals):
        _sub(root, CBC + "Note", note)
    _sub(root, CBC + "DocumentCurrencyCode", currency)
    if currency != "TRY":
        _sub(root, CBC + "PricingCurrencyCode", currency)
    _sub(root, CBC + "LineCountNumeric", len(lines))
    if values.get("order_reference"):
        ref = values["order_reference"]
        order = _sub(root, CAC + "OrderReference")
        _sub(order, CBC + "ID", ref["id"])
        _sub(order, CBC + "IssueDate", _date(ref.get("issue_date") or issue_date))
    for ref in values.get("billing_references") or ():
        billing = _sub(root, CAC + "BillingReference")
        _document_reference(
            billing,
            "InvoiceDocumentReference",
            dict(ref, type_code=ref.get("type_code") or "IADE"),
            issue_date,
        )
    for ref in values.get("despatch_references") or ():
        _document_reference(root, "DespatchDocumentReference", ref, issue_date)
    xslt = values.get("xslt", True)
    if xslt:
        content = default_xslt_base64() if xslt is True else xslt
        _document_reference(
            root,
            "AdditionalDocumentReference",
            {
                "id": values["uuid"],
                "type": "XSLT",
                "content": content,
                "filename": f"{values['id']}.xslt",
                "mime": "application/xml",
            },
            issue_date,
        )
    for ref in values.get("attachments") or ():
        _document_reference(root, "AdditionalDocumentReference", ref, issue_date)
    _signature(root, values["supplier"])
    _party(_sub(root, CAC + "AccountingSupplierParty"), "Party", values["supplier"])
    export = values["profile"] == "IHRACAT"
    customer_holder = _sub(root, CAC + "AccountingCustomerParty")
    if export:
        _party(
            customer_holder,
            "Party",
            {
                "vat": GTB_VKN,
                "name": GTB_NAME,
                "district": "Çankaya",
                "city": "Ankara",
                "country_code": "TR",
                "country_name": "Türkiye",
            },
        )
        _party(
            _sub(root, CAC + "BuyerCustomerParty"),
            "Party",
            values["customer"],
            identification=("PARTYTYPE", "EXPORT"),
        )
    else:
        is_earsiv = values["profile"] == "EARSIVFATURA"
        _party(customer_holder, "Party", values["customer"], foreign_ok=is_earsiv)
    if values.get("internet_sale") or (values.get("delivery_party") and not export):
        _internet_sale_delivery(root, values)
    _payment_means(root, values)
    for allowance in values.get("allowances") or ():
        _allowance(root, allowance, currency)
    if currency != "TRY":
        rate = _sub(root, CAC + "PricingExchangeRate")
        _sub(rate, CBC + "SourceCurrencyCode", currency)
        _sub(rate, CBC + "TargetCurrencyCode", "TRY")
        _sub(rate, CBC + "CalculationRate", _num(values["exchange_rate"], 6))
        _sub(rate, CBC + "Date", _date(values.get("exchange_rate_date") or issue_date))
    _tax_total(root, tax_subtotals, currency)
    if withholdings:
        _tax_total(root, withholdings, currency, tag="WithholdingTaxTotal")
    monetary = _sub(root, CAC + "LegalMonetaryTotal")
    for tag, key in (
        ("LineExtensionAmount", "line_extension"),
        ("TaxExclusiveAmount", "tax_exclusive"),
        ("TaxInclusiveAmount", "tax_inclusive"),
        ("AllowanceTotalAmount", "allowance_total"),
        ("ChargeTotalAmount", "charge_total"),
        ("PayableRoundingAmount", "rounding"),
        ("PayableAmount", "payable"),
    ):
        if key in ("allowance_total", "charge_total", "rounding") and not _dec(totals[key]):
            continue
        _amount(monetary, tag, totals[key], currency)
    for index, line in enumerate(lines, start=1):
        _invoice_line(root, index, line, values, currency)
    return root


def build_invoice(values):
    """Build the UBL-TR ``Invoice`` XML (bytes, UTF-8) from plain values (see module doc)."""
    return etree.tostring(build_invoice_tree(values), xml_declaration=True, encoding="UTF-8")
