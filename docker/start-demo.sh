#!/usr/bin/env bash
# First start: create the demo database with the three addons and demo data, point the demo
# accounts at the sandbox service; then serve Odoo. Arguments are passed on to odoo.
set -euo pipefail
DB="${DEMO_DB:-turkish_demo}"
MODULES="l10n_tr_efatura,marketplace_connector,partner_credit_risk"
DB_ARGS=(--db_host "${HOST:-db}" --db_user "${USER:-odoo}" --db_password "${PASSWORD:-odoo}")

if ! PGPASSWORD="${PASSWORD:-odoo}" psql -h "${HOST:-db}" -U "${USER:-odoo}" -d postgres -Atc \
        "select 1 from pg_database where datname = '${DB}'" | grep -q 1; then
    echo "Creating ${DB} with ${MODULES} and demo data (a few minutes on first start)"
    odoo "${DB_ARGS[@]}" -d "${DB}" -i "${MODULES}" --stop-after-init --no-http
    odoo shell "${DB_ARGS[@]}" -d "${DB}" --no-http < /mnt/docker/post_init.py
fi

exec odoo "${DB_ARGS[@]}" -d "${DB}" --db-filter "^${DB}\$" "$@"
