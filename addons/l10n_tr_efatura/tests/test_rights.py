"""Rights before the integrator is called: every public method that calls out, tried by
every kind of user, is either refused before any request reaches the fake integrator, or
allowed (and then reaches it)."""

import itertools

from odoo import Command
from odoo.addons.base.tests.common import new_test_user
from odoo.addons.l10n_tr_efatura.models.res_company_integrator import CREDENTIAL_FIELDS
from odoo.addons.l10n_tr_efatura.tests.common import refused_or_allowed
from odoo.addons.l10n_tr_efatura.tests.transport_common import (
    BUYER_PK,
    BUYER_VKN,
    IzibizTransportCase,
)
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

# user key -> groups (xml ids); users whose groups are not installed are left out
USERS = {
    "portal": ["base.group_portal"],
    "salesperson": ["base.group_user", "sales_team.group_sale_salesman"],
    "sales_admin": ["base.group_user", "sales_team.group_sale_manager"],
    # internal users get "Contact Creation" by default: the lookup writes on the partner
    "billing": ["base.group_user", "base.group_partner_manager", "account.group_account_invoice"],
    "accountant": [
        "base.group_user",
        "base.group_partner_manager",
        "account.group_account_manager",
    ],
    "inventory": ["base.group_user", "stock.group_stock_user"],
    "other_company": ["base.group_user", "account.group_account_manager"],
}
METHODS = (
    "send",
    "action_send",
    "refresh_status",
    "cancel",
    "fetch_inbox",
    "accept",
    "reject",
    "test_integrator",
    "check_efatura_user",
)
# who may do what; every other (user, method) pair must be refused before any request
ALLOWED = {
    "billing": set(METHODS) - {"test_integrator"},
    "accountant": set(METHODS),
}
_numbers = itertools.count(1)


