"""Trendyol package / claim → plain dicts the Odoo side consumes (marketplaces.md §1.2.4,
§1.2.5, §1.7, §1.8; connector.md §3.1).

Field names: the 08.12.2025 renames (``shipmentPackageId``, ``stockCode``, ``lineUnitPrice``,
``lineGrossAmount``, ``lineSellerDiscount``, ``lineTyDiscount``, ``vatRate``...) are read
first, the old names (``id``, ``merchantSku``, ``price``, ``amount``, ``discount``,
``tyDiscount``, ``vatBaseAmount``...) as a fallback (§1.2.4).

Amounts are VAT-inclusive as Trendyol sends them (§4). Per line:

* ``unit_price``: gross unit price incl. KDV before any discount (lineGrossAmount / qty);
* ``discount_seller``: seller-funded discount of the whole line (lineSellerDiscount);
* ``discount_marketplace``: Trendyol-funded discount of the whole line (lineTyDiscount, or
  the sum of ``discountDetails[].lineItemTyDiscount``);
* ``price_unit``: ``unit_price - discount_seller / qty`` — what the seller invoices; the
  Trendyol-funded part is paid to the seller by Trendyol, not by the buyer.

``lineGrossAmount`` is the line total in the documented sample (qty 2 → 1499.80 = 2 ×
749.90); when it only fits a per-unit reading (``lineUnitPrice`` ≈ gross − discount/qty) it
is read per unit.

External key (the inbound table's unique key, §1.10 pitfall 2): ``"<orderNumber>:<sorted line
ids joined by '-'>"``. The package id is deliberately left out: Trendyol gives a package a new
``shipmentPackageId`` on split, unsupply and partial cancel, while the order number and the
order line ids (``lineId``) stay. A package that only changed id keeps its key (→ same inbound
row, updated); a package re-created with a different set of lines gets a new key, and the
Odoo side links it to the existing sale order by order number and line ids.

Dates are naive UTC. ``orderDate`` is documented as GMT+3 wall-clock encoded as epoch
(§1.2.4): 3 h are subtracted; the other dates are real epoch values.
"""

from datetime import timedelta

from .carriers import carrier_of
from .mapping_common import (
    MAX_AMOUNT,
    MAX_VAT_RATE,
    epoch_ms,
    external_key,
    lines_problems,
    own_tax_number,
    package_problems,  # noqa: F401 - the shared helpers, under their former names
    quantity_problem,
    sorted_line_ids,
    valid_tckn,
    valid_vkn,
)
from .mapping_common import first as _first
from .mapping_common import number as _number
from .mapping_common import number_problem as _number_problem
from .mapping_common import round2 as _round
from .mapping_common import text as _text

MARKETPLACE = "trendyol"
ORDER_DATE_SHIFT = timedelta(hours=3)
MONEY_FIELDS_LINE = (
    ("lineGrossAmount", "amount"),
    ("lineUnitPrice", "price"),
    ("lineSellerDiscount", "discount"),
    ("lineTyDiscount", "tyDiscount"),
    ("vatRate", "vatBaseAmount"),
)
PACKAGE_MONEY_FIELDS = (
    "packageTotalPrice",
    "totalPrice",
    "packageGrossAmount",
    "grossAmount",
    "packageSellerDiscount",
    "packageTyDiscount",
)
PACKAGE_DATE_FIELDS = ("orderDate", "lastModifiedDate", "agreedDeliveryDate", "originShipmentDate")
SHIPPED_STATUSES = {"Shipped", "AtCollectionPoint", "Delivered", "UnDelivered", "Returned"}
# Trendyol's package and claim item statuses (API codes) and what a seller reads for them.
PACKAGE_STATUS_NAMES = (
    ("Awaiting", "Awaiting payment"),
    ("Created", "New, to pick"),
    ("Picking", "Picking"),
    ("Invoiced", "Invoiced"),
    ("Shipped", "Shipped"),
    ("AtCollectionPoint", "At the collection point"),
    ("Delivered", "Delivered"),
    ("UnDelivered", "Not delivered"),
    ("Returned", "Returned"),
    ("Cancelled", "Cancelled"),
    ("UnSupplied", "Unsupplied"),
    ("UnPacked", "Split"),
)
CLAIM_STATUS_NAMES = (
    ("Created", "Created"),
    ("WaitingInAction", "Waiting for the seller's decision"),
    ("WaitingFraudCheck", "Waiting for a fraud check"),
    ("InAnalysis", "In analysis"),
    ("Accepted", "Accepted"),
    ("Rejected", "Rejected"),
    ("Unresolved", "Disputed"),
    ("Cancelled", "Cancelled"),
    ("Mixed", "Mixed statuses"),
)

