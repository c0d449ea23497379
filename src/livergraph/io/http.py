"""livergraph's one HTTP client (``fetch``, ``push`` and ``query --endpoint`` all go through it).

Built on the standard library's ``http.client`` so that every limit is enforced here, not hoped
for from a library default:

* **size**: a body larger than ``Limits.max_bytes`` is cut off and refused (a server that never
  ends its body cannot fill the memory);
* **total time**: ``Limits.timeout`` bounds the whole exchange, connection, sending, every
  redirect and the body; a watchdog shuts the socket at the deadline, so a slow drip (a byte
  every few seconds, each one resetting a per-read timeout) ends too;
* **redirects**: at most ``Limits.max_redirects``; 307/308 keep the method and body, 301/302/303
  are followed for GET/HEAD only (a redirected PUT or POST is refused, naming the new URL);
  credentials are dropped when the redirect leaves the origin (scheme, host, port) the user
  named;
* **credentials never over plain http** to another machine unless the caller allows it
  (``allow_insecure_auth``; the commands' ``--allow-insecure-auth`` /
  ``LIVERGRAPH_ALLOW_INSECURE_AUTH=1``). Loopback (127.0.0.0/8, ::1, localhost) is allowed:
  nothing leaves the machine;
* **URLs and timeouts checked** before anything is sent: malformed URLs, user names or passwords
  inside URLs, and ``nan``/``inf``/negative timeouts are refused with a clear message;
* **server text made safe**: error bodies are shown through ``safe_text`` (control characters and
  terminal escape sequences removed, whitespace folded, cut to a few hundred characters).

Proxies from the environment are not used.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import ipaddress
import math
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from typing import Mapping

from livergraph.errors import UnreadableInput

INSECURE_AUTH_ENV = "LIVERGRAPH_ALLOW_INSECURE_AUTH"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
CHUNK = 64 * 1024
EXCERPT = 300
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b.|"
                      r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class HttpError(UnreadableInput):
    """An HTTP exchange that failed (exit 2); ``url`` is where."""

    def __init__(self, message: str, *, url: str, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.url = url


class HttpUnreachable(HttpError):
    """No answer: the host could not be reached or the connection broke."""


class HttpTimeout(HttpError):
    """The exchange ran past ``Limits.timeout``."""


class HttpTooLarge(HttpError):
    """The body was larger than ``Limits.max_bytes``."""


class HttpStatusError(HttpError):
    """The server answered with an error status (400 or more)."""

    def __init__(self, message: str, *, url: str, status: int, reason: str, body: bytes,
                 headers: Message, hint: str | None = None):
        super().__init__(message, url=url, hint=hint)
        self.status = status
        self.reason = reason
        self.body = body
        self.headers = headers


@dataclass(frozen=True)
class Limits:
    """Bounds of one exchange: total seconds, body bytes, redirects followed."""
    timeout: float = 60.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5


@dataclass(frozen=True)
class Credentials:
    """``kind`` "bearer" (``user`` holds the token) or "basic" (user and password; Digest is
    answered when the server asks for it)."""
    kind: str
    user: str
    password: str | None = None

    def __repr__(self) -> str:          # never print a secret by accident
        return f"Credentials({self.kind!r}, ***)"


@dataclass
class Response:
    status: int
    reason: str
    headers: Message
    body: bytes
    url: str                              # after redirects
    redirects: list[str] = field(default_factory=list)

    @property
    def media_type(self) -> str:
        return self.headers.get_content_type()


# -- checks ----------------------------------------------------------------------------------

def check_timeout(value: float | None, option: str = "--timeout") -> float | None:
    """``value`` if it is a finite number of seconds above 0 (or None); UnreadableInput else."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UnreadableInput(f"{option} {value!r} is not a number of seconds") from None
    if not math.isfinite(number) or number <= 0:
        raise UnreadableInput(f"{option} {value!r} is not a number of seconds above 0",
                              hint=f"e.g. {option} 60")
    return number


