import copy
import itertools
import time

from odoo.addons.l10n_tr_efatura.tests.common import load_fake
from odoo.tests.common import TransactionCase

_ids = itertools.count(1)


def trendyol_package(
    order_number=None,
    lines=None,
    status="Created",
    commercial=False,
    customer_id=512344871,
    package_id=None,
    identity="11111111111",
    **extra,
):
    """A Trendyol shipment package (current field names), values invented."""
    number = next(_ids)
    order_number = order_number or f"1045{number:07d}"
    now_ms = int(time.time() * 1000)
    lines = lines or [
        {
            "barcode": "8691234567890",
            "quantity": 2,
            "gross": 749.90,
            "seller_discount": 150.0,
            "vat": 10,
        },
        {
            "barcode": "8691234567894",
            "quantity": 1,
            "gross": 149.50,
            "seller_discount": 0.0,
            "vat": 20,
        },
    ]
    raw_lines = []
    total = 0.0
    for index, line in enumerate(lines):
        gross_amount = round(line["gross"] * line["quantity"], 2)
        # what the buyer pays: after the seller's and the marketplace-funded discounts
        net_amount = round(
            gross_amount - line.get("seller_discount", 0.0) - line.get("ty_discount", 0.0), 2
        )
        total += net_amount
        raw_lines.append(
            {
                "lineId": line.get("line_id") or int(f"55{number:06d}{index}"),
                "quantity": line["quantity"],
                "barcode": line["barcode"],
                "stockCode": line.get("stock_code", "SKU-%s" % line["barcode"][-4:]),
                "productName": line.get("name", "Ürün %s" % line["barcode"][-4:]),
                "lineGrossAmount": gross_amount,
                "lineSellerDiscount": line.get("seller_discount", 0.0),
                "lineTyDiscount": line.get("ty_discount", 0.0),
                "lineTotalDiscount": line.get("seller_discount", 0.0)
                + line.get("ty_discount", 0.0),
                "lineUnitPrice": round(net_amount / line["quantity"], 2),
                "vatRate": line["vat"],
                "currencyCode": "TRY",
                "orderLineItemStatusName": status,
            }
        )
    invoice_address = {
        "id": 90000000 + number,
        "firstName": "Ayşe",
        "lastName": "Yılmaz",
        "company": "Örnek Teknoloji A.Ş." if commercial else "",
        "address1": "Büyükdere Cad. No:100 K:4",
        "address2": "",
        "city": "İstanbul",
        "district": "Şişli",
        "postalCode": "34394",
        "countryCode": "TR",
        "fullName": "Ayşe Yılmaz",
        "phone": "5321234567",
    }
    if commercial:
        invoice_address.update(
            taxOffice="Zincirlikuyu", taxNumber="1234567890", eInvoiceAvailable=True
        )
    package = {
        "shipmentPackageId": package_id or 3460000000 + number,
        "orderNumber": order_number,
        "status": status,
        "shipmentPackageStatus": status,
        "orderDate": now_ms + 3 * 3600 * 1000,
        "lastModifiedDate": now_ms,
        "originShipmentDate": now_ms,
        "currencyCode": "TRY",
        "customerId": customer_id,
        "customerFirstName": "Ayşe",
        "customerLastName": "Yılmaz",
        "customerEmail": "pf+k3m9q2@trendyolmail.com",
        "identityNumber": identity,
        "commercial": commercial,
        "micro": False,
        "packageGrossAmount": total,
        "packageSellerDiscount": 0.0,
        "packageTyDiscount": 0.0,
        "packageTotalPrice": round(total, 2),
        "cargoProviderName": "Trendyol Express Marketplace",
        "cargoTrackingNumber": 7330012345000 + number,
        "cargoTrackingLink": "https://kargotakip.trendyol.com/?token=abc",
        "shipmentAddress": dict(invoice_address, id=80000000 + number, company=""),
        "invoiceAddress": invoice_address,
        "lines": raw_lines,
        "packageHistories": [{"createdDate": now_ms, "status": status}],
    }
    package.update(extra)
    return package


def with_status(package, status, **extra):
    changed = copy.deepcopy(package)
    changed["status"] = changed["shipmentPackageStatus"] = status
    changed["lastModifiedDate"] += 60000
    for line in changed["lines"]:
        line["orderLineItemStatusName"] = status
    changed.update(extra)
    return changed


class MarketplaceFakeMixin:
    """A Trendyol sandbox account of the TR demo company pointing at a fake Trendyol."""

    @classmethod
    def _start_fake_marketplace(cls):
        cls.fake_module = load_fake("trendyol")
        cls.fake = cls.fake_module.FakeTrendyol().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.company = cls.env.ref("base.demo_company_tr")
        cls.env = cls.env(
            context=dict(
                cls.env.context, allowed_company_ids=[cls.company.id], tracking_disable=True
            )
        )
        cls.env.user.company_ids |= cls.company
        cls.env.user.company_id = cls.company
        cls.account = cls.env.ref("marketplace_connector.account_trendyol_sandbox")
        cls.account.write(
            {
                "sandbox_url": cls.fake.url,
                "supplier_id": str(cls.fake.supplier_id),
                "api_key": cls.fake.api_key,
                "api_secret": cls.fake.api_secret,
                "auto_send_edocument": False,
            }
        )
        cls.Inbound = cls.env["marketplace.order.inbound"]
        cls.SaleOrder = cls.env["sale.order"]

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def seed(self, *packages):
        """Put raw packages in the fake Trendyol (replacing those with the same id)."""
        return self.fake.add_packages(list(packages))

    def store(self, *packages):
        """Store packages as fetched (and keep the fake in step for the back-channel)."""
        self.seed(*packages)
        return [self.Inbound._store_package(self.account, package) for package in packages]

    def process(self, **kwargs):
        return self.account.process_pending(**kwargs)

    def inbound(self, package):
        return self.Inbound.search(
            [("account_id", "=", self.account.id), ("order_number", "=", package["orderNumber"])],
            order="id desc",
            limit=1,
        )

    def orders(self, package):
        return self.SaleOrder.search(
            [
                ("marketplace_account_id", "=", self.account.id),
                ("marketplace_order_number", "=", package["orderNumber"]),
            ]
        )


class MarketplaceCase(MarketplaceFakeMixin, TransactionCase):
    """A Trendyol sandbox account of the TR demo company pointing at a fake Trendyol."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_fake_marketplace()
