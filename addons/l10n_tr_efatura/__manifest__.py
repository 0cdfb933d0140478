{
    "name": "Türkiye e-Fatura / e-Arşiv (UBL-TR 1.2)",
    "summary": "GİB-valid UBL-TR 1.2 e-Fatura and e-Arşiv documents, sent through "
    "GİB-licensed integrators",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "author": "Turkish Commerce Suite",
    "website": "https://github.com/turkish-commerce-suite",
    "license": "LGPL-3",
    "depends": ["l10n_tr_commerce_base", "account", "l10n_tr"],
    "external_dependencies": {"python": ["lxml", "python-stdnum", "qrcode", "requests", "zeep"]},
    "data": [
        "security/l10n_tr_efatura_security.xml",
        "security/ir.model.access.csv",
        "security/l10n_tr_efatura_transport_security.xml",
        "data/l10n_tr_efatura_transport_crons.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/account_tax_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/l10n_tr_efatura_transport_views.xml",
        "views/l10n_tr_incoming_document_views.xml",
        "views/res_config_settings_integrator_views.xml",
        "report/l10n_tr_edocument_report.xml",
    ],
    "demo": [
        "demo/l10n_tr_efatura_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_tests": [
            "l10n_tr_efatura/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
