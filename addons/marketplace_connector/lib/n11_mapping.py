"""n11 package / claim return → the normalised dicts of :mod:`.marketplace` (marketplaces.md
§3.3, §3.8; plain Python, no ``odoo``).

Package fields are the REST ``shipmentPackages`` names (§3.3, partly [LIB]): ``id`` (null for
"Konuma Özel Teslimat"), ``orderNumber``, ``shipmentPackageStatus`` (or ``status``),
``customerfullName``, ``customerEmail``, ``tcIdentityNumber``, ``taxId``, ``taxOffice``,
``billingAddress`` / ``shippingAddress`` ``{fullName, address, neighborhood, district, city,
gsm, postalCode, tcId, taxId?, taxOffice?}``, ``cargoProviderName``, ``cargoTrackingNumber``
(n11's campaign code), ``cargoTrackingLink``, ``cargoSenderNumber``, ``totalAmount``,
``totalDiscountAmount``, ``lastModifiedDate``, ``agreedDeliveryDate`` and ``lines[]``
``{orderLineId, productId, productName, stockCode, barcode?, quantity, price,
totalSellerDiscountPrice, totalMallDiscountPrice?, dueAmount, sellerInvoiceAmount,
orderItemLineItemStatusName, variantAttributes[], vatRate?}``. No currency field: TRY.

Amounts are VAT-inclusive. Per line: ``price`` is the gross unit price; the seller-funded
discount of the whole line is ``totalSellerDiscountPrice``; what the seller invoices is
``sellerInvoiceAmount = price × quantity − totalSellerDiscountPrice`` (§3.3); n11's own
discount is ``totalMallDiscountPrice`` when sent, else ``sellerInvoiceAmount − dueAmount``
(what the buyer did not pay beyond the seller's discount). n11 sends no VAT rate on order
lines (it belongs to the product, §4): ``vat_rate`` is None unless a ``vatRate`` is present.

External key: ``"<orderNumber>:<sorted orderLineIds>"`` — n11 re-numbers packages on split
and partial cancel (and sends none for some deliveries), the order number and the line ids
stay (§3.10 pitfall 3).
"""

import re
from datetime import datetime, timedelta

from .carriers import carrier_name
from .mapping_common import (
    MAX_AMOUNT,
    MAX_QUANTITY,
    MAX_VAT_RATE,
    epoch_ms,
    external_key,
    lines_problems,
    package_problems,
    sorted_line_ids,
    valid_tckn,
    valid_vkn,
)
from .mapping_common import first as _first
from .mapping_common import is_number as _is_number
from .mapping_common import number as _number
from .mapping_common import number_problem as _number_problem
from .mapping_common import round2 as _round
from .mapping_common import text as _text

MARKETPLACE = "n11"
CURRENCY = "TRY"
# n11's REST package statuses (§3.3) and what a seller reads for them
PACKAGE_STATUS_NAMES = (
    ("Created", "New, to confirm"),
    ("Picking", "Confirmed, picking"),
    ("Shipped", "Shipped"),
    ("Delivered", "Delivered"),
    ("Cancelled", "Cancelled"),
    ("UnSupplied", "Cancelled by the seller"),
    ("UnPacked", "Split"),
)
PACKAGE_STATES = {
    "Created": "created",
    "Picking": "picking",
    "Shipped": "shipped",
    "Delivered": "delivered",
    "Cancelled": "cancelled",
    "UnSupplied": "unsupplied",
    "UnPacked": "replaced",
}
# ReturnService claim return statuses (§3.8: APPROVED is documented, the others
# [UNCONFIRMED])
CLAIM_STATUS_NAMES = (
    ("REQUESTED", "Waiting for the seller's decision"),
    ("PENDING", "On hold"),
    ("APPROVED", "Approved"),
    ("DENIED", "Denied"),
    ("COMPLETED", "Completed"),
    ("CANCELLED", "Cancelled"),
)
CLAIM_STATES = {
    "REQUESTED": "waiting",
    "PENDING": "waiting",
    "APPROVED": "accepted",
    "COMPLETED": "accepted",
    "DENIED": "rejected",
    "CANCELLED": "cancelled",
}
LINE_MONEY_FIELDS = (
    "price",
    "totalSellerDiscountPrice",
    "totalMallDiscountPrice",
    "dueAmount",
    "sellerInvoiceAmount",
)
PACKAGE_MONEY_FIELDS = ("totalAmount", "totalDiscountAmount")
PACKAGE_DATE_FIELDS = ("lastModifiedDate", "agreedDeliveryDate", "orderDate", "shippedDate")
CLAIM_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")


