"""Hepsiburada packages / claims → the normalised dicts of :mod:`.marketplace`
(marketplaces.md §2.2, §2.7, §2.8).

A raw package is what :func:`.hepsiburada.merge_feeds` returns, tagged with its ``feed``:

* ``orders``: the paid lines of one order still to be packed (``{'feed', 'orderNumber',
  'items': [LineRepresentation]}``); its package id is the order number;
* ``packages`` / ``shipped`` / ``delivered`` / ``undelivered``: a package
  (``ExternalRawPackageRepresentation``: ``packageNumber``, ``items[]`` of ``PackageLine``);
* ``cancelled``: cancelled lines (``lineItemId``, ``quantity``, ``cancelDate``,
  ``cancelledBy``, ``cancelReasonCode``...), of a package when they carry its number, else of
  an order; they carry no prices (amounts 0: only the state matters).

Amounts are VAT-inclusive money objects ``{amount, currency}`` (or plain numbers). Per line:
``unit_price`` is ``price`` (``unitPrice`` on unpacked lines), the gross unit price before any
discount (the §2.2 sample: price 599 × 2 = totalPrice 1198, the VAT 199.67 computed on it);
``discount_seller`` the merchant-funded discount of the line (``totalMerchantDiscount``, or
``unitMerchantDiscount`` × qty; ``merchantDiscount.totalPrice`` on unpacked lines);
``discount_marketplace`` the Hepsiburada-funded one (``totalHBDiscount`` / ``unitHBDiscount``
× qty / ``hbDiscount``, else ``discountToBeBilledToHB``), which the seller bills to
Hepsiburada, not to the buyer; ``price_unit = unit_price - discount_seller / qty``.

Status codes: a package's own ``status`` (``Open`` in the documented sample) or, for the
feeds, the feed's code (``InTransit``, ``Delivered``, ``Undelivered``, ``Cancelled``,
``CancelledByMerchant``; ``ToBePacked`` for unpacked lines). Hepsiburada publishes no status
enum (§2.2 [UNCONFIRMED]), so these are read from the feed a package came from.

External key: ``"<order number>:<sorted line item ids>"`` (:func:`.mapping_common.external_key`):
the same lines keep their key from ``/orders`` to ``/packages`` and through re-packing; a
split gives new keys. Dates without a zone are Turkey time, returned as naive UTC.
"""

from datetime import datetime

from .carriers import carrier_of
from .hepsiburada import FEED_STATUS, parse_date
from .mapping_common import (
    MAX_AMOUNT,
    MAX_VAT_RATE,
    external_key,
    first,
    lines_problems,
    number,
    number_problem,
    own_tax_number,
    quantity_problem,
    round2,
    sorted_line_ids,
    text,
    valid_tckn,
    valid_vkn,
)

MARKETPLACE = "hepsiburada"
FEEDS = set(FEED_STATUS)
PACKED_FEEDS = FEEDS - {"orders"}
MAX_DECI = 10000  # volumetric weight of one package
MIN_DATE = datetime(2000, 1, 1)
MAX_DATE = datetime(2100, 1, 1)
PACKAGE_STATUS_NAMES = (
    ("ToBePacked", "Paid, to be packed"),
    ("Open", "Packed, ready to ship"),
    ("InTransit", "In transit"),
    ("Delivered", "Delivered"),
    ("Undelivered", "Not delivered"),
    ("Cancelled", "Cancelled"),
    ("CancelledByMerchant", "Cancelled by the seller"),
    ("Unpacked", "Unpacked"),
)
CLAIM_STATUS_NAMES = (
    ("NewRequest", "New request"),
    ("AwaitingAction", "Waiting for the seller's decision"),
    ("AwaitingPreApproval", "Waiting for pre-approval"),
    ("Accepted", "Accepted"),
    ("Rejected", "Rejected"),
    ("InDispute", "Disputed"),
    ("Refunded", "Refunded"),
    ("Cancelled", "Cancelled"),
    ("Mixed", "Mixed statuses"),
)
# Hepsiburada's carriers (§2.8): no short-name codes are published (fetch them from
# ``cargoFirms``), so they are matched by name.
CARRIERS = {
    "HEPSIJET": {"name": "HepsiJET", "code": None, "number": None, "prefix": None, "aliases": []},
    "YURTICI": {
        "name": "Yurtiçi Kargo",
        "code": None,
        "number": None,
        "prefix": None,
        "aliases": ["Yurtiçi"],
    },
    "ARAS": {
        "name": "Aras Kargo",
        "code": None,
        "number": None,
        "prefix": None,
        "aliases": ["Aras"],
    },
    "MNG": {"name": "MNG Kargo", "code": None, "number": None, "prefix": None, "aliases": ["MNG"]},
    "PTT": {"name": "PTT Kargo", "code": None, "number": None, "prefix": None, "aliases": ["PTT"]},
    "SURAT": {
        "name": "Sürat Kargo",
        "code": None,
        "number": None,
        "prefix": None,
        "aliases": ["Sürat"],
    },
    "UPS": {"name": "UPS Kargo", "code": None, "number": None, "prefix": None, "aliases": ["UPS"]},
}
LINE_MONEY_FIELDS = (
    "price",
    "unitPrice",
    "totalPrice",
    "unitMerchantDiscount",
    "totalMerchantDiscount",
    "unitHBDiscount",
    "totalHBDiscount",
    "discountToBeBilledToHB",
)
PACKAGE_MONEY_FIELDS = ("totalPrice", "shippingTotalPrice")
DATE_FIELDS = ("orderDate", "dueDate", "lastStatusUpdateDate", "cancelDate")


