{
    "name": "Partner Credit & Risk – Mass Mailing",
    "summary": "A campaign's target list becomes a mailing list of Odoo's Email Marketing",
    "version": "18.0.1.0.0",
    "category": "Marketing/Email Marketing",
    "author": "Turkish Commerce Suite",
    "website": "https://github.com/turkish-commerce-suite",
    "license": "LGPL-3",
    "depends": ["partner_credit_risk", "mass_mailing"],
    "data": [
        "views/utm_campaign_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
