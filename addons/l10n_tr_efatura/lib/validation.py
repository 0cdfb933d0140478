"""Pre-send validation of UBL-TR documents.

``validate(xml_bytes) -> {"valid": bool, "engine": "efatura-kontrol" | "xsd+structural"
| "structural", "errors": [str], "warnings": [str], "arithmetic_warnings": [str],
"infos": [str]}``.

When the optional package ``efatura-kontrol`` is installed its GİB XSD + schematron + arithmetic
checks run (offline). Without it (or with ``force_structural=True``) the fallback engine
``xsd+structural`` runs:

* GİB's UBL-TR 1.2.1 XSD set shipped in ``lib/xsd/`` (OASIS UBL 2.1 schemas as packaged by GİB,
  unmodified, see ``lib/xsd/SOURCE.md``) through lxml ``XMLSchema``. The schema is loaded once
  per process and cached; its files are read with a parser that has network access disabled and
  a resolver that only opens files inside ``lib/xsd/`` (anything else is refused). The document
  itself is parsed XXE-safe (no DTD, no entity, no network: ``parser.safe_fromstring``).
  ``Invoice`` and ``ApplicationResponse`` roots are schema-checked.
* For ``Invoice`` roots, the structural rules that mirror GİB's schematron and arithmetic checks:
  number/ETTN formats, party identification, IADE references, exchange rate, 0 % KDV exemption,
  withholding type; and, reported as arithmetic warnings (``hesap…``), the document totals and
  every (withholding) TaxSubtotal's ``TaxAmount = TaxableAmount x Percent / 100`` (±1 kuruş).

If the XSD files are missing (a broken installation) the engine degrades to ``structural``: the
rules above plus a hand-written check of the ``Invoice`` element order and mandatory elements.

efatura-kontrol runs GİB's schematron on SaxonC (a GraalVM isolate that reserves a large address
space). Inside a process with a soft ``RLIMIT_AS`` (Odoo's ``limit_memory_hard``) the isolate
cannot start and aborts the whole process, so there the check runs in a child process whose
soft limit is lifted (``run_in_subprocess``). Starting that child (Python, SaxonC, GİB's
compiled schematron and XSDs) costs about 0.3 s, validating one document in it a few
milliseconds: one child per process is kept and validates every document of a sending run
(``validate_many``) and of the next runs; it exits by itself after ``CHILD_IDLE_SECONDS``
without work or when its parent goes away, and is started again when needed.
"""

import base64
import functools
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import threading
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from .codes import EXEMPTION_CODE_TYPES, NO_EXEMPTION_NEEDED_TYPES
from .numbering import is_valid_gib_number
from .parser import safe_fromstring
from .ubl import expected_tax_amount, tax_amount_consistent

try:  # optional dependency
    from efatura_kontrol.kontrol import kontrol_et
except ImportError:  # pragma: no cover - depends on the environment
    kontrol_et = None

try:
    import resource
except ImportError:  # pragma: no cover - not on Linux
    resource = None