# ------------------------------------------------------------------------- small helpers
def _dict(value):
    return value if isinstance(value, dict) else {}


def _optional_number(value):
    """A number of an informative field (commission...) or None when unreadable."""
    try:
        return number(value, None)
    except (TypeError, ValueError):
        return None


def money(value):
    """A money object ``{amount, currency}`` or a plain number → float (0.0 when empty)."""
    if isinstance(value, dict):
        value = value.get("amount")
    return number(value)


def _money_problem(label, value):
    amount = value.get("amount") if isinstance(value, dict) else value
    if amount in (None, ""):
        return f"{label} has no amount" if isinstance(value, dict) else None
    problem = number_problem(label, amount, minimum=0)
    return problem


def _currency(*values):
    for value in values:
        if isinstance(value, dict) and text(value.get("currency")):
            return text(value["currency"]).upper()
    return "TRY"


def _date(value):
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        return None


def _date_problem(label, value):
    if value in (None, ""):
        return None
    moment = _date(value)
    if moment is None:
        return f"unreadable {label} {value!r}"
    if not MIN_DATE <= moment <= MAX_DATE:
        return f"absurd {label} {value!r}"
    return None


def feed_of(raw):
    """The feed a raw package came from (a raw without a tag: a package when it has a
    package number, else lines to pack)."""
    feed = raw.get("feed")
    if isinstance(feed, str) and feed in FEEDS:
        return feed
    return "packages" if raw.get("packageNumber") else "orders"


def _items(raw):
    items = raw.get("items")
    return items if isinstance(items, list) else []


def line_id_of(line):
    return text(first(line, "lineItemId", "id"))


def package_id_of(raw):
    """The package number, or the order number of lines not packed yet."""
    if not isinstance(raw, dict):
        return None
    return text(first(raw, "packageNumber", "orderNumber")) or None


def order_number_of(raw):
    numbers = sorted(
        {text(item.get("orderNumber")) for item in _items(raw) if isinstance(item, dict)} - {""}
    )
    return text(raw.get("orderNumber")) or (numbers[0] if numbers else "")


def status_of(raw):
    feed = feed_of(raw)
    if feed == "packages":
        return text(raw.get("status")) or FEED_STATUS["packages"]
    if feed == "cancelled":
        by = " ".join(text(line.get("cancelledBy")) for line in raw.get("cancelled") or _items(raw))
        return "CancelledByMerchant" if "merchant" in by.lower() else "Cancelled"
    return FEED_STATUS[feed]


def carrier_for(provider_name, tracking_number=None, carriers=None):
    """The carrier of a package among :data:`CARRIERS` (:func:`.carriers.carrier_of`)."""
    return carrier_of(CARRIERS, provider_name, tracking_number, carriers)


