import { registry } from "@web/core/registry";

// On a campaign: target the customers of one city and build the target list.
registry.category("web_tour.tours").add("partner_credit_risk_campaign_tour", {
    steps: () => [
        {
            content: "Open the target criteria",
            trigger: ".o_notebook a.nav-link[name='target_criteria']",
            run: "click",
        },
        {
            content: "Target one city",
            trigger: ".o_field_widget[name='target_city'] input",
            run: "edit tavşanlı",
        },
        {
            content: "Build the target list",
            trigger: ".o_form_view button[name='action_build_target_list']",
            run: "click",
        },
        {
            content: "The counts are shown",
            trigger: ".o_notification:contains('1 customers targeted (1 added, 0 removed)')",
        },
        {
            content: "The stat button counts the customer (the form is reloaded)",
            trigger: "button[name='action_open_targets'] .o_stat_value:contains('1')",
        },
        {
            content: "Open the target list",
            trigger: ".o_notebook a.nav-link[name='target_list']",
            run: "click",
        },
        {
            content: "The customer of that city is listed",
            trigger: ".o_field_widget[name='target_ids'] .o_data_row:contains('Tavşanlı Seramik Ltd.')",
        },
    ],
});
