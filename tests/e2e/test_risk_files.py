"""`/risk map` uploads a heatmap PNG that decodes, is the expected size and has its cells
coloured by level; `/risk export` uploads a CSV that spreadsheet programs open (BOM, text
kept as text even when it looks like a formula)."""

from __future__ import annotations

import csv
import io

from PIL import Image

from localslack import Message
from slackui.views.risk_map import cjk_font
from tests.support.harness import Harness
from tests.support.risks import add_risk

LEVEL_RGB = {"low": (0x2E, 0x7D, 0x32), "critical": (0xC6, 0x28, 0x28)}


def uploaded(h: Harness, who: str, suffix: str) -> bytes:
    message: Message = h.ls.wait_for(
        lambda: next((m for m in reversed(h.ls.dm(who)) if m.files), None),
        message=f"a file in {who}'s DM",
    )
    record = h.ls.file(message.files[0]["id"])
    assert record.name.endswith(suffix)
    return record.content


def test_the_heatmap_is_a_png_with_coloured_cells(harness: Harness) -> None:
    h = harness
    add_risk(h, likelihood="1", impact="1")
    add_risk(h, likelihood="1", impact="1", title="Second")
    h.as_("erin").command("/risk", "map", channel="general")
    h.ls.wait_ephemeral("erin", contains="heatmap of 2 open risks")
    image = Image.open(io.BytesIO(uploaded(h, "erin", ".png")))
    assert image.format == "PNG" and image.size == (750, 650)
    pixels = image.convert("RGB")
    colours = {
        rgb for _n, rgb in pixels.getcolors(maxcolors=1_000_000) or [] if isinstance(rgb, tuple)
    }
    for want in LEVEL_RGB.values():
        assert any(sum(abs(a - b) for a, b in zip(c, want, strict=True)) < 10 for c in colours)


def test_the_heatmap_speaks_chinese(harness: Harness) -> None:
    h = harness
    h.as_("bob").command("/risk", "map", channel="general")  # bob reads Chinese
    h.ls.wait_ephemeral("bob", contains="热力图已发到你的私信")
    image = Image.open(io.BytesIO(uploaded(h, "bob", ".png")))
    assert image.format == "PNG"
    comment = "\n".join(h.ls.text_of(m) for m in h.ls.dm("bob"))
    assert "风险热力图" in comment
    if cjk_font() is None:
        assert "未安装中文字体" in comment


def test_the_register_exports_as_csv(harness: Harness) -> None:
    h = harness
    add_risk(h, title='=HYPERLINK("http://evil.example")', likelihood="2", impact="3")
    h.as_("erin").command("/risk", "export", channel="general")
    h.ls.wait_ephemeral("erin", contains="as CSV")
    content = uploaded(h, "erin", ".csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Number", "Risk", "Category", "Level"]
    assert rows[1][0] == "RK-0001" and rows[1][1].startswith("'=") and rows[1][3] == "Medium"
