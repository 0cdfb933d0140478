{
    "name": "Marketplace Connector – Customer Master Card",
    "summary": "Marketplace orders on the buyer's e-commerce financial account; sales "
    "segmentation by the customer type of the customer master card",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Turkish Commerce Suite",
    "website": "https://github.com/turkish-commerce-suite",
    "license": "LGPL-3",
    "depends": ["marketplace_connector", "partner_credit_risk"],
    "data": [
        "security/ir.model.access.csv",
        "data/partner_customer_type_data.xml",
        "views/partner_customer_type_views.xml",
        "views/partner_profitability_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
