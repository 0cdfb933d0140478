"""The marketplace interface: what every marketplace adapter implements (plain Python).

The Odoo models call only this interface (``marketplace.account._adapter()`` returns the
adapter of the account's ``marketplace``); a marketplace's URLs, status codes, payload keys,
limits and reason lists live in its adapter module (``lib/adapters/<code>.py``) and the
client/mapping modules it uses. A fourth marketplace is a new adapter (plus its fake server
in ``tests/fakes/``) registered with :func:`register`; nothing else changes.

Normalised data the adapters return (all dates naive UTC ``datetime``, amounts ``float``
VAT-inclusive as the marketplaces send them):

package (``normalize_package``)::

    {marketplace, package_id, order_number, line_ids: [str], external_key,
     status (the marketplace's own code, shown to the user), state (one of STATES),
     order_date, last_modified, agreed_delivery_date, shipment_date, origin_shipment_date,
     currency, customer: {name, first_name, last_name, email, tckn, vkn, tax_office,
                          company_name, is_company, customer_id, e_invoice_available},
     invoice_address / delivery_address: {name, first_name, last_name, company, street,
                          street2, district, neighborhood, city, zip, country_code, phone,
                          email, address_id},
     lines: [{line_id, barcode, stock_code, content_id, product_name, quantity, unit_price,
              price_unit, discount_seller, discount_marketplace, gross_amount, amount_paid,
              vat_rate, currency, line_status, product_size, product_color,
              commission_rate, cancel_reason}],
     cargo: {provider_name, carrier_name, carrier_code, carrier_vkn, tracking_number,
             tracking_url, sender_number, deci, seller_pays},
     cargo_fee, total_price, gross_amount, total_discount, seller_discount,
     marketplace_discount, is_corporate, is_micro_export, fulfilled_by_marketplace,
     created_by, origin_package_ids, cancelled_by, cancel_reason, raw}

``external_key`` identifies the package's lines for ever (the inbound table's unique key per
account): it must survive the marketplace re-numbering the package on split/unsupply.
``unit_price`` is the gross unit price before any discount; ``price_unit`` what the seller
invoices per unit (after the seller-funded discount); ``discount_seller`` /
``discount_marketplace`` the whole line's discounts by who funds them.

claim (``normalize_claim``)::

    {marketplace, claim_id, order_number, package_id, claim_date, order_date,
     last_modified, status (own code), state (one of CLAIM_STATES),
     lines: [{claim_line_item_ids: [str], order_line_item_ids, order_line_id, barcode,
              stock_code, product_name, quantity, reason, reason_code, status, state,
              unit_price, vat_rate, customer_note, auto_accepted}],
     cargo: {provider_name, tracking_number, tracking_url}, tracking_number, raw}

stock/price item (``push_stock_price``): ``{barcode, stock_code, quantity?, price?,
list_price?}`` (prices VAT-inclusive); results (``push_results``) per item:
``{key (barcode), state: 'done' | 'failed' | 'pending', message}``.

Errors: the typed errors of :mod:`.http` (``AuthError``, ``RateLimitError`` with
``retry_after``, ``ServerError``/``TransientError`` = unavailable, ``ClientError`` = rejected
with the marketplace's message, ``MalformedResponseError``) and :class:`OutcomeUnknown` (the
request may or may not have been applied); a feature the marketplace lacks raises
:class:`NotSupported`.
"""

from datetime import timedelta

from .http import (  # noqa: F401 - re-exported: the typed errors of the interface
    AuthError,
    ClientError,
    IncompleteFetchError,
    MalformedResponseError,
    MarketplaceError,
    RateLimitError,
    ServerError,
    TransientError,
)


def _lt(text):
    """Marks a label for Odoo's translation export (the models translate it with
    ``env._(label)``); returns it unchanged: lib/ imports nothing from odoo."""
    return text


# the neutral package states (``awaiting``: payment not confirmed yet, never booked)
STATES = (
    "awaiting",
    "replaced",  # split: the lines live on in new packages
    "created",
    "picking",
    "invoiced",
    "shipped",
    "delivered",
    "cancelled",
    "returned",
    "unsupplied",
)
SHIPPED_STATES = {"shipped", "delivered", "returned"}
CANCELLED_STATES = {"cancelled", "unsupplied"}
# the neutral claim (return) states
CLAIM_STATES = ("waiting", "accepted", "rejected", "disputed", "cancelled", "mixed")

# what an adapter may offer (``Marketplace.features``); the UI hides what it lacks
FEATURES = (
    "picking",  # tell the marketplace the package is being picked
    "invoiced_status",  # the "invoiced" status carries the invoice number
    "invoice_link",  # the invoice as a URL
    "invoice_file",  # the invoice as a PDF file
    "unsupply",  # cancel lines the seller cannot supply, with a reason
    "split",  # split a package into several
    "labels",  # cargo label of a package
    "own_cargo",  # report shipped / delivered for packages on the seller's own carrier
    "stock_price",  # stock and price push with result polling
    "listings",  # read the seller's listings (which ones the marketplace stocks itself)
    "claims",  # list returns, approve
    "claim_reject",  # reject a return with a reason (and evidence)
)


