{
    "name": "Türkiye e-Fatura / e-Arşiv (UBL-TR 1.2)",
    "summary": "GİB-valid UBL-TR 1.2 e-Fatura and e-Arşiv documents, sent through "
    "GİB-licensed integrators",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "author": "Turkish Commerce Suite",
    "website": "https://github.com/turkish-commerce-suite",
    "license": "LGPL-3",
    "depends": ["account", "l10n_tr"],
    "external_dependencies": {"python": ["lxml", "requests", "zeep"]},
    "data": [
        "security/l10n_tr_efatura_security.xml",
        "security/ir.model.access.csv",
    ],
    "demo": [
        "demo/l10n_tr_efatura_demo.xml",
    ],
    "installable": True,
    "application": False,
}
