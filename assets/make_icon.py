"""Writes the Wren app icon (a square RGBA PNG, 128 pixels unless a size is given) with the
standard library only. The icon set in src-tauri/icons is made from a 1024-pixel one:

    python3 assets/make_icon.py /tmp/wren-1024.png 1024
    (cd ui && npx tauri icon /tmp/wren-1024.png -o /tmp/wren-icons)

then 32x32.png, 128x128.png, 128x128@2x.png, icon.icns and icon.ico are copied from there.
"""

import math
import struct
import sys
import zlib

SIZE = int(sys.argv[2]) if len(sys.argv) > 2 else 128
SCALE = SIZE / 128
BLUE = (42, 130, 218)
WHITE = (255, 255, 255)


def pixel(x: float, y: float) -> tuple:
    cx = cy = SIZE / 2
    d = math.hypot(x - cx, y - cy)
    if d > SIZE / 2 - 2 * SCALE:
        return (0, 0, 0, 0)
    # A white "W" drawn as four strokes.
    points = [(px * SCALE, py * SCALE) for px, py in [(30, 40), (46, 92), (64, 56), (82, 92), (98, 40)]]
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        t = max(0.0, min(1.0, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)))
        if math.hypot(x - (x1 + t * (x2 - x1)), y - (y1 + t * (y2 - y1))) < 6 * SCALE:
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
