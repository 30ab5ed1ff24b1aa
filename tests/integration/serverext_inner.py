"""labelnb.serverext in a real Jupyter server: kernel websockets get TCP_NODELAY (see the module's docs).

Run by test_serverext.py in a pytest of its own: pytest-jupyter's plugin adds fixtures to every test of
a session (an event loop and a server clean-up each), which the other tests should not get.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from labelnb.serverext import NoDelayKernelConnection


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
    return {"ServerApp": {"jpserver_extensions": {"labelnb.serverext": True}}}


def _server_side_nodelay(kernel_id: str) -> int:
    """TCP_NODELAY on the server's end of the open websocket to ``kernel_id``."""
    handlers = [
        h for key, h in ZMQChannelsWebsocketConnection._open_sessions.items() if key.startswith(kernel_id)
    ]
    assert len(handlers) == 1
    assert isinstance(handlers[0].connection, NoDelayKernelConnection)
    sock = handlers[0].ws_connection.stream.socket
    return int(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


async def test_kernel_websockets_send_without_delay(jp_fetch: Any, jp_ws_fetch: Any) -> None:
    reply = await jp_fetch("api", "kernels", method="POST", body=json.dumps({"name": "python3"}))
    kernel_id = json.loads(reply.body.decode())["id"]
    ws = await jp_ws_fetch("api", "kernels", kernel_id, "channels", params={"session_id": "labelnb-test"})
    try:
        assert _server_side_nodelay(kernel_id) == 1
    finally:
        ws.close()
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")
