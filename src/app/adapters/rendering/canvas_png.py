"""Server-side rendering of a canvas document to PNG with Pillow.

Supports the Konva shapes the editors use: rect, ellipse, line, text, image
(from object storage, `props.object_key`) and group (children in `props.children`).
Unknown props are ignored; a missing image renders as a grey placeholder.
"""

from __future__ import annotations

import asyncio
import io
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PIL import Image, ImageColor, ImageDraw, ImageFont

from app.domain.canvas.errors import RenderTooCostly

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs from stored images
MAX_SIDE = 8192
MAX_PIXELS = 16_777_216  # 4096 x 4096: larger outputs are scaled down to this
MAX_NODES = 2000  # shapes drawn at most (the domain refuses bigger documents anyway)


def _color(value: Any, default: str | None = None) -> tuple[int, int, int, int] | None:
    if not value:
        value = default
    if not value:
        return None
    try:
        rgb = ImageColor.getrgb(str(value))
    except ValueError:
        return None
    return rgb if len(rgb) == 4 else (*rgb, 255)  # type: ignore[return-value]


def _num(props: dict[str, Any], key: str, default: float = 0.0) -> float:
    value = props.get(key, default)
    # Clamped: coordinates far off any canvas draw nothing, and stay finite through the arithmetic.
    return (
        max(-1e6, min(1e6, float(value))) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def _font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=max(6, min(int(size), 400)))
    except TypeError:  # very old Pillow without sized default font
        return ImageFont.load_default()


