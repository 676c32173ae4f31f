"""The log file, on a disk that may be full: logging never breaks a request, and the error
page says whether the error was really recorded."""

from __future__ import annotations

import contextlib
import logging
import sys
from logging.handlers import RotatingFileHandler

request_logger = logging.getLogger("django.request")


class SafeRotatingFileHandler(RotatingFileHandler):
    """A rotating log file that counts the records it failed to write.

    ``logging`` already swallows a failed write (a full disk, a removed folder) and prints a
    traceback to stderr for every record; this handler prints one line the first time, counts
    the failures (so :func:`record_error` can tell) and keeps trying, so the log resumes by
    itself once there is room again.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("delay", True)  # an unwritable log must not stop the settings loading
        super().__init__(*args, **kwargs)
        self.failures = 0

    def handleError(self, record):  # noqa: N802 - logging's name
        self.failures += 1
        if self.failures == 1:
            error = sys.exc_info()[1]
            with contextlib.suppress(Exception):  # nowhere left to report it
                sys.stderr.write(f"kmportal: cannot write the log {self.baseFilename}: {error}\n")


def _file_handlers(logger: logging.Logger) -> list[SafeRotatingFileHandler]:
    found = []
    current: logging.Logger | None = logger
    while current is not None:
        found += [h for h in current.handlers if isinstance(h, SafeRotatingFileHandler)]
        current = current.parent if current.propagate else None
    return found


def record_error(request, exc_info) -> bool:
    """Log an unhandled error as Django would; return whether the log file really has it."""
    handlers = _file_handlers(request_logger)
    before = [handler.failures for handler in handlers]
    try:
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc_info if exc_info and exc_info[0] else None,
            extra={"status_code": 500, "request": request},
        )
    except Exception:
        return False
    return bool(handlers) and [handler.failures for handler in handlers] == before