# Trendyol's carriers (§1.2.4 tracking-number prefixes: 733 TEX, 725 Yurtiçi, 726 Aras, 727
# Sürat, 728 MNG, 729 UPS, 734 PTT, 884 Horoz; §1.8 provider codes and cargo company ids). The
# Odoo side seeds the same list as ``marketplace.carrier`` records (data/marketplace_carrier_
# data.xml), where the seller fills each carrier's VKN once. ``vkn`` is the carrier's tax number
# printed as e-Arşiv "taşıyıcı" (CarrierParty): no source available to this project publishes
# them, so they are None here; pass ``carriers={'YURTICI': {'vkn': '...'}}`` to
# :func:`normalize_package` rather than guessing.
CARRIERS = {
    "TEX": {
        "name": "Trendyol Express",
        "code": "TEXMP",
        "number": 17,
        "prefix": "733",
        "aliases": ["TEX"],
    },
    "YURTICI": {
        "name": "Yurtiçi Kargo",
        "code": "YKMP",
        "number": 4,
        "prefix": "725",
        "aliases": ["Yurtiçi"],
    },
    "ARAS": {
        "name": "Aras Kargo",
        "code": "ARASMP",
        "number": 7,
        "prefix": "726",
        "aliases": ["Aras"],
    },
    "SURAT": {
        "name": "Sürat Kargo",
        "code": "SURATMP",
        "number": 9,
        "prefix": "727",
        "aliases": ["Sürat"],
    },
    "MNG": {"name": "MNG Kargo", "code": None, "number": None, "prefix": "728", "aliases": ["MNG"]},
    "UPS": {
        "name": "UPS Kargo",
        "code": "UPSMP",
        "number": None,
        "prefix": "729",
        "aliases": ["UPS"],
    },
    "PTT": {
        "name": "PTT Kargo",
        "code": "PTTMP",
        "number": 19,
        "prefix": "734",
        "aliases": ["PTT"],
    },
    "HOROZ": {
        "name": "Horoz Lojistik",
        "code": "HOROZMP",
        "number": 6,
        "prefix": "884",
        "aliases": ["Horoz"],
    },
    "KOLAYGELSIN": {
        "name": "Kolay Gelsin",
        "code": "SENDEOMP",
        "number": 38,
        "prefix": None,
        "aliases": ["KOLAYGELSINMP", "Sendeo"],
    },
    "CEVA": {
        "name": "CEVA Lojistik",
        "code": "CEVAMP",
        "number": 20,
        "prefix": None,
        "aliases": ["CEVA"],
    },
    "CEVATEDARIK": {
        "name": "CEVA Tedarik",
        "code": "CEVATEDARIK",
        "number": 30,
        "prefix": None,
        "aliases": ["Borusan", "BORMP"],
    },
    "DHL": {
        "name": "DHL eCommerce",
        "code": "DHLECOMMP",
        "number": 10,
        "prefix": None,
        "aliases": ["DHL"],
    },
}


def carrier_for(provider_name, tracking_number=None, carriers=None):
    """The carrier of a package among :data:`CARRIERS` (:func:`.carriers.carrier_of`)."""
    return carrier_of(CARRIERS, provider_name, tracking_number, carriers)


# ------------------------------------------------------------------------------ packages
def package_id_of(raw):
    return _first(raw, "shipmentPackageId", "id")


def _own_tax_number(raw, own_tax_numbers):
    """The buyer's tax number when it is one of ours (a package we cannot book)."""
    invoice = raw.get("invoiceAddress") if isinstance(raw.get("invoiceAddress"), dict) else {}
    return own_tax_number((invoice.get("taxNumber"), raw.get("taxNumber")), own_tax_numbers)


def validate_package(raw, own_tax_numbers=()):
    """Reasons why a raw package cannot be imported (empty list = fine).

    Amounts and quantities must be finite and plausible (see :data:`MAX_AMOUNT`,
    :data:`MAX_QUANTITY`); a buyer whose tax number is in ``own_tax_numbers`` (the seller's
    own VKN) is refused: the seller would be booked as its own customer."""
    if not isinstance(raw, dict):
        return [f"package is not a JSON object but {type(raw).__name__}"]
    problems = []
    if package_id_of(raw) is None:
        problems.append("missing shipmentPackageId")
    if not _text(raw.get("orderNumber")):
        problems.append("missing orderNumber")
    own = _own_tax_number(raw, own_tax_numbers)
    problems += package_problems(raw, PACKAGE_MONEY_FIELDS, PACKAGE_DATE_FIELDS, own)
    return problems + lines_problems(raw.get("lines"), _validate_line)


