"""A Label Studio ML backend server (``label-studio-ml``) as a backend, over HTTP.

The requests are the ones Label Studio sends (``label_studio/ml/api_connector.py``): ``GET /health``,
``POST /setup`` with the config as ``schema``, ``POST /predict`` with ``{tasks, project, label_config,
params: {context}}`` and ``POST /webhook`` with the event's payload. The project id goes as Label
Studio's ``"<id>.<timestamp>"``. Timeouts are Label Studio's defaults (its ``ML_TIMEOUT_*`` variables
change them here too). Nothing of the store goes out but the tasks' ids, data and predictions: no path,
no user names, no credentials (``hostname`` and ``access_token`` are sent empty).

Answers are untrusted: a body larger than ``max_response_bytes``, one that is not JSON, or not of the
expected shape is refused with an error naming the URL; predictions are checked again by
:meth:`labelnb.Project.predict` before anything is written.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson

from .backends import BackendError, MLBackend

#: largest answer read from a backend, in bytes
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: characters of an error answer quoted in a message
QUOTED = 300


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait, per request (Label Studio's defaults and environment variables)."""

    connect: float = 1.0
    health: float = 1.0
    setup: float = 3.0
    predict: float = 100.0
    train: float = 30.0

    @classmethod
    def from_environment(cls) -> Timeouts:
        return cls(
            connect=_env_seconds("ML_TIMEOUT_CONNECT", 1.0),
            health=_env_seconds("ML_TIMEOUT_HEALTH", 1.0),
            setup=_env_seconds("ML_TIMEOUT_SETUP", 3.0),
            predict=_env_seconds("ML_TIMEOUT_PREDICT", 100.0),
            train=_env_seconds("ML_TIMEOUT_TRAIN", 30.0),
        )