# ------------------------------------------------------------------------------ validate
def validate_package(raw, own_tax_numbers=()):
    """Reasons why a raw package cannot be imported (empty list = fine): missing ids,
    unreadable or absurd amounts, quantities and dates, discounts over the line amount, a
    buyer whose tax number is the seller's own VKN."""
    if not isinstance(raw, dict):
        return [f"package is not a JSON object but {type(raw).__name__}"]
    feed = feed_of(raw)
    problems = []
    if feed in PACKED_FEEDS - {"cancelled"} and not text(raw.get("packageNumber")):
        problems.append("missing packageNumber")
    if not order_number_of(raw):
        problems.append("missing orderNumber")
    for key in PACKAGE_MONEY_FIELDS:
        if raw.get(key) not in (None, ""):
            problems.append(_money_problem(key, raw.get(key)))
    for key in DATE_FIELDS:
        problems.append(_date_problem(key, raw.get(key)))
    if raw.get("totalDeci") not in (None, ""):
        problems.append(number_problem("totalDeci", raw["totalDeci"], 0, MAX_DECI))
    problems = [problem for problem in problems if problem]
    own = own_tax_number(_tax_numbers(raw), own_tax_numbers)
    if own:
        problems.append(f"the buyer's tax number {own} is the seller's own VKN")
    return problems + lines_problems(
        raw.get("items"),
        lambda index, line, seen: _validate_line(index, line, seen, priced=feed != "cancelled"),
    )


def _tax_numbers(raw):
    numbers = [raw.get("taxNumber")]
    for line in _items(raw):
        numbers.append(_dict(_dict(line).get("invoice")).get("taxNumber"))
    return numbers


def _validate_line(index, line, seen, priced=True):
    if not isinstance(line, dict):
        return [f"line #{index + 1} is not a JSON object"]
    problems = []
    line_id = line_id_of(line)
    label = f"line {line_id}" if line_id else f"line #{index + 1}"
    if not line_id:
        problems.append(f"{label}: missing lineItemId")
    elif line_id in seen:
        problems.append(f"{label}: duplicate lineItemId")
    else:
        seen.add(line_id)
    problem = quantity_problem(label, line.get("quantity"))
    if problem:
        problems.append(problem)
    if not text(line.get("productBarcode")) and not text(first(line, "merchantSku", "merchantSKU")):
        problems.append(f"{label}: neither productBarcode nor merchantSku")
    for key in ("orderDate", "lastStatusUpdateDate", "cancelDate"):
        problem = _date_problem(key, line.get(key))
        if problem:
            problems.append(f"{label}: {problem}")
    if not priced:
        return problems
    if all(money_value in (None, "") for money_value in (line.get("price"), line.get("unitPrice"))):
        problems.append(f"{label}: no price")
    line_problems = [_money_problem(key, line.get(key)) for key in LINE_MONEY_FIELDS if key in line]
    for key in ("merchantDiscount", "hbDiscount"):
        if isinstance(line.get(key), dict):
            line_problems += [
                _money_problem(f"{key}.{part}", line[key].get(part))
                for part in ("unitPrice", "totalPrice")
                if line[key].get(part) not in (None, "")
            ]
    if line.get("deci") not in (None, ""):
        line_problems.append(number_problem("deci", line["deci"], 0, MAX_DECI))
    if line.get("vatRate") not in (None, ""):
        line_problems.append(
            number_problem("vatRate", line.get("vatRate"), minimum=0, maximum=MAX_VAT_RATE)
        )
    problems += [f"{label}: {problem}" for problem in line_problems if problem]
    if not problems:
        quantity, gross, seller, hb = _line_amounts(line)
        if seller + hb > gross + 0.005:
            problems.append(
                f"{label}: discounts {seller + hb:.2f} exceed the line amount {gross:.2f}"
            )
        if gross > MAX_AMOUNT:
            problems.append(f"{label}: absurd line amount {gross:.2f}")
    return problems


# ----------------------------------------------------------------------------- normalise
def _discount(line, total_key, unit_key, nested_key, quantity):
    if line.get(total_key) not in (None, ""):
        return money(line[total_key])
    if line.get(unit_key) not in (None, ""):
        return money(line[unit_key]) * quantity
    nested = line.get(nested_key)
    if isinstance(nested, dict):
        if nested.get("totalPrice") not in (None, ""):
            return money(nested["totalPrice"])
        if nested.get("unitPrice") not in (None, ""):
            return money(nested["unitPrice"]) * quantity
    return 0.0


