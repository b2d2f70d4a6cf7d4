"""Running the service with uvicorn, one process or several.

With ``workers > 1`` uvicorn binds the listening socket itself as ``socket(family)``, whose
protocol number is 0; asyncio then does not switch Nagle's algorithm off on the accepted
connections (it checks ``proto == IPPROTO_TCP``), and on a keep-alive connection every response
waits for the client's delayed ACK: about 40 ms per request. We bind the socket with its protocol
set and hand it to uvicorn's multiprocess supervisor instead.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

APP = "service.app:create_app"


def tcp_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket whose accepted connections get TCP_NODELAY from asyncio."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class ProblemH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering a request it cannot parse (bad Content-Length, an over-long
    request line or header) with problem+json in Chinese instead of text/plain English."""

    BAD_REQUEST = json.dumps({"type": "urn:ecoclaim:problem:bad-request", "title": "请求有误", "status": 400,
                              "detail": "无法解析 HTTP 请求（请求行、请求头或 Content-Length 不正确，或请求头过长）",
                              "errors": []}, ensure_ascii=False).encode("utf-8")

    def send_400_response(self, msg: str) -> None:
        headers = [(b"content-type", b"application/problem+json"), (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=self.BAD_REQUEST), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


def exposure_warnings(host: str, token: str | None) -> list[str]:
    """Chinese warnings for a risky start: reachable from the network without a token, or a token
    a browser cannot send."""
    warnings = []
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local and not token:
        warnings.append(f"警告：服务监听 {host}，且未设置访问令牌（ECOCLAIM_TOKEN），同一网络中的任何人都能使用本服务。"
                        "建议设置 ECOCLAIM_TOKEN；以主机名（而非 IP 地址）访问时，须把主机名加入 ECOCLAIM_ALLOWED_HOSTS。")
    if token and not token.isascii():
        warnings.append("提示：访问令牌含非 ASCII 字符，接口客户端须以 UTF-8 发送；浏览器网页无法在请求头中发送这样的令牌，"
                        "建议只用字母、数字和符号。")
    return warnings


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted. Raises OSError when the address cannot be bound."""
    for warning in exposure_warnings(host, os.environ.get("ECOCLAIM_TOKEN")):
        print(warning, file=sys.stderr, flush=True)
    os.environ["ECOCLAIM_BIND_HOST"] = host  # an allowed Host name (service.siteguard), also for workers
    config = uvicorn.Config(APP, factory=True, host=host, port=port, workers=workers, log_level="warning",
                            server_header=False, timeout_graceful_shutdown=10, http=ProblemH11Protocol)
    if workers == 1:
        uvicorn.Server(config).run()
        return
    sock = tcp_socket(host, port)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
