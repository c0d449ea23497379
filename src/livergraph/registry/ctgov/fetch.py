"""Download search pages from the ClinicalTrials.gov API v2 (``livergraph fetch ctgov``).

The one part of livergraph that goes online. It pages through ``/studies`` with ``query.cond``,
``query.intr``, ``pageSize`` and ``pageToken``, waits ``delay`` seconds between requests, retries
429 and 5xx answers (and dropped connections) with exponential back-off, honouring
``Retry-After``, and writes each page atomically as ``page-0001.json`` … next to a state file
(``.fetch-state.json``) holding the next page token, so an interrupted run resumes where it
stopped. The pages are then imported offline with ``livergraph import ctgov``.
"""
from __future__ import annotations

import email.utils
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from livergraph.errors import UnreadableInput
from livergraph.io.atomic import write_atomic
from livergraph.io.http import (HttpError, HttpStatusError, HttpTimeout, HttpTooLarge,
                                HttpUnreachable, Limits, check_timeout, check_url, redact,
                                request, safe_text)

DEFAULT_BASE_URL = "https://clinicaltrials.gov/api/v2"
STATE_FILE = ".fetch-state.json"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_BACKOFF = 120.0


@dataclass
class FetchResult:
    pages: list[Path] = field(default_factory=list)     # pages written in this run
    studies: int = 0                                    # studies in those pages
    total_count: int | None = None
    resumed_at: int | None = None                       # page number a resumed run started at
    complete: bool = False
    retries: int = 0


@dataclass
class Fetcher:
    base_url: str = DEFAULT_BASE_URL
    delay: float = 1.0            # seconds between requests (polite rate limiting)
    retries: int = 5              # attempts after the first, per page
    backoff: float = 2.0          # first back-off in seconds; doubles each attempt
    timeout: float = 60.0         # total seconds per request (a slow drip ends too)
    max_bytes: int = 64 * 1024 * 1024    # per page
    page_limit: int = 5000        # pages per run at most, whatever the server says
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    user_agent: str = "livergraph"
    _last: float | None = None

    def url(self, params: dict[str, str]) -> str:
        return self.base_url.rstrip("/") + "/studies?" + urllib.parse.urlencode(params)

    def _wait_turn(self) -> None:
        if self._last is not None and self.delay > 0:
            remaining = self.delay - (self.clock() - self._last)
            if remaining > 0:
                self.sleep(remaining)
        self._last = self.clock()

    def get_page(self, params: dict[str, str], page: int, result: FetchResult) -> dict:
        url = self.url(params)
        limits = Limits(timeout=self.timeout, max_bytes=self.max_bytes)
        attempt = 0
        while True:
            self._wait_turn()
            try:
                body = request("GET", url, headers={"Accept": "application/json",
                                                    "User-Agent": self.user_agent},
                               limits=limits, what="registry").body
                break
            except HttpStatusError as exc:
                if exc.status not in RETRY_STATUSES or attempt >= self.retries:
                    detail = safe_text(exc.body)
                    raise UnreadableInput(
                        f"page {page}: the registry answered HTTP {exc.status} {exc.reason}"
                        + (f": {detail}" if detail else ""), file=redact(url),
                        hint="check the query; run the same command again to resume"
                        if exc.status in RETRY_STATUSES else "check the query options") \
                        from None
                wait = retry_after(exc.headers.get("Retry-After"))
            except HttpTooLarge as exc:
                raise UnreadableInput(f"page {page}: {exc.message}", file=redact(url),
                                      hint=exc.hint) from None
            except (HttpUnreachable, HttpTimeout) as exc:
                if attempt >= self.retries:
                    reason = exc.message.rsplit(": ", 1)[-1] if isinstance(
                        exc, HttpUnreachable) else exc.message
                    raise UnreadableInput(f"page {page}: cannot reach the registry ({reason})",
                                          file=redact(url), hint="check the network and run "
                                          "the same command again to resume") from None
                wait = None
            except HttpError as exc:
                raise UnreadableInput(f"page {page}: {exc.message}", file=redact(url),
                                      hint=exc.hint) from None
            if wait is None:
                wait = min(self.backoff * 2 ** attempt, MAX_BACKOFF)
            attempt += 1
            result.retries += 1
            self.sleep(wait)
        try:
            content = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UnreadableInput(f"page {page}: the registry's answer is not JSON ({exc})",
                                  file=url, hint="run the same command again to resume from "
                                                 "this page") from None
        if not isinstance(content, dict) or not isinstance(content.get("studies"), list):
            raise UnreadableInput(f"page {page}: the registry's answer has no 'studies' list",
                                  file=url, hint="is --base-url the API v2 root (…/api/v2)?")
        token = content.get("nextPageToken")
        if token is not None and not isinstance(token, str):
            raise UnreadableInput(f"page {page}: nextPageToken is not a string", file=url)
        return content


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_BACKOFF)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    import datetime as dt
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    seconds = (when - dt.datetime.now(dt.timezone.utc)).total_seconds()
    return min(max(seconds, 0.0), MAX_BACKOFF)


