"""What the marketplace client tests share: the interface's package shape and a recorder of
sleeps and log records."""

# the keys of a normalised package and of its parts (the marketplace interface)
PACKAGE_KEYS = {
    "marketplace",
    "package_id",
    "order_number",
    "line_ids",
    "external_key",
    "status",
    "state",
    "order_date",
    "last_modified",
    "agreed_delivery_date",
    "shipment_date",
    "origin_shipment_date",
    "currency",
    "customer",
    "invoice_address",
    "delivery_address",
    "lines",
    "cargo",
    "cargo_fee",
    "total_price",
    "gross_amount",
    "total_discount",
    "seller_discount",
    "marketplace_discount",
    "is_corporate",
    "is_micro_export",
    "fulfilled_by_marketplace",
    "created_by",
    "origin_package_ids",
    "cancelled_by",
    "cancel_reason",
    "raw",
}
LINE_KEYS = {
    "line_id",
    "barcode",
    "stock_code",
    "content_id",
    "product_name",
    "quantity",
    "unit_price",
    "price_unit",
    "discount_seller",
    "discount_marketplace",
    "gross_amount",
    "amount_paid",
    "vat_rate",
    "currency",
    "line_status",
    "product_size",
    "product_color",
    "commission_rate",
    "cancel_reason",
}
CUSTOMER_KEYS = {
    "name",
    "first_name",
    "last_name",
    "email",
    "tckn",
    "vkn",
    "tax_office",
    "company_name",
    "is_company",
    "customer_id",
    "e_invoice_available",
}
ADDRESS_KEYS = {
    "name",
    "first_name",
    "last_name",
    "company",
    "street",
    "street2",
    "district",
    "neighborhood",
    "city",
    "zip",
    "country_code",
    "phone",
    "email",
    "address_id",
}
CARGO_KEYS = {
    "provider_name",
    "carrier_name",
    "carrier_code",
    "carrier_vkn",
    "tracking_number",
    "tracking_url",
    "sender_number",
    "deci",
    "seller_pays",
}


class Recorder:
    """Injectable sleep/clock (virtual time) and a log sink (the ``rec`` fixture)."""

    def __init__(self):
        self.sleeps = []
        self.records = []
        self.now = 1000.0

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def clock(self):
        return self.now

    def log(self, record):
        self.records.append(record)
