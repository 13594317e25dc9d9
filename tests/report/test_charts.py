"""Charts as they print: text no smaller than 9 pt at the size the page shows them, and series that a grey
printer keeps apart (each chart rendered to greyscale, its legend keys compared)."""
from __future__ import annotations

import io
import itertools

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from sangkien.report import charts

BLOCKS = ["Giáo dục và Đào tạo", "Sở, ban, ngành", "Doanh nghiệp"]


def _trend():
    return pd.DataFrame([{"nam": y, "khoi": b, "submitted": 20 + 3 * i + y % 3, "recognized": 12 + 2 * i + y % 2}
                         for y in range(2016, 2024) for i, b in enumerate(BLOCKS)])


def _fields():
    return pd.DataFrame({"linh_vuc": ["Giáo dục", "Y tế", "Công nghệ thông tin", "Nông nghiệp"],
                         "submitted": [49, 12, 9, 4], "recognized": [36, 8, 7, 4]})


def _unit():
    return pd.DataFrame({"nam": list(range(2016, 2024)), "submitted": [1, 0, 3, 2, 5, 4, 7, 7],
                         "recognized": [1, 0, 2, 2, 3, 4, 6, 5]})


CHARTS = {
    "trend_lines": lambda: charts.trend_lines(_trend(), BLOCKS),
    "block_bars": lambda: charts.block_bars({b: {"submitted": 30 + i, "recognized": 20 + i} for i, b in enumerate(BLOCKS)}),
    "field_bars": lambda: charts.field_bars(_fields()),
    "unit_trend_bars": lambda: charts.unit_trend_bars(_unit()),
}


def _legend_keys_in_grey(fig) -> dict[str, np.ndarray]:
    """The figure saved as the report saves it (tight, at the report's dpi), in greyscale; the image of each
    legend key, by its label."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    tight = fig.get_tightbbox(renderer)
    keys = [(t.get_text(), h.get_window_extent(renderer)) for ax in fig.axes if ax.get_legend()
            for h, t in zip(ax.get_legend().legend_handles, ax.get_legend().get_texts())]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=charts.DPI, bbox_inches="tight", pad_inches=0.1)
    grey = Image.open(buffer).convert("L")  # as a grey printer sees it
    left, bottom, height = tight.x0 - 0.1, tight.y0 - 0.1, grey.size[1]
    crops = {}
    for label, box in keys:
        x0, x1 = ((v / fig.dpi - left) * charts.DPI for v in (box.x0, box.x1))
        top, low = (height - (v / fig.dpi - bottom) * charts.DPI for v in (box.y1, box.y0))
        crops[label] = np.asarray(grey.crop((round(x0), round(top), round(x1), round(low)))).astype(float)
    return crops


@pytest.mark.parametrize("name", list(CHARTS))
def test_series_differ_in_grey(name):
    fig = CHARTS[name]()
    keys = _legend_keys_in_grey(fig)
    assert len(keys) >= 2
    for (a, x), (b, y) in itertools.combinations(keys.items(), 2):
        h, w = min(x.shape[0], y.shape[0]), min(x.shape[1], y.shape[1])
        assert np.abs(x[:h, :w] - y[:h, :w]).mean() > 10, (name, a, b)  # grey levels apart, on average
    charts.plt.close(fig)


def test_every_line_has_its_own_marker_and_line_style():
    fig = CHARTS["trend_lines"]()
    lines = [line for line in fig.axes[0].get_lines() if isinstance(line, Line2D) and line.get_label()[0] != "_"]
    assert len(lines) == 2 * len(BLOCKS)
    assert len({line.get_marker() for line in lines}) == len(lines)
    assert len({str(line.get_linestyle()) + str(line._unscaled_dash_pattern) for line in lines}) == len(lines)
    charts.plt.close(fig)


@pytest.mark.parametrize("name", list(CHARTS))
def test_text_is_9_pt_or_more_and_the_chart_fits_the_page(name):
    fig = CHARTS[name]()
    fig.canvas.draw()
    small = [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text) if t.get_text().strip()
             and t.get_visible() and t.get_fontsize() < charts.MIN_FONT_SIZE]
    assert not small
    # captioned() shows the image at its natural width, which is within the text's 165 mm: printed as drawn
    html = charts.captioned("Hình thử", fig)
    width = float(html.split('style="width:')[1].split("mm")[0])
    assert 60 < width <= 165


@pytest.mark.parametrize("name", list(CHARTS))
def test_a_chart_is_an_rgb_png_with_the_pixels_matplotlib_draws(name):
    """No alpha channel (WeasyPrint would lay it into the PDF as a second image), and nothing lost: the
    pixels are those of matplotlib's own PNG, whose background is opaque."""
    drawn = io.BytesIO()
    CHARTS[name]().savefig(drawn, format="png", dpi=charts.DPI, bbox_inches="tight")
    rgba = Image.open(drawn)
    png = charts.to_png(CHARTS[name]())
    image = Image.open(io.BytesIO(png))
    assert (image.mode, rgba.mode) == ("RGB", "RGBA")
    assert rgba.getchannel("A").getextrema() == (255, 255)
    assert np.array_equal(np.asarray(image), np.asarray(rgba.convert("RGB")))
    assert image.info["dpi"] == pytest.approx((charts.DPI, charts.DPI), abs=0.01)  # stored per metre
    assert charts.png_width_mm(png) == pytest.approx(image.size[0] / charts.DPI * 25.4)
    charts.plt.close("all")


def _band_beyond_the_edges():
    """A figure (3 × 2 in) whose only ink is a black band 4 × 1 in, half an inch past its left and right
    edges (as a legend beside the axes may be): the tight box is the band's."""
    fig = charts.plt.figure(figsize=(3, 2))
    ax = fig.add_axes((1 / 3, 0.25, 1 / 3, 0.5))
    ax.set_axis_off()
    ax.add_patch(Rectangle((-0.5 / 3, 0.25), 4 / 3, 0.5, transform=fig.transFigure, color="black", linewidth=0,
                           clip_on=False))
    return fig


def test_to_png_is_the_drawn_box_and_its_pad_only_and_the_same_bytes_each_time():
    png = charts.to_png(_band_beyond_the_edges())
    assert charts.to_png(_band_beyond_the_edges()) == png
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    pad = round(matplotlib.rcParams["savefig.pad_inches"] * charts.DPI)  # 20 px
    band = (4 * charts.DPI, 1 * charts.DPI)
    assert abs(grey.shape[1] - (band[0] + 2 * pad)) <= 1 and abs(grey.shape[0] - (band[1] + 2 * pad)) <= 1
    ink = np.argwhere(grey < 128)
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    # the band whole (nothing cut, not even past the figure's edges), the pad around it and no more
    assert all(abs(v - pad) <= 1 for v in (left, top, grey.shape[1] - 1 - right, grey.shape[0] - 1 - bottom))
    assert grey[top + 1:bottom, left + 1:right].max() == 0
    border = np.concatenate([grey[:top - 1].ravel(), grey[bottom + 2:].ravel(),
                             grey[:, :left - 1].ravel(), grey[:, right + 2:].ravel()])
    assert border.min() == 255