def _line_amounts(line):
    """``(quantity, gross_total, seller_discount, marketplace_discount)`` of a raw line."""
    quantity = number(line.get("quantity"), 1.0) or 1.0
    unit = first(line, "price", "unitPrice")
    gross = money(unit) * quantity if unit is not None else money(line.get("totalPrice"))
    seller = _discount(
        line, "totalMerchantDiscount", "unitMerchantDiscount", "merchantDiscount", quantity
    )
    hb = _discount(line, "totalHBDiscount", "unitHBDiscount", "hbDiscount", quantity)
    if not hb and line.get("discountToBeBilledToHB") not in (None, ""):
        hb = money(line["discountToBeBilledToHB"])
    return quantity, gross, seller, hb


def normalize_line(line, currency="TRY", cancel=None):
    quantity, gross, seller, hb = _line_amounts(line)
    unit_price = gross / quantity
    return {
        "line_id": line_id_of(line),
        "barcode": text(line.get("productBarcode")),
        "stock_code": text(first(line, "merchantSku", "merchantSKU")),
        "content_id": text(first(line, "hbSku", "sku")) or None,
        "product_name": text(first(line, "productName", "name")),
        "quantity": int(quantity) if float(quantity).is_integer() else quantity,
        "unit_price": round2(unit_price),
        "price_unit": round2(unit_price - seller / quantity),
        "discount_seller": round2(seller),
        "discount_marketplace": round2(hb),
        "gross_amount": round2(gross),
        "amount_paid": round2(gross - seller - hb),
        "vat_rate": number(line.get("vatRate")),
        "currency": _currency(line.get("price"), line.get("unitPrice")) or currency,
        "line_status": text(line.get("status")) or None,
        "product_size": None,
        "product_color": None,
        "commission_rate": _optional_number(line.get("commissionRate")),
        "cancel_reason": text(first(cancel or {}, "cancelReasonCode", "cancelReason")) or None,
    }


def _split_name(full_name):
    parts = text(full_name).split()
    if len(parts) < 2:
        return (parts[0] if parts else ""), ""
    return " ".join(parts[:-1]), parts[-1]


def _address(name, street, town, district, city, zip_code, country, phone, email, address_id):
    first_name, last_name = _split_name(name)
    return {
        "name": text(name),
        "first_name": first_name,
        "last_name": last_name,
        "company": "",
        "street": text(street),
        "street2": "",
        "district": text(town),  # Hepsiburada's town is the ilçe
        "neighborhood": text(district),  # and its district the mahalle
        "city": text(city),
        "zip": text(zip_code),
        "country_code": (text(country) or "TR").upper(),
        "phone": text(phone),
        "email": text(email),
        "address_id": text(address_id) or None,
    }


def _packed_parties(raw):
    """``(customer, invoice_address, delivery_address)`` of a packed package."""
    email = text(raw.get("email"))
    phone = text(raw.get("phoneNumber"))
    delivery = _address(
        first(raw, "recipientName", "customerName"),
        raw.get("shippingAddressDetail"),
        raw.get("shippingTown"),
        raw.get("shippingDistrict"),
        raw.get("shippingCity"),
        raw.get("shippingPostalCode"),
        raw.get("shippingCountryCode"),
        phone,
        email,
        raw.get("shippingAddressId"),
    )
    invoice = _address(
        raw.get("customerName"),
        raw.get("billingAddress"),
        raw.get("billingTown"),
        raw.get("billingDistrict"),
        raw.get("billingCity"),
        raw.get("billingPostalCode"),
        raw.get("billingCountryCode"),
        phone,
        email,
        None,
    )
    if not invoice["street"]:
        invoice = dict(delivery, name=invoice["name"] or delivery["name"])
    tax = {
        "name": raw.get("customerName"),
        "company": raw.get("companyName"),
        "tax_number": raw.get("taxNumber"),
        "tax_office": raw.get("taxOffice"),
        "identity": raw.get("identityNo"),
        "customer_id": raw.get("customerId"),
        "email": email,
    }
    return _customer(tax), invoice, delivery


def _line_parties(line):
    """``(customer, invoice_address, delivery_address)`` of a line not packed yet."""
    shipping = _dict(line.get("shippingAddress"))
    invoice = _dict(line.get("invoice"))
    billing = _dict(invoice.get("address")) or shipping

    def address(data):
        return _address(
            data.get("name") or line.get("customerName"),
            data.get("address"),
            data.get("town"),
            data.get("district"),
            data.get("city"),
            data.get("postalCode"),
            data.get("countryCode"),
            data.get("phoneNumber"),
            data.get("email"),
            data.get("addressId"),
        )

    tax = {
        "name": line.get("customerName") or billing.get("name"),
        "company": first(invoice, "companyName") or first(billing, "companyName"),
        "tax_number": invoice.get("taxNumber"),
        "tax_office": invoice.get("taxOffice"),
        "identity": invoice.get("turkishIdentityNumber"),
        "customer_id": line.get("customerId"),
        "email": first(billing, "email") or first(shipping, "email"),
    }
    return _customer(tax), address(billing), address(shipping)


