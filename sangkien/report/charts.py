"""Charts of the report, drawn with matplotlib in the shipped serif font and embedded as PNG.

Numbers on axes and labels follow the Vietnamese conventions of :mod:`sangkien.report.vnformat`;
:func:`captioned` puts a chart under its caption.
PNG at 200 dpi: sharp on paper, deterministic bytes (no metadata with dates), and about a second
cheaper to lay into the PDF than the same chart as SVG with its text as paths; RGB, without the alpha
channel matplotlib writes (the background is opaque, so nothing is lost), which WeasyPrint would lay into
the PDF as a second image (a mask) of each chart.

Made to be read on paper as it prints: a chart is laid out at its own size (:func:`captioned` gives the
image its natural width, no wider than the text), so its text prints at the size set here, never below
``MIN_FONT_SIZE``; and it survives a grey printer: every line series has a marker and a line style of its
own (:data:`SERIES_STYLES`), and bars of two kinds differ in lightness.
"""
from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402
from PIL import Image  # noqa: E402

from sangkien import paths  # noqa: E402
from sangkien.report import vnformat  # noqa: E402
from sangkien.report.markup import esc, text  # noqa: E402

FAMILY = "Tinos"
SUBMITTED_COLOR = "#a9b8cc"
RECOGNIZED_COLOR = "#1f3b63"
BLOCK_COLORS = ("#1f3b63", "#b5522b", "#4f7a3a", "#7a5c99", "#8c8c8c", "#2f7f86")
MIN_FONT_SIZE = 9
"""No text of a chart prints smaller than this (points)."""
SERIES_STYLES = (("o", "-"), ("s", (0, (3, 2))), ("^", (0, (10, 2))), ("D", (0, (1, 1.5))),
                 ("v", (0, (10, 2, 2, 2))), ("P", (0, (3, 2, 1, 2))), ("X", (0, (6, 1.5, 1, 1.5, 1, 1.5))),
                 ("*", (0, (2, 3))), ("h", (0, (12, 3, 3, 3))), ("<", (0, (1, 3))), (">", (0, (8, 1))),
                 ("p", (0, (4, 1, 4, 4))))
"""A marker and a line style for each line series, none shared: the n-th block's recognised line takes the
(2n)-th (filled marker), its submitted line the (2n+1)-th (hollow marker)."""
FIELDS_SHOWN = 10
"""The fields of application :func:`field_bars` shows at most (the most put forward)."""

_ready = False


def setup() -> None:
    """Register the shipped fonts with matplotlib and set the house style (once per process)."""
    global _ready
    if _ready:
        return
    for path in paths.FONT_FILES.values():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        "font.family": FAMILY,
        "font.size": 10,
        "legend.fontsize": MIN_FONT_SIZE,
        "xtick.labelsize": MIN_FONT_SIZE,
        "ytick.labelsize": MIN_FONT_SIZE,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#dddddd",
        "legend.frameon": False,
        "axes.formatter.useoffset": False,
    })
    _ready = True


_count_formatter = FuncFormatter(lambda x, _pos: vnformat.integer(x))


DPI = 200


