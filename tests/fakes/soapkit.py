"""Small toolkit shared by the fake SOAP integrators (İzibiz, Uyumsoft).

A fake describes its services as plain tables (types + operations); from them this module
generates a document/literal WSDL that the real ``zeep`` client downloads, parses requests
into dicts and serialises answers in the declared element order. Only stdlib + lxml.

Field spec: ``(name, type)`` or ``(name, type, "*")`` for a repeated element; a name starting
with ``@`` is an attribute; type is ``string``, ``base64Binary``, ``int``, ``decimal``,
``boolean``, ``any`` (lax ``xs:any`` children) or the name of a complex type of the service.
"""

import base64
import contextlib
import json
import time
from http.server import BaseHTTPRequestHandler

from lxml import etree

from tests.fakes.httpfake import DropConnection, HttpFake

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XS = "http://www.w3.org/2001/XMLSchema"
# what a reverse proxy answers when the integrator behind it did not answer in time
GATEWAY_PAGES = {
    "xhtml": b"<html><head><title>STATUS Bad Gateway</title></head><body><h1>STATUS Bad "
    b"Gateway</h1><p>The proxy server received an invalid response.</p></body></html>",
    "nginx": b"<html>\r\n<head><title>STATUS Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>STATUS Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n",
}
SIMPLE = {"string", "base64Binary", "int", "decimal", "boolean", "dateTime", "date"}