def _validate_line(index, line, seen):
    if not isinstance(line, dict):
        return [f"line #{index + 1} is not a JSON object"]
    problems = []
    line_id = _first(line, "lineId", "id")
    label = f"line {line_id}" if line_id is not None else f"line #{index + 1}"
    if line_id is None:
        problems.append(f"{label}: missing lineId")
    elif str(line_id) in seen:
        problems.append(f"{label}: duplicate lineId")
    else:
        seen.add(str(line_id))
    problem = quantity_problem(label, line.get("quantity"))
    if problem:
        problems.append(problem)
    if not _text(line.get("barcode")) and not _text(_first(line, "stockCode", "merchantSku")):
        problems.append(f"{label}: neither barcode nor stockCode")
    if all(
        line.get(key) in (None, "")
        for key in ("lineGrossAmount", "amount", "lineUnitPrice", "price")
    ):
        problems.append(f"{label}: no price (lineUnitPrice/lineGrossAmount)")
    for new, old in MONEY_FIELDS_LINE:
        key = new if new in line else old
        value = line.get(key)
        if value in (None, ""):
            continue
        problem = _number_problem(
            key, value, maximum=MAX_VAT_RATE if new == "vatRate" else MAX_AMOUNT
        )
        if problem:
            problems.append(f"{label}: {problem}")
        elif _number(value) < 0:
            problems.append(f"{label}: negative {key} {value!r}")
    return problems


def _line_amounts(line):
    """``(quantity, gross_total, seller_discount, marketplace_discount)`` of a raw line."""
    quantity = _number(line.get("quantity"), 1.0) or 1.0
    details = line.get("discountDetails") or []
    seller = _first(line, "lineSellerDiscount", "discount")
    if seller is None and details:
        seller = sum(
            _number(_first(d, "lineItemSellerDiscount", "lineItemDiscount")) for d in details
        )
    seller = _number(seller)
    ty = _first(line, "lineTyDiscount", "tyDiscount")
    if ty is None and details:
        ty = sum(_number(_first(d, "lineItemTyDiscount")) for d in details)
    ty = _number(ty)
    paid_unit = _first(line, "lineUnitPrice", "price")
    gross = _first(line, "lineGrossAmount", "amount")
    if gross is None:
        gross_total = _number(paid_unit) * quantity + seller
    else:
        gross_total = _number(gross)
        if quantity > 1 and paid_unit is not None:
            paid = _number(paid_unit)
            as_total = abs(gross_total - (paid * quantity + seller))
            as_unit = abs(gross_total * quantity - (paid * quantity + seller))
            as_total_ty = abs(gross_total - (paid * quantity + seller + ty))
            as_unit_ty = abs(gross_total * quantity - (paid * quantity + seller + ty))
            if min(as_unit, as_unit_ty) + 0.01 < min(as_total, as_total_ty):
                gross_total *= quantity
    return quantity, gross_total, seller, ty


def normalize_line(line, currency="TRY"):
    quantity, gross_total, seller, ty = _line_amounts(line)
    unit_price = gross_total / quantity
    return {
        "line_id": _text(_first(line, "lineId", "id")),
        "barcode": _text(line.get("barcode")),
        "stock_code": _text(_first(line, "stockCode", "merchantSku")),
        "content_id": _text(_first(line, "contentId", "productCode")) or None,
        "product_name": _text(line.get("productName")),
        "quantity": int(quantity) if float(quantity).is_integer() else quantity,
        "unit_price": _round(unit_price),
        "price_unit": _round(unit_price - seller / quantity),
        "discount_seller": _round(seller),
        "discount_marketplace": _round(ty),
        "gross_amount": _round(gross_total),
        "amount_paid": _round(gross_total - seller - ty),
        "vat_rate": _number(_first(line, "vatRate", "vatBaseAmount")),
        "currency": _text(_first(line, "currencyCode")) or currency,
        "line_status": _text(line.get("orderLineItemStatusName")) or None,
        "product_size": _text(line.get("productSize")) or None,
        "product_color": _text(line.get("productColor")) or None,
        "commission_rate": _number(line.get("commission"), None),
        "cancel_reason": _text(line.get("cancelReason")) or None,
    }


