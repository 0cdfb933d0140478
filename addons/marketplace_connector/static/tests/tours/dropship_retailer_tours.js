import { registry } from "@web/core/registry";

// A retailer's delivery: report the actual cost of the label.
registry.category("web_tour.tours").add("marketplace_connector_retailer_shipping_cost_tour", {
    steps: () => [
        {
            content: "Report the shipping cost of the delivery",
            trigger: ".o_form_view button[name='action_open_shipping_cost_wizard']",
            run: "click",
        },
        {
            content: "Type the cost of the label",
            trigger: ".modal div[name='amount'] input",
            run: "edit 37.50",
        },
        {
            content: "Report it",
            trigger: ".modal button[name='action_report']",
            run: "click",
        },
        {
            content: "Reported: the delivery offers no second report",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_open_shipping_cost_wizard']))",
        },
    ],
});

// A pay-first retailer order not paid yet: a sales manager lets it ship, with a reason.
registry.category("web_tour.tours").add("marketplace_connector_retailer_release_tour", {
    steps: () => [
        {
            content: "Ship before payment",
            trigger: ".o_form_view button[name='action_open_payment_release_wizard']",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Havale dekontu görüldü",
        },
        {
            content: "Release",
            trigger: ".modal button[name='action_release']",
            run: "click",
        },
        {
            content: "The order is released: the button is gone",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_open_payment_release_wizard']))",
        },
    ],
});
