from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerRequestPortal(HttpCase):
    """A customer's portal user sees, follows and adds to the requests of their own company only;
    another customer's request is not found, whether they guess its id or not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Marmara Gıda A.Ş.", "is_company": True})
        cls.rival = Partner.create({"name": "Ege Tekstil Ltd.", "is_company": True})
        cls.portal_user = cls._portal_user("marmara_portal", cls.customer)
        cls.rival_user = cls._portal_user("ege_portal", cls.rival)
        Request = cls.env["customer.request"].with_company(cls.company)
        cls.own = Request.create(
            {"subject": "Arızalı kombi", "request_type": "help", "partner_id": cls.customer.id}
        )
        cls.other = Request.create(
            {"subject": "Fatura farkı", "request_type": "help", "partner_id": cls.rival.id}
        )

    @classmethod
    def _portal_user(cls, login, customer):
        user = new_test_user(
            cls.env, login=login, password=login + "pw", groups="base.group_portal"
        )
        user.partner_id.write({"parent_id": customer.id, "email": f"{login}@example.com"})
        return user

    def test_portal_user_sees_only_own_requests(self):
        self.authenticate("marmara_portal", "marmara_portalpw")
        listing = self.url_open("/my/requests")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.own.name, listing.text)
        self.assertNotIn(self.other.name, listing.text)
        found = self.url_open(f"/my/requests?search={self.own.name}")
        self.assertIn(self.own.name, found.text)
        page = self.url_open(f"/my/requests/{self.own.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Arızalı kombi", page.text)
        self.assertIn('data-res_model="customer.request"', page.text)  # the message box
        self.assertEqual(self.url_open(f"/my/requests/{self.other.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/requests/999999").status_code, 404)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["customer_request_count"]}
        )
        self.assertEqual(counters["customer_request_count"], 1)
        # the record rules say the same, whatever the controller
        Request = self.env["customer.request"].with_user(self.portal_user)
        self.assertEqual(Request.search([]), self.own)

    def test_portal_user_adds_a_message(self):
        self.authenticate("marmara_portal", "marmara_portalpw")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "customer.request",
                "thread_id": self.own.id,
                "post_data": {
                    "body": "Servis saat 14:00'te gelebilir mi?",
                    "message_type": "comment",
                },
            },
        )
        message = self.own.message_ids[:1]
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertIn("14:00", message.body)
        with self.assertRaises(Exception):  # noqa: B017 - the JSON-RPC error of the refusal
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "customer.request",
                    "thread_id": self.other.id,
                    "post_data": {"body": "Başkasının talebi", "message_type": "comment"},
                },
            )
        self.assertFalse(self.other.message_ids.filtered(lambda m: "Başkası" in (m.body or "")))

    def test_access_token_link_for_the_customer(self):
        """The link of the confirmation e-mail opens the request with its token, without login."""
        url = self.own._get_share_url(redirect=False)
        self.assertIn("access_token=", url)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.own.name, page.text)
        wrong = f"/my/requests/{self.other.id}?access_token={self.own._portal_ensure_token()}"
        self.assertEqual(self.url_open(wrong).status_code, 404)
