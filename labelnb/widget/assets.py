"""The front end's own files that are too big for the widget bundle, served to the browser on request.

pdf.js (its library, its worker, the standard fonts, CMaps and image decoders it asks for) is about 4 MB,
while ``widget.js`` is sent with every widget. ``js/build.mjs`` copies those files into
``labelnb/static/pdfjs/``; a ``<Pdf>`` view asks for them by name with an ``asset`` message only when it
renders (``js/src/objects/pdf/pdfjs.ts``).

The browser is untrusted: it names an asset, and the name is looked up as a key of a table of the files
that the build put there, made once from that folder. A name is never joined to a path, so ``../``, an
absolute path, a URL, a symlink or anything else not in the table reads nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

#: where the build puts pdf.js and its data (``js/build.mjs``)
PDFJS = Path(__file__).resolve().parent.parent / "static" / "pdfjs"
#: the prefix of every asset name: ``pdfjs/pdf.min.mjs``, ``pdfjs/standard_fonts/FoxitSerif.pfb``, ...
PREFIX = "pdfjs/"
#: the largest asset served (the pdf.js worker is about 1.2 MB)
MAX_ASSET_BYTES = 16 * 1024 * 1024


class AssetError(ValueError):
    """The browser asked for something that is not one of the front end's assets."""


@cache
def asset_table() -> MappingProxyType[str, Path]:
    """Asset name -> file, for every regular file the build copied under ``static/pdfjs/``."""
    table: dict[str, Path] = {}
    if PDFJS.is_dir():
        for path in sorted(PDFJS.rglob("*")):
            if path.is_file() and not path.is_symlink():
                table[PREFIX + path.relative_to(PDFJS).as_posix()] = path
    return MappingProxyType(table)


def read_asset(name: Any) -> bytes:
    """The bytes of the asset called ``name``; :class:`AssetError` for any name not in the table."""
    if not isinstance(name, str):
        raise AssetError(f"an asset name must be a string, not {type(name).__name__}")
    path = asset_table().get(name)
    if path is None:
        shown = name if len(name) <= 80 else name[:77] + "..."
        if not asset_table():
            raise AssetError(
                f"no front-end assets are installed (asked for {shown!r}); build the front end "
                "(npm run build) or reinstall labelnb"
            )
        raise AssetError(f"{shown!r} is not one of labelnb's front-end assets")
    body = path.read_bytes()
    if len(body) > MAX_ASSET_BYTES:
        raise AssetError(f"the asset {name!r} is larger than {MAX_ASSET_BYTES} bytes")
    return body
