"""The Voilà server ``divaecon app`` starts: Voilà with three guards added.

Run as ``python -m divaecon._voila NOTEBOOK [voila options]`` by :func:`divaecon.app.serve_app`.

- **Token from a file, never from the command line.** ``serve_app`` writes the token to a file
  only its user can read and names it in ``JUPYTER_TOKEN_FILE``; with ``Voila.auto_token`` the
  jupyter_server ``IdentityProvider`` reads it from there (jupyter_server ``auth/identity.py``,
  ``IdentityProvider._token_default``). Were the variable missing, it would make a random token,
  never run without one.
- **Foreign Host headers refused** (DNS rebinding: a web page on ``evil.example`` that resolves to
  127.0.0.1 would otherwise talk to the dashboard with the browser's cookie). Voilà 0.5 sets
  ``allow_remote_access=True`` for its handlers; here it is ``False`` again, and a routing rule
  ahead of every handler (static files included) answers 403 to any request whose Host is not
  ``localhost``, ``127.0.0.1`` or ``[::1]``.
- **No tracebacks for probes.** jupyter_server's error pages call ``static_url``, which needs the
  ``static_path`` setting Voilà does not set, so every 403/404 for an unauthenticated request
  printed three chained tracebacks. Pointing ``static_path`` at jupyter_server's own static files
  (favicon, logo, style) lets its error pages render. Voilà's template file handler fails on
  malformed paths (``/voila/templates/x``): those are answered 404 here. Whatever else a request
  makes fail is logged on one line (exception type and message), never as a traceback.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import sys
from typing import Any

LOCAL_HOSTNAMES = ("localhost",)
"""Host names accepted besides loopback addresses."""

_PORT = re.compile(r"^(.*?)(?::\d+)?$")


def host_is_local(host: str) -> bool:
    """Whether an HTTP ``Host`` header names this machine's loopback interface."""
    match = _PORT.match(host.strip())
    name = match.group(1) if match else host
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return name.lower() in LOCAL_HOSTNAMES


class OneLineErrors(logging.Filter):
    """Fold a log record's traceback into its message: ``... (ValueError: not enough values)``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            record.msg = f"{record.getMessage().splitlines()[0]} ({detail})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - runs as Voilà's process
    import jupyter_server
    from tornado import web
    from tornado.routing import Matcher, Rule
    from voila.app import Voila
    from voila.static_file_handler import TemplateStaticFileHandler

    for name in ("tornado.application", "tornado.general", "tornado.access"):
        logging.getLogger(name).addFilter(OneLineErrors())

    class TemplateFiles(TemplateStaticFileHandler):
        """Voilà's template files; a path it cannot split is a 404, not an uncaught exception."""

        def parse_url_path(self, url_path: str) -> Any:
            try:
                return super().parse_url_path(url_path)
            except (ValueError, AssertionError):
                raise web.HTTPError(404) from None

    class ForeignHost(Matcher):
        """Matches requests whose Host header is not local."""

        def match(self, request: Any) -> dict[str, Any] | None:
            return None if host_is_local(request.host or "") else {}

    class Refuse(web.RequestHandler):
        """403 with a one-line body, whatever the method."""

        def prepare(self) -> None:
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("403: this server answers only to localhost, 127.0.0.1 and [::1]\n")

    class GuardedVoila(Voila):
        def init_settings(self) -> dict[str, Any]:
            settings = dict(super().init_settings())
            settings["allow_remote_access"] = False
            settings["local_hostnames"] = list(LOCAL_HOSTNAMES)
            settings.setdefault("static_path", os.path.join(os.path.dirname(jupyter_server.__file__), "static"))
            return settings

        def init_handlers(self) -> list[Any]:
            return [
                (h[0], TemplateFiles, *h[2:]) if h[1] is TemplateStaticFileHandler else h
                for h in super().init_handlers()
            ]

        def listen(self) -> None:
            self.app.default_router.rules.insert(0, Rule(ForeignHost(), Refuse))
            super().listen()

    GuardedVoila.launch_instance(argv=sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":  # pragma: no cover
    main()
