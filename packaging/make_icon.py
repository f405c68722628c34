"""Draw the app icon with Pillow: a clipboard with a check mark (a neutral symbol, no faces).

`.venv/bin/python packaging/make_icon.py` writes packaging/icons/inspector_app.png (512 px) and
inspector_app.ico (16-256 px, for Windows) and
inspector_app.icns (macOS). The files are committed; rerun only to change the design.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent / "icons"
SIZE = 512
BLUE = (21, 67, 128, 255)
PAPER = (250, 250, 247, 255)
GREEN = (35, 134, 70, 255)


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((48, 48, SIZE - 48, SIZE - 48), radius=72, fill=BLUE)
    pen.rounded_rectangle((120, 110, SIZE - 120, SIZE - 80), radius=24, fill=PAPER)
    pen.rounded_rectangle((190, 78, SIZE - 190, 140), radius=18, fill=(200, 206, 214, 255))
    for row in range(3):
        top = 190 + row * 70
        pen.rectangle((160, top, 200, top + 40), outline=BLUE, width=6)
        pen.rounded_rectangle((225, top + 12, SIZE - 160, top + 28), radius=8, fill=(160, 170, 185, 255))
    pen.line([(168, 212), (182, 226), (210, 180)], fill=GREEN, width=14, joint="curve")
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.save(ICONS / "inspector_app.png")
    image.save(ICONS / "inspector_app.icns")  # macOS
    image.save(
        ICONS / "inspector_app.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )


if __name__ == "__main__":
    main()
