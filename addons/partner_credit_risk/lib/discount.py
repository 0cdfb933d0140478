"""Combining discount rates: sequential (compound) or amount-based (additive on the base amount)."""

SEQUENTIAL = "sequential"
AMOUNT_BASED = "amount"


def combine_discounts(rates, method=SEQUENTIAL):
    """Return the single equivalent discount percentage of ``rates`` (percentages).

    sequential: each rate applies to the amount left after the previous ones,
    e.g. 10 % then 5 % = 14.5 %.  amount-based: every rate applies to the gross
    amount, e.g. 10 % + 5 % = 15 %.  The result is capped at 100.
    """
    rates = [float(rate) for rate in rates if rate]
    if any(rate < 0 or rate > 100 for rate in rates):
        raise ValueError("discount rates must be between 0 and 100")
    if method == AMOUNT_BASED:
        return min(round(sum(rates), 6), 100.0)
    if method != SEQUENTIAL:
        raise ValueError(f"unknown discount calculation method: {method}")
    remaining = 1.0
    for rate in rates:
        remaining *= 1 - rate / 100
    return round((1 - remaining) * 100, 6)


def discounted_amount(amount, rates, method=SEQUENTIAL):
    return round(amount * (1 - combine_discounts(rates, method) / 100), 6)


SALES_ITEMS = ("sale", "tariff")
PURCHASE_ITEMS = ("purchase", "purchase_sub")


def discount_applies(discount_item, side):
    """True when a financial account's discount of kind ``discount_item`` applies to ``side``
    documents ("sale" or "purchase").  An empty item is a sales discount (accounts made before
    the item existed)."""
    if side == "sale":
        return not discount_item or discount_item in SALES_ITEMS
    if side == "purchase":
        return discount_item in PURCHASE_ITEMS
    raise ValueError(f"unknown document side: {side}")