def package_id_of(raw):
    """n11's package id (None for a package that has none)."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return None if value in (None, "") else str(value)


def package_status(raw):
    return _text(_first(raw, "shipmentPackageStatus", "status"))


# ----------------------------------------------------------------------------- validation
def _own_tax_number(raw, own_tax_numbers):
    own = {re.sub(r"\D", "", str(number)) for number in own_tax_numbers or ()} - {""}
    billing = raw.get("billingAddress") if isinstance(raw.get("billingAddress"), dict) else {}
    for value in (raw.get("taxId"), billing.get("taxId"), raw.get("tcIdentityNumber")):
        digits = re.sub(r"\D", "", _text(value))
        if digits and digits in own:
            return digits
    return None


def validate_package(raw, own_tax_numbers=()):
    """Reasons why a raw n11 package cannot be imported (empty list = fine).

    Amounts, quantities and dates must be finite and plausible; every line needs an
    ``orderLineId`` (the key of everything n11 does with a line), a stock code or barcode
    and a price; the line amounts must agree (``price × quantity − seller discount =
    sellerInvoiceAmount`` within a kuruş per unit); a buyer whose tax number is one of
    ``own_tax_numbers`` (the seller's own VKN) is refused. A missing package ``id`` is fine
    (n11 sends none for "Konuma Özel Teslimat")."""
    if not isinstance(raw, dict):
        return [f"package is not a JSON object but {type(raw).__name__}"]
    problems = []
    if not _text(raw.get("orderNumber")):
        problems.append("missing orderNumber")
    if package_status(raw) and package_status(raw) not in PACKAGE_STATES:
        problems.append(f"unknown package status {package_status(raw)!r}")
    own = _own_tax_number(raw, own_tax_numbers)
    problems += package_problems(raw, PACKAGE_MONEY_FIELDS, PACKAGE_DATE_FIELDS, own)
    return problems + lines_problems(raw.get("lines"), _validate_line)


def _validate_line(index, line, seen):
    if not isinstance(line, dict):
        return [f"line #{index + 1} is not a JSON object"]
    problems = []
    line_id = _text(line.get("orderLineId"))
    label = f"line {line_id}" if line_id else f"line #{index + 1}"
    if not line_id:
        problems.append(f"{label}: missing orderLineId")
    elif line_id in seen:
        problems.append(f"{label}: duplicate orderLineId")
    else:
        seen.add(line_id)
    quantity = line.get("quantity")
    if not _is_number(quantity) or _number(quantity) <= 0 or _number(quantity) % 1:
        problems.append(f"{label}: quantity must be a positive whole number, got {quantity!r}")
    elif _number(quantity) > MAX_QUANTITY:
        problems.append(f"{label}: absurd quantity {quantity!r} (over {MAX_QUANTITY})")
    if not _text(line.get("stockCode")) and not _text(line.get("barcode")):
        problems.append(f"{label}: neither stockCode nor barcode")
    if line.get("price") in (None, ""):
        problems.append(f"{label}: no price")
    money_ok = True
    for key in LINE_MONEY_FIELDS:
        value = line.get(key)
        if value in (None, ""):
            continue
        problem = _number_problem(key, value, minimum=0, maximum=MAX_AMOUNT)
        if problem:
            problems.append(f"{label}: {problem}")
            money_ok = False
    if line.get("vatRate") not in (None, ""):
        problem = _number_problem("vatRate", line["vatRate"], minimum=0, maximum=MAX_VAT_RATE)
        if problem:
            problems.append(f"{label}: {problem}")
    if money_ok and not problems:
        problems += _amount_problems(label, line)
    return problems


def _amount_problems(label, line):
    """The line's amounts must add up (§3.3 cross-check)."""
    quantity = _number(line["quantity"])
    gross = _number(line["price"]) * quantity
    seller = _number(line.get("totalSellerDiscountPrice"))
    problems = []
    if seller > gross + 0.005:
        problems.append(f"{label}: seller discount {seller:.2f} exceeds the line's {gross:.2f}")
    invoice = line.get("sellerInvoiceAmount")
    if invoice not in (None, "") and abs(gross - seller - _number(invoice)) > 0.01 * quantity:
        problems.append(
            f"{label}: sellerInvoiceAmount {_number(invoice):.2f} is not price × quantity − "
            f"seller discount ({gross - seller:.2f})"
        )
    return problems


# ------------------------------------------------------------------------------ packages
def _line_amounts(line):
    """``(quantity, gross_total, seller_discount, marketplace_discount)`` of a raw line."""
    quantity = _number(line.get("quantity"), 1.0) or 1.0
    gross = _number(line.get("price")) * quantity
    seller = _number(line.get("totalSellerDiscountPrice"))
    mall = line.get("totalMallDiscountPrice")
    if mall in (None, ""):
        invoice = _number(line.get("sellerInvoiceAmount"), gross - seller)
        due = _number(line.get("dueAmount"), invoice)
        mall = max(0.0, invoice - due)
    return quantity, gross, seller, _number(mall)


def _variant(line, *names):
    for attribute in line.get("variantAttributes") or []:
        if isinstance(attribute, dict) and _text(attribute.get("name")).lower() in names:
            return _text(attribute.get("value")) or None
    return None


def normalize_line(line):
    quantity, gross, seller, mall = _line_amounts(line)
    unit_price = gross / quantity
    return {
        "line_id": _text(line.get("orderLineId")),
        "barcode": _text(line.get("barcode")),
        "stock_code": _text(line.get("stockCode")),
        "content_id": _text(line.get("productId")) or None,
        "product_name": _text(line.get("productName")),
        "quantity": int(quantity) if float(quantity).is_integer() else quantity,
        "unit_price": _round(unit_price),
        "price_unit": _round(unit_price - seller / quantity),
        "discount_seller": _round(seller),
        "discount_marketplace": _round(mall),
        "gross_amount": _round(gross),
        "amount_paid": _round(gross - seller - mall),
        "vat_rate": _number(line.get("vatRate"), None),
        "currency": CURRENCY,
        "line_status": _text(line.get("orderItemLineItemStatusName")) or None,
        "product_size": _variant(line, "beden", "numara", "size"),
        "product_color": _variant(line, "renk", "color"),
        "commission_rate": _number(line.get("commissionRate"), None),
        "cancel_reason": _text(line.get("cancelReason")) or None,
    }


def _split_name(full_name):
    parts = _text(full_name).split()
    if len(parts) < 2:
        return (parts[0] if parts else ""), ""
    return " ".join(parts[:-1]), parts[-1]


def _address(raw_address, email, company=""):
    address = raw_address if isinstance(raw_address, dict) else {}
    name = _text(address.get("fullName"))
    first, last = _split_name(name)
    return {
        "name": name,
        "first_name": first,
        "last_name": last,
        "company": company,
        "street": _text(address.get("address")),
        "street2": "",
        "district": _text(address.get("district")),
        "neighborhood": _text(address.get("neighborhood")),
        "city": _text(address.get("city")),
        "zip": _text(address.get("postalCode")),
        "country_code": "TR",
        "phone": _text(address.get("gsm")),
        "email": email or "",
        "address_id": _text(address.get("id")) or None,
    }


def _customer(raw):
    billing = raw.get("billingAddress") if isinstance(raw.get("billingAddress"), dict) else {}
    full_name = _text(raw.get("customerfullName")) or _text(billing.get("fullName"))
    first, last = _split_name(full_name)
    tax_number = _text(billing.get("taxId")) or _text(raw.get("taxId"))
    vkn = valid_vkn(tax_number)
    tckn = (
        valid_tckn(raw.get("tcIdentityNumber"))
        or valid_tckn(billing.get("tcId"))
        or (valid_tckn(tax_number) if not vkn else None)
    )
    company_name = _text(billing.get("fullName")) if vkn else ""
    is_company = bool(vkn and company_name)
    return {
        "name": company_name if is_company else full_name,
        "first_name": first,
        "last_name": last,
        "email": _text(raw.get("customerEmail")),
        "tckn": tckn,
        "vkn": vkn,
        "tax_office": (_text(billing.get("taxOffice")) or _text(raw.get("taxOffice")))
        if vkn
        else "",
        "company_name": company_name,
        "is_company": is_company,
        "customer_id": _text(raw.get("customerId")) or None,
        "e_invoice_available": False,
    }


def normalize_package(raw, carriers=None):
    """One raw n11 package → the package dict of :mod:`.marketplace` (every key). Call
    :func:`validate_package` first; this raises ValueError/TypeError on data it cannot read.
    ``carriers``: ``{provider name: {'name', 'code', 'vkn'}}`` overrides."""
    lines = [normalize_line(line) for line in raw["lines"]]
    line_ids = sorted_line_ids(line["line_id"] for line in lines)
    order_number = _text(raw.get("orderNumber"))
    status = package_status(raw)
    gross_amount = sum(line["gross_amount"] for line in lines)
    seller_discount = sum(line["discount_seller"] for line in lines)
    mall_discount = sum(line["discount_marketplace"] for line in lines)
    lines_paid = sum(line["amount_paid"] for line in lines)
    total_price = _number(raw.get("totalAmount"), lines_paid)
    customer = _customer(raw)
    email = customer["email"]
    provider = _text(raw.get("cargoProviderName"))
    carrier = {"name": carrier_name(provider) or provider or None, "code": None, "vkn": None}
    if carriers and provider in carriers:
        carrier.update(carriers[provider])
    tracking = _text(raw.get("cargoTrackingNumber"))
    cancelled_lines = [line for line in lines if line["cancel_reason"]]
    return {
        "marketplace": MARKETPLACE,
        "package_id": package_id_of(raw),
        "order_number": order_number,
        "line_ids": line_ids,
        "external_key": external_key(order_number, line_ids),
        "status": status,
        "state": PACKAGE_STATES.get(status, "created"),
        "order_date": epoch_ms(_first(raw, "orderDate", "createdDate")),
        "last_modified": epoch_ms(raw.get("lastModifiedDate")),
        "agreed_delivery_date": epoch_ms(raw.get("agreedDeliveryDate")),
        "shipment_date": epoch_ms(raw.get("shippedDate")),
        "origin_shipment_date": None,
        "currency": CURRENCY,
        "customer": customer,
        "invoice_address": _address(
            raw.get("billingAddress"), email, customer["company_name"] if customer["vkn"] else ""
        ),
        "delivery_address": _address(
            raw.get("shippingAddress") or raw.get("billingAddress"), email
        ),
        "lines": lines,
        "cargo": {
            "provider_name": provider or carrier["name"],
            "carrier_name": carrier["name"],
            "carrier_code": carrier.get("code"),
            "carrier_vkn": carrier.get("vkn"),
            "tracking_number": tracking or None,
            "tracking_url": _text(raw.get("cargoTrackingLink")) or None,
            "sender_number": _text(raw.get("cargoSenderNumber")) or None,
            "deci": _number(raw.get("cargoDeci"), None),
            "seller_pays": False,
        },
        # n11 documents no cargo fee on a package: any positive remainder of the package
        # total over the lines is reported as the fee
        "cargo_fee": max(0.0, _round(total_price - lines_paid)),
        "total_price": _round(total_price),
        "gross_amount": _round(gross_amount),
        "total_discount": _round(seller_discount + mall_discount),
        "seller_discount": _round(seller_discount),
        "marketplace_discount": _round(mall_discount),
        "is_corporate": customer["is_company"],
        "is_micro_export": False,
        "fulfilled_by_marketplace": _text(raw.get("sender")).upper() not in ("", "SELLER"),
        "created_by": None,
        "origin_package_ids": [],
        "cancelled_by": _text(raw.get("cancelledBy")) or None,
        "cancel_reason": cancelled_lines[0]["cancel_reason"] if cancelled_lines else None,
        "raw": raw,
    }


# -------------------------------------------------------------------------------- claims
def claim_date(value):
    """A SOAP date ``dd/MM/yyyy HH:mm`` (Turkey) or epoch ms → naive UTC datetime."""
    text = _text(value)
    if not text:
        return None
    if text.isdigit():
        return epoch_ms(text)
    for pattern in CLAIM_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern) - timedelta(hours=3)
        except ValueError:
            continue
    raise ValueError(f"unreadable n11 date {text!r}")