class LabelStudioMLBackend(MLBackend):
    """A Label Studio ML backend at ``url`` (``http://localhost:9090``).

    Args:
        url: the server's base URL (http or https, without credentials, query or fragment).
        timeout: seconds for every request instead of Label Studio's per-request defaults (connect 1,
            health 1, setup 3, predict 100, webhook 30).
        auth: ``(user, password)`` for HTTP basic auth (the server's ``BASIC_AUTH_USER``/``_PASS``).
        extra_params: sent with ``/setup`` as Label Studio's ``extra_params``.
        max_response_bytes: larger answers are refused.
    """

    in_kernel = False

    def __init__(
        self,
        url: str,
        timeout: float | None = None,
        auth: tuple[str, str] | None = None,
        *,
        extra_params: Mapping[str, Any] | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the ML backend URL must be http(s)://host[:port][/path], not {url!r}")
        if parts.username or parts.password:
            raise ValueError("put no credentials in the ML backend URL; pass auth=(user, password)")
        if parts.query or parts.fragment:
            raise ValueError(f"the ML backend URL must have no query or fragment: {url!r}")
        if timeout is not None and not (isinstance(timeout, (int, float)) and 0 < timeout < float("inf")):
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
        if auth is not None and not (
            isinstance(auth, tuple) and len(auth) == 2 and all(isinstance(a, str) for a in auth)
        ):
            raise ValueError("auth must be a (user, password) pair of strings")
        self.url = url.rstrip("/")
        self.name = self.url
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._path = parts.path.rstrip("/")
        self.timeouts = (
            Timeouts.from_environment()
            if timeout is None
            else Timeouts(float(timeout), float(timeout), float(timeout), float(timeout), float(timeout))
        )
        self._auth = None if auth is None else "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        self.extra_params = dict(extra_params or {})
        self.max_response_bytes = max_response_bytes
        self.project = ""
        self.label_config: str | None = None
        self.model_version = "undefined"

    def __repr__(self) -> str:
        return f"LabelStudioMLBackend({self.url!r}, model_version={self.model_version!r})"

    # -- the API ------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``GET /health``: the server's status (``{"status": "UP", ...}``), or BackendError."""
        answer = self._call("GET", "/health", None, self.timeouts.health)
        if not isinstance(answer, dict) or answer.get("status") != "UP":
            raise BackendError(f"{self.url}/health: the backend is not up (it answered {_quote(answer)})")
        return answer

    def setup(self, label_config: str, project: str = "") -> str:
        """``POST /setup`` with the config; returns (and keeps) the backend's model version."""
        body = {
            "project": project,
            "schema": label_config,
            "hostname": "",
            "access_token": "",
            "extra_params": self.extra_params,
        }
        answer = self._call("POST", "/setup", body, self.timeouts.setup)
        if not isinstance(answer, dict):
            raise BackendError(f"{self.url}/setup answered {_quote(answer)}, not an object")
        version = answer.get("model_version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, (str, int))):
            raise BackendError(f"{self.url}/setup answered model_version {version!r}, not text")
        self.project = project
        self.label_config = label_config
        if version not in (None, ""):
            self.model_version = str(version)
        return self.model_version

    def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> list[Any]:
        """``POST /predict``: one entry per task. When the backend answers another number of results
        for several tasks, each task is asked on its own, as Label Studio does."""
        if self.label_config is None:
            raise BackendError(f"{self.url}: call setup(label_config, project) before predict")
        if not tasks:
            return []
        results, version = self._predict(tasks, context)
        if len(results) != len(tasks) and len(tasks) > 1:
            results = []
            for task in tasks:
                one, version = self._predict([task], context)
                if len(one) != 1:
                    raise BackendError(
                        f"{self.url}/predict answered {len(one)} results for the one task {task.get('id')}"
                    )
                results.extend(one)
        default = version or self.model_version
        for entry in results:
            for prediction in entry if isinstance(entry, list) else [entry]:
                if isinstance(prediction, dict) and not prediction.get("model_version"):
                    prediction["model_version"] = default
        return results

    def fit(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """``POST /webhook`` with ``{"action": event, **data}``; the backend's answer."""
        answer = self._call("POST", "/webhook", {"action": event, **data}, self.timeouts.train)
        return answer if isinstance(answer, dict) else None

    # -- HTTP ---------------------------------------------------------------------------------------

    def _predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None) -> tuple[list[Any], str]:
        body = {
            "tasks": tasks,
            "project": self.project,
            "label_config": self.label_config,
            "params": {"context": context},
        }
        answer = self._call("POST", "/predict", body, self.timeouts.predict)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list):
            raise BackendError(
                f"{self.url}/predict must answer {{'results': [one entry per task]}}, not {_quote(answer)}"
            )
        version = answer.get("model_version")
        return results, str(version) if isinstance(version, (str, int)) and version != "" else ""

    def _call(self, method: str, path: str, body: Any, timeout: float) -> Any:
        url = f"{self.url}{path}"
        payload = None if body is None else orjson.dumps(body)
        headers = {"Accept": "application/json", "User-Agent": "labelnb"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self._auth is not None:
            headers["Authorization"] = self._auth
        connection: http.client.HTTPConnection
        if self._scheme == "https":
            connection = http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeouts.connect, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=self.timeouts.connect)
        try:
            try:
                connection.connect()
            except (OSError, http.client.HTTPException) as exc:
                raise BackendError(f"cannot reach the ML backend at {url}: {exc}; is it running?") from exc
            assert connection.sock is not None
            connection.sock.settimeout(timeout)
            try:
                connection.request(method, f"{self._path}{path}", body=payload, headers=headers)
                response = connection.getresponse()
                raw = response.read(self.max_response_bytes + 1)
            except TimeoutError as exc:
                raise BackendError(f"{url} did not answer within {timeout:g} s") from exc
            except (OSError, http.client.HTTPException) as exc:
                raise BackendError(f"{url} failed: {exc}") from exc
        finally:
            connection.close()
        if len(raw) > self.max_response_bytes:
            raise BackendError(
                f"{url} answered more than {self.max_response_bytes} bytes; refused "
                "(raise max_response_bytes if the answer is real)"
            )
        if response.status not in (200, 201):
            text = raw[:QUOTED].decode("utf-8", "replace")
            raise BackendError(f"{url} answered HTTP {response.status} {response.reason}: {text}")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise BackendError(f"{url} answered something that is not JSON ({exc})") from exc


def _quote(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= QUOTED else text[:QUOTED] + "..."