SUBPROCESS_TIMEOUT = 120
GIB_TIMEZONE = "Europe/Istanbul"
CHILD_IDLE_SECONDS = 300
# one document per line (base64) in, its findings per line (JSON) out, until EOF or idle
_CHILD = """
import base64, json, select, sys
from efatura_kontrol.kontrol import hazirla, kontrol_et
hazirla()
source, idle = sys.stdin.buffer, float(sys.argv[1])
while select.select([source], [], [], idle)[0]:
    line = source.readline()
    if not line:
        break
    try:
        report = kontrol_et(base64.b64decode(line))
        answer = {"findings": [[b.kod, b.seviye, b.mesaj] for b in report.bulgular]}
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        answer = {"error": repr(exc)}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""

CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
EXT = "{urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2}"
XSD_DIR = Path(__file__).resolve().parent / "xsd"
XSD_FILES = {
    "Invoice": "maindoc/UBL-Invoice-2.1.xsd",
    "ApplicationResponse": "maindoc/UBL-ApplicationResponse-2.1.xsd",
}
NS_PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "inv",
    "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2": "apr",
}
_SCHEMA_LOCK = threading.Lock()  # one validation at a time per cached schema (shared error_log)
UUID_RE = re.compile(r"^[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}$")

# (tag, mandatory) in GİB's XSD sequence for Invoice
INVOICE_SEQUENCE = [
    (EXT + "UBLExtensions", True),
    (CBC + "UBLVersionID", True),
    (CBC + "CustomizationID", True),
    (CBC + "ProfileID", True),
    (CBC + "ID", True),
    (CBC + "CopyIndicator", True),
    (CBC + "UUID", True),
    (CBC + "IssueDate", True),
    (CBC + "IssueTime", False),
    (CBC + "InvoiceTypeCode", True),
    (CBC + "Note", False),
    (CBC + "DocumentCurrencyCode", True),
    (CBC + "TaxCurrencyCode", False),
    (CBC + "PricingCurrencyCode", False),
    (CBC + "PaymentCurrencyCode", False),
    (CBC + "PaymentAlternativeCurrencyCode", False),
    (CBC + "AccountingCost", False),
    (CBC + "LineCountNumeric", True),
    (CAC + "InvoicePeriod", False),
    (CAC + "OrderReference", False),
    (CAC + "BillingReference", False),
    (CAC + "DespatchDocumentReference", False),
    (CAC + "ReceiptDocumentReference", False),
    (CAC + "OriginatorDocumentReference", False),
    (CAC + "ContractDocumentReference", False),
    (CAC + "AdditionalDocumentReference", False),
    (CAC + "Signature", True),
    (CAC + "AccountingSupplierParty", True),
    (CAC + "AccountingCustomerParty", True),
    (CAC + "BuyerCustomerParty", False),
    (CAC + "SellerSupplierParty", False),
    (CAC + "TaxRepresentativeParty", False),
    (CAC + "Delivery", False),
    (CAC + "PaymentMeans", False),
    (CAC + "PaymentTerms", False),
    (CAC + "AllowanceCharge", False),
    (CAC + "TaxExchangeRate", False),
    (CAC + "PricingExchangeRate", False),
    (CAC + "PaymentExchangeRate", False),
    (CAC + "PaymentAlternativeExchangeRate", False),
    (CAC + "TaxTotal", True),
    (CAC + "WithholdingTaxTotal", False),
    (CAC + "LegalMonetaryTotal", True),
    (CAC + "InvoiceLine", True),
]
_POSITION = {tag: index for index, (tag, _mandatory) in enumerate(INVOICE_SEQUENCE)}


def engine_name():
    if kontrol_et:
        return "efatura-kontrol"
    return "xsd+structural" if xsd_available() else "structural"


def validate(xml_bytes, force_structural=False, run_in_subprocess=None):
    """Validate one UBL-TR document; see the module docstring for the result shape.

    ``force_structural`` skips efatura-kontrol and runs the offline fallback (XSD + rules).
    """
    if kontrol_et and not force_structural:
        return _validate_efatura_kontrol(xml_bytes, run_in_subprocess)
    return _validate_fallback(xml_bytes)


def validate_many(documents, force_structural=False, run_in_subprocess=None):
    """:func:`validate` for several documents (XML bytes) -> results in the same order.

    Everything the engines load is loaded once: the XSD, GİB's compiled schematron and, where
    efatura-kontrol runs in a child process, the child itself."""
    return [validate(xml, force_structural, run_in_subprocess) for xml in documents]


# ------------------------------------------------------------------ shipped XSD


class SchemaResolveError(ValueError):
    """A schema tried to load a file outside ``lib/xsd/`` (or over the network)."""


class _LocalXsdResolver(etree.Resolver):
    """Resolve schema imports/includes to files inside ``lib/xsd/`` only."""

    def resolve(self, url, pubid, context):
        path = Path(unquote(urlparse(url).path) if url.startswith("file:") else url)
        path = path.resolve()
        if XSD_DIR in path.parents and path.is_file():
            return self.resolve_filename(str(path), context)
        raise SchemaResolveError(f"schema reference outside lib/xsd refused: {url}")


def _schema_parser():
    # The shipped xmldsig schema declares internal entities in its DTD subset: expand those
    # only; never load an external DTD, never touch the network.
    parser = etree.XMLParser(
        no_network=True, load_dtd=False, resolve_entities="internal", huge_tree=False
    )
    parser.resolvers.add(_LocalXsdResolver())
    return parser


@functools.cache
def load_schema(root_name="Invoice"):
    """The cached lxml ``XMLSchema`` for an ``Invoice`` or ``ApplicationResponse`` root."""
    path = XSD_DIR / XSD_FILES[root_name]
    return etree.XMLSchema(etree.parse(str(path), _schema_parser()))


def xsd_available():
    return all((XSD_DIR / name).is_file() for name in XSD_FILES.values())


def _short_names(message):
    for namespace, prefix in NS_PREFIXES.items():
        message = message.replace("{%s}" % namespace, prefix + ":")
    return message


def xsd_errors(root):
    """GİB XSD findings (``["xsd: line 12: Element 'cac:X': ..."]``) for a parsed root."""
    schema = load_schema(etree.QName(root).localname)
    with _SCHEMA_LOCK:
        if schema.validate(root.getroottree()):
            return []
        log = list(schema.error_log)
    return [f"xsd: line {entry.line}: {_short_names(entry.message)}" for entry in log]


def _result(engine, errors, warnings=(), arithmetic=(), infos=()):
    return {
        "valid": not errors,
        "engine": engine,
        "errors": list(errors),
        "warnings": list(warnings),
        "arithmetic_warnings": list(arithmetic),
        "infos": list(infos),
    }


def address_space_limited():
    """True when a soft RLIMIT_AS is set (SaxonC's isolate cannot start in-process then)."""
    if resource is None:
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft != resource.RLIM_INFINITY


def _lift_address_space_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class ChildValidator:
    """efatura-kontrol in one long-lived child process (see the module docstring).

    Thread-safe; a child inherited through ``fork`` is not used (a new one is started), one
    that went away (idle, killed) is started again once per document."""

    def __init__(self, idle_seconds=CHILD_IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self.process = None
        self.owner = None
        self.stderr = None
        self.lock = threading.Lock()

    def findings(self, xml_bytes):
        """[[code, level, message]] of one document."""
        line = base64.b64encode(xml_bytes) + b"\n"
        with self.lock:
            for attempt in (1, 2):
                if not self._alive():
                    self._start()
                answer = self._ask(line)
                if answer is not None:
                    break
                self.stop()  # it went away meanwhile: once more with a new one
                if attempt == 2:
                    raise RuntimeError("efatura-kontrol failed: " + self._stderr_tail())
        if "error" in answer:
            raise RuntimeError(f"efatura-kontrol failed: {answer['error']}")
        return answer["findings"]

    def _alive(self):
        return (
            self.process is not None and self.owner == os.getpid() and self.process.poll() is None
        )

    def _start(self):
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(self.idle_seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            preexec_fn=_lift_address_space_limit if resource else None,
            # GİB's "IssueDate not after today" (sch TimeCheck-1) is today in Turkey: on a server
            # in UTC an invoice of 00:30 Istanbul time must not read as dated tomorrow
            env=dict(os.environ, TZ=GIB_TIMEZONE),
        )
        self.owner = os.getpid()

    def _ask(self, line):
        """The child's answer (dict), or None when it is gone; a silent child is killed."""
        try:
            self.process.stdin.write(line)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        ready = select.select([self.process.stdout], [], [], SUBPROCESS_TIMEOUT)[0]
        if not ready:
            self.stop()
            raise RuntimeError(f"efatura-kontrol did not answer within {SUBPROCESS_TIMEOUT} s")
        answer = self.process.stdout.readline()
        return json.loads(answer) if answer else None

    def _stderr_tail(self):
        if self.stderr is None:
            return ""
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-500:]

    def stop(self):
        """End the child (it also ends by itself when idle or when this process ends)."""
        process, self.process = self.process, None
        if process is not None and self.owner == os.getpid():
            for stream in (process.stdin, process.stdout):
                stream.close()
            if process.poll() is None:
                process.kill()
            process.wait()


_CHILD_VALIDATOR = ChildValidator()


def _findings_in_subprocess(xml_bytes):
    return _CHILD_VALIDATOR.findings(xml_bytes)


def _validate_efatura_kontrol(xml_bytes, run_in_subprocess=None):
    if run_in_subprocess is None:
        run_in_subprocess = address_space_limited()
    if run_in_subprocess:
        findings = _findings_in_subprocess(xml_bytes)
    else:
        findings = [(b.kod, b.seviye, b.mesaj) for b in kontrol_et(xml_bytes).bulgular]
    errors, warnings, arithmetic, infos = [], [], [], []
    for code, level, message in findings:
        text = f"{code}: {message}"
        if level == "hata":
            errors.append(text)
        elif level == "uyari":
            (arithmetic if code.startswith("hesap") else warnings).append(text)
        else:
            infos.append(text)
    return _result("efatura-kontrol", errors, warnings, arithmetic, infos)


def _dec(node):
    try:
        return Decimal((node.text or "").strip()) if node is not None else None
    except InvalidOperation:
        return None


def _validate_fallback(xml_bytes):
    engine = "xsd+structural" if xsd_available() else "structural"
    try:
        root = safe_fromstring(xml_bytes)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return _result(engine, [f"xml: {exc}"])
    root_name = etree.QName(root).localname
    if root_name not in XSD_FILES or (root_name != "Invoice" and engine == "structural"):
        return _result(engine, [f"xml-root: unexpected root element {root_name}"])
    if engine == "structural":
        errors = _order_errors(root)
    else:
        errors = xsd_errors(root)
    if root_name != "Invoice":
        return _result(engine, errors)
    errors += _header_errors(root)
    errors += _party_errors(root)
    errors += _tax_errors(root)
    return _result(engine, errors, arithmetic=_total_warnings(root))


def _order_errors(root):
    errors, last = [], -1
    present = set()
    for child in root:
        if not isinstance(child.tag, str):
            continue
        position = _POSITION.get(child.tag)
        if position is None:
            errors.append(f"xsd: element {etree.QName(child).localname} is not allowed here")
            continue
        if position < last:
            errors.append(f"xsd: element {etree.QName(child).localname} is out of order")
        last = max(last, position)
        present.add(child.tag)
    for tag, mandatory in INVOICE_SEQUENCE:
        if mandatory and tag not in present:
            errors.append(f"xsd: missing mandatory element {etree.QName(tag).localname}")
    content = root.find(f"{EXT}UBLExtensions/{EXT}UBLExtension/{EXT}ExtensionContent")
    if content is not None and len(content) != 1:
        errors.append("xsd: ExtensionContent must hold exactly one element")
    return errors


def _header_errors(root):
    errors = []
    if root.findtext(CBC + "UBLVersionID") != "2.1":
        errors.append("UBLVersionIDCheck: UBLVersionID must be 2.1")
    if root.findtext(CBC + "CustomizationID") not in ("TR1.2", "TR1.2.1"):
        errors.append("CustomizationIDCheck: CustomizationID must be TR1.2")
    if not is_valid_gib_number(root.findtext(CBC + "ID")):
        errors.append("InvoiceIDCheck: ID must look like ABC2026000000001")
    if not UUID_RE.match(root.findtext(CBC + "UUID") or ""):
        errors.append("UUIDCheck: UUID must be a GUID")
    type_code = root.findtext(CBC + "InvoiceTypeCode")
    if type_code == "IADE":
        refs = root.findall(f"{CAC}BillingReference/{CAC}InvoiceDocumentReference")
        if not refs or any(not is_valid_gib_number(r.findtext(CBC + "ID")) for r in refs):
            errors.append(
                "IADEInvioceCheck: IADE needs a BillingReference to each 16-char invoice number"
            )
        if root.findtext(CBC + "ProfileID") == "TICARIFATURA":
            errors.append("InvoiceTypeCodeCheck: IADE is not allowed with TICARIFATURA")
    if (
        root.findtext(CBC + "DocumentCurrencyCode") != "TRY"
        and root.find(f"{CAC}PricingExchangeRate/{CBC}CalculationRate") is None
    ):
        errors.append("CurrencyCodeCheck: a non-TRY invoice needs PricingExchangeRate")
    return errors


def _party_errors(root):
    errors = []
    for path in ("AccountingSupplierParty", "AccountingCustomerParty"):
        party = root.find(f"{CAC}{path}/{CAC}Party")
        if party is None:
            continue
        ids = {
            i.get("schemeID"): (i.text or "")
            for i in party.findall(f"{CAC}PartyIdentification/{CBC}ID")
        }
        if ("VKN" in ids) == ("TCKN" in ids):
            errors.append(f"{path}: exactly one VKN or TCKN is required")
        if "VKN" in ids and (
            len(ids["VKN"]) != 10 or not party.findtext(f"{CAC}PartyName/{CBC}Name")
        ):
            errors.append(f"{path}: VKN needs 10 digits and a PartyName")
        if "TCKN" in ids and (
            len(ids["TCKN"]) != 11 or not party.findtext(f"{CAC}Person/{CBC}FamilyName")
        ):
            errors.append(f"{path}: TCKN needs 11 digits and a Person")
        address = party.find(CAC + "PostalAddress")
        if (
            address is None
            or not address.findtext(CBC + "CityName")
            or not address.findtext(CBC + "CitySubdivisionName")
        ):
            errors.append(f"{path}: PostalAddress needs CitySubdivisionName and CityName")
    return errors


def _tax_errors(root):
    errors = []
    type_code = root.findtext(CBC + "InvoiceTypeCode")
    document_subtotals = set(root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal"))
    for subtotal in root.iter(CAC + "TaxSubtotal"):
        category = subtotal.find(CAC + "TaxCategory")
        code = (
            category.findtext(f"{CAC}TaxScheme/{CBC}TaxTypeCode") if category is not None else None
        )
        if not code:
            errors.append("TaxTypeCode: every TaxSubtotal needs a TaxTypeCode")
        # GİB checks the exemption reason on the document's TaxTotal only (its line-level
        # rule is disabled in the schematron): a free line, or a line whose KDV rounds to
        # 0.00, needs none
        elif (
            subtotal in document_subtotals
            and code == "0015"
            and _dec(subtotal.find(CBC + "TaxAmount")) == 0
            and type_code not in NO_EXEMPTION_NEEDED_TYPES
            and not category.findtext(CBC + "TaxExemptionReason")
        ):
            errors.append("TaxExemptionReasonCheck: 0 KDV needs an exemption reason")
        exemption = (
            category.findtext(CBC + "TaxExemptionReasonCode")
            if subtotal in document_subtotals
            else None
        )
        for codes, types in EXEMPTION_CODE_TYPES:
            if exemption in codes and type_code not in types:
                errors.append(
                    f"TaxExemptionReasonCodeCheck: exemption code {exemption} needs "
                    f"invoice type {'/'.join(types)}"
                )
    if root.find(CAC + "WithholdingTaxTotal") is not None and type_code not in ("TEVKIFAT", "IADE"):
        errors.append("GeneralWithholdingTaxTotalCheck: withholding needs type TEVKIFAT")
    return errors


def _subtotal_warnings(root):
    """Each (withholding) TaxSubtotal: TaxAmount = TaxableAmount x Percent / 100, ±1 kuruş."""
    warnings = []
    for subtotal in root.iter(CAC + "TaxSubtotal"):
        base, amount = (
            _dec(subtotal.find(CBC + "TaxableAmount")),
            _dec(subtotal.find(CBC + "TaxAmount")),
        )
        percent = _dec(subtotal.find(CBC + "Percent"))
        if base is None or amount is None or percent is None:
            continue
        if not tax_amount_consistent(base, amount, percent):
            expected = expected_tax_amount(base, percent)
            warnings.append(
                f"hesap-vergi: TaxAmount {amount} is not TaxableAmount {base} x "
                f"{percent} % = {expected}"
            )
    return warnings


def _total_warnings(root):
    monetary = root.find(CAC + "LegalMonetaryTotal")
    if monetary is None:
        return []
    warnings = _subtotal_warnings(root)
    lines = sum(
        (
            _dec(line.find(CBC + "LineExtensionAmount")) or 0
            for line in root.findall(CAC + "InvoiceLine")
        ),
        Decimal(0),
    )
    taxes = sum(
        (_dec(t.find(CBC + "TaxAmount")) or 0 for t in root.findall(CAC + "TaxTotal")), Decimal(0)
    )
    withheld = sum(
        (_dec(t.find(CBC + "TaxAmount")) or 0 for t in root.findall(CAC + "WithholdingTaxTotal")),
        Decimal(0),
    )

    def amount(tag):
        return _dec(monetary.find(CBC + tag)) or Decimal(0)

    checks = (
        ("LineExtensionAmount", lines),
        (
            "TaxExclusiveAmount",
            amount("LineExtensionAmount")
            - amount("AllowanceTotalAmount")
            + amount("ChargeTotalAmount"),
        ),
        ("TaxInclusiveAmount", amount("TaxExclusiveAmount") + taxes),
        (
            "PayableAmount",
            amount("TaxInclusiveAmount") - withheld + amount("PayableRoundingAmount"),
        ),
    )
    for tag, expected in checks:
        if abs(amount(tag) - expected) > Decimal("0.01"):
            warnings.append(f"hesap: {tag} is {amount(tag)}, expected {expected}")
    return warnings
