{
    "name": "Turkish Commerce Suite – Common Rules",
    "summary": "Argument checks and shared rules of the Turkish commerce addons",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "Turkish Commerce Suite",
    "website": "https://github.com/turkish-commerce-suite",
    "license": "LGPL-3",
    "depends": ["base"],
    "installable": True,
    "application": False,
}
