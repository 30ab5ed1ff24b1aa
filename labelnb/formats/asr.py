"""The ``asr_manifest`` export: NeMo's speech-recognition manifest, as label-studio-sdk writes it.

``manifest.json`` holds one JSON object per line, ``{"audio_filepath", "duration", "text", "annotator"}``,
for each annotation with a transcript (the first ``TextArea`` text, newest annotations first); the audio
is copied to ``audio/<file name>``, which ``audio_filepath`` names, and ``duration`` is read from it (WAV).

Beyond the converter: a task without a transcript is left out (the converter reuses the previous task's
text, or stops), and audio that cannot be read or timed is an error naming the task instead of a line
silently missing.
"""

from __future__ import annotations

import io
import json
import posixpath
import wave
from typing import Any
from urllib.parse import urlparse

from .converter import annotation_items, annotator
from .writing import ExportDataError, ExportRequest


def _audio_key(request: ExportRequest) -> str:
    for obj in request.config.objects.values():
        if obj.tag in ("Audio", "AudioPlus") and obj.value_key:
            return obj.value_key
    raise ValueError("the asr_manifest export needs an Audio object")


def wav_duration(body: bytes) -> float:
    """Seconds of a WAV file's audio."""
    with wave.open(io.BytesIO(body), mode="rb") as f:
        return f.getnframes() / float(f.getframerate())


def write_asr_manifest(request: ExportRequest) -> int:
    """``manifest.json`` and ``audio/`` (see the module's docstring); returns the number of lines."""
    request.check_options(())
    key = _audio_key(request)
    if request.media is None:
        raise ValueError("the asr_manifest export copies the audio: it needs the project's media reader")
    copied: dict[str, tuple[str, float]] = {}
    lines = 0
    with request.output.open(request.output.join("manifest.json")) as out:
        for item in annotation_items(request.counted(), request.config):
            transcript = next(
                (values[0]["text"][0] for values in item.outputs.values()
                 if values and isinstance(values[0].get("text"), list) and values[0]["text"]),
                None,
            )  # fmt: skip
            if transcript is None:
                continue
            source = (item.task.get("data") or {}).get(key)
            if not isinstance(source, str):
                raise ExportDataError(
                    "the audio is not a path or URL", task=item.task.get("id"), field=f"data.{key}"
                )
            if source not in copied:
                try:
                    body = request.media(source)
                    duration = wav_duration(body)
                except (OSError, ValueError, EOFError, wave.Error) as exc:
                    raise ExportDataError(
                        f"cannot read the audio to time it (WAV files only): {exc}",
                        task=item.task.get("id"),
                        field=f"data.{key}",
                    ) from exc
                name = posixpath.join("audio", posixpath.basename(urlparse(source).path))
                request.output.write_bytes(name, body)
                copied[source] = (name, duration)
            name, duration = copied[source]
            who: Any = annotator(item.annotation.get("completed_by", {})) if item.annotation else ""
            record = {"audio_filepath": name, "duration": duration, "text": transcript, "annotator": who}
            out.write((json.dumps(record) + "\n").encode("utf-8"))
            lines += 1
    return lines
