"""Writes the Wren app icon (128x128 RGBA PNG) with the standard library only.

Usage: python3 assets/make_icon.py src-tauri/icons/icon.png
"""

import math
import struct
import sys
import zlib

SIZE = 128
BLUE = (42, 130, 218)
WHITE = (255, 255, 255)


def pixel(x: float, y: float) -> tuple:
    cx = cy = SIZE / 2
    d = math.hypot(x - cx, y - cy)
    if d > SIZE / 2 - 2:
        return (0, 0, 0, 0)
    # A white "W" drawn as four strokes.
    points = [(30, 40), (46, 92), (64, 56), (82, 92), (98, 40)]
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        t = max(0.0, min(1.0, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)))
        if math.hypot(x - (x1 + t * (x2 - x1)), y - (y1 + t * (y2 - y1))) < 6:
            return WHITE + (255,)
    return BLUE + (255,)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main() -> None:
    rows = b"".join(b"\x00" + bytes(c for x in range(SIZE) for c in pixel(x + 0.5, y + 0.5)) for y in range(SIZE))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    with open(sys.argv[1], "wb") as out:
        out.write(png)


if __name__ == "__main__":
    main()
