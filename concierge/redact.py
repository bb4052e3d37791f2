"""Hide credentials in URLs and free text before anything is shown or logged.

DATABASE_URL, LLM_BASE_URL, QDRANT_URL and MEM0_HOST may carry ``user:password@`` or a key in any query
parameter (``?key=``, ``?api_key=``, ``?sig=``); the UI sidebar, error lines and library logs (httpx logs
every request URL) must never show them. So every query value of a URL is treated as a secret.
One helper is used wherever a configured URL is formatted, and the log filter below catches what
libraries log on their own.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

# A URL inside free text: from its scheme to the next space or quote.
_URL_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]*")
# `user:password@host` with no scheme (what libpq echoes back from a malformed DATABASE_URL).
_BARE_USERINFO = re.compile(r"(?<![\w/:*])[\w.%+-]+:[^\s'\"<>@/]*@")
# `password=...`, `api_key=...`, `token=...` in libpq key=value strings or messages (outside URLs).
_SECRET_PARAM = re.compile(
    r"(?i)(?P<name>\b[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"signature|auth|credentials?)[\w.-]*\s*=\s*)(?P<value>'[^']*'|\"[^\"]*\"|[^\s&;,'\")]+)"
)
# `?key=...` after a path with no scheme (a server echoing its request line: `POST /v1?key=...`).
_QUERY_IN_TEXT = re.compile(r"(?<=[\w/])\?(?P<query>[^\s'\"<>#?]*=[^\s'\"<>#]*)")
# An HTTP auth value a library or a server echoes: `Basic <base64 user:password>`, `Bearer <token>`.
# A value must look like one (8+ characters, a digit or a symbol), so "basic plan" stays readable.
_AUTH_VALUE = re.compile(
    r"(?i)\b(?P<name>basic|bearer|digest)(?P<gap>\s+)(?=[\w+/.~=:-]*[\d+/_=-]|[A-Za-z]{16})[A-Za-z0-9+/._~=:-]{8,}"
)


def redact_text(text: str) -> str:
    """``text`` with every URL redacted (``redact_url``), every ``secret=value`` pair, ``?query`` and auth
    header value outside one hidden."""
    text = _URL_IN_TEXT.sub(lambda m: redact_url(m[0]), text)
    text = _QUERY_IN_TEXT.sub(lambda m: f"?{_masked_query(m['query'])}", text)
    text = _AUTH_VALUE.sub(lambda m: f"{m['name']}{m['gap']}{MASK}", text)
    text = _BARE_USERINFO.sub(f"{MASK}@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m['name']}{MASK}", text)


def _masked_query(query: str) -> str:
    """Every parameter value hidden, names kept: any of them may be a key (``?key=``, ``?sig=``, ``?x=``)."""
    parts = []
    for part in query.split("&"):
        name, equals, _value = part.partition("=")
        parts.append(f"{name}={MASK}" if equals else (MASK if part else part))
    return "&".join(parts)


# A path segment that is a key rather than a name: a known key prefix ("sk-", "key-", "token_", GitHub's "ghp_",
# Slack's "xoxb-", AWS's "AKIA"), or a long unbroken run of letters and digits (hex, base64, a JWT's parts).
_KEY_PREFIX = re.compile(
    r"(?i)^(?:sk|pk|rk|key|keys|api[-_]?key|token|tok|secret|sess|session|auth|bearer|ghp|gho|ghs|github_pat|"
    r"xox[abprs]|glpat|hf)[-_](?P<rest>.{6,})$|^AKIA[0-9A-Z]{12,}$"
)
_RUN = re.compile(r"[A-Za-z0-9+=%]{16,}")
# "/key=abc/", "/api_key%3Dabc/": a path segment that is a name=value pair (plain or %-encoded); its value is hidden.
_EQUALS = re.compile(r"=|%3D", re.IGNORECASE)


def _looks_like_token(segment: str) -> bool:
    """A path segment that may be a credential: a known key prefix, or 16+ letters and digits unbroken, mixed
    (so "chat", "completions" and "gpt-4o-mini-2024-07-18" stay readable)."""
    prefixed = _KEY_PREFIX.match(segment)
    if prefixed and (not prefixed["rest"] or len(prefixed["rest"]) >= 16 or any(c.isdigit() for c in segment)):
        return True  # "sk-abc123...", not "auth-callback" or "session_manager"
    return any(any(c.isdigit() for c in run) and any(c.isalpha() for c in run) for run in _RUN.findall(segment))


def _masked_path(where: str) -> str:
    """``host:port/path`` with every ``;parameter`` and ``name=value`` segment's value, and every token-like
    path segment, hidden."""
    host, slash, path = where.partition("/")
    host, semi, _params = host.partition(";")
    shown = [host + (f";{MASK}" if semi else "")]
    for segment in path.split("/") if slash else []:
        name, *params = segment.split(";")
        pair = _EQUALS.search(name)
        name = f"{name[: pair.end()]}{MASK}" if pair else MASK if _looks_like_token(name) else name
        shown.append(";".join([name, *(f"{p.partition('=')[0]}={MASK}" if "=" in p else MASK for p in params)]))
    return "/".join(shown)


def redact_url(url: str | None) -> str:
    """A configured URL safe to show: userinfo, every query parameter value and the fragment become ``***``.

    Works on anything (a malformed URL is still redacted), so callers never need a fallback. The scheme, host,
    port and path are kept: they say where. A path can carry a credential all the same (``/v1/sk-...``,
    ``;jsessionid=...``): every ``;parameter`` value and every path segment that looks like a token is hidden.
    """
    if not url:
        return ""
    scheme, separator, rest = url.strip().partition("://")
    if not separator:
        scheme, rest = "", scheme
    if "@" in rest:  # up to the last '@': an unescaped '/', '?' or '#' in a password is hidden with it
        rest = f"{MASK}@{rest.rpartition('@')[2]}"
    rest, hashed, fragment = rest.partition("#")
    where, asked, query = rest.partition("?")
    shown = f"{scheme}{separator}{_masked_path(where)}{asked}{_masked_query(query)}{hashed}{MASK if fragment else ''}"
    return _SECRET_PARAM.sub(lambda m: f"{m['name']}{MASK}", shown)  # `;password=` in a path, say


class _RedactingFilter(logging.Filter):
    """Rewrites a record's message with ``redact_text`` (the message is formatted once, here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error reporting
            return True
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:  # tracebacks quote URLs too (httpx's "for url '...'")
            record.exc_text = redact_text(_TRACEBACKS.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


_TRACEBACKS = logging.Formatter()
_FILTER = _RedactingFilter()


def install_log_redaction() -> None:
    """Redact every record before any handler sees it, whatever logger it came from.

    Filters on a logger do not apply to its children's records, so the record factory is wrapped
    instead. Idempotent.
    """
    factory = logging.getLogRecordFactory()
    if getattr(factory, "concierge_redacts", False):
        return

    def redacting_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        _FILTER.filter(record)
        return record

    redacting_factory.concierge_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)