class SoapFault(Exception):
    """Raised by a handler: answered as a SOAP 1.1 Fault with an optional detail element."""

    def __init__(self, message, code="soap:Server", detail=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail


class Service:
    """One SOAP service (one WSDL): ``path`` like ``/EInvoiceWS``."""

    def __init__(
        self,
        name,
        path,
        namespace,
        types,
        operations,
        qualified=False,
        request_suffix="Request",
        response_suffix="Response",
        action_prefix="",
    ):
        self.name = name
        self.path = path
        self.ns = namespace
        self.types = types
        self.operations = operations  # {op: (request_fields, response_fields)}
        self.qualified = qualified
        self.request_suffix = request_suffix
        self.response_suffix = response_suffix
        self.action_prefix = action_prefix

    def request_element(self, op):
        return op + self.request_suffix

    def op_for_element(self, localname):
        for op in self.operations:
            if self.request_element(op) == localname:
                return op
        return None

    # --- WSDL -------------------------------------------------------------------------
    def _xs_fields(self, parent, fields):
        attrs = []
        seq = etree.SubElement(parent, f"{{{XS}}}sequence")
        for spec in fields:
            name, typ = spec[0], spec[1]
            many = len(spec) > 2 and spec[2] == "*"
            if name.startswith("@"):
                attrs.append((name[1:], typ))
                continue
            if typ == "any":
                etree.SubElement(
                    seq,
                    f"{{{XS}}}any",
                    minOccurs="0",
                    maxOccurs="unbounded",
                    processContents="skip",
                    namespace="##any",
                )
                continue
            xs_type = f"xs:{typ}" if typ in SIMPLE else f"tns:{typ}"
            etree.SubElement(
                seq,
                f"{{{XS}}}element",
                name=name,
                type=xs_type,
                minOccurs="0",
                maxOccurs="unbounded" if many else "1",
            )
        for name, typ in attrs:
            etree.SubElement(parent, f"{{{XS}}}attribute", name=name, type=f"xs:{typ}")

    def wsdl(self, address):
        nsmap = {None: WSDL_NS, "soap": WSDL_SOAP, "xs": XS, "tns": self.ns}
        root = etree.Element(
            f"{{{WSDL_NS}}}definitions", nsmap=nsmap, name=self.name, targetNamespace=self.ns
        )
        schema = etree.SubElement(
            etree.SubElement(root, f"{{{WSDL_NS}}}types"),
            f"{{{XS}}}schema",
            targetNamespace=self.ns,
            elementFormDefault="qualified" if self.qualified else "unqualified",
        )
        for type_name, fields in self.types.items():
            self._xs_fields(
                etree.SubElement(schema, f"{{{XS}}}complexType", name=type_name), fields
            )
        for op, (request, response) in self.operations.items():
            for element, fields in (
                (self.request_element(op), request),
                (op + self.response_suffix, response),
            ):
                node = etree.SubElement(schema, f"{{{XS}}}element", name=element)
                self._xs_fields(etree.SubElement(node, f"{{{XS}}}complexType"), fields)
        for op in self.operations:
            for suffix, element in (
                ("In", self.request_element(op)),
                ("Out", op + self.response_suffix),
            ):
                message = etree.SubElement(root, f"{{{WSDL_NS}}}message", name=op + suffix)
                etree.SubElement(
                    message, f"{{{WSDL_NS}}}part", name="parameters", element=f"tns:{element}"
                )
        port_type = etree.SubElement(root, f"{{{WSDL_NS}}}portType", name=self.name + "Port")
        for op in self.operations:
            node = etree.SubElement(port_type, f"{{{WSDL_NS}}}operation", name=op)
            etree.SubElement(node, f"{{{WSDL_NS}}}input", message=f"tns:{op}In")
            etree.SubElement(node, f"{{{WSDL_NS}}}output", message=f"tns:{op}Out")
        binding = etree.SubElement(
            root, f"{{{WSDL_NS}}}binding", name=self.name + "Binding", type=f"tns:{self.name}Port"
        )
        etree.SubElement(
            binding,
            f"{{{WSDL_SOAP}}}binding",
            style="document",
            transport="http://schemas.xmlsoap.org/soap/http",
        )
        for op in self.operations:
            node = etree.SubElement(binding, f"{{{WSDL_NS}}}operation", name=op)
            etree.SubElement(
                node,
                f"{{{WSDL_SOAP}}}operation",
                soapAction=self.action_prefix + op,
                style="document",
            )
            for direction in ("input", "output"):
                etree.SubElement(
                    etree.SubElement(node, f"{{{WSDL_NS}}}{direction}"),
                    f"{{{WSDL_SOAP}}}body",
                    use="literal",
                )
        service = etree.SubElement(root, f"{{{WSDL_NS}}}service", name=self.name)
        port = etree.SubElement(
            service,
            f"{{{WSDL_NS}}}port",
            name=self.name + "Port",
            binding=f"tns:{self.name}Binding",
        )
        etree.SubElement(port, f"{{{WSDL_SOAP}}}address", location=address)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)

    # --- values <-> XML ---------------------------------------------------------------
    def _tag(self, name):
        return f"{{{self.ns}}}{name}" if self.qualified else name

    def parse(self, node, fields):
        values = {}
        for spec in fields:
            name, typ = spec[0], spec[1]
            many = len(spec) > 2 and spec[2] == "*"
            if name.startswith("@"):
                if node.get(name[1:]) is not None:
                    values[name[1:]] = node.get(name[1:])
                continue
            if typ == "any":
                values["_any"] = [child for child in node if isinstance(child.tag, str)]
                continue
            found = [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == name]
            parsed = [self._parse_value(c, typ) for c in found]
            if many:
                values[name] = parsed
            elif parsed:
                values[name] = parsed[0]
        return values

    def _parse_value(self, node, typ):
        if typ in SIMPLE:
            text = (node.text or "").strip()
            return base64.b64decode(text) if typ == "base64Binary" else text
        return self.parse(node, self.types[typ])

    def build(self, parent, fields, values):
        for spec in fields:
            name, typ = spec[0], spec[1]
            if name.startswith("@"):
                if values.get(name[1:]) is not None:
                    parent.set(name[1:], _text(values[name[1:]]))
                continue
            if typ == "any":
                for child in values.get("_any", []):
                    parent.append(child)
                continue
            value = values.get(name)
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                node = etree.SubElement(parent, self._tag(name))
                if typ in SIMPLE:
                    node.text = (
                        base64.b64encode(item).decode() if typ == "base64Binary" else _text(item)
                    )
                else:
                    self.build(node, self.types[typ], item)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def envelope(body_node):
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    etree.SubElement(env, f"{{{SOAP_ENV}}}Body").append(body_node)
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def fault_envelope(fault):
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    node = etree.SubElement(etree.SubElement(env, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(node, "faultcode").text = fault.code
    etree.SubElement(node, "faultstring").text = fault.message
    if fault.detail is not None:
        etree.SubElement(node, "detail").append(fault.detail)
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


class FakeSoapServer(HttpFake):
    """Threaded HTTP server hosting several :class:`Service` s of one integrator.

    Subclasses implement ``op_<Operation>(request: dict, soap_header: element) -> dict`` and
    may override :meth:`check_header`. Fault injection: :meth:`add_fault` or
    ``POST /__fake__/faults`` with ``{"operation": "SendInvoice", "kind": "timeout", ...}``.
    """

    services = ()
    call_key = "operation"

    def __init__(self, host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.reset()

    # --- state ------------------------------------------------------------------------
    def reset(self):
        with self.lock:
            self.faults = []
            self.requests = []

    def add_fault(self, operation, kind, **params):
        """Queue a fault for the next call of ``operation`` (``*`` = any operation).

        kinds: ``soap_fault`` (code, message), ``invalid_session``, ``duplicate``,
        ``timeout`` (delay seconds, process=True), ``lost_response`` (processed, then the
        socket is closed), ``schematron`` (message), ``http_error`` (status), ``gateway``
        (a gateway's HTML error page with ``status``, default 502; ``process=True``: the
        integrator processed the request behind it; ``html="xhtml"`` well-formed, or
        ``"nginx"`` not XML at all)."""
        with self.lock:
            self.faults.append(dict(params, operation=operation, kind=kind))

    def fault_matches(self, fault, operation):
        return fault["operation"] in (operation, "*")

    # --- lifecycle --------------------------------------------------------------------
    def wsdl_url(self, service_name):
        service = next(s for s in self.services if s.name == service_name)
        return f"{self.url}{service.path}?wsdl"

    def handler(self):
        return _make_handler(self)

    # --- hooks ------------------------------------------------------------------------
    def check_header(self, service, operation, header, request):
        """Raise :class:`SoapFault` when authentication in the SOAP header is wrong."""

    def inject(self, fault, service, operation, request):
        """Turn a queued fault into behaviour: raise :class:`SoapFault`, return a dict (sent
        as the answer) or True (the call still runs)."""
        raise NotImplementedError

    def control(self, path, payload):
        """``POST /__fake__/<path>`` JSON control endpoint; return a JSON-able value."""
        if path == "faults":
            self.add_fault(payload.pop("operation", "*"), payload.pop("kind"), **payload)
            return {"queued": len(self.faults)}
        if path == "reset":
            self.reset()
            return {"reset": True}
        raise KeyError(path)

    def dispatch(self, service, raw):
        """Answer one SOAP request: (status, body bytes) or raise :class:`DropConnection`."""
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
        body = root.find(f"{{{SOAP_ENV}}}Body")
        header = root.find(f"{{{SOAP_ENV}}}Header")
        node = next(c for c in body if isinstance(c.tag, str))
        operation = service.op_for_element(etree.QName(node).localname)
        request_fields, response_fields = service.operations[operation]
        request = service.parse(node, request_fields)
        with self.lock:
            self.requests.append(
                {
                    "service": service.name,
                    "operation": operation,
                    "request": request,
                    "raw": raw,
                    "time": time.time(),
                }
            )
        fault = self._pop_fault(operation)
        drop_after = False
        try:
            if fault:
                if fault["kind"] == "http_error":
                    return int(fault.get("status", 503)), b"Service Unavailable"
                if fault["kind"] == "gateway":
                    if fault.get("process"):
                        self._run(service, operation, header, request, response_fields)
                    status = int(fault.get("status", 502))
                    return status, GATEWAY_PAGES[fault.get("html", "xhtml")].replace(
                        b"STATUS", str(status).encode()
                    )
                if fault["kind"] == "timeout":
                    if not fault.get("process", True):
                        time.sleep(float(fault.get("delay", 5)))
                        raise DropConnection()
                    answer = self._run(service, operation, header, request, response_fields)
                    time.sleep(float(fault.get("delay", 5)))
                    return answer
                if fault["kind"] == "lost_response":
                    drop_after = True
                else:
                    injected = self.inject(fault, service, operation, request)
                    if isinstance(injected, dict):
                        return self._respond(service, operation, response_fields, injected)
            answer = self._run(service, operation, header, request, response_fields)
        except SoapFault as exc:
            return 500, fault_envelope(exc)
        if drop_after:
            raise DropConnection()
        return answer

    def _run(self, service, operation, header, request, response_fields):
        try:
            self.check_header(service, operation, header, request)
            values = getattr(self, "op_" + operation)(request)
        except SoapFault as exc:
            return 500, fault_envelope(exc)
        return self._respond(service, operation, response_fields, values)

    def _respond(self, service, operation, response_fields, values):
        node = etree.Element(
            f"{{{service.ns}}}{operation}{service.response_suffix}", nsmap={"tns": service.ns}
        )
        service.build(node, response_fields, values or {})
        return 200, envelope(node)


class FakeIntegrator(FakeSoapServer):
    """A fake e-invoice integrator: an outbox by ETTN, an inbox, registered users and the
    control calls ``incoming``, ``status`` (``set_status`` with ``status_options``) and
    ``users``. Subclasses give ``add_user``, ``add_incoming`` and ``set_status``."""

    status_options = ()  # the optional arguments of set_status a control call may carry

    def document(self, ettn):
        return self.outbox.get(ettn)

    def file_incoming(self, doc):
        with self.lock:
            self.inbox.append(doc)
        return doc

    def control(self, path, payload):
        if path == "incoming":
            doc = self.add_incoming(
                payload["xml"].encode(), payload["sender_vkn"], payload.get("sender_name", "")
            )
            return {"uuid": doc["uuid"]}
        if path == "status":
            options = {key: payload[key] for key in self.status_options if key in payload}
            self.set_status(payload["uuid"], payload["status"], **options)
            return {"ok": True}
        if path == "users":
            self.add_user(payload["vkn"], payload.get("title", ""), payload["aliases"])
            return {"ok": True}
        return super().control(path, payload)


def _make_handler(server):
    services = {s.path.lower(): s for s in server.services}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output quiet
            pass

        def _send(self, status, body, content_type="text/xml; charset=utf-8"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_GET(self):
            path, _sep, query = self.path.partition("?")
            service = services.get(path.lower())
            if service and query.lower().startswith("wsdl"):
                host = self.headers.get("Host") or f"{server.host}:{server.port}"
                return self._send(200, service.wsdl(f"http://{host}{service.path}"))
            if path == "/__fake__/requests":
                data = [
                    {k: v for k, v in r.items() if k in ("service", "operation", "time")}
                    for r in server.requests
                ]
                return self._send(200, json.dumps(data).encode(), "application/json")
            return self._send(404, b"not found", "text/plain")

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            path = self.path.partition("?")[0]
            if path.startswith("/__fake__/"):
                try:
                    result = server.control(path[len("/__fake__/") :], json.loads(raw or b"{}"))
                except (KeyError, ValueError, TypeError) as exc:
                    return self._send(
                        400, json.dumps({"error": str(exc)}).encode(), "application/json"
                    )
                return self._send(200, json.dumps(result, default=str).encode(), "application/json")
            service = services.get(path.lower())
            if not service:
                return self._send(404, b"not found", "text/plain")
            try:
                status, body = server.dispatch(service, raw)
            except DropConnection:
                self.close_connection = True
                return
            except (etree.XMLSyntaxError, StopIteration, KeyError) as exc:
                return self._send(
                    500, fault_envelope(SoapFault(f"Bad request: {exc}", "soap:Client"))
                )
            content_type = "text/xml; charset=utf-8" if status in (200, 500) else "text/plain"
            return self._send(status, body, content_type)

    return Handler


def serve_cli(fake_class, description, default_port, argv=None):
    """``python -m tests.fakes.<name> [--host H] [--port N]``: serve a fake until killed."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    options = parser.parse_args(argv)
    fake_class(options.host, options.port).serve_forever()