def _customer(tax):
    first_name, last_name = _split_name(tax["name"])
    tax_number = text(tax["tax_number"])
    vkn = valid_vkn(tax_number)
    # a sole proprietor invoices with the owner's TCKN as tax number
    tckn = valid_tckn(tax["identity"]) or (valid_tckn(tax_number) if not vkn else None)
    company = text(tax["company"])
    is_company = bool(vkn and company)
    return {
        "name": company if is_company else text(tax["name"]),
        "first_name": first_name,
        "last_name": last_name,
        "email": text(tax["email"]),
        "tckn": tckn,
        "vkn": vkn,
        "tax_office": text(tax["tax_office"]) if vkn else "",
        "company_name": company if vkn else "",
        "is_company": is_company,
        "customer_id": text(tax["customer_id"]) or None,
        "e_invoice_available": False,  # Hepsiburada does not say
    }


def _cargo(raw, items, carriers):
    if feed_of(raw) == "orders":  # not packed: a carrier, no parcel yet
        head = items[0] if items else {}
        model = _dict(head.get("cargoCompanyModel"))
        provider = text(model.get("name")) or text(head.get("cargoCompany"))
        tracking = url = ""
    else:
        provider = text(raw.get("cargoCompany"))
        tracking = text(first(raw, "trackingInfoCode", "trackingNumber", "barcode"))
        url = text(first(raw, "trackingInfoUrl", "trackingUrl"))
    carrier = carrier_for(provider, tracking, carriers)
    deci = raw.get("totalDeci")
    if deci in (None, ""):
        decis = [line.get("deci") for line in items if line.get("deci") not in (None, "")]
        deci = sum(number(value) for value in decis) if decis else None
    return {
        "provider_name": provider or carrier["name"],
        "carrier_name": carrier["name"],
        "carrier_code": carrier["code"],
        "carrier_vkn": carrier["vkn"],
        "tracking_number": tracking or None,
        "tracking_url": url or None,
        "sender_number": None,
        "deci": number(deci, None),
        "seller_pays": False,
    }


def normalize_package(raw, carriers=None):
    """One raw Hepsiburada package (see the module docstring) → the normalised package of
    :mod:`.marketplace` (``state`` is set by the adapter). Call :func:`validate_package`
    first; this raises ValueError/TypeError on data it cannot read."""
    feed = feed_of(raw)
    items = _items(raw)
    cancels = {line_id_of(line): line for line in raw.get("cancelled") or []}
    if feed == "cancelled" and "cancelled" not in raw:
        cancels = {line_id_of(line): line for line in items}
    currency = _currency(*(first(line, "price", "unitPrice") for line in items))
    lines = [normalize_line(line, currency, cancels.get(line_id_of(line))) for line in items]
    line_ids = sorted_line_ids(line["line_id"] for line in lines)
    order_number = order_number_of(raw)
    if feed == "orders":
        customer, invoice_address, delivery_address = _line_parties(items[0])
    else:
        customer, invoice_address, delivery_address = _packed_parties(raw)
    head = items[0] if items else {}
    seller_discount = sum(line["discount_seller"] for line in lines)
    hb_discount = sum(line["discount_marketplace"] for line in lines)
    lines_paid = sum(line["amount_paid"] for line in lines)
    cargo_fee = money(raw.get("shippingTotalPrice"))
    cancel = next(iter(cancels.values()), {}) if feed == "cancelled" else {}
    dates = [_date(first(line, "lastStatusUpdateDate", "cancelDate")) for line in items]
    last_modified = _date(raw.get("lastStatusUpdateDate")) or max(
        (moment for moment in dates if moment), default=None
    )
    return {
        "marketplace": MARKETPLACE,
        "package_id": package_id_of(raw) or order_number,
        "order_number": order_number,
        "line_ids": line_ids,
        "external_key": external_key(order_number, line_ids),
        "status": status_of(raw),
        "order_date": _date(first(raw, "orderDate") or head.get("orderDate")),
        "last_modified": last_modified,
        "agreed_delivery_date": _date(first(raw, "dueDate") or head.get("dueDate")),
        "shipment_date": _date(raw.get("shippedDate")),
        "origin_shipment_date": None,
        "currency": currency,
        "customer": customer,
        "invoice_address": invoice_address,
        "delivery_address": delivery_address,
        "lines": lines,
        "cargo": _cargo(raw, items, carriers),
        "cargo_fee": round2(cargo_fee),
        "total_price": round2(lines_paid + cargo_fee),
        "gross_amount": round2(sum(line["gross_amount"] for line in lines)),
        "total_discount": round2(seller_discount + hb_discount),
        "seller_discount": round2(seller_discount),
        "marketplace_discount": round2(hb_discount),
        "is_corporate": customer["is_company"],
        "is_micro_export": any(bool(line.get("isMicroExport")) for line in items),
        "fulfilled_by_marketplace": bool(raw.get("isFulfilledByHB"))
        or any(bool(line.get("isFulfilledByHB")) for line in items),
        "created_by": None,
        "origin_package_ids": [],
        "cancelled_by": text(cancel.get("cancelledBy")) or None,
        "cancel_reason": text(cancel.get("cancelReasonCode")) or None,
        "raw": raw,
    }


