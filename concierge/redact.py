"""Hide credentials in URLs and free text before anything is shown or logged.

DATABASE_URL, LLM_BASE_URL, QDRANT_URL and MEM0_HOST may carry ``user:password@`` or ``?api_key=``;
the UI sidebar, error lines and library logs (httpx logs every request URL) must never show them.
One helper is used wherever a configured URL is formatted, and the log filter below catches what
libraries log on their own.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

# `scheme://userinfo@`: greedy up to the last '@' of the token, so an unescaped '/', '?' or '#' inside a
# password is hidden too (a '@' later in a path is hidden with it: safe beats exact).
_SCHEME_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s'\"<>]*@")
# `user:password@host` with no scheme (what libpq echoes back from a malformed DATABASE_URL).
_BARE_USERINFO = re.compile(r"(?<![\w/:*])[\w.%+-]+:[^\s'\"<>@/]*@")
# `password=...`, `api_key=...`, `token=...` in query strings, libpq key=value strings or messages.
_SECRET_PARAM = re.compile(
    r"(?i)(?P<name>\b[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"signature|auth|credentials?)[\w.-]*\s*=\s*)(?P<value>'[^']*'|\"[^\"]*\"|[^\s&;,'\")]+)"
)


def redact_text(text: str) -> str:
    """``text`` with every URL credential and ``secret=value`` pair replaced by ``***``."""
    if "@" not in text and "=" not in text:
        return text
    text = _SCHEME_USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    text = _BARE_USERINFO.sub(f"{MASK}@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m['name']}{MASK}", text)


def redact_url(url: str | None) -> str:
    """A configured URL safe to show: userinfo and secret query parameters become ``***``.

    Works on anything (a malformed URL is still redacted), so callers never need a fallback.
    """
    if not url:
        return ""
    scheme, separator, rest = url.strip().partition("://")
    if not separator:
        scheme, rest = "", scheme
    if "@" in rest:
        rest = f"{MASK}@{rest.rpartition('@')[2]}"
    return redact_text(f"{scheme}{separator}{rest}")


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
