"""Draw the PNG app icons (run once; the PNGs are committed). Usage: python tools/make_icons.py"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "web" / "static" / "icons"
TEAL, WHITE = (47, 111, 102, 255), (255, 255, 255, 255)


def draw(size: int, *, maskable: bool) -> Image.Image:
    img = Image.new("RGBA", (size, size), TEAL if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if not maskable:
        d.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 5, fill=TEAL)
    s = size / 64 * (0.7 if maskable else 1.0)
    ox = oy = (size - 64 * s) / 2
    w = max(2, int(4 * s))

    def p(x: float, y: float) -> tuple[float, float]:
        return (ox + x * s, oy + y * s)

    d.line([p(32, 52), p(32, 34)], fill=WHITE, width=w)
    d.line([p(18, 52), p(46, 52)], fill=WHITE, width=w)
    d.polygon([p(32, 34), p(38, 22), p(50, 17), p(46, 30)], outline=WHITE, width=w)
    d.polygon([p(32, 39), p(26, 28), p(16, 24), p(20, 35)], outline=WHITE, width=w)
    return img


for name, size, maskable in [
    ("icon-192.png", 192, False),
    ("icon-512.png", 512, False),
    ("maskable-512.png", 512, True),
]:
    draw(size, maskable=maskable).save(OUT / name)
