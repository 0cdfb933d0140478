"""The Docker sandbox keeps its fakes consistent: Trendyol's e-Fatura buyers are known to GİB."""

from tests.fakes import izibiz, sandbox, trendyol, uyumsoft


def test_efatura_buyers_are_registered_with_both_integrators():
    shop = trendyol.start(seed_orders=40)
    gib = [izibiz.start(), uyumsoft.start()]
    try:
        ports = {"trendyol": shop.port, "izibiz": gib[0].port, "uyumsoft": gib[1].port}
        buyers = sandbox.register_efatura_buyers("127.0.0.1", ports)
        flagged = {
            p["invoiceAddress"]["taxNumber"]
            for p in shop.packages.values()
            if p["invoiceAddress"].get("eInvoiceAvailable")
        }
        assert buyers and set(buyers) == flagged
        for vkn in flagged:
            alias = f"urn:mail:defaultpk@{vkn}.example.com.tr"
            assert gib[0].users[vkn][0]["alias"] == alias
            assert gib[1].users[vkn]["aliases"] == [alias]
    finally:
        for fake in (shop, *gib):
            fake.stop()


def test_only_flagged_corporate_buyers_count():
    packages = [
        {
            "invoiceAddress": {
                "taxNumber": "7345120982",
                "company": "Marmara Elektronik",
                "eInvoiceAvailable": True,
            }
        },
        {
            "invoiceAddress": {
                "taxNumber": "4567891233",
                "company": "Ege Gıda",
                "eInvoiceAvailable": False,
            }
        },
        {"invoiceAddress": {"firstName": "Ayşe"}},
    ]
    assert sandbox.efatura_buyers(packages) == {"7345120982": "Marmara Elektronik"}
