"""Invoice prices of a normalized marketplace line (seller vs marketplace-funded discounts).

A normalized line (see ``trendyol_mapping.normalize_line``) carries the VAT-included gross unit
price before any discount (``unit_price``), the seller-funded discount of the whole line
(``discount_seller``, e.g. Trendyol ``lineSellerDiscount``) and the marketplace-funded one
(``discount_marketplace``, Trendyol ``lineTyDiscount``).

The seller's discount is always on the invoice. The marketplace-funded discount depends on the
account's policy:

* :data:`POLICY_BEFORE` (default): the buyer is invoiced at the price before it; the
  marketplace pays the seller the difference (it shows in the marketplace's settlement);
* :data:`POLICY_DEDUCT`: it is deducted on the invoice too (the invoice equals what the buyer
  paid).

Example: 2 × 674.90 = 1349.80 with 150.00 seller and 50.00 marketplace discount → invoiced
1199.80 (599.90 a unit) with the default policy, 1149.80 (574.90 a unit) when deducting.
"""

POLICY_BEFORE = "before_marketplace_discount"
POLICY_DEDUCT = "deduct_marketplace_discount"
POLICIES = (POLICY_BEFORE, POLICY_DEDUCT)


def _amount(value):
    return float(value or 0.0)


def invoiced_discount(line, policy=POLICY_BEFORE):
    """The discount of the whole line that the invoice deducts."""
    if policy not in POLICIES:
        raise ValueError(f"unknown discount policy {policy!r}")
    discount = _amount(line.get("discount_seller"))
    if policy == POLICY_DEDUCT:
        discount += _amount(line.get("discount_marketplace"))
    return round(discount, 2)


def invoice_line_price(line, policy=POLICY_BEFORE):
    """``(price_unit, discount_percent)`` of the invoice line.

    The discount is shown as a percentage of the gross price only when that percentage (2
    decimals) reproduces the exact line total; otherwise it is folded into the unit price.
    """
    quantity = _amount(line.get("quantity")) or 1.0
    gross_unit = _amount(line.get("unit_price") or line.get("price_unit"))
    gross_total = gross_unit * quantity
    discount = invoiced_discount(line, policy)
    net_total = round(gross_total - discount, 2)
    net_unit = round(net_total / quantity, 2)
    if discount <= 0 or gross_total <= 0 or discount >= gross_total:
        return net_unit, 0.0
    percent = round(discount / gross_total * 100, 2)
    if abs(round(gross_total * (1 - percent / 100), 2) - net_total) < 0.005:
        return round(gross_unit, 2), percent
    return net_unit, 0.0
