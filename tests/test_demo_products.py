"""The sandbox's fake Trendyol sells the demo products: same barcode, stock code and name."""

from pathlib import Path

from lxml import etree

from tests.fakes.trendyol import PRODUCTS

DEMO = (
    Path(__file__).resolve().parent.parent
    / "addons/marketplace_connector/demo/marketplace_demo.xml"
)


def _records(model):
    tree = etree.parse(str(DEMO))
    return [
        {field.get("name"): (field.text or "").strip() for field in record.iter("field")}
        for record in tree.iter("record")
        if record.get("model") == model
    ]


def test_fake_marketplace_products_are_the_demo_products():
    products = {p["barcode"]: p for p in _records("product.product") if p.get("barcode")}
    listings = {p["barcode"]: p for p in _records("marketplace.listing")}
    assert set(products) == {barcode for barcode, *_rest in PRODUCTS}
    for barcode, stock_code, name, _price, _vat in PRODUCTS:
        assert products[barcode]["default_code"] == stock_code, barcode
        assert products[barcode]["name"] == name, barcode
        assert listings[barcode]["stock_code"] == stock_code, barcode