@tagged("post_install", "-at_install")
class TestIntegratorRights(IzibizTransportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Başka Şirket A.Ş."})
        cls.users = {}
        for key, groups in USERS.items():
            if not all(cls.env.ref(group, raise_if_not_found=False) for group in groups):
                continue
            company = cls.other_company if key == "other_company" else cls.company
            cls.users[key] = new_test_user(
                cls.env,
                login=f"rights_{key}",
                groups=",".join(groups),
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

    # ------------------------------------------------------------------ fixtures

    def _as(self, records, user):
        """``records`` as ``user`` would reach them over XML-RPC (all their companies)."""
        return records.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    def _own_invoice(self, user, partner, sent=False):
        move = self._invoice(partner, invoice_user_id=user.id if user._is_internal() else False)
        if not user._is_internal():
            move.message_subscribe(partner_ids=user.partner_id.ids)  # the portal user's own
        if sent:
            move.l10n_tr_send()
            self.assertNotIn(move.l10n_tr_edoc_state, ("to_send", "error"))
        return move

    def _commercial_bill(self):
        number = f"TED2026{next(_numbers):09d}"
        self._incoming(number, profile="TICARIFATURA")
        created = self.env["account.move"].l10n_tr_fetch_inbox(self.company.id)["created"]
        return self.env["account.move"].browse(created)

    def _prepare(self, method, user):
        """Build the records of ``method`` as superuser (this may call the integrator);
        return the call of ``method`` by ``user``."""
        if method in ("send", "action_send"):
            move = self._as(self._own_invoice(user, self.buyer), user)
            return move.l10n_tr_send if method == "send" else move.action_l10n_tr_send
        if method == "refresh_status":
            move = self._own_invoice(user, self.buyer, sent=True)
            return self._as(move, user).l10n_tr_refresh_status
        if method == "cancel":
            move = self._as(self._own_invoice(user, self.consumer, sent=True), user)
            return lambda: move.l10n_tr_cancel_edocument("Müşteri vazgeçti")
        if method == "fetch_inbox":
            self._incoming(f"TED2026{next(_numbers):09d}")
            moves = self._as(self.env["account.move"], user)
            return lambda: moves.l10n_tr_fetch_inbox(company_id=self.company.id)
        if method in ("accept", "reject"):
            bill = self._as(self._commercial_bill(), user)
            return (
                bill.l10n_tr_accept
                if method == "accept"
                else (lambda: bill.l10n_tr_reject("Fiyat farkı"))
            )
        if method == "test_integrator":
            return self._as(self.company, user).l10n_tr_test_integrator
        partner = self._as(
            self.env["res.partner"].create(
                {"name": "Yeni Müşteri", "vat": BUYER_VKN, "country_id": self.env.ref("base.tr").id}
            ),
            user,
        )
        return lambda: partner.l10n_tr_check_efatura_user(force=True, company_id=self.company.id)

    # ------------------------------------------------------------------ matrix

    def test_rights_matrix(self):
        """7 kinds of user × 9 methods that call the integrator: refused before any
        request reaches the integrator, or allowed and reaching it. (The salesperson and
        inventory roles exist only where sale and stock are installed: not with this addon
        alone.)"""
        self.assertGreaterEqual(len(self.users), 4)
        outcomes = {}
        for (key, user), method in itertools.product(self.users.items(), METHODS):
            with self.subTest(user=key, method=method):
                self.fake.reset()
                self.fake.add_user(BUYER_VKN, "MARMARA ELEKTRONIK", [BUYER_PK])
                outcomes[key, method] = refused_or_allowed(
                    self,
                    self._prepare(method, user),
                    method in ALLOWED.get(key, ()),
                    self.fake.requests,
                    "integrator",
                )
        allowed = sum(len(ALLOWED.get(key, ())) for key in self.users)
        self.assertEqual(allowed, 17, "billing and the accountant are always there")
        self.assertEqual(list(outcomes.values()).count("allowed"), allowed)
        self.assertEqual(
            list(outcomes.values()).count("refused"), len(self.users) * len(METHODS) - allowed
        )

    # ------------------------------------------------------------------ cache, routing

    def test_credentials_read_leaves_no_record_in_the_cache(self):
        """The superuser building the adapter (credentials read) leaves none of the company's
        integrator settings in the shared cache; a user of another company still cannot
        read them."""
        other = self.users["other_company"]
        self.env.invalidate_all()
        self.company.sudo()._l10n_tr_provider()
        cached = [
            name
            for name in CREDENTIAL_FIELDS
            if self.env.cache.contains(self.company, self.company._fields[name])
        ]
        self.assertEqual(cached, [])
        for field in (
            "l10n_tr_integrator",
            "l10n_tr_sender_alias",
            "l10n_tr_izibiz_auth_url",
            "l10n_tr_integrator_environment",
        ):
            with (
                self.subTest(field=field),
                self.assertRaises(AccessError),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                self._as(self.company, other).read([field])
        credentials = self.company._l10n_tr_integrator_credentials()
        self.assertEqual(
            (credentials["integrator"], credentials["username"], credentials["sender_vat"]),
            ("izibiz", self.integrator.USERNAME, "4840847211"),
        )

    def test_only_settings_admins_decide_where_credentials_go(self):
        url = "http://127.0.0.1:9/steal"
        erp_manager = new_test_user(
            self.env,
            login="rights_erp_manager",
            groups="base.group_erp_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        for key, user in (("accountant", self.users["accountant"]), ("erp_manager", erp_manager)):
            for field in (
                "l10n_tr_izibiz_auth_url",
                "l10n_tr_uyumsoft_url",
                "l10n_tr_integrator_environment",
            ):
                value = "production" if field == "l10n_tr_integrator_environment" else url
                with (
                    self.subTest(user=key, field=field),
                    self.assertRaisesRegex(AccessError, "Settings administrator"),
                ):
                    self._as(self.company, user).write({field: value})
        self.assertEqual(self.company.l10n_tr_integrator_environment, "test")
        self.assertEqual(
            self.company.l10n_tr_izibiz_auth_url, self.fake.wsdl_url("AuthenticationWS")
        )
        # other company settings stay writable; a system administrator moves the addresses
        self._as(self.company, erp_manager).write({"l10n_tr_integrator_timeout": 20})
        admin = new_test_user(
            self.env,
            login="rights_system",
            groups="base.group_system",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self._as(self.company, admin).write({"l10n_tr_uyumsoft_url": url})
        self.assertEqual(self.company.l10n_tr_uyumsoft_url, url)
        self.assertEqual(self.company.l10n_tr_integrator_timeout, 20)
