"""What every fake HTTP server of ``tests/fakes`` shares (stdlib only).

:class:`HttpFake` runs a fake on a :class:`ThreadingHTTPServer` (``start()`` in a daemon
thread, ``serve_forever()`` in the foreground for the Docker sandbox, ``stop()``), keeps its
recorded calls and its queue of faults. :func:`json_handler` is the request handler of the
JSON marketplace fakes: it reads the body, answers ``/__fake__/<path>`` with
``fake.control(method, path, payload)``, hands every other call to the fake as a request
dict and sends the ``(status, body, headers)`` it answers; :class:`HttpError` and
:class:`DropConnection` raised by the fake become an error answer or a closed socket.
"""

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

JSON_UTF8 = "application/json;charset=UTF-8"
CONTROL_PREFIX = "/__fake__/"


class HttpError(Exception):
    """An error answer: ``status``, ``body`` (JSON-able, bytes or None) and ``headers``."""

    headers = {}


class DropConnection(Exception):
    """Close the socket without an answer."""


class HttpFake:
    """A fake server's lifecycle, recorded calls and fault queue.

    Subclasses set ``reset()`` (which creates ``self.requests`` and ``self.faults``),
    ``banner()`` (the line ``serve_forever`` prints) and ``handler()`` (the request handler
    class; :func:`json_handler` by default, which calls ``dispatch`` and ``control``)."""

    server_version = "FakeHttp/1.0"
    json_content_type = JSON_UTF8
    call_key = "endpoint"  # the request key that ``calls()`` filters on
    control_errors = (KeyError,)  # the errors of a control call answered by control_failed
    hidden_request_keys = ()  # left out of ``GET /__fake__/requests``
    keep_blank_query = False

    def __init__(self, host="127.0.0.1", port=0):
        self.host = host
        self.port = port
        self.lock = threading.RLock()
        self.httpd = None
        self.thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def calls(self, key=None):
        return [r for r in self.requests if key in (None, r[self.call_key])]

    # ---------------------------------------------------------------- faults
    def add_fault(self, kind, endpoint="*", count=1, **params):
        with self.lock:
            for _i in range(int(count)):
                self.faults.append(dict(params, kind=kind, endpoint=endpoint))

    def _pop_fault(self, endpoint, *context):
        with self.lock:
            for index, fault in enumerate(self.faults):
                if self.fault_matches(fault, endpoint, *context):
                    return self.faults.pop(index)
        return None

    def fault_matches(self, fault, endpoint):
        return fault["endpoint"] in ("*", endpoint)

    # --------------------------------------------------------------- control
    def control(self, method, path, payload):
        """The control calls every fake answers (``/__fake__/<path>``): ``GET requests``,
        ``POST faults`` (the arguments of :meth:`add_fault`) and ``POST reset``."""
        if method == "GET" and path == "requests":
            with self.lock:
                return [
                    {k: v for k, v in r.items() if k not in self.hidden_request_keys}
                    for r in self.requests
                ]
        if method == "POST" and path == "faults":
            payload = dict(payload)
            self.add_fault(payload.pop("kind"), **payload)
            return {"queued": len(self.faults)}
        if method == "POST" and path == "reset":
            self.reset()
            return {"reset": True}
        raise KeyError(path)

    # --------------------------------------------------------------- routing
    def record(self, request, endpoint):
        request["endpoint"] = endpoint
        with self.lock:
            self.requests.append(request)

    def route(self, method, path, request):
        """Record one API call and check its credentials: ``(endpoint, handler, groups)``
        of its route (``not_found`` when there is none)."""
        endpoint, handler, groups = self.match(method, path)
        self.record(request, endpoint)
        if handler is None:
            raise self.not_found(method, path)
        self.check_auth(request, groups)
        return endpoint, handler, groups

    def match(self, method, path):
        """``(endpoint, handler, path groups)`` of the first of ``routes()`` that fits."""
        for route_method, pattern, name, handler in self.routes():
            found = re.match(pattern, path)
            if found and route_method == method:
                return name, handler, found.groupdict()
        return None, None, None

    # ------------------------------------------------------------- lifecycle
    def handler(self):
        return json_handler(self)

    def banner(self):
        return f"{type(self).__name__} listening on {self.url}"

    def _bind(self):
        self.httpd = ThreadingHTTPServer((self.host, self.port), self.handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        return self.httpd

    def start(self):
        self._bind()
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def serve_forever(self):
        self._bind()
        print(self.banner(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            self.httpd.serve_forever()

    # ------------------------------------------------------ json_handler hooks
    def read_body(self, request, raw, content_type):
        """Fill the request dict from the raw body (by default: its JSON, or None)."""
        request["json"] = None
        if raw:
            with contextlib.suppress(ValueError):
                request["json"] = json.loads(raw)

    def answer(self, method, path, request, raw):
        """``(status, body, headers)`` of one API call."""
        return self.dispatch(method, path, request)

    def content_type(self, data):
        """The Content-Type of an answer whose headers name none."""
        return self.json_content_type

    def control_failed(self, exc):
        return 404, {"error": f"unknown control {exc}"}


def serving(fake):
    """The body of a test fixture: yield the started fake, stop it after the test."""
    server = fake.start()
    yield server
    server.stop()


def encode(body):
    if isinstance(body, bytes):
        return body
    if body is None:
        return b""
    return json.dumps(body, ensure_ascii=False).encode()


def json_handler(fake):
    """The request handler class of a JSON fake (see the module's docstring)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = fake.server_version

        def log_message(self, format, *args):  # noqa: A002 - quiet
            pass

        def _read(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, status, body, headers=None):
            headers = dict(headers or {})
            data = encode(body)
            content_type = headers.pop("Content-Type", None) or fake.content_type(data)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def _control(self, path, raw):
            try:
                payload = json.loads(raw or b"{}")
                self._send(200, fake.control(self.command, path, payload))
            except fake.control_errors as exc:
                self._send(*fake.control_failed(exc))

        def _drop(self, request):
            request["status"] = None
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)

        def _handle(self):
            started = time.time()
            split = urlsplit(self.path)
            raw = self._read()
            if split.path.startswith(CONTROL_PREFIX):
                return self._control(split.path[len(CONTROL_PREFIX) :], raw)
            query = parse_qs(split.query, keep_blank_values=fake.keep_blank_query)
            request = {
                "method": self.command,
                "path": split.path,
                "query": {k: v[-1] for k, v in query.items()},
                "headers": {k.title(): v for k, v in self.headers.items()},
                "time": started,
            }
            fake.read_body(request, raw, self.headers.get("Content-Type") or "")
            try:
                status, body, headers = fake.answer(self.command, split.path, request, raw)
            except HttpError as exc:
                status, body, headers = exc.status, exc.body, exc.headers
            except DropConnection:
                return self._drop(request)
            request["status"] = status
            self._send(status, body, headers)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler
