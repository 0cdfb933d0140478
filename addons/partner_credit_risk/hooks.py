def pre_init_hook(env):
    """Create the new columns empty so that installing does not recompute every document:
    no financial account exists before the module is installed."""
    for table in ("account_move", "account_move_line", "sale_order", "account_payment"):
        env.cr.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS financial_account_id integer")


def post_init_hook(env):
    """Give existing customers their first status (LA), and existing customers and suppliers
    their first financial account."""
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search(
            [
                ("parent_id", "=", False),
                "|",
                ("customer_rank", ">", 0),
                ("supplier_rank", ">", 0),
            ]
        )
    )
    partners._give_customer_status()
    partners._create_first_financial_accounts()
