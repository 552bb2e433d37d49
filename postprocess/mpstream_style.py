"""One plotting style for every mpstream figure.

Units on axes: lengths in µm, voltages in kV, fields in MV/mm, powers in kW, times in µs,
temperatures in K; axis labels "quantity (unit)"; panels labelled (a), (b), ... in their upper
left corner; a legend wherever there is more than one curve; the paper's values as open black
squares labelled "paper". Matplotlib from Debian (run with /usr/bin/python3).
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# SI -> plotted unit
UM = 1e6          # m -> µm
KV = 1e-3         # V -> kV
MV_PER_MM = 1e-9  # V/m -> MV/mm
KW = 1e-3         # W -> kW
US = 1e6          # s -> µs

DPI = 130
PAPER_STYLE = dict(marker="s", mfc="none", mec="k", color="k", ms=8, ls="none")

plt.rcParams.update({
    "font.size": 9, "axes.titlesize": 9, "axes.labelsize": 9, "legend.fontsize": 7.5,
    "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": DPI, "savefig.dpi": DPI,
    "image.cmap": "viridis",
})


def figure(n_rows=1, n_cols=1, width=6.4, height=4.2, **kwargs):
    """A figure of n_rows x n_cols panels (axes always a 2D array)."""
    return plt.subplots(n_rows, n_cols, figsize=(width, height), squeeze=False, **kwargs)


def label_panels(axes, start=0):
    """(a), (b), ... in the upper left corner of each panel, row by row."""
    for i, ax in enumerate(getattr(axes, "flat", axes)):
        ax.text(-0.02, 1.02, f"({chr(ord('a') + start + i)})", transform=ax.transAxes,
                ha="right", va="bottom", fontweight="bold")


def paper_point(ax, x, y, text):
    """One published value: open black square, annotated (legend entry 'paper')."""
    ax.plot([x], [y], **PAPER_STYLE)
    ax.annotate(text, (x, y), textcoords="offset points", xytext=(6, 5), fontsize=7.5)


def paper_legend_entry(ax):
    ax.plot([], [], label="paper (Behling et al. 2024)", **PAPER_STYLE)


def plain_log_y(ax):
    """A log y axis labelled 20, 30, 50, 100, ... (kW) instead of a lone 10^2."""
    from matplotlib.ticker import LogLocator, ScalarFormatter
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 3.0, 5.0)))
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(plt.NullFormatter())


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    print("wrote", path)
    return Path(path)


def command_line(description):
    """The one command-line form of the plot scripts: RESULTS_DIR [--out DIR]."""
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results_dir", help="an mpstream results folder")
    ap.add_argument("--out", help="folder for the PNG files (default: RESULTS_DIR)")
    a = ap.parse_args()
    out = Path(a.out or a.results_dir)
    out.mkdir(parents=True, exist_ok=True)
    return Path(a.results_dir), out
