"""The register's heatmap as a PNG: the 5×5 likelihood × impact matrix, each cell in its
level's colour with the count of open risks in it, labelled in the reader's language.

Drawn with matplotlib's Agg backend (no display). Chinese labels need a CJK font: the first
of the usual ones installed is used (Noto Sans CJK, Source Han Sans, WenQuanYi, ...); without
one the labels fall back to English rather than drawing empty boxes."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from procedures.risks.policy import SCALE, RisksPolicy, ScaleLevel
from slackui.i18n import Translator

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


@cache
def cjk_font() -> str | None:
    """The first CJK-capable font family installed, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)


def heatmap_png(
    section: RisksPolicy, counts: Mapping[tuple[int, int], int], t: Translator
) -> tuple[bytes, bool]:
    """(PNG bytes, whether it is in the reader's language). `counts[(likelihood, impact)]`."""
    lang_ok = t.lang != "zh" or cjk_font() is not None
    tr = t if lang_ok else Translator("en")
    family = [cjk_font() or "DejaVu Sans", "DejaVu Sans"] if tr.lang == "zh" else ["DejaVu Sans"]
    figure = Figure(figsize=(7.5, 6.5), dpi=100)
    axes = figure.add_subplot(1, 1, 1)
    colours = {level.id: level.colour for level in section.levels}
    for likelihood in range(1, SCALE + 1):
        for impact in range(1, SCALE + 1):
            level = section.matrix[likelihood - 1][impact - 1]
            axes.add_patch(
                Rectangle(
                    (impact - 0.5, likelihood - 0.5),
                    1,
                    1,
                    facecolor=colours[level],
                    edgecolor="white",
                    linewidth=3,
                )
            )
            count = counts.get((likelihood, impact), 0)
            axes.text(
                impact,
                likelihood,
                str(count) if count else "",
                ha="center",
                va="center",
                fontsize=20 if count else 14,
                color="white",
                family=family,
            )
    axes.set_xlim(0.5, SCALE + 0.5)
    axes.set_ylim(0.5, SCALE + 0.5)
    axes.set_xticks(range(1, SCALE + 1), _names(section.impact, tr), family=family, fontsize=9)
    axes.set_yticks(range(1, SCALE + 1), _names(section.likelihood, tr), family=family, fontsize=9)
    axes.set_xlabel(tr("risks.map.impact"), family=family, fontsize=11)
    axes.set_ylabel(tr("risks.map.likelihood"), family=family, fontsize=11)
    axes.set_title(tr("risks.map.title", count=sum(counts.values())), family=family, fontsize=13)
    axes.set_aspect("equal")
    for side in axes.spines.values():
        side.set_visible(False)
    handles = [
        Patch(color=level.colour, label=tr.pick(level.name.model_dump()))
        for level in sorted(section.levels, key=lambda lv: lv.rank)
    ]
    axes.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        frameon=False,
        prop={"family": family, "size": 10},
    )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue(), lang_ok


def _names(scale: Sequence[ScaleLevel], t: Translator) -> list[str]:
    return [
        f"{s.value} {t.pick(s.name.model_dump())}" for s in sorted(scale, key=lambda s: s.value)
    ]
