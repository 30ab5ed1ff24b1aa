"""The ``conll2003`` export: each task's text as tokens with BIO tags, as label-studio-sdk writes it.

``result.conll`` starts with ``-DOCSTART- -X- O``; then, for each annotation (newest first, as the
converter orders them) and for each task without one, a line ``<token> -X- _ <tag>`` per token of NLTK's
Treebank tokenizer and a blank line. Tags come from the first ``Labels`` control that has spans in the
annotation: ``B-<label>`` on the first token a span touches, ``I-<label>`` on the next ones, ``O`` elsewhere.
The tagging walks the spans in start order exactly as the converter does, quirks included (a token that
starts inside a span whose end it passes still counts as inside), so files match byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .converter import annotation_items
from .writing import ExportDataError, ExportRequest


def _tokenizer() -> Any:
    from nltk.tokenize import TreebankWordTokenizer

    return TreebankWordTokenizer()


def bio_tags(text: str, spans: Sequence[Mapping[str, Any]] | None) -> tuple[list[str], list[str]]:
    """The tokens of ``text`` and their BIO tags for ``spans`` (``{start, end, labels}`` values)."""
    tokens = [(text[start:end], start) for start, end in _tokenizer().span_tokenize(text)]
    words = [token for token, _ in tokens]
    if not spans or any(s.get("start") is None or s.get("end") is None for s in spans):
        return words, ["O"] * len(words)
    pending = sorted(spans, key=lambda s: s["start"])
    span = pending.pop(0)
    first, last = span["start"], span["end"] - 1
    prefix = "B-"
    tags: list[str] = []
    for token, start in tokens:
        end = start + len(token) - 1
        if start > last:
            while pending:
                span = pending.pop(0)
                first, last = span["start"], span["end"] - 1
                prefix = "B-"
                if start <= last:
                    break
        labels = span.get("labels")
        if not span or end < first or not labels:
            tags.append("O")
        elif first <= end and last >= start:
            tags.append(prefix + str(labels[0]))
            prefix = "I-"
        else:
            tags.append("O")
    return words, tags


def _text_key(request: ExportRequest) -> str:
    for control in request.config.controls.values():
        if control.tag != "Labels":
            continue
        for name in control.to_name:
            obj = request.config.objects.get(name)
            if obj is not None and obj.tag == "Text" and obj.value_key:
                return obj.value_key
    raise ValueError("the conll2003 export needs a Labels control on a Text object")


def write_conll(request: ExportRequest) -> int:
    """``result.conll`` (see the module's docstring); returns the number of texts written."""
    request.check_options(())
    key = _text_key(request)
    written = 0
    with request.output.open(request.output.file_path("result.conll")) as out:
        out.write(b"-DOCSTART- -X- O\n")
        for item in annotation_items(request.counted(), request.config):
            text = (item.task.get("data") or {}).get(key)
            if not isinstance(text, str):
                raise ExportDataError(
                    f"the text to tokenize is {type(text).__name__}, not text",
                    task=item.task.get("id"),
                    field=f"data.{key}",
                )
            spans = next(
                (
                    values
                    for name, values in item.outputs.items()
                    if item.tags.get(name) == "Labels" and values
                ),
                None,
            )
            tokens, tags = bio_tags(text, spans)
            lines = "".join(f"{token} -X- _ {tag}\n" for token, tag in zip(tokens, tags, strict=True))
            out.write((lines + "\n").encode("utf-8"))
            written += 1
    return written
