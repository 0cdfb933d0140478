# Run once by start-demo.sh through `odoo shell`: make the demo usable from the browser.
import os

host = os.environ.get("SANDBOX_HOST", "sandbox")
company = env.ref("base.demo_company_tr")  # noqa: F821 (odoo shell provides env)
admin = env.ref("base.user_admin")  # noqa: F821
admin.write({"company_ids": [(4, company.id)], "company_id": company.id})
# the sandbox service's port of each marketplace (tests/fakes/sandbox.py)
for account in env["marketplace.account"].search([("environment", "=", "sandbox")]):  # noqa: F821
    port = {"trendyol": 8070, "n11": 8073, "hepsiburada": 8074}[account.marketplace]
    account.sandbox_url = f"http://{host}:{port}"
company.write(
    {
        "l10n_tr_integrator": "izibiz",
        "l10n_tr_integrator_environment": "test",
        "l10n_tr_integrator_username": "izibiz-test2",
        "l10n_tr_integrator_password": "izi321",
    }
)
company.write(
    {
        "l10n_tr_izibiz_auth_url": f"http://{host}:8071/AuthenticationWS?wsdl",
        "l10n_tr_izibiz_einvoice_url": f"http://{host}:8071/EInvoiceWS?wsdl",
        "l10n_tr_izibiz_earchive_url": f"http://{host}:8071/EIArchiveWS/EFaturaArchive?wsdl",
        "l10n_tr_uyumsoft_url": f"http://{host}:8072/Services/Integration?wsdl",
    }
)
env.cr.commit()  # noqa: F821
print("demo ready: admin works in", company.name)
