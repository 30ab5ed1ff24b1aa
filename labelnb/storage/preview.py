"""Previews of large images for display (DESIGN.md, "Media").

A 24-megapixel photo is 20-70 MB decoded in the browser and slow to send and draw. The widget only needs
enough pixels to fill the screen at a useful zoom, so the kernel sends a smaller copy and tells the browser
the original's size: region coordinates are percentages of the original and brush masks use its pixel grid,
so the preview changes nothing that is stored.

Pillow is optional: without it (or for a format it cannot read) the original goes out as it is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

#: images with more pixels than this get a preview (about 4K UHD)
PREVIEW_MAX_PIXELS = 8_500_000
#: the preview's size, in pixels (the longer side follows from the aspect ratio)
PREVIEW_PIXELS = 4_000_000

_PREVIEWABLE = frozenset({"image/jpeg", "image/png", "image/webp", "image/tiff", "image/bmp"})


@dataclass(frozen=True)
class Preview:
    body: bytes
    mime: str
    original_width: int
    original_height: int


def image_preview(body: bytes, mime: str, max_pixels: int = PREVIEW_MAX_PIXELS) -> Preview | None:
    """A smaller copy of an image with more than ``max_pixels`` pixels, or None (send the original)."""
    if mime not in _PREVIEWABLE:
        return None
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dev dependency; users without it get originals
        return None
    try:
        with Image.open(io.BytesIO(body)) as img:
            width, height = img.size  # read from the header: nothing is decoded yet
            if width * height <= max_pixels:
                return None
            scale = (PREVIEW_PIXELS / (width * height)) ** 0.5
            target = (max(1, round(width * scale)), max(1, round(height * scale)))
            # JPEG decodes straight at 1/2, 1/4 or 1/8 scale: most of the work is never done
            img.draft("RGB", target)
            img.load()
            frame = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P") else "RGB")
            frame = frame.resize(target, Image.Resampling.BILINEAR, reducing_gap=2.0)
            out = io.BytesIO()
            if frame.mode == "RGBA":
                frame.save(out, "PNG", compress_level=1)
                kind = "image/png"
            else:
                frame.save(out, "JPEG", quality=88)
                kind = "image/jpeg"
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # not an image Pillow can read (or a decompression bomb): the browser tries the original
    return Preview(out.getvalue(), kind, width, height)