class OutcomeUnknown(TransientError):
    """The request went out but its answer was lost: it may have been applied."""

    def __init__(self, message, **kwargs):
        kwargs["maybe_applied"] = True
        super().__init__(message, **kwargs)


class NotSupported(MarketplaceError):
    """The marketplace has no such function."""

    def __init__(self, marketplace, feature):
        super().__init__(f"{marketplace} does not offer '{feature}'", retryable=False)
        self.feature = feature


class Marketplace:
    """One marketplace seller API. Subclasses set the class attributes and implement the
    methods of the features they list; a call of a feature not in ``features`` raises
    :class:`NotSupported`.

    ``credentials``: the plain dict of ``marketplace.account._credentials()`` (``name,
    marketplace, base_url`` (an environment name of ``URLS`` or a URL), ``supplier_id``,
    ``api_key``, ``api_secret``, ``integrator_name``).
    """

    code = None  # the value of marketplace.account.marketplace
    name = None  # shown to users
    features = frozenset()
    URLS = {}  # environment name -> base URL (production first)
    # what the account form calls the three credentials
    credential_labels = {"supplier_id": "Seller ID", "api_key": "API Key", "api_secret": "Secret"}
    max_window = timedelta(days=14)  # longest date range of one order query
    push_batch_size = 1000
    requires_stock_code = False  # stock/price items are keyed by the seller's stock code
    claim_description_max = 500
    # (code, readable name) of the marketplace's own package / claim status codes
    package_status_names = ()
    claim_status_names = ()
    # the marketplace's own status code -> neutral state (STATES, CLAIM_STATES)
    package_states = {}
    unknown_package_state = "created"  # the state of a status code not in package_states
    claim_states = {}
    # the module reading the raw payloads: validate_package, normalize_package,
    # package_id_of, normalize_claim (the client is ``self.client``, built by the adapter)
    mapping = None
    # code -> readable name of the reasons accepted by unsupply()
    unsupply_reasons = {}
    # claim rejection reasons offered while the marketplace's list cannot be read
    claim_reject_fallback_reasons = {}
    # carriers: {key: {name, code, number, prefix, aliases}} (marketplace.carrier seeds)
    carriers = {}
    # printed on e-Arşiv internet sale invoices of the marketplace's orders
    web_site = None
    payment_agent = None

    def __init__(self, credentials, logger=None):
        self.credentials = dict(credentials)
        self.logger = logger

    @classmethod
    def offline(cls):
        """An instance for what needs no connection (validating, normalising, mapping
        states): no credentials, no client."""
        instance = cls.__new__(cls)
        Marketplace.__init__(instance, {})
        return instance

    def base_url(self):
        """The URL of ``credentials['base_url']``: an environment name of ``URLS`` or a URL."""
        value = self.credentials.get("base_url") or "production"
        return self.URLS.get(value, value)

    # ------------------------------------------------------------------ helpers
    @classmethod
    def supports(cls, feature):
        return feature in cls.features

    @classmethod
    def require(cls, feature):
        if feature not in cls.features:
            raise NotSupported(cls.name or cls.code, feature)

    # ------------------------------------------------------------------ orders
    def fetch_packages(self, start, end):
        """Raw packages changed in ``[start, end)`` (naive UTC), every page and every
        feed the marketplace splits them over, windowed to ``max_window``; raises
        ``IncompleteFetchError`` (with what was read) when a window could not be read whole."""
        return self.client.fetch_window(start, end)

    def package_ref(self, raw):
        """The package id of a raw package (None when it has none)."""
        return self.mapping.package_id_of(raw)

    def order_ref(self, raw):
        """The order number of a raw package, even a malformed one (None when unreadable)."""
        return None

    def validate_package(self, raw, own_tax_numbers=()):
        """Reasons why a raw package cannot be imported (empty list: fine)."""
        return self.mapping.validate_package(raw, own_tax_numbers=own_tax_numbers)

    def normalize_package(self, raw, carriers=None):
        """Raw package → the normalised package dict (module docstring)."""
        package = self._normalize_package(raw, carriers)
        package["state"] = self.package_state(package["status"])
        return package

    def _normalize_package(self, raw, carriers):
        return self.mapping.normalize_package(raw, carriers=carriers)

    def package_state(self, status):
        """The neutral state (``STATES``) of one of the marketplace's package status codes."""
        if not status:
            return "created"
        return self.package_states.get(status, self.unknown_package_state)

    # --------------------------------------------------------- package actions
    def confirm_picking(self, package):
        """Created → picking for the normalised ``package``."""
        self.require("picking")
        raise NotImplementedError

    def mark_invoiced(self, package, invoice_number):
        self.require("invoiced_status")
        raise NotImplementedError

    def send_invoice_link(self, package, url, invoice_number, invoice_datetime):
        """Returns ``{'done', 'repeat', 'message'}`` (``repeat``: the marketplace already had
        an invoice for the package)."""
        self.require("invoice_link")
        raise NotImplementedError

    def send_invoice_file(self, package, pdf, invoice_number, invoice_datetime):
        self.require("invoice_file")
        raise NotImplementedError

    def unsupply(self, package, quantities, reason_code):
        """Cancel ``{line_id: quantity}`` of ``package`` with one of ``unsupply_reasons``."""
        self.require("unsupply")
        raise NotImplementedError

    def split(self, package, line_groups):
        """Split ``[[line_id, ...], ...]`` off ``package`` into new packages."""
        self.require("split")
        raise NotImplementedError

    def label(self, package):
        """The cargo label of ``package``: ``(content, extension)`` (``b'...'``/``'zpl'``,
        ``'pdf'``), creating it at the marketplace when needed; ``(None, None)`` when the
        marketplace has none yet."""
        self.require("labels")
        raise NotImplementedError

    def mark_shipped(self, package, tracking_number, carrier_code=None, tracking_url=None):
        """Own cargo: the package left with ``tracking_number``."""
        self.require("own_cargo")
        raise NotImplementedError

    def mark_delivered(self, package, delivered=True, reason=None):
        """Own cargo: delivered (or not delivered, with ``reason``)."""
        self.require("own_cargo")
        raise NotImplementedError

    # ----------------------------------------------------------- stock & price
    def push_stock_price(self, items):
        """Send stock/price items (batched to ``push_batch_size``); returns one batch
        reference per request, in order."""
        self.require("stock_price")
        raise NotImplementedError

    def push_results(self, batch_ref):
        """``{'done': bool (every item final), 'items': [{key, stock_code?, state,
        message}], 'rest': state or None}``: ``key`` is the item's barcode (or its stock code
        when the marketplace names only that); ``rest`` is the state of the items not listed
        (for a marketplace that lists only the refused ones), None when every item is listed.
        Combine the results of one push's references with :func:`.push.item_states`."""
        self.require("stock_price")
        raise NotImplementedError

    def fetch_listings(self):
        """The seller's raw listings."""
        self.require("listings")
        raise NotImplementedError

    def normalize_listing(self, raw):
        """``{'stock_code', 'barcode', 'fulfilled_by_marketplace'}`` of a raw listing
        (fulfilled by the marketplace: stocked in its warehouse, never pushed)."""
        self.require("listings")
        raise NotImplementedError

    # ------------------------------------------------------------------ claims
    def fetch_claims(self, start, end):
        """Raw claims changed in ``[start, end)``."""
        self.require("claims")
        return list(self.client.iter_claims(start, end))

    def normalize_claim(self, raw):
        self.require("claims")
        claim = self._normalize_claim(raw)
        for line in claim["lines"]:
            line["state"] = self.claim_state(line["status"])
        states = {line["state"] for line in claim["lines"]}
        claim["state"] = states.pop() if len(states) == 1 else ("mixed" if states else "waiting")
        return claim

    def _normalize_claim(self, raw):
        return self.mapping.normalize_claim(raw)

    def claim_state(self, status):
        """The neutral state (``CLAIM_STATES``) of one of the marketplace's claim statuses."""
        return self.claim_states.get(status, "waiting")

    def approve_claim(self, claim_ref, item_refs):
        self.require("claims")
        raise NotImplementedError

    def reject_claim(self, claim_ref, item_refs, reason_code, description, files=()):
        """``files``: ``[(filename, bytes, mimetype)]`` of evidence."""
        self.require("claim_reject")
        raise NotImplementedError

    def claim_reject_reasons(self):
        """``[(code, name)]`` the marketplace accepts to reject a claim."""
        self.require("claim_reject")
        raise NotImplementedError

    def claim_reason_requires_file(self, code):
        return False


_REGISTRY = {}


def register(cls):
    """Class decorator: make ``cls`` the adapter of ``cls.code``."""
    _REGISTRY[cls.code] = cls
    return cls


def _load():
    from . import adapters  # noqa: F401 - registers the adapters


def adapter_class(code):
    _load()
    try:
        return _REGISTRY[code]
    except KeyError:
        raise NotSupported(code, "marketplace") from None


def adapter(credentials, logger=None):
    """The adapter of ``credentials['marketplace']``, ready to call."""
    return adapter_class(credentials.get("marketplace"))(credentials, logger=logger)


def adapter_classes():
    """Every registered adapter class, in registration order."""
    _load()
    return list(_REGISTRY.values())


def selection():
    """``[(code, name)]`` of every registered marketplace, for the account's selection."""
    _load()
    return [(code, cls.name) for code, cls in _REGISTRY.items()]
