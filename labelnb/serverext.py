"""A Jupyter server extension that sends kernel messages to the browser without Nagle's delay.

Every widget round trip ends with the server writing the kernel's reply to the browser's websocket right
after the kernel's "busy" status. With Nagle's algorithm on (tornado's default for websockets), that reply
waits until the browser acknowledges the status message, and browsers delay acknowledgements by up to
40 ms: most of a click-to-next-task round trip. Setting ``TCP_NODELAY`` on kernel websockets sends each
message at once (measured here: a bare anywidget round trip in JupyterLab went from about 50 ms to 10 ms).

Installing labelnb enables this extension for Jupyter Server (JupyterLab, Notebook 7, Voilà as a server
extension) through ``etc/jupyter/jupyter_server_config.d/labelnb.json``. It changes nothing when the
server is configured with its own websocket connection class. Standalone Voilà loads no server
extensions; give it the class directly::

    voila --Voila.kernel_websocket_connection_class=labelnb.serverext.NoDelayKernelConnection notebook.ipynb

This module imports nothing else of labelnb, so the server does not load pandas or SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

#: the key of tornado's application settings that names the kernel websocket connection class
SETTING = "kernel_websocket_connection_class"


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """Jupyter Server's kernel websocket connection, with ``TCP_NODELAY`` on its socket."""

    def connect(self) -> Any:
        # the websocket is open by now (connect is called from the handler's open)
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "labelnb.serverext"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Use :class:`NoDelayKernelConnection` unless the server was given a connection class of its own."""
    settings = serverapp.web_app.settings
    if settings.get(SETTING) is ZMQChannelsWebsocketConnection:
        settings[SETTING] = NoDelayKernelConnection
        serverapp.log.info("labelnb: kernel websockets send without delay (TCP_NODELAY)")
    else:
        serverapp.log.info("labelnb: kept the configured %s %r", SETTING, settings.get(SETTING))
