"""Server-side rendering of a canvas document to PNG with Pillow.

Supports the Konva shapes the editors use: rect, ellipse, line, text, image
(from object storage, `props.object_key`) and group (children in `props.children`).
Unknown props are ignored; a missing image renders as a grey placeholder.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

from PIL import Image, ImageColor, ImageDraw, ImageFont

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs from stored images
MAX_SIDE = 8192


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
    return float(value) if isinstance(value, int | float) else default


def _font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=max(6, min(int(size), 400)))
    except TypeError:  # very old Pillow without sized default font
        return ImageFont.load_default()


def render_png(state: dict[str, Any], images: dict[str, bytes], *, scale: float = 1.0, watermark: str | None = None) -> bytes:
    width = max(1, min(int(state["width"] * scale), MAX_SIDE))
    height = max(1, min(int(state["height"] * scale), MAX_SIDE))
    canvas = Image.new("RGBA", (width, height), _color(state.get("background"), "#ffffff") or (255, 255, 255, 255))
    for layer in state.get("layers", []):
        _draw(canvas, layer, images, scale, 0.0, 0.0)
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


def _draw(canvas: Image.Image, layer: dict[str, Any], images: dict[str, bytes], scale: float, ox: float, oy: float) -> None:
    props = layer.get("props") or {}
    if props.get("visible") is False:
        return
    x = (ox + _num(props, "x")) * scale
    y = (oy + _num(props, "y")) * scale
    w = _num(props, "width") * scale
    h = _num(props, "height") * scale
    kind = layer.get("type")
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
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
            draw.line(coords, fill=stroke or fill or (0, 0, 0, 255), width=max(1, stroke_width))
    elif kind == "text":
        text = str(props.get("text", ""))[:5000]
        draw.text((x, y), text, fill=fill or (0, 0, 0, 255), font=_font(_num(props, "fontSize", 24) * scale))
    elif kind == "image" and w > 0 and h > 0:
        data = images.get(str(props.get("object_key", "")))
        if data is None:
            draw.rectangle([x, y, x + w, y + h], fill=(200, 200, 200, 255), outline=(120, 120, 120, 255))
        else:
            with Image.open(io.BytesIO(data)) as source:
                picture = source.convert("RGBA").resize((max(1, int(w)), max(1, int(h))))
            overlay.paste(picture, (int(x), int(y)))
    elif kind == "group":
        for child in props.get("children", []):
            if isinstance(child, dict):
                _draw(canvas, child, images, scale, ox + _num(props, "x"), oy + _num(props, "y"))
        return
    opacity = _num(props, "opacity", 1.0)
    if opacity < 1.0:
        alpha = overlay.getchannel("A").point(lambda a: int(a * max(0.0, opacity)))
        overlay.putalpha(alpha)
    canvas.alpha_composite(overlay)


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
    """CanvasRenderer port: Pillow work runs in a thread, off the event loop."""

    def image_keys(self, state: dict[str, Any]) -> set[str]:
        return image_keys(state)

    async def render(self, state: dict[str, Any], images: dict[str, bytes], *, scale: float = 1.0, watermark: str | None = None) -> bytes:
        return await asyncio.to_thread(render_png, state, images, scale=scale, watermark=watermark)
