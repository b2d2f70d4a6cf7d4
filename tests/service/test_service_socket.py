"""The multi-worker listening socket: accepted connections must have Nagle switched off.

uvicorn binds ``socket(family)`` (protocol 0) for ``--workers > 1``; asyncio sets TCP_NODELAY only
on sockets whose protocol is IPPROTO_TCP, so keep-alive responses then wait ~40 ms for a delayed ACK.
This checks the property itself (no timing): what asyncio does with a connection on our socket.
"""

from __future__ import annotations

import asyncio
import socket

from service.run import tcp_socket


async def _nodelay_of_accepted(listener: socket.socket) -> int:
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    listener.listen()
    server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
    port = listener.getsockname()[1]
    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    value = await asyncio.wait_for(seen, 10)
    writer.close()
    server.close()
    await server.wait_closed()
    return value


def test_our_socket_gives_tcp_nodelay_connections():
    sock = tcp_socket("127.0.0.1", 0)
    assert sock.proto == socket.IPPROTO_TCP
    assert asyncio.run(_nodelay_of_accepted(sock)) != 0


def test_a_protocol_zero_socket_would_not():
    """Documents why run_server binds its own socket (the behaviour being worked around)."""
    sock = socket.socket(socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    assert asyncio.run(_nodelay_of_accepted(sock)) == 0
