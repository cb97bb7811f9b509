"""ImageProcessor port with Pillow: safe inspection and thumbnails."""

from __future__ import annotations

import asyncio
import io
import warnings

from PIL import Image, UnidentifiedImageError

from app.domain.media.ports import ImageInfo, InvalidImage

MAX_PIXELS = 40_000_000  # ~ 8k x 5k; anything larger is refused rather than decoded


class PillowImageProcessor:
    """Decoding is CPU-heavy (a large PNG takes ~0.5 s): it runs on a worker thread, never the event loop."""

    async def inspect(self, data: bytes) -> ImageInfo:
        return await asyncio.to_thread(self._inspect, data)

    async def thumbnail(self, data: bytes, *, max_side: int) -> bytes:
        return await asyncio.to_thread(self._thumbnail, data, max_side)

    def _inspect(self, data: bytes) -> ImageInfo:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    if image.width * image.height > MAX_PIXELS:
                        raise InvalidImage(f"{image.width}x{image.height} is too many pixels")
                    image.verify()  # structure check without keeping pixels
                with Image.open(io.BytesIO(data)) as image:
                    image.load()  # full decode: truncated or corrupt data fails here
                    return ImageInfo(format=image.format or "", width=image.width, height=image.height)
        except InvalidImage:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise InvalidImage(str(exc) or type(exc).__name__) from exc

    def _thumbnail(self, data: bytes, max_side: int) -> bytes:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG", optimize=True)
            return out.getvalue()