def check_url(url: str, what: str = "URL") -> urllib.parse.SplitResult:
    """The parts of an http(s) URL, or UnreadableInput saying what is wrong with it (the URL is
    shown without any user name or password it holds)."""
    if not isinstance(url, str) or not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127
                                                  for c in url):
        raise UnreadableInput(f"malformed {what}: it is empty or holds spaces or control "
                              "characters", hint="give an http:// or https:// URL")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnreadableInput(f"malformed {what} {redact(url)!r}: {exc}",
                              hint="give an http:// or https:// URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnreadableInput(f"malformed {what} {redact(url)!r}: not an http:// or https:// "
                              "URL with a host", hint="e.g. http://127.0.0.1:7878/store")
    if port == 0:
        raise UnreadableInput(f"malformed {what} {redact(url)!r}: port 0")
    if parts.username or parts.password:
        raise UnreadableInput(f"the {what} holds a user name or password",
                              hint="remove it from the URL; credentials come from the "
                                   "environment")
    return parts


def redact(url: str) -> str:
    """``url`` with any ``user:password@`` removed."""
    return re.sub(r"(?<=//)[^/@]*@", "", url)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def insecure_auth_allowed(flag: bool = False, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return flag or env.get(INSECURE_AUTH_ENV, "") in ("1", "true", "yes")


def safe_text(body: bytes | str, limit: int = EXCERPT) -> str:
    """Server text fit to print: decoded, escape sequences and control characters removed,
    whitespace folded, at most ``limit`` characters."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = _ESCAPES.sub(" ", text[: limit * 8])
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " ..."


def auth_header(creds: Credentials | None) -> dict[str, str]:
    """The pre-emptive Authorization header for ``creds`` (none without credentials)."""
    if creds is None:
        return {}
    if creds.kind == "bearer":
        return {"Authorization": f"Bearer {creds.user}"}
    raw = f"{creds.user}:{creds.password or ''}".encode("utf-8")
    return {"Authorization": "Basic " + base64.b64encode(raw).decode("ascii")}


def _digest(challenge: str, method: str, path: str, creds: Credentials) -> str | None:
    """The Authorization header answering a Digest challenge (RFC 7616, MD5 or SHA-256)."""
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge))
    realm, nonce = fields.get("realm"), fields.get("nonce")
    algorithm = fields.get("algorithm", "MD5").upper()
    hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
    if realm is None or nonce is None or algorithm not in hashes:
        return None

    def h(text: str) -> str:
        return hashes[algorithm](text.encode("utf-8")).hexdigest()

    ha1 = h(f"{creds.user}:{realm}:{creds.password or ''}")
    ha2 = h(f"{method}:{path}")
    out = {"username": creds.user, "realm": realm, "nonce": nonce, "uri": path,
           "algorithm": algorithm}
    if "auth" in [q.strip() for q in fields.get("qop", "").split(",")]:
        cnonce = os.urandom(8).hex()
        out.update(qop="auth", nc="00000001", cnonce=cnonce,
                   response=h(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}"))
    else:
        out["response"] = h(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in fields:
        out["opaque"] = fields["opaque"]
    bare = {"qop", "nc", "algorithm"}
    return "Digest " + ", ".join(f"{k}={v}" if k in bare else f'{k}="{v}"'
                                 for k, v in out.items())


# -- the exchange ----------------------------------------------------------------------------

class _Deadline:
    """Shuts the connection's socket when the total time is up (ends a slow drip)."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.fired = False
        self.conn: http.client.HTTPConnection | None = None
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def left(self) -> float:
        return self.end - time.monotonic()

    def _fire(self) -> None:
        self.fired = True
        sock = self.conn.sock if self.conn is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self.timer.cancel()


def request(method: str, url: str, *, body: bytes | None = None,
            headers: Mapping[str, str] | None = None, credentials: Credentials | None = None,
            limits: Limits = Limits(), allow_insecure_auth: bool = False,
            what: str = "server") -> Response:
    """One HTTP exchange within ``limits``; HttpStatusError for an answer of 400 or more,
    HttpUnreachable, HttpTimeout or HttpTooLarge otherwise, UnreadableInput for a bad URL."""
    check_timeout(limits.timeout, "timeout")
    origin = _origin(check_url(url))
    deadline = _Deadline(limits.timeout)
    redirects: list[str] = []
    digest: str | None = None          # the answer to a Digest challenge, once asked
    try:
        while True:
            parts = check_url(url)
            send_creds = credentials if _origin(parts) == origin else None
            if send_creds is not None and parts.scheme == "http" and not is_loopback(
                    parts.hostname) and not allow_insecure_auth:
                raise HttpError(f"refusing to send credentials over plain http to "
                                f"{parts.hostname}", url=redact(url),
                                hint="use https://, or allow it explicitly with "
                                     f"--allow-insecure-auth (or {INSECURE_AUTH_ENV}=1)")
            all_headers = {"Accept-Encoding": "identity", **(headers or {}),
                           **auth_header(send_creds)}
            if digest is not None and send_creds is not None:
                all_headers["Authorization"] = digest
            resp = _exchange(method, parts, body, all_headers, deadline, limits, url, what)
            if resp.status == 401 and send_creds is not None and send_creds.kind == "basic" \
                    and digest is None:
                challenge = resp.headers.get("WWW-Authenticate", "")
                if challenge.lower().startswith("digest "):
                    answer = _digest(challenge[7:], method, _path(parts), send_creds)
                    if answer:
                        digest = answer
                        continue
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                target = urllib.parse.urljoin(url, resp.headers["Location"])
                if len(redirects) >= limits.max_redirects:
                    raise HttpError(f"more than {limits.max_redirects} redirects",
                                    url=redact(url), hint="check the URL")
                if resp.status in (301, 302, 303) and method not in ("GET", "HEAD"):
                    if resp.status != 303 or body is not None:
                        raise HttpError(f"the {what} redirected the {method} to "
                                        f"{redact(target)}", url=redact(url),
                                        hint="give that URL instead (nothing was sent there)")
                    method, body = "GET", None
                check_url(target, "redirect target")
                redirects.append(redact(target))
                url = target
                continue
            resp.redirects = redirects
            if resp.status >= 400:
                said = safe_text(resp.body)
                raise HttpStatusError(
                    f"the {what} at {redact(url)} answered HTTP {resp.status} {resp.reason}"
                    .rstrip() + (f": {said}" if said else ""), url=redact(url),
                    status=resp.status, reason=resp.reason, body=resp.body,
                    headers=resp.headers)
            return resp
    finally:
        deadline.cancel()


def _origin(parts: urllib.parse.SplitResult) -> tuple[str, str, int]:
    return (parts.scheme, (parts.hostname or "").lower(),
            parts.port or (443 if parts.scheme == "https" else 80))


def _path(parts: urllib.parse.SplitResult) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _exchange(method: str, parts: urllib.parse.SplitResult, body: bytes | None,
              headers: dict[str, str], deadline: _Deadline, limits: Limits, url: str,
              what: str) -> Response:
    left = deadline.left()
    if left <= 0:
        raise _timeout(url, limits, what)
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=left,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=left)
    deadline.conn = conn
    try:
        conn.request(method, _path(parts), body=body, headers=headers)
        resp = conn.getresponse()
        length = resp.getheader("Content-Length")
        if length and length.isdigit() and int(length) > limits.max_bytes:
            raise _too_large(url, limits, what)
        chunks, size = [], 0
        while True:
            if deadline.left() <= 0:
                raise _timeout(url, limits, what)
            if conn.sock is not None:
                conn.sock.settimeout(max(deadline.left(), 0.001))
            chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                raise _too_large(url, limits, what)
            chunks.append(chunk)
        if deadline.fired:         # the watchdog shut the socket: what came is not all
            raise _timeout(url, limits, what)
        if length and length.isdigit() and size < int(length) and method != "HEAD":
            raise HttpUnreachable(f"the {what} at {redact(url)} closed the connection after "
                                  f"{size} of {length} bytes", url=redact(url),
                                  hint="try again; nothing incomplete was used")
        return Response(resp.status, resp.reason or "", resp.msg, b"".join(chunks), url)
    except HttpError:
        raise
    except (socket.timeout, TimeoutError):
        raise _timeout(url, limits, what) from None
    except (OSError, http.client.HTTPException) as exc:
        if deadline.fired:
            raise _timeout(url, limits, what) from None
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise HttpUnreachable(f"cannot reach the {what} at {redact(url)}: {reason}",
                              url=redact(url),
                              hint="is the server running, and is the URL right?") from None
    finally:
        conn.close()


def _timeout(url: str, limits: Limits, what: str) -> HttpTimeout:
    return HttpTimeout(f"the {what} at {redact(url)} did not finish answering within "
                       f"{limits.timeout:g} s", url=redact(url),
                       hint="allow more time with --timeout SECONDS")


def _too_large(url: str, limits: Limits, what: str) -> HttpTooLarge:
    return HttpTooLarge(f"the {what} at {redact(url)} sent more than {limits.max_bytes} bytes; "
                        "the answer was cut off and not used", url=redact(url),
                        hint="raise the limit (max_bytes) if this answer is expected")