def _address(raw_address, email=None):
    address = raw_address or {}
    lines = address.get("addressLines") or {}
    name = _text(address.get("fullName")) or " ".join(
        filter(None, (_text(address.get("firstName")), _text(address.get("lastName"))))
    )
    return {
        "name": name,
        "first_name": _text(address.get("firstName")),
        "last_name": _text(address.get("lastName")),
        "company": _text(address.get("company")),
        "street": _text(address.get("address1")) or _text(lines.get("addressLine1")),
        "street2": _text(address.get("address2")) or _text(lines.get("addressLine2")),
        "district": _text(address.get("district")) or _text(address.get("countyName")),
        "neighborhood": _text(address.get("neighborhood")),
        "city": _text(address.get("city")),
        "zip": _text(address.get("postalCode")),
        "country_code": (_text(address.get("countryCode")) or "TR").upper(),
        "phone": _text(address.get("phone")),
        "email": email or "",
        "address_id": _text(address.get("id")) or None,
    }


def _customer(raw):
    invoice = raw.get("invoiceAddress") or {}
    first = _text(raw.get("customerFirstName")) or _text(invoice.get("firstName"))
    last = _text(raw.get("customerLastName")) or _text(invoice.get("lastName"))
    tax_number = _text(invoice.get("taxNumber")) or _text(raw.get("taxNumber"))
    identity = _text(raw.get("identityNumber"))
    vkn = valid_vkn(tax_number)
    # a sole proprietor invoices with the owner's TCKN as tax number
    tckn = valid_tckn(identity) or (valid_tckn(tax_number) if not vkn else None)
    company_name = _text(invoice.get("company"))
    commercial = bool(raw.get("commercial"))
    is_company = bool(commercial and vkn and company_name)
    return {
        "name": company_name if is_company else " ".join(filter(None, (first, last))),
        "first_name": first,
        "last_name": last,
        "email": _text(raw.get("customerEmail")),
        "tckn": tckn,
        "vkn": vkn,
        "tax_office": _text(invoice.get("taxOffice")) if commercial else "",
        "company_name": company_name if commercial else "",
        "is_company": is_company,
        "customer_id": _text(raw.get("customerId")) or None,
        "e_invoice_available": bool(invoice.get("eInvoiceAvailable")),
    }


def _shipment_date(raw):
    for history in raw.get("packageHistories") or []:
        if history.get("status") in SHIPPED_STATUSES and history.get("createdDate"):
            return epoch_ms(history["createdDate"])
    return epoch_ms(raw.get("shippedDate"))


def normalize_package(raw, carriers=None):
    """One raw Trendyol package → the connector's package dict (see the module docstring).

    Call :func:`validate_package` first; this raises ValueError/TypeError on data it cannot
    read. ``carriers``: overrides of :data:`CARRIERS` (e.g. carrier VKNs).
    """
    currency = _text(raw.get("currencyCode")) or "TRY"
    lines = [normalize_line(line, currency) for line in raw["lines"]]
    line_ids = sorted_line_ids(line["line_id"] for line in lines)
    order_number = _text(raw.get("orderNumber"))
    package_id = _text(package_id_of(raw))
    status = _text(_first(raw, "status", "shipmentPackageStatus"))
    gross_amount = _number(
        _first(raw, "packageGrossAmount", "grossAmount"),
        sum(line["gross_amount"] for line in lines),
    )
    seller_discount = _number(
        _first(raw, "packageSellerDiscount", "totalDiscount"),
        sum(line["discount_seller"] for line in lines),
    )
    ty_discount = _number(
        _first(raw, "packageTyDiscount", "totalTyDiscount"),
        sum(line["discount_marketplace"] for line in lines),
    )
    total_discount = _number(_first(raw, "packageTotalDiscount"), seller_discount + ty_discount)
    lines_paid = sum(line["amount_paid"] for line in lines)
    total_price = _number(_first(raw, "packageTotalPrice", "totalPrice"), lines_paid)
    tracking = _text(raw.get("cargoTrackingNumber"))
    carrier = carrier_for(raw.get("cargoProviderName"), tracking, carriers)
    email = _text(raw.get("customerEmail"))
    return {
        "marketplace": MARKETPLACE,
        "package_id": package_id,
        "order_number": order_number,
        "line_ids": line_ids,
        "external_key": external_key(order_number, line_ids),
        "status": status,
        "order_date": epoch_ms(raw.get("orderDate"), ORDER_DATE_SHIFT),
        "last_modified": epoch_ms(raw.get("lastModifiedDate")),
        "agreed_delivery_date": epoch_ms(raw.get("agreedDeliveryDate")),
        "shipment_date": _shipment_date(raw),
        "origin_shipment_date": epoch_ms(raw.get("originShipmentDate")),
        "currency": currency,
        "customer": _customer(raw),
        "invoice_address": _address(raw.get("invoiceAddress"), email),
        "delivery_address": _address(
            raw.get("shipmentAddress") or raw.get("invoiceAddress"), email
        ),
        "lines": lines,
        "cargo": {
            "provider_name": _text(raw.get("cargoProviderName")) or carrier["name"],
            "carrier_name": carrier["name"],
            "carrier_code": carrier["code"],
            "carrier_vkn": carrier["vkn"],
            "tracking_number": tracking or None,
            "tracking_url": _text(raw.get("cargoTrackingLink")) or None,
            "sender_number": _text(raw.get("cargoSenderNumber")) or None,
            "deci": _number(raw.get("cargoDeci"), None),
            "seller_pays": raw.get("whoPays") == 1,
        },
        # No documented cargo-fee field: any positive remainder of the package total over
        # what the buyer pays for the lines is reported as the fee (0 in every documented
        # sample).
        "cargo_fee": max(0.0, _round(total_price - lines_paid)),
        "total_price": _round(total_price),
        "gross_amount": _round(gross_amount),
        "total_discount": _round(total_discount),
        "seller_discount": _round(seller_discount),
        "marketplace_discount": _round(ty_discount),
        "is_corporate": bool(raw.get("commercial")),
        "is_micro_export": bool(raw.get("micro")),
        "is_3p_by_trendyol": bool(raw.get("3pByTrendyol")),
        "is_awaiting": status == "Awaiting",
        "created_by": _text(raw.get("createdBy")) or None,
        "origin_package_ids": [str(i) for i in raw.get("originPackageIds") or []],
        "cancelled_by": _text(raw.get("cancelledBy")) or None,
        "cancel_reason": _text(raw.get("cancelReason")) or None,
        "raw": raw,
    }


