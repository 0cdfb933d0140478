"""zeep plumbing shared by the SOAP adapters: clients, timeouts, error mapping, call log."""

import time

import requests
from lxml import etree
from zeep import Client, Plugin, Settings
from zeep.cache import InMemoryCache
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError
from zeep.transports import Transport

from .base import OutcomeUnknown, ServiceUnavailable

# WSDL documents are cached for an hour per process (they are fetched once, not per call)
_WSDL_CACHE = InMemoryCache(timeout=3600)


class _Capture(Plugin):
    """Keeps the last request envelope so it can be logged (redacted)."""

    def __init__(self):
        self.sent = b""

    def egress(self, envelope, http_headers, operation, binding_options):
        self.sent = etree.tostring(envelope, encoding="utf-8")
        return envelope, http_headers


class _Transport(Transport):
    """Remembers the HTTP status of the last answer (non-XML error pages)."""

    last_status = None

    def post_xml(self, address, envelope, headers):
        self.last_status = None
        response = super().post_xml(address, envelope, headers)
        self.last_status = response.status_code
        return response


def _connection_refused(exc):
    text = repr(exc)
    return isinstance(exc, requests.exceptions.ConnectTimeout) or any(
        marker in text
        for marker in (
            "NewConnectionError",
            "Connection refused",
            "Name or service not known",
            "Failed to resolve",
        )
    )


class SoapService:
    """A zeep client of one WSDL with a request timeout and integrator-neutral errors."""

    def __init__(self, wsdl, timeout, logger, fault_parser, wsse=None, redactor=None):
        self.wsdl = wsdl
        # adapter-specific cleaning of the request before it is logged (documents, KVKK)
        self.redactor = redactor
        self.timeout = timeout
        self.logger = logger
        self.fault_parser = fault_parser
        self.wsse = wsse
        self._client = None
        self._transport = None
        self._capture = _Capture()

    @property
    def client(self):
        if self._client is None:
            transport = self._transport = _Transport(
                cache=_WSDL_CACHE, timeout=self.timeout, operation_timeout=self.timeout
            )
            try:
                self._client = Client(
                    self.wsdl,
                    transport=transport,
                    wsse=self.wsse,
                    plugins=[self._capture],
                    settings=Settings(strict=False, xml_huge_tree=True),
                )
            except requests.exceptions.RequestException as exc:
                raise ServiceUnavailable(
                    f"WSDL {self.wsdl} unreachable: {exc}", code="WSDL"
                ) from exc
            except (ZeepError, etree.XMLSyntaxError) as exc:
                raise ServiceUnavailable(f"WSDL {self.wsdl} unusable: {exc}", code="WSDL") from exc
        return self._client

    def _sent(self):
        sent = self._capture.sent
        return self.redactor(sent) if self.redactor and sent else sent

    def call(self, operation, **kwargs):
        """Run one SOAP operation; every outcome is logged with its duration."""
        started = time.monotonic()
        self._capture.sent = b""
        try:
            result = getattr(self.client.service, operation)(**kwargs)
        except Fault as fault:
            if _is_soap_fault(fault):
                error = self.fault_parser(fault, operation)
            else:  # an XML page that is no SOAP envelope, e.g. a gateway's XHTML 502
                error = self._not_soap(operation, "not a SOAP answer")
            self._record_error(operation, started, error)
            raise error from fault
        except requests.exceptions.RequestException as exc:
            if _connection_refused(exc):
                error = ServiceUnavailable(
                    f"{operation}: service unreachable ({exc})",
                    code="CONNECTION",
                    operation=operation,
                )
            else:
                kind = "TIMEOUT" if isinstance(exc, requests.exceptions.Timeout) else "LOST"
                error = OutcomeUnknown(
                    f"{operation}: no answer from the integrator ({kind}); "
                    "the request may have been processed",
                    code=kind,
                    operation=operation,
                )
            self._record_error(operation, started, error)
            raise error from exc
        except TransportError as exc:
            error = self._not_soap(operation, "not a SOAP answer", exc.status_code)
            self._record_error(operation, started, error)
            raise error from exc
        except (ZeepError, etree.XMLSyntaxError, AttributeError) as exc:
            error = self._not_soap(operation, f"unreadable answer ({exc})")
            self._record_error(operation, started, error)
            raise error from exc
        self.logger.record(operation, started, "ok", "", self._sent())
        return result

    def _not_soap(self, operation, what, status=None):
        """Any answer that is not SOAP (a gateway's 502 page, a proxy's text, broken XML):
        the request may have been processed behind the gateway, so the outcome is unknown
        (for a send: resolved by a status query, never by sending again blindly)."""
        if status is None and self._transport:
            status = self._transport.last_status
        code = f"HTTP{status}" if status and status != 200 else "XML"
        return OutcomeUnknown(
            f"{operation}: HTTP {status or '?'}, {what}; the request may have been processed",
            code=code,
            operation=operation,
        )

    def _record_error(self, operation, started, error):
        result = "unknown" if isinstance(error, OutcomeUnknown) else "error"
        self.logger.record(operation, started, result, str(error), self._sent())


def _is_soap_fault(fault):
    """zeep turns an XML answer without a SOAP Fault element (an HTML error page of a
    gateway) into a Fault whose detail is the raw bytes; a real SOAP fault has an element
    or nothing there."""
    return not isinstance(fault.detail, (bytes, str))


def detail_text(fault, name):
    """Text of the first ``name`` element in a fault's detail (any namespace)."""
    if not isinstance(getattr(fault, "detail", None), etree._Element):
        return ""
    found = fault.detail.xpath(f".//*[local-name()='{name}']")
    return (found[0].text or "").strip() if found else ""
