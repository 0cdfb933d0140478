from odoo import _, api, fields, models

from ..lib.codes import (
    OZELMATRAH_EXEMPTION_CODES,
    TAX_TYPES,
    WITHHOLDING_CODE_PERCENTS,
    WITHHOLDING_CODES,
)

WITHHOLDING_SELECTION = [(code, f"{code} {name}") for code, name in WITHHOLDING_CODES.items()] + [
    (str(code), f"{code} Tam tevkifat") for code in range(801, 826)
]

# l10n_tr chart taxes (template xmlids) -> GİB defaults
TR_CHART_DEFAULTS = {
    "tr_s_20": {"l10n_tr_tax_type_code": "0015"},
    "tr_s_10": {"l10n_tr_tax_type_code": "0015"},
    "tr_s_1": {"l10n_tr_tax_type_code": "0015"},
    "tr_p_20": {"l10n_tr_tax_type_code": "0015"},
    "tr_p_10": {"l10n_tr_tax_type_code": "0015"},
    "tr_p_1": {"l10n_tr_tax_type_code": "0015"},
    "tr_p_0": {"l10n_tr_tax_type_code": "0015"},
    "tr_s_0_ex": {
        "l10n_tr_tax_type_code": "0015",
        "l10n_tr_exemption_code": "301",
        "l10n_tr_exemption_reason": "11/1-a Mal ihracatı",
    },
}
# withholding share (x/10) -> a GİB withholding code accepted with that percentage
_WITHHOLDING_BY_SHARE = {2: "624", 3: "601", 4: "601", 5: "604", 7: "612", 9: "602", 10: "801"}
for _share, _code in _WITHHOLDING_BY_SHARE.items():
    for _prefix in ("tr_wh_20", "tr_p_wh_20"):
        TR_CHART_DEFAULTS[f"{_prefix}_{_share}_10"] = {
            "l10n_tr_tax_type_code": "9015",
            "l10n_tr_withholding_code": _code,
            "l10n_tr_withholding_percent": _share * 10,
        }


class AccountTax(models.Model):
    _inherit = "account.tax"

    l10n_tr_tax_type_code = fields.Selection(
        [(code, f"{code} {name}") for code, name in TAX_TYPES.items()],
        string="GİB Tax Type",
        help="TaxTypeCode in UBL-TR (0015 KDV, 0071 ÖTV, 9015 KDV withholding...). Empty: "
        "0015 for positive/zero rates, 9015 for negative rates.",
    )
    l10n_tr_withholding_code = fields.Selection(
        WITHHOLDING_SELECTION,
        string="GİB Withholding Code",
        help="Tevkifat kodu (6xx partial, 8xx full) for KDV withholding taxes.",
    )
    l10n_tr_withholding_percent = fields.Integer(
        string="Withholding Percent", help="Share of the KDV withheld, e.g. 90 for 9/10."
    )
    l10n_tr_exemption_code = fields.Char(
        string="GİB Exemption Code",
        size=3,
        help="TaxExemptionReasonCode for 0 % KDV (e.g. 301 export, 351 other, 701 ihraç "
        "kayıtlı, 801-812 özel matrah).",
    )
    l10n_tr_exemption_reason = fields.Char(string="GİB Exemption Reason")

    def _l10n_tr_type_code(self):
        self.ensure_one()
        return self.l10n_tr_tax_type_code or ("9015" if self.amount < 0 else "0015")

    def _l10n_tr_is_withholding(self):
        return self._l10n_tr_type_code() == "9015"

    def _l10n_tr_on_special_base(self):
        """A KDV computed on the line's special base (özel matrah, codes 801-812), not on its
        price."""
        self.ensure_one()
        return (
            self.amount_type == "percent"
            and self._l10n_tr_type_code() == "0015"
            and self.l10n_tr_exemption_code in OZELMATRAH_EXEMPTION_CODES
        )

    def _l10n_tr_mapping_problem(self):
        """Why this (leaf) tax cannot be written in a UBL-TR document, or None.

        A tax maps to GİB when it is a percentage and either a KDV-like rate (its GİB tax
        type, 0015 when empty) or a withholding with a code and a share GİB accepts together.
        """
        self.ensure_one()
        if self.amount_type != "percent":
            return _(
                'The tax "%(tax)s" is not a percentage: an e-document has no '
                "code for it. Use a percentage tax with a GİB Tax Type.",
                tax=self.name,
            )
        if not self._l10n_tr_is_withholding():
            if self.amount < 0:
                return _(
                    'The tax "%(tax)s" has a negative rate but its GİB Tax Type is '
                    "not 9015 (KDV withholding): set the GİB Tax Type on the tax.",
                    tax=self.name,
                )
            return None
        code, percent = self.l10n_tr_withholding_code, self.l10n_tr_withholding_percent
        if not code or not percent:
            return _(
                'The withholding tax "%(tax)s" has no GİB withholding code: set the '
                "GİB Withholding Code and the Withholding Percent (share of the KDV "
                "withheld, e.g. 90 for 9/10) on the tax.",
                tax=self.name,
            )
        if (code, percent) not in WITHHOLDING_CODE_PERCENTS:
            return _(
                "GİB does not accept withholding code %(code)s with %(percent)s %% on "
                'the tax "%(tax)s": set the share GİB lists for this code.',
                code=code,
                percent=percent,
                tax=self.name,
            )
        return None

    @api.model
    def _l10n_tr_apply_chart_defaults(self, companies):
        """Fill the GİB fields of the l10n_tr chart taxes where they are still empty."""
        data = self.env["ir.model.data"].sudo()
        for company in companies:
            for template_xmlid, values in TR_CHART_DEFAULTS.items():
                record = data.search(
                    [
                        ("module", "=", "account"),
                        ("name", "=", f"{company.id}_{template_xmlid}"),
                        ("model", "=", "account.tax"),
                    ],
                    limit=1,
                )
                tax = self.browse(record.res_id).exists() if record else self.browse()
                if tax and not tax.l10n_tr_tax_type_code:
                    tax.write(values)
