import { registry } from "@web/core/registry";

// Sync a marketplace account from the dashboard, then open the invoice of an order it made.
registry.category("web_tour.tours").add("marketplace_connector_sync_tour", {
    url: "/odoo/action-marketplace_connector.action_marketplace_dashboard",
    steps: () => [
        {
            content: "Sync the sandbox account now",
            trigger: ".o_kanban_record:contains('Trendyol (sandbox)') button[name='action_sync_now']",
            run: "click",
        },
        {
            content: "The result shows the counts",
            trigger: ".o_notification:has(.o_notification_bar.bg-success) .o_notification_content:contains('2')",
        },
        {
            content: "The dashboard draws the orders of the last days",
            trigger: ".o_kanban_record .o_marketplace_orders_graph canvas",
        },
        {
            content: "Open the processed orders",
            trigger: ".o_kanban_record:contains('Trendyol (sandbox)') a[name='action_open_sale_orders']",
            run: "click",
        },
        {
            content: "Open the first sale order",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        {
            content: "Open its invoice",
            trigger: ".o_form_view button[name='action_view_invoice']",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='posted']",
        },
    ],
});

// Decide a return: approve it through the decision wizard.
registry.category("web_tour.tours").add("marketplace_connector_claim_tour", {
    url: "/odoo/action-marketplace_connector.action_marketplace_claim",
    steps: () => [
        {
            content: "Open the return to decide",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell",
            run: "click",
        },
        {
            content: "Approve or reject",
            trigger: ".o_form_view button[name='action_open_decision']",
            run: "click",
        },
        {
            content: "Approve (the default) and confirm",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The return is approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='approved']",
        },
        {
            content: "Its credit note is linked",
            trigger: ".o_form_view .o_field_widget[name='credit_note_id'] a",
        },
    ],
});

// A salesperson with the Marketplaces user role: sync, then the order, its delivery and its
// invoice, all created by the sync (not theirs).
registry.category("web_tour.tours").add("marketplace_connector_salesperson_tour", {
    url: "/odoo/action-marketplace_connector.action_marketplace_dashboard",
    steps: () => [
        {
            content: "Sync the sandbox account now",
            trigger: ".o_kanban_record:contains('Trendyol (sandbox)') button[name='action_sync_now']",
            run: "click",
        },
        {
            content: "The result shows the counts",
            trigger: ".o_notification:has(.o_notification_bar.bg-success)",
        },
        {
            content: "Open the processed orders",
            trigger: ".o_kanban_record:contains('Trendyol (sandbox)') a[name='action_open_sale_orders']",
            run: "click",
        },
        {
            content: "Open the first sale order",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']",
        },
        {
            content: "Open its delivery",
            trigger: ".o_form_view button[name='action_view_delivery']",
            run: "click",
        },
        {
            content: "The delivery is ready",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:not([data-value='draft'])",
        },
        {
            content: "Back to the order (sale order numbers start with S)",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('S0')",
            run: "click",
        },
        {
            content: "Open its invoice",
            trigger: ".o_form_view button[name='action_view_invoice']",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='posted']",
        },
    ],
});

// An accountant (Invoicing / Billing, no marketplace role) sends a marketplace invoice's
// e-document: one Send path while it is to send.
registry.category("web_tour.tours").add("marketplace_connector_billing_send_tour", {
    steps: () => [
        {
            content: "Only the e-document Send while the e-document is to send",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_invoice_sent']))",
        },
        {
            content: "Send the e-document to the integrator",
            trigger: ".o_form_view .o_form_statusbar button[name='action_l10n_tr_send']",
            run: "click",
        },
        {
            content: "Sent: the status can now be refreshed from GİB",
            trigger: ".o_form_view .o_form_statusbar button[name='l10n_tr_refresh_status']",
        },
        {
            content: "No e-document send button is left",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_l10n_tr_send']))",
        },
    ],
});

// Invoice Segmentation: a segment's form and totals, "Apply to past invoices", then the
// analysis of its invoices grouped by segment. The test names the segment "Tour Customers".
registry.category("web_tour.tours").add("marketplace_connector_segment_tour", {
    url: "/odoo/action-marketplace_connector.action_invoice_segment",
    steps: () => [
        {
            content: "Open the segment",
            trigger: ".o_list_view .o_data_row:contains('Tour Customers') .o_data_cell",
            run: "click",
        },
        {
            content: "A new segment tags no invoice yet",
            trigger: ".o_form_view .o_field_widget[name='period_count']:contains('0')",
        },
        {
            content: "Apply it to the past invoices",
            trigger: ".o_form_view button[name='action_apply_to_past_invoices']",
            run: "click",
        },
        {
            content: "The result shows the count",
            trigger: ".o_notification:has(.o_notification_bar.bg-success) .o_notification_content:contains('2')",
        },
        {
            content: "The totals of the quarter: two invoices",
            trigger: ".o_form_view .o_field_widget[name='period_count']:contains('2')",
        },
        {
            content: "The total of the quarter",
            trigger: ".o_form_view .o_field_widget[name='period_total']:contains('840.00')",
        },
        {
            content: "The average order value",
            trigger: ".o_form_view .o_field_widget[name='period_average']:contains('420.00')",
        },
        {
            content: "Open the Invoice Segmentation analysis of the segment",
            trigger: ".o_form_view button[name='action_view_analysis']",
            run: "click",
        },
        {
            content: "The pivot shows the segment's invoices",
            trigger: ".o_pivot_view .o_pivot",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by segment",
            trigger: "select.o_add_custom_group_menu",
            run: "select segment_ids",
        },
        {
            content: "The segment is a row of the pivot with its untaxed total",
            trigger: ".o_pivot tr:has(th:contains('Tour Customers')) .o_pivot_cell_value:contains('700.00')",
        },
        {
            content: "Download the pivot as XLSX",
            trigger: ".o_pivot_view button.o_pivot_download",
            run: "click",
        },
    ],
});