# -------------------------------------------------------------------------------- claims
def normalize_claim(raw):
    """One raw claim (§1.7) → ``{claim_id, order_number, package_id, claim_date,
    last_modified, status, lines: [{claim_line_item_ids, barcode, stock_code, quantity,
    reason, reason_code, status, order_line_id, unit_price, vat_rate, customer_note}],
    cargo: {provider_name, tracking_number, tracking_url}, tracking_number, raw}``.

    A claim line groups the claim items (one per returned unit) of one order line that share
    status and reason; ``status`` of the claim is the common status of its lines, or
    ``Mixed``. ``claimDate`` is GMT (§1.7), kept as UTC.
    """
    lines = []
    for item in raw.get("items") or []:
        order_line = item.get("orderLine") or {}
        groups = {}
        for claim_item in item.get("claimItems") or []:
            reason = claim_item.get("customerClaimItemReason") or {}
            status = _text((claim_item.get("claimItemStatus") or {}).get("name"))
            key = (status, _text(reason.get("name")), _text(reason.get("code")))
            groups.setdefault(key, []).append(claim_item)
        for (status, reason_name, reason_code), claim_items in groups.items():
            lines.append(
                {
                    "claim_line_item_ids": [_text(ci.get("id")) for ci in claim_items],
                    "order_line_item_ids": [_text(ci.get("orderLineItemId")) for ci in claim_items],
                    "order_line_id": _text(_first(order_line, "lineId", "id")),
                    "barcode": _text(order_line.get("barcode")),
                    "stock_code": _text(_first(order_line, "stockCode", "merchantSku")),
                    "product_name": _text(order_line.get("productName")),
                    "quantity": len(claim_items),
                    "reason": reason_name,
                    "reason_code": reason_code,
                    "status": status,
                    "unit_price": _number(_first(order_line, "lineUnitPrice", "price")),
                    "vat_rate": _number(_first(order_line, "vatRate", "vatBaseAmount")),
                    "customer_note": _text(claim_items[0].get("customerNote")) or None,
                    "auto_accepted": any(ci.get("autoAccepted") for ci in claim_items),
                }
            )
    statuses = {line["status"] for line in lines}
    tracking = _text(raw.get("cargoTrackingNumber"))
    return {
        "marketplace": MARKETPLACE,
        "claim_id": _text(raw.get("id")),
        "order_number": _text(raw.get("orderNumber")),
        "package_id": _text(raw.get("orderShipmentPackageId")) or None,
        "claim_date": epoch_ms(raw.get("claimDate")),
        "order_date": epoch_ms(raw.get("orderDate"), ORDER_DATE_SHIFT),
        "last_modified": epoch_ms(raw.get("lastModifiedDate")),
        "status": statuses.pop() if len(statuses) == 1 else ("Mixed" if statuses else ""),
        "lines": lines,
        "cargo": {
            "provider_name": _text(raw.get("cargoProviderName")) or None,
            "tracking_number": tracking or None,
            "tracking_url": _text(raw.get("cargoTrackingLink")) or None,
        },
        "tracking_number": tracking or None,
        "raw": raw,
    }
