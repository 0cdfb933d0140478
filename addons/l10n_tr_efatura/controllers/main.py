"""Inline HTML preview of a posted invoice's UBL-TR e-document."""

from urllib.parse import quote

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..lib.preview import PreviewError

# the rendered document is data only: no script, no remote resource, no framing by others
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


class EdocumentPreviewController(http.Controller):
    @http.route("/l10n_tr_efatura/preview/<int:move_id>", type="http", auth="user", methods=["GET"])
    def l10n_tr_preview(self, move_id, **kwargs):
        """The e-document rendered through the embedded XSLT, shown in the browser tab."""
        env = request.env
        move = env["account.move"].browse(move_id).exists()
        if not move:
            raise NotFound(env._("Invoice %(id)s does not exist.", id=move_id))
        try:
            move.check_access("read")
        except AccessError as exc:
            message = env._("You are not allowed to see this invoice's e-document.")
            raise Forbidden(message) from exc
        try:
            html = move._l10n_tr_preview_html()
        except (UserError, PreviewError) as exc:
            raise NotFound(str(exc)) from exc
        filename = quote(f"{move.l10n_tr_gib_number}.html", safe="")
        return request.make_response(
            html,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Disposition", f"inline; filename*=UTF-8''{filename}"),
                ("X-Content-Type-Options", "nosniff"),
                ("Content-Security-Policy", PREVIEW_CSP),
                ("Cache-Control", "no-store"),
            ],
        )