def _query(condition: str | None, intervention: str | None, page_size: int) -> dict[str, str]:
    q = {"format": "json", "pageSize": str(page_size)}
    if condition:
        q["query.cond"] = condition
    if intervention:
        q["query.intr"] = intervention
    return q


def _well_formed(saved: object) -> bool:
    """Whether a state file holds the state ``fetch`` writes (each field of its type)."""
    def count(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return (isinstance(saved, dict) and count(saved.get("page"))
            and isinstance(saved.get("nextPageToken") or "", str)
            and count(saved.get("studies", 0))
            and (saved.get("totalCount") is None or count(saved.get("totalCount")))
            and isinstance(saved.get("complete", False), bool)
            and isinstance(saved.get("tokens", []), list)
            and all(isinstance(t, str) for t in saved.get("tokens", [])))


def fetch(condition: str | None, intervention: str | None, out_dir: Path, *,
          fetcher: Fetcher | None = None, page_size: int = 100, max_pages: int | None = None,
          restart: bool = False,
          progress: Callable[[int, int, int | None], None] | None = None) -> FetchResult:
    """Fetch every page of a search into ``out_dir``; resume from the state file there."""
    if not condition and not intervention:
        raise UnreadableInput("give --condition, --intervention or both",
                              hint='e.g. --condition "liver cirrhosis" --intervention '
                                   '"stem cell"')
    if not 1 <= page_size <= 1000:
        raise UnreadableInput(f"page size {page_size} is outside 1–1000 (the API's limit)")
    fetcher = fetcher or Fetcher()
    check_url(fetcher.base_url, "--base-url")
    check_timeout(fetcher.timeout)
    query = _query(condition, intervention, page_size)
    state_path = out_dir / STATE_FILE
    state = {"query": query, "page": 0, "nextPageToken": None, "complete": False,
             "totalCount": None, "baseUrl": fetcher.base_url}
    result = FetchResult()
    if restart:     # the old pages belong to the run being restarted: none may be mixed in
        for old in sorted(out_dir.glob("page-*.json")) if out_dir.is_dir() else []:
            old.unlink()
        # and so does the state: a restart that fails before its first page must not leave a
        # state pointing past pages that are gone
        state_path.unlink(missing_ok=True)
    if state_path.exists() and not restart:
        try:
            saved = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise UnreadableInput(f"the fetch state file is damaged ({exc})",
                                  file=str(state_path), hint="pass --restart") from None
        if not _well_formed(saved):
            raise UnreadableInput("the fetch state file is damaged (not the state livergraph "
                                  "writes)", file=str(state_path), hint="pass --restart")
        if saved.get("query") != query:
            raise UnreadableInput("this directory holds a fetch of another query "
                                  f"({saved.get('query')})", file=str(state_path),
                                  hint="use another --output directory, or --restart")
        state = saved
        if state.get("complete"):
            result.complete = True
            result.total_count = state.get("totalCount")
            return result
        if state.get("page"):
            result.resumed_at = state["page"] + 1
    result.total_count = state.get("totalCount")
    done_studies = state.get("studies", 0)
    seen_tokens = set(state.get("tokens", []))
    while True:
        if len(result.pages) >= fetcher.page_limit:
            raise UnreadableInput(f"stopped after {fetcher.page_limit} pages in one run (the "
                                  "page limit)", file=str(out_dir),
                                  hint="run the same command again to continue, or narrow "
                                       "the search")
        page = state["page"] + 1
        params = dict(query)
        if state.get("nextPageToken"):
            params["pageToken"] = state["nextPageToken"]
        else:
            params["countTotal"] = "true"
        content = fetcher.get_page(params, page, result)
        if isinstance(content.get("totalCount"), int):
            state["totalCount"] = result.total_count = content["totalCount"]
        path = out_dir / f"page-{page:04d}.json"
        text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
        write_atomic(path, lambda h: h.write(text))
        result.pages.append(path)
        result.studies += len(content["studies"])
        done_studies += len(content["studies"])
        token = content.get("nextPageToken")
        if token and (token in seen_tokens or token == state.get("nextPageToken")):
            raise UnreadableInput(f"page {page}: the registry sent the page token {token!r} "
                                  "a second time; stopping rather than looping",
                                  file=fetcher.base_url,
                                  hint="the pages saved so far are complete; report the "
                                       "query to the registry")
        if token:
            seen_tokens.add(token)
        state.update(page=page, nextPageToken=token, complete=not token, studies=done_studies,
                     tokens=sorted(seen_tokens))
        write_atomic(state_path, lambda h: h.write(json.dumps(state, indent=2) + "\n"))
        if progress:
            progress(page, done_studies, result.total_count)
        if not token:
            result.complete = True
            return result
        if max_pages is not None and len(result.pages) >= max_pages:
            return result
