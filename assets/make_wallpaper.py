"""Writes the chat wallpapers (small RGB PNGs of soft gradients, one per theme) with the
standard library only. The UI stretches them over the chat area: drawing one smooth
bitmap costs a software renderer less per frame than layered CSS gradients, and the
message list repaints the wallpaper behind it on every scrolled frame.

Usage: python3 assets/make_wallpaper.py ui/src/assets
"""

import math
import struct
import sys
import zlib

WIDTH, HEIGHT = 96, 64


def colour(hex_code: str) -> tuple:
    return tuple(int(hex_code[i : i + 2], 16) / 255 for i in (1, 3, 5))


def mix(under: tuple, over: tuple, alpha: float) -> tuple:
    return tuple(u * (1 - alpha) + o * alpha for u, o in zip(under, over))


def blob(cx: float, cy: float, solid: float, fade: float, x: float, y: float) -> float:
    """Opacity of a circular blob centred at (cx, cy) (fractions of the size): opaque to
    `solid`, transparent from `fade`, in fractions of the distance to the farthest corner."""
    px, py = cx * WIDTH, cy * HEIGHT
    reach = max(math.hypot(px - corner_x, py - corner_y) for corner_x in (0, WIDTH) for corner_y in (0, HEIGHT))
    d = math.hypot(x - px, y - py) / reach
    return max(0.0, min(1.0, (fade - d) / (fade - solid)))


def ramp(stops: list, t: float) -> tuple:
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        if p0 <= t <= p1:
            return mix(c0, c1, (t - p0) / (p1 - p0))
    return stops[-1][1] if t > stops[-1][0] else stops[0][1]


def light(x: float, y: float) -> tuple:
    # A diagonal green ramp (top left to bottom right) under two lighter blobs.
    t = ((x - WIDTH / 2) + (y - HEIGHT / 2)) / (WIDTH + HEIGHT) + 0.5
    base = ramp([(0, colour("#d1e4b0")), (0.5, colour("#9fc58a")), (1, colour("#c6dd9c"))], t)
    base = mix(base, colour("#b4d39a"), blob(0.8, 0.7, 0.20, 0.45, x, y))
    return mix(base, colour("#c8dcaa"), blob(0.2, 0.3, 0.18, 0.40, x, y))


def dark(x: float, y: float) -> tuple:
    base = ramp([(0, colour("#0e1621")), (1, colour("#0f1a26"))], y / HEIGHT)
    base = mix(base, colour("#122231"), blob(0.75, 0.8, 0.20, 0.50, x, y))
    return mix(base, colour("#14202c"), blob(0.25, 0.25, 0.15, 0.45, x, y))


def png(paint) -> bytes:
    rows = b"".join(
        b"\x00" + bytes(round(v * 255) for x in range(WIDTH) for v in paint(x + 0.5, y + 0.5))
        for y in range(HEIGHT)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main() -> None:
    for name, paint in (("light", light), ("dark", dark)):
        with open(f"{sys.argv[1]}/wallpaper-{name}.png", "wb") as out:
            out.write(png(paint))


if __name__ == "__main__":
    main()
