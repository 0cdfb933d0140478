"""The customer's requests in the portal: /my/requests and /my/requests/<id> with the chatter."""

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class CustomerRequestPortal(CustomerPortal):
    def _customer_request_domain(self, search=None):
        """The requests of the user's own customer (commercial partner), whatever the rights:
        the record rules say the same, this keeps the list right for internal users too."""
        domain = [("partner_id", "=", request.env.user.partner_id.commercial_partner_id.id)]
        if search:
            domain += ["|", ("name", "ilike", search), ("subject", "ilike", search)]
        return domain

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "customer_request_count" in counters:
            Request = request.env["customer.request"]
            values["customer_request_count"] = (
                Request.search_count(self._customer_request_domain())
                if Request.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/requests", "/my/requests/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_customer_requests(self, page=1, search=None, **kw):
        Request = request.env["customer.request"]
        if not Request.has_access("read"):
            return request.redirect("/my")
        domain = self._customer_request_domain(search)
        pager = portal_pager(
            url="/my/requests",
            url_args={"search": search} if search else {},
            total=Request.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        requests = Request.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_customer_requests_history"] = requests.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "customer_requests": requests,
                "page_name": "customer_request",
                "pager": pager,
                "default_url": "/my/requests",
                "search": search or "",
            }
        )
        return request.render("partner_credit_risk.portal_my_customer_requests", values)

    @http.route(["/my/requests/<int:request_id>"], type="http", auth="public", website=True)
    def portal_customer_request_page(self, request_id, access_token=None, **kw):
        try:
            request_sudo = self._document_check_access(
                "customer.request", request_id, access_token=access_token
            )
        except (AccessError, MissingError):
            # someone else's request or none: the same answer, nothing told about it
            raise request.not_found() from None
        values = self._get_page_view_values(
            request_sudo,
            access_token,
            {"customer_request": request_sudo, "page_name": "customer_request"},
            "my_customer_requests_history",
            False,
            **kw,
        )
        return request.render("partner_credit_risk.portal_customer_request_page", values)
