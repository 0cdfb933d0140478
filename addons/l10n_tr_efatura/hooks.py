def post_init_hook(env):
    """GİB tax codes for the l10n_tr chart taxes of companies that already exist."""
    companies = env["res.company"].search([("chart_template", "=", "tr")])
    env["account.tax"]._l10n_tr_apply_chart_defaults(companies)