# -------------------------------------------------------------------------------- claims
def _any_case(raw, *names):
    """The first non-empty value of ``names`` in camelCase or PascalCase (§2.7: live data
    mixes both)."""
    for name in names:
        for key in (name, name[:1].upper() + name[1:]):
            if isinstance(raw, dict) and raw.get(key) not in (None, ""):
                return raw[key]
    return None


def normalize_claim(raw):
    """One raw claim (§2.7: one returned order line) → the normalised claim of
    :mod:`.marketplace` (``state`` set by the adapter). The claim is known by its
    ``number`` (the accept / reject paths use it)."""
    status = text(_any_case(raw, "status"))
    line_id = text(_any_case(raw, "lineItemId"))
    number_ = text(_any_case(raw, "number", "claimNumber")) or text(_any_case(raw, "id"))
    deliveries = _any_case(raw, "deliveries") or []
    delivery = deliveries[0] if deliveries and isinstance(deliveries[0], dict) else {}
    cargo_company = _any_case(delivery, "cargoCompany") or {}
    tracking = text(_any_case(delivery, "trackingNumber"))
    reason = _any_case(raw, "reason") or {}
    reason_name = (
        text(reason.get("name") or reason.get("Name")) if isinstance(reason, dict) else text(reason)
    )
    reason_code = text(reason.get("code") or reason.get("Code")) if isinstance(reason, dict) else ""
    line = {
        "claim_line_item_ids": [number_],
        "order_line_item_ids": [line_id] if line_id else [],
        "order_line_id": line_id,
        "barcode": text(_any_case(raw, "productBarcode")),
        "stock_code": text(_any_case(raw, "merchantSku")),
        "product_name": text(_any_case(raw, "productName", "name")),
        "quantity": int(_optional_number(_any_case(raw, "quantity")) or 1),
        "reason": reason_name or text(_any_case(raw, "claimType")),
        "reason_code": reason_code or text(_any_case(raw, "claimType")),
        "status": status,
        "unit_price": _optional_number(_any_case(raw, "priceAmount")) or 0.0,
        "vat_rate": _optional_number(_any_case(raw, "vatRate")) or 0.0,
        "customer_note": text(_any_case(raw, "explanation")) or None,
        "auto_accepted": False,
    }
    return {
        "marketplace": MARKETPLACE,
        "claim_id": number_,
        "order_number": text(_any_case(raw, "orderNumber")),
        "package_id": text(_any_case(raw, "packageNumber")) or None,
        "claim_date": _date(_any_case(raw, "claimDate")),
        "order_date": _date(_any_case(raw, "orderDate")),
        "last_modified": _date(_any_case(raw, "lastModifiedDate", "claimDate")),
        "status": status,
        "lines": [line],
        "cargo": {
            "provider_name": text(_any_case(cargo_company, "name")) or None,
            "tracking_number": tracking or None,
            "tracking_url": text(_any_case(delivery, "trackingUrl")) or None,
        },
        "tracking_number": tracking or None,
        "raw": raw,
    }