class _Budget:
    """Wall-clock deadline and shape count, checked between shapes: each shape costs at most its own
    area, so a document cannot buy more than the deadline plus one shape."""

    def __init__(self, seconds: float, nodes: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.nodes = nodes

    def spend(self) -> None:
        self.nodes -= 1
        if self.nodes < 0 or time.monotonic() > self.deadline:
            raise RenderTooCostly("This canvas is too complex to export.")


def render_png(
    state: dict[str, Any],
    images: dict[str, bytes],
    *,
    scale: float = 1.0,
    watermark: str | None = None,
    max_pixels: int = MAX_PIXELS,
    time_limit: float = 5.0,
) -> bytes:
    base_w, base_h = max(1, int(state["width"])), max(1, int(state["height"]))
    # Cap the output (canvas size x scale) by area, keeping the aspect ratio.
    scale = min(scale, math.sqrt(max_pixels / (base_w * base_h)), MAX_SIDE / base_w, MAX_SIDE / base_h)
    width, height = max(1, int(base_w * scale)), max(1, int(base_h * scale))
    canvas = Image.new("RGBA", (width, height), _color(state.get("background"), "#ffffff") or (255, 255, 255, 255))
    budget = _Budget(time_limit, MAX_NODES)
    for layer in state.get("layers", []):
        _draw(canvas, layer, images, scale, 0.0, 0.0, budget)
    if watermark:
        _watermark(canvas, watermark)
    out = io.BytesIO()
    canvas.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _watermark(canvas: Image.Image, text: str) -> None:
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    font = _font(max(10, canvas.width // 40))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x, y = canvas.width - (right - left) - 10, canvas.height - (bottom - top) - 10
    draw.rectangle([x - 6, y - 4, canvas.width - 4, canvas.height - 4], fill=(0, 0, 0, 110))
    draw.text((x, y - top), text, fill=(255, 255, 255, 200), font=font)
    canvas.alpha_composite(overlay)


def _bbox(
    kind: Any, props: dict[str, Any], x: float, y: float, w: float, h: float, scale: float
) -> tuple[float, float, float, float]:
    """Generous bounds of what a shape can paint, so its overlay covers only that region."""
    pad = _num(props, "strokeWidth", 1) * scale + 2
    if kind == "ellipse":
        rx = _num(props, "radiusX", _num(props, "width") / 2) * scale
        ry = _num(props, "radiusY", _num(props, "height") / 2) * scale
        return x - rx - pad, y - ry - pad, x + rx + pad, y + ry + pad
    if kind == "line":
        points = [float(p) * scale for p in props.get("points", []) if isinstance(p, int | float)]
        xs, ys = points[0::2] or [0.0], points[1::2] or [0.0]
        return x + min(xs) - pad, y + min(ys) - pad, x + max(xs) + pad, y + max(ys) + pad
    if kind == "text":
        return x - pad, y - pad, 1e9, 1e9  # clipped to the canvas below
    return x - pad, y - pad, x + w + pad, y + h + pad


def _draw(
    canvas: Image.Image, layer: Any, images: dict[str, bytes], scale: float, ox: float, oy: float, budget: _Budget
) -> None:
    if not isinstance(layer, dict):
        return
    budget.spend()
    props = layer.get("props") or {}
    if not isinstance(props, dict) or props.get("visible") is False:
        return
    x = (ox + _num(props, "x")) * scale
    y = (oy + _num(props, "y")) * scale
    w = _num(props, "width") * scale
    h = _num(props, "height") * scale
    kind = layer.get("type")
    if kind == "group":
        for child in props.get("children", []) if isinstance(props.get("children"), list) else []:
            _draw(canvas, child, images, scale, ox + _num(props, "x"), oy + _num(props, "y"), budget)
        return
    left, top, right, bottom = _bbox(kind, props, x, y, w, h, scale)
    left, top = max(0, math.floor(left)), max(0, math.floor(top))
    right, bottom = min(canvas.width, math.ceil(right)), min(canvas.height, math.ceil(bottom))
    if right <= left or bottom <= top:
        return  # entirely off the canvas
    # Draw in the shape's own region, shifted: cost follows the shape's area, not the canvas's.
    x, y = x - left, y - top
    overlay = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    fill = _color(props.get("fill"))
    stroke = _color(props.get("stroke"))
    stroke_width = max(0, int(_num(props, "strokeWidth", 1 if stroke else 0) * scale))
    if kind == "rect" and w > 0 and h > 0:
        draw.rectangle([x, y, x + w, y + h], fill=fill, outline=stroke, width=stroke_width)
    elif kind == "ellipse":
        rx = _num(props, "radiusX", _num(props, "width") / 2) * scale
        ry = _num(props, "radiusY", _num(props, "height") / 2) * scale
        draw.ellipse([x - rx, y - ry, x + rx, y + ry], fill=fill, outline=stroke, width=stroke_width)
    elif kind == "line":
        points = [float(p) * scale for p in props.get("points", []) if isinstance(p, int | float)]
        if len(points) >= 4:
            coords = [(x + points[i], y + points[i + 1]) for i in range(0, len(points) - 1, 2)]
            draw.line(coords, fill=stroke or fill or (0, 0, 0, 255), width=max(1, min(stroke_width, 1000)))
    elif kind == "text":
        text = str(props.get("text", ""))[:5000]
        draw.text((x, y), text, fill=fill or (0, 0, 0, 255), font=_font(_num(props, "fontSize", 24) * scale))
    elif kind == "image" and w > 0 and h > 0:
        data = images.get(str(props.get("object_key", "")))
        if data is None:
            draw.rectangle([x, y, x + w, y + h], fill=(200, 200, 200, 255), outline=(120, 120, 120, 255))
        else:
            try:
                with Image.open(io.BytesIO(data)) as source:
                    # Never larger than the visible region: a huge `width` cannot buy a huge resize.
                    size = (max(1, min(int(w), overlay.width * 4)), max(1, min(int(h), overlay.height * 4)))
                    picture = source.convert("RGBA").resize(size)
                overlay.paste(picture, (int(x), int(y)))
            except (OSError, ValueError, Image.DecompressionBombError):
                draw.rectangle([x, y, x + w, y + h], fill=(200, 200, 200, 255), outline=(120, 120, 120, 255))
    opacity = _num(props, "opacity", 1.0)
    if opacity < 1.0:
        alpha = overlay.getchannel("A").point(lambda a: int(a * max(0.0, opacity)))
        overlay.putalpha(alpha)
    canvas.alpha_composite(overlay, (left, top))


def image_keys(state: dict[str, Any]) -> set[str]:
    """Every object key an image layer (also inside groups) refers to."""
    keys: set[str] = set()

    def walk(layers: list[Any]) -> None:
        for layer in layers:
            if not isinstance(layer, dict):
                continue
            props = layer.get("props") or {}
            if layer.get("type") == "image" and props.get("object_key"):
                keys.add(str(props["object_key"]))
            if layer.get("type") == "group":
                walk(props.get("children", []))

    walk(state.get("layers", []))
    return keys


class PillowCanvasRenderer:
    """CanvasRenderer port: Pillow work runs on its own small pool, off the event loop, within a time limit
    (checked inside the render, so a too-costly export stops burning CPU rather than running on unseen)."""

    def __init__(self, *, max_pixels: int = MAX_PIXELS, time_limit: float = 5.0, max_concurrent: int = 2) -> None:
        self._max_pixels = max_pixels
        self._time_limit = time_limit
        self._pool = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="render")

    def image_keys(self, state: dict[str, Any]) -> set[str]:
        return image_keys(state)

    async def render(
        self, state: dict[str, Any], images: dict[str, bytes], *, scale: float = 1.0, watermark: str | None = None
    ) -> bytes:
        def job() -> bytes:
            return render_png(
                state,
                images,
                scale=scale,
                watermark=watermark,
                max_pixels=self._max_pixels,
                time_limit=self._time_limit,
            )

        return await asyncio.get_running_loop().run_in_executor(self._pool, job)
