"""The argument checks of the public methods: what each accepts (and returns) and the exact
message of each refusal."""

import re
from datetime import date, datetime, timedelta, timezone

from odoo.addons.l10n_tr_commerce_base.models import arguments
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

NAN, INF = float("nan"), float("inf")
MISSING_ID = 999999999


@tagged("post_install", "-at_install")
class TestArguments(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.partners = cls.env["res.partner"].create([{"name": "Ayşe"}, {"name": "Mehmet"}])

    def assertRefused(self, message, call, *args, **kwargs):
        with self.assertRaisesRegex(UserError, f"^{re.escape(message)}$"):
            call(self.env, *args, **kwargs)

    def test_check_int(self):
        self.assertEqual(arguments.check_int(self.env, 7, "Count"), 7)
        self.assertEqual(arguments.check_int(self.env, 7.0, "Count"), 7)
        self.assertIs(type(arguments.check_int(self.env, 7.0, "Count")), int)
        self.assertEqual(arguments.check_int(self.env, 1, "Count", 1, 10), 1)
        self.assertEqual(arguments.check_int(self.env, 10, "Count", 1, 10), 10)
        self.assertEqual(arguments.check_int(self.env, -3, "Count"), -3)
        check = arguments.check_int
        self.assertRefused("Count must be a whole number, not '7' (str).", check, "7", "Count")
        self.assertRefused("Count must be a whole number, not True (bool).", check, True, "Count")
        self.assertRefused("Count must be a whole number, not 7.5 (float).", check, 7.5, "Count")
        self.assertRefused("Count must be a whole number, not nan (float).", check, NAN, "Count")
        self.assertRefused(
            "Count must be a whole number, not None (NoneType).", check, None, "Count"
        )
        self.assertRefused("Count must be between 1 and 10, not 0.", check, 0, "Count", 1, 10)
        self.assertRefused("Count must be between 1 and 10, not 11.", check, 11, "Count", 1, 10)
        self.assertRefused("Count must be between 1 and ∞, not -2.", check, -2, "Count", 1)

    def test_check_number(self):
        self.assertEqual(arguments.check_number(self.env, 2.5, "Amount"), 2.5)
        self.assertEqual(arguments.check_number(self.env, 3, "Amount", 0, 3), 3)
        self.assertEqual(arguments.check_number(self.env, -1e6, "Amount"), -1e6)
        check = arguments.check_number
        self.assertRefused("Amount must be a finite number, not nan.", check, NAN, "Amount")
        self.assertRefused("Amount must be a finite number, not inf.", check, INF, "Amount")
        self.assertRefused("Amount must be a finite number, not '2.5'.", check, "2.5", "Amount")
        self.assertRefused("Amount must be a finite number, not False.", check, False, "Amount")
        self.assertRefused("Amount must be between 0 and ∞, not -0.5.", check, -0.5, "Amount", 0)
        self.assertRefused(
            "Amount must be between -∞ and 100, not 100.5.", check, 100.5, "Amount", None, 100
        )

    def test_check_bool(self):
        self.assertIs(arguments.check_bool(self.env, True, "Force"), True)
        self.assertIs(arguments.check_bool(self.env, False, "Force"), False)
        check = arguments.check_bool
        self.assertRefused("Force must be true or false, not 1.", check, 1, "Force")
        self.assertRefused("Force must be true or false, not 'yes'.", check, "yes", "Force")
        self.assertRefused("Force must be true or false, not None.", check, None, "Force")

    def test_check_text(self):
        self.assertEqual(
            arguments.check_text(self.env, "Karşılıksız çek", "Reason"), "Karşılıksız çek"
        )
        self.assertEqual(arguments.check_text(self.env, None, "Reason"), "")
        self.assertEqual(arguments.check_text(self.env, False, "Reason"), "")
        self.assertEqual(arguments.check_text(self.env, "x" * 5000, "Reason"), "x" * 5000)
        self.assertEqual(
            arguments.check_text(self.env, "x" * 500, "Reason", max_length=arguments.MAX_REASON),
            "x" * 500,
        )
        check = arguments.check_text
        self.assertRefused("Reason must be text, not 5 (int).", check, 5, "Reason")
        self.assertRefused("Reason must be text, not ['neden'] (list).", check, ["neden"], "Reason")
        self.assertRefused(
            "Reason must be text, not %s… (list)." % repr(["x" * 100])[:80],
            check,
            ["x" * 100],
            "Reason",
        )
        self.assertRefused(
            "Reason is limited to 5000 characters (5001 given).", check, "x" * 5001, "Reason"
        )
        self.assertRefused(
            "Reason is limited to 500 characters (501 given).",
            check,
            "x" * 501,
            "Reason",
            max_length=arguments.MAX_REASON,
        )
        self.assertRefused("Reason is required.", check, "  ", "Reason", required=True)
        self.assertRefused("Reason is required.", check, None, "Reason", required=True)

    def test_check_selection(self):
        self.assertEqual(arguments.check_selection(self.env, "CSW", ["CSW", "CSE"], "Type"), "CSW")
        pairs = [("CSW", "Wholesale"), ("CSE", "E-commerce")]
        self.assertEqual(arguments.check_selection(self.env, "CSE", pairs, "Type"), "CSE")
        check = arguments.check_selection
        self.assertRefused("Type must be one of CSW, CSE, not 'XYZ'.", check, "XYZ", pairs, "Type")
        self.assertRefused(
            "Type must be one of CSW, CSE, not ['CSW'].", check, ["CSW"], pairs, "Type"
        )
        self.assertRefused("Type must be one of CSW, CSE, not 12.", check, 12, pairs, "Type")

    def test_check_id_list(self):
        self.assertEqual(arguments.check_id_list(self.env, None, "Ids"), [])
        self.assertEqual(arguments.check_id_list(self.env, False, "Ids"), [])
        self.assertEqual(arguments.check_id_list(self.env, 3, "Ids"), [3])
        self.assertEqual(arguments.check_id_list(self.env, (1, 2.0), "Ids"), [1, 2])
        check = arguments.check_id_list
        self.assertRefused("Ids must be a list of record ids, not 'x'.", check, "x", "Ids")
        self.assertRefused("Ids must be a list of record ids, not {1: 2}.", check, {1: 2}, "Ids")
        self.assertRefused("Ids must be a whole number, not 'x' (str).", check, [1, "x"], "Ids")
        self.assertRefused("Ids must be between 1 and ∞, not 0.", check, [0], "Ids")
        self.assertRefused(
            "Ids: at most 10000 records per call (10001 given).", check, [1] * 10001, "Ids"
        )
        self.assertRefused("Ids is required.", check, [], "Ids", required=True)

    def test_check_records(self):
        ids = self.partners.ids
        self.assertEqual(
            arguments.check_records(self.env, "res.partner", ids, "Partners"), self.partners
        )
        self.assertEqual(
            arguments.check_records(self.env, "res.partner", ids[0], "Partner", single=True),
            self.partners[0],
        )
        self.assertFalse(arguments.check_records(self.env, "res.partner", False, "Partners"))
        check = arguments.check_records
        self.assertRefused(
            f"Partners: no Contact record with id {MISSING_ID}.",
            check,
            "res.partner",
            [ids[0], MISSING_ID],
            "Partners",
        )
        self.assertRefused(
            "Partners is required.", check, "res.partner", [], "Partners", required=True
        )
        self.assertRefused(
            "Partners must be a list of record ids, not 'all'.",
            check,
            "res.partner",
            "all",
            "Partners",
        )
        # single (the customer master card's ids): exactly one id, never a list nor empty
        for value, shown in ((ids, repr(ids)), (False, "False"), (None, "None"), ("1", "'1'")):
            self.assertRefused(
                f"Partner must be one record id, not {shown}.",
                check,
                "res.partner",
                value,
                "Partner",
                single=True,
            )
        self.assertRefused(
            "Partner must be between 1 and ∞, not 0.",
            check,
            "res.partner",
            0,
            "Partner",
            single=True,
        )

    def test_check_records_reads_with_the_callers_rights(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "portal_arguments",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        other = self.env["res.partner"].create({"name": "Başka", "type": "contact"})
        env = self.env(user=portal)
        with self.assertRaises(AccessError):
            arguments.check_records(env, "res.partner", other.id, "Partner")

    def test_check_record(self):
        partner = self.partners[1]
        self.assertEqual(
            arguments.check_record(self.env, "res.partner", partner.id, "Partner"), partner
        )
        check = arguments.check_record
        self.assertRefused(
            "Partner must be a whole number, not [1] (list).", check, "res.partner", [1], "Partner"
        )
        self.assertRefused(
            "Partner must be between 1 and ∞, not -4.", check, "res.partner", -4, "Partner"
        )
        self.assertRefused(
            f"Partner: no Contact record with id {MISSING_ID}.",
            check,
            "res.partner",
            MISSING_ID,
            "Partner",
        )

    def test_check_self_and_check_one(self):
        self.assertEqual(arguments.check_self(self.partners), self.partners)
        self.assertEqual(arguments.check_self(self.env["res.partner"]), self.env["res.partner"])
        self.assertEqual(arguments.check_one(self.partners[0]), self.partners[0])
        missing = self.env["res.partner"].browse(MISSING_ID)
        with self.assertRaisesRegex(
            UserError, f"^Contact: no Contact record with id {MISSING_ID}.$"
        ):
            arguments.check_self(missing)
        with self.assertRaisesRegex(
            UserError, f"^Contact: no Contact record with id {MISSING_ID}.$"
        ):
            arguments.check_one(missing)
        with self.assertRaisesRegex(
            UserError, "^This action works on exactly one Contact record, not 2.$"
        ):
            arguments.check_one(self.partners)
        with self.assertRaisesRegex(
            UserError, "^This action works on exactly one Contact record, not 0.$"
        ):
            arguments.check_one(self.env["res.partner"])

    def test_check_datetime(self):
        check = arguments.check_datetime
        self.assertEqual(
            check(self.env, "2026-03-04 05:06:07", "Start"), datetime(2026, 3, 4, 5, 6, 7)
        )
        self.assertEqual(
            check(self.env, "2026-03-04T05:06:07Z", "Start"), datetime(2026, 3, 4, 5, 6, 7)
        )
        self.assertEqual(check(self.env, "2026-03-04", "Start"), datetime(2026, 3, 4))
        self.assertEqual(check(self.env, date(2026, 3, 4), "Start"), datetime(2026, 3, 4))
        istanbul = timezone(timedelta(hours=3))
        self.assertEqual(
            check(self.env, datetime(2026, 3, 4, 5, 0, tzinfo=istanbul), "Start"),
            datetime(2026, 3, 4, 2, 0),
        )
        self.assertIsNone(check(self.env, False, "Start"))
        self.assertIsNone(check(self.env, "", "Start"))
        self.assertRefused("Start is required.", check, None, "Start", required=True)
        for value in ("04.03.2026", 20260304, "2026-13-01", "x" * 40):
            self.assertRefused(
                "Start must be a date 'YYYY-MM-DD HH:MM:SS' (UTC), not %s."
                % arguments._show(value),
                check,
                value,
                "Start",
            )

    def test_messages_are_translated(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        env = self.env(context=dict(self.env.context, lang="tr_TR"))
        with self.assertRaisesRegex(UserError, r"^Neden metin olmalıdır, 5 \(int\) değil\.$"):
            arguments.check_text(env, 5, "Neden")
        with self.assertRaisesRegex(
            UserError, r"^Neden en fazla 500 karakter olabilir \(501 karakter verildi\)\.$"
        ):
            arguments.check_text(env, "x" * 501, "Neden", max_length=arguments.MAX_REASON)
        with self.assertRaisesRegex(
            UserError, r"^Cari tek bir kayıt kimliği olmalıdır, \[1\] değil\.$"
        ):
            arguments.check_records(env, "res.partner", [1], "Cari", single=True)
