"""Cross-site protection for a service without a token (no ``ECOCLAIM_TOKEN``).

Without a token, any web page the user opens could make the browser post to the service (a
multipart or ``text/plain`` POST needs no CORS preflight), or reach it by DNS rebinding (a hostile
name that resolves to 127.0.0.1). So, when no token is set:

- the ``Host`` header must name this service: ``localhost``, any IP address literal (a rebinding
  page always uses its own host name), the address the service is bound to, or a name listed in
  ``ECOCLAIM_ALLOWED_HOSTS`` (comma-separated; ``*`` switches the check off) — otherwise 400;
- a POST (any method but GET/HEAD/OPTIONS) whose ``Origin`` (or, without one, ``Referer``) is not
  the service's own origin is refused with 403. A request with neither (curl, scripts) is allowed;
  browsers send ``Origin`` with every cross-origin POST. The service's own page is same-origin.

With a token set, the token is the protection (a cross-site page cannot know it), and requests through
a reverse proxy under any host name keep working.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from service.problems import problem_response
from service.settings import Settings

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
LOCAL_NAMES = {"localhost"}


def split_host(netloc: str) -> tuple[str, int | None]:
    """``host[:port]`` / ``[v6][:port]`` → (host lowercase without a trailing dot, port or None)."""
    netloc = netloc.strip().lower()
    port = ""
    if netloc.startswith("["):
        name, _, rest = netloc[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif netloc.count(":") == 1:
        name, port = netloc.split(":", 1)
    else:
        name = netloc
    return name.rstrip("."), int(port) if port.isdigit() else None


def host_name(netloc: str) -> str:
    return split_host(netloc)[0]


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def same_origin(url: str, host: str) -> bool:
    """Whether ``url`` (an Origin or Referer) is on ``host`` (the Host header), ports compared."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    default = 443 if parts.scheme == "https" else 80
    name, host_port = split_host(host)
    return parts.hostname.rstrip(".") == name and (port or default) == (host_port or default)


class SiteGuard:
    """ASGI middleware: the Host and Origin checks above, only when no token is set."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.active = not settings.token
        hosts = {h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()}
        self.any_host = "*" in hosts
        self.hosts = LOCAL_NAMES | {host_name(h) for h in hosts}
        if settings.bind_host:
            self.hosts.add(host_name(settings.bind_host))

    def host_allowed(self, host: str) -> bool:
        name = host_name(host)
        return self.any_host or name in self.hosts or _is_ip(name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.active or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(reversed(scope.get("headers", [])))  # the first of repeated headers wins
        host = headers.get(b"host", b"").decode("latin-1")
        if host and not self.host_allowed(host):
            response = problem_response(400, "host-not-allowed", "主机名不被允许",
                                        f"本服务不接受主机名“{host_name(host)}”的请求（防止 DNS 重绑定）；"
                                        "如需以此名称访问，请将其加入 ECOCLAIM_ALLOWED_HOSTS，或设置访问令牌",
                                        instance=scope["path"])
            await response(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            source = headers.get(b"origin") or headers.get(b"referer")
            if source is not None and not (host and same_origin(source.decode("latin-1"), host)):
                response = problem_response(403, "cross-site", "跨站请求被拒绝",
                                            "拒绝来自其他网站的请求：未设置访问令牌时，只接受本服务自身网页"
                                            "或不带 Origin 的客户端（如 curl、脚本）发出的请求",
                                            instance=scope["path"])
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