def to_png(fig) -> bytes:
    """The figure as PNG bytes (RGB over white, no metadata), then closed: the tight box of what it draws
    (text, legends and ticks outside the axes too, even beyond the figure's edges) and ``savefig.pad_inches``
    around it, at ``DPI``.

    Drawn once: the tight box is measured first (text laid out, nothing rasterised), then the figure is
    rasterised into that box as raw RGBA and packed once by PIL. The same pixels as
    ``savefig(bbox_inches="tight")``, without its second layout pass nor a PNG packed and unpacked again.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)  # a bare Figure's too
    fig.set_dpi(DPI)
    box = fig.get_tightbbox(canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=DPI, bbox_inches=box)
    size = canvas.renderer.width, canvas.renderer.height  # the box in whole pixels, as drawn
    plt.close(fig)
    if len(raw.getbuffer()) != 4 * size[0] * size[1]:
        raise RuntimeError(f"a chart of {len(raw.getbuffer())} bytes is not {size[0]}×{size[1]} RGBA pixels")
    drawn = Image.frombuffer("RGBA", size, raw.getbuffer(), "raw", "RGBA", 0, 1)
    image = Image.new("RGB", size, "white")
    image.paste(drawn, mask=drawn)
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(DPI, DPI))
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_width_mm(png: bytes) -> float:
    """The natural width of a PNG this module made (pixels at ``DPI``), in millimetres."""
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk: width, then height
    return width / DPI * 25.4


def captioned(title: str, figure) -> str:
    """A figure (then closed) as an embedded PNG with its caption, at its natural width (its text prints at
    the size it was drawn). No number here: the document counts its figures (``Hình 1.``, ``Hình 2.``... in
    the order it shows them, a CSS counter of report.css)."""
    png = to_png(figure)
    return (f'<figure class="chart"><img src="{data_uri(png)}" alt="{esc(title)}" '
            f'style="width:{png_width_mm(png):.1f}mm"/><figcaption>{text(title)}</figcaption></figure>')


def _label_bars(ax, bars) -> None:
    for bar in bars:
        height = bar.get_height() if bar.get_height() else 0
        ax.annotate(vnformat.integer(height), (bar.get_x() + bar.get_width() / 2, height),
                    ha="center", va="bottom", fontsize=MIN_FONT_SIZE, xytext=(0, 2), textcoords="offset points")


def _wrap(label: str, width: int = 18) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def block_bars(by_block: dict[str, dict[str, int]]):
    """Grouped bars: submitted and recognised per block."""
    setup()
    names = list(by_block)
    fig, ax = plt.subplots(figsize=(6.2, 3.0))
    x = range(len(names))
    width = 0.36
    submitted = [by_block[n]["submitted"] for n in names]
    recognized = [by_block[n]["recognized"] for n in names]
    b1 = ax.bar([i - width / 2 for i in x], submitted, width, label="Đề nghị công nhận", color=SUBMITTED_COLOR)
    b2 = ax.bar([i + width / 2 for i in x], recognized, width, label="Được công nhận", color=RECOGNIZED_COLOR)
    _label_bars(ax, b1)
    _label_bars(ax, b2)
    ax.set_xticks(list(x), [_wrap(n, 24) for n in names])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_count_formatter)
    ax.set_ylabel("Số sáng kiến")
    ax.set_ylim(0, max(submitted + [1]) * 1.18)
    ax.legend(loc="upper right", ncols=2)
    return fig


def field_bars(table, limit: int = FIELDS_SHOWN):
    """Horizontal bars per field of application: submitted behind recognised, most submitted on top."""
    setup()
    rows = table.head(limit)
    names = [_wrap(str(n), 28) for n in rows["linh_vuc"]][::-1]
    submitted = list(rows["submitted"])[::-1]
    recognized = list(rows["recognized"])[::-1]
    fig, ax = plt.subplots(figsize=(6.2, 0.42 * len(names) + 0.9))
    ax.barh(names, submitted, color=SUBMITTED_COLOR, label="Đề nghị công nhận", height=0.7)
    ax.barh(names, recognized, color=RECOGNIZED_COLOR, label="Được công nhận", height=0.42)
    for i, (s, r) in enumerate(zip(submitted, recognized)):
        ax.annotate(f"{vnformat.integer(r)}/{vnformat.integer(s)}", (s, i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=MIN_FONT_SIZE)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(_count_formatter)
    ax.set_xlim(0, max(submitted + [1]) * 1.15)
    ax.set_xlabel("Số sáng kiến")
    # above the bars, outside the plot: long bars leave no free corner inside it
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return fig


def trend_lines(trend, blocks):
    """Recognised and submitted per block and year: one colour per block, and every line with a marker and
    a line style of its own (:data:`SERIES_STYLES`), so that the legend reads in grey."""
    setup()
    fig, ax = plt.subplots(figsize=(6.2, 3.1))
    years = sorted(trend["nam"].unique())
    for i, block in enumerate(blocks):
        rows = trend[trend["khoi"] == block].sort_values("nam")
        color = BLOCK_COLORS[i % len(BLOCK_COLORS)]
        for k, (column, kind, filled) in enumerate((("recognized", "công nhận", True), ("submitted", "đề nghị", False))):
            marker, style = SERIES_STYLES[(2 * i + k) % len(SERIES_STYLES)]
            ax.plot(rows["nam"], rows[column], linestyle=style, marker=marker, markersize=5 if filled else 4.5,
                    color=color, markerfacecolor=color if filled else "white", linewidth=1.6 if filled else 1.2,
                    label=f"{block}: {kind}")
    ax.set_xticks(years, [str(y) for y in years])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_count_formatter)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Số sáng kiến")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, handlelength=3.5)
    return fig


def unit_trend_bars(trend, size: tuple[float, float] = (5.0, 1.7)):
    """A small chart of one unit year by year: submitted behind recognised, recognised written on top.

    Compact (low and wide), for a notice of one or two pages; its text at :data:`MIN_FONT_SIZE`.
    """
    setup()
    years = [int(y) for y in trend["nam"]]
    submitted = [int(v) for v in trend["submitted"]]
    recognized = [int(v) for v in trend["recognized"]]
    fig, ax = plt.subplots(figsize=size)
    ax.bar(years, submitted, 0.72, color=SUBMITTED_COLOR, label="Đề nghị công nhận")
    ax.bar(years, recognized, 0.42, color=RECOGNIZED_COLOR, label="Được công nhận")
    for year, s, r in zip(years, submitted, recognized):
        if s:
            ax.annotate(f"{vnformat.integer(r)}/{vnformat.integer(s)}", (year, s), ha="center", va="bottom",
                        fontsize=MIN_FONT_SIZE, xytext=(0, 1.5), textcoords="offset points")
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 8 else 0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax.yaxis.set_major_formatter(_count_formatter)
    ax.set_ylim(0, max(submitted + [1]) * 1.35)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), ncols=1)
    return fig
