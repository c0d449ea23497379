"""A server on 127.0.0.1 that answers every GET and POST with one fixed body and records the
path of each request: the hostile tests use it to show that nothing was sent to it."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def counting_server(body: bytes, content_type: str) -> Iterator[tuple[str, list[str]]]:
    """(``http://127.0.0.1:PORT``, the list of request paths so far) while the block runs."""
    hits: list[str] = []

    class Counter(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()