def normalize_claim(raw):
    """One ``ReturnService`` claim return → the claim dict of :mod:`.marketplace`. Return
    lines carry the order item id and ``productId`` but no stock code (§3.8): the Odoo side
    matches them to the order's lines by ``order_line_id``."""
    items = (raw.get("orderItemList") or {}).get("orderItem") or []
    status = _text(raw.get("status")).upper()
    reason = _text(raw.get("reason"))
    reason_code = _text(raw.get("reasonId"))
    lines = [
        {
            "claim_line_item_ids": [_text(raw.get("id"))],
            "order_line_item_ids": [_text(item.get("orderItemId"))],
            "order_line_id": _text(item.get("orderItemId")),
            "barcode": "",
            "stock_code": _text(item.get("stockCode")),
            "product_name": _text(item.get("productName")),
            "quantity": int(_number(item.get("quantity"), 1)),
            "reason": reason,
            "reason_code": reason_code,
            "status": status,
            "unit_price": _number(item.get("price")),
            "vat_rate": _number(item.get("vatRate"), None),
            "customer_note": _text(raw.get("customerNote")) or None,
            "auto_accepted": False,
        }
        for item in items
    ]
    cargo = raw.get("returnCargo") or {}
    tracking = _text(cargo.get("trackingNumber"))
    return {
        "marketplace": MARKETPLACE,
        "claim_id": _text(raw.get("id")),
        "order_number": _text(raw.get("orderNumber")),
        "package_id": None,
        "claim_date": claim_date(raw.get("createdDate")),
        "order_date": claim_date(raw.get("orderDate")),
        "last_modified": claim_date(raw.get("lastModifiedDate") or raw.get("createdDate")),
        "status": status,
        "lines": lines,
        "cargo": {
            "provider_name": _text(cargo.get("shipmentCompanyName")) or None,
            "tracking_number": tracking or None,
            "tracking_url": None,
        },
        "tracking_number": tracking or None,
        "raw": raw,
    }
