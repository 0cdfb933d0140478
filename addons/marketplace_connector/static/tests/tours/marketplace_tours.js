import { registry } from "@web/core/registry";

// Sync a marketplace account from the dashboard, then open the invoice of an order it made.
registry.category("web_tour.tours").add("marketplace_connector_sync_tour", {
    url: "/odoo/action-marketplace_connector.action_marketplace_dashboard",
    steps: () => [
        {
            content: "Sync the sandbox account now",
            trigger: ".o_kanban_record:contains('sandbox') button[name='action_sync_now']",
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
            trigger: ".o_kanban_record:contains('sandbox') a[name='action_open_sale_orders']",
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
            trigger: ".o_kanban_record:contains('sandbox') button[name='action_sync_now']",
            run: "click",
        },
        {
            content: "The result shows the counts",
            trigger: ".o_notification:has(.o_notification_bar.bg-success)",
        },
        {
            content: "Open the processed orders",
            trigger: ".o_kanban_record:contains('sandbox') a[name='action_open_sale_orders']",
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
