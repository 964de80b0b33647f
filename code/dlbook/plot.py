"""The book's figure style and the plots that several chapters share.

Introduced in *The whole game*, the book's opening chapter (:func:`use_style` and
:func:`image_grid`); the confusion matrix first appears in Part II,
*Logistic regression and softmax classification*, decision regions (:func:`decision_regions`) in
Part III, *A shallow neural network from scratch*, and training curves in Part III, *Deep
networks with Keras*.

Every function returns the :class:`matplotlib.figure.Figure` it drew, labels its axes, and
raises :class:`TypeError` or :class:`ValueError` with a clear message on bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = [
    "PALETTE",
    "STYLE",
    "confusion_matrix",
    "decision_regions",
    "image_grid",
    "training_curves",
    "use_style",
]

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe-Ito colours: distinguishable with the common colour-vision deficiencies."""

STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    # Opaque white backgrounds keep figures readable on the site's dark theme too.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "image.cmap": "viridis",
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
}
"""The matplotlib settings :func:`use_style` applies."""


def use_style() -> None:
    """Apply the book's figure style to matplotlib (call once at the top of a chapter)."""
    mpl.rcParams.update(STYLE)


def _as_array(value: Any, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be array-like, got {type(value).__name__}")
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be array-like: {error}") from error


def image_grid(
    images: Any,
    labels: Sequence[Any] | None = None,
    *,
    ncols: int = 8,
    cmap: str = "gray_r",
    title: str | None = None,
    size: float = 1.2,
) -> Figure:
    """Show images in a grid, each with an optional label above it.

    Args:
        images: An array of shape ``(n, height, width)`` (grey) or ``(n, height, width, 3)`` (RGB).
        labels: ``n`` labels, shown as each image's title.
        ncols: Images per row.
        cmap: Colour map for grey images (``"gray_r"``: ink dark on white paper).
        title: Title of the whole figure.
        size: Width and height of one image, in inches.
    """
    array = _as_array(images, "images")
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[-1] not in (1, 3, 4)):
        raise ValueError(
            f"images must have shape (n, height, width) or (n, height, width, channels), got {array.shape}"
        )
    if array.shape[0] == 0:
        raise ValueError("images is empty")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    if labels is not None and len(labels) != array.shape[0]:
        raise ValueError(f"got {array.shape[0]} images but {len(labels)} labels")
    n = array.shape[0]
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if title else 0)))
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(array[i], cmap=cmap if array.ndim == 3 else None)
        if labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _history_dict(history: Any) -> Mapping[str, Sequence[float]]:
    # A keras.callbacks.History keeps its metrics in `.history`; a plain dict works as well.
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            f"history must be a dict of metric lists or a keras History, got {type(history).__name__}"
        )
    return data


def training_curves(
    history: Any,
    metrics: Sequence[str] = ("loss", "accuracy"),
    *,
    title: str | None = None,
) -> Figure:
    """Plot training and validation curves, one panel per metric, against the epoch.

    Args:
        history: The ``History`` returned by ``model.fit`` or its ``.history`` dict.
        metrics: Metric names; ``"val_" + name`` is drawn on the same panel when present.
        title: Title of the whole figure.
    """
    data = _history_dict(history)
    if isinstance(metrics, str) or not metrics:
        raise TypeError("metrics must be a non-empty sequence of metric names, such as ('loss',)")
    missing = [m for m in metrics if m not in data]
    if missing:
        raise ValueError(f"metrics {missing} are not in the history; it has {sorted(data)}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.4), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        for key, label, style in ((metric, "training", "-o"), (f"val_{metric}", "validation", "--s")):
            if key in data:
                values = np.asarray(data[key], dtype=float)
                ax.plot(np.arange(1, len(values) + 1), values, style, label=label, markersize=4)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        ax.set_ylabel(metric.replace("_", " "))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
) -> tuple[Figure, np.ndarray]:
    """Count and draw the confusion matrix of integer class labels.

    Row ``i``, column ``j`` counts the examples of true class ``i`` predicted as class ``j``;
    the diagonal holds the correct predictions.

    Returns:
        The figure and the matrix of counts, of shape ``(n_classes, n_classes)``.
    """
    true = _as_array(y_true, "y_true")
    pred = _as_array(y_pred, "y_pred")
    if true.ndim != 1 or pred.ndim != 1 or true.shape != pred.shape:
        raise ValueError(
            "y_true and y_pred must be 1-D arrays of the same length, "
            f"got shapes {true.shape} and {pred.shape}"
        )
    if true.size == 0:
        raise ValueError("y_true is empty")
    if not (np.issubdtype(true.dtype, np.integer) and np.issubdtype(pred.dtype, np.integer)):
        raise TypeError("y_true and y_pred must hold integer class labels (use argmax on probabilities)")
    if true.min() < 0 or pred.min() < 0:
        raise ValueError("class labels must be non-negative")
    n_classes = int(max(true.max(), pred.max())) + 1
    if class_names is not None:
        if len(class_names) < n_classes:
            raise ValueError(
                f"labels go up to {n_classes - 1} but only {len(class_names)} class names were given"
            )
        n_classes = len(class_names)
    names = list(class_names) if class_names is not None else [str(i) for i in range(n_classes)]
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true, pred), 1)

    fig, ax = plt.subplots(figsize=(0.5 * n_classes + 2.5, 0.5 * n_classes + 2))
    ax.imshow(counts, cmap="Blues")
    ax.grid(False)
    threshold = counts.max() / 2
    for i in range(n_classes):
        for j in range(n_classes):
            ax.text(
                j,
                i,
                str(counts[i, j]),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if counts[i, j] > threshold else "black",
            )
    ax.set_xticks(range(n_classes), names)
    ax.set_yticks(range(n_classes), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig, counts


def decision_regions(
    ax: Axes,
    predict: Callable[[np.ndarray], Any],
    points: Any,
    *,
    padding: float = 0.5,
    resolution: int = 200,
    alpha: float = 0.25,
) -> np.ndarray:
    """Colour the plane by the class a classifier predicts at each point of a grid.

    The grid covers the 2-D ``points`` (the data the classifier sees) plus ``padding`` on every
    side; class ``k`` gets colour ``PALETTE[k]``, the colour to use for the points of class ``k``
    drawn on top. Axes limits are set to the grid.

    Args:
        ax: The axes to draw on.
        predict: Maps an array of shape ``(n, 2)`` to ``n`` integer class labels (0, 1, ...).
        points: Array of shape ``(m, 2)`` whose extent the grid covers.
        padding: Margin around the points, in data units.
        resolution: Grid points along each axis.
        alpha: Opacity of the colours.

    Returns:
        The predicted classes on the grid, of shape ``(resolution, resolution)``.
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib Axes, got {type(ax).__name__}")
    if not callable(predict):
        raise TypeError("predict must be a function from an (n, 2) array to n class labels")
    array = _as_array(points, "points").astype(float)
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
        raise ValueError(f"points must have shape (m, 2) with m >= 1, got {array.shape}")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    low, high = array.min(axis=0) - padding, array.max(axis=0) + padding
    g1, g2 = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    labels = np.asarray(predict(np.c_[g1.ravel(), g2.ravel()]))
    if labels.shape not in ((g1.size,), (g1.size, 1)):
        raise ValueError(f"predict returned shape {labels.shape} for {g1.size} grid points; expected ({g1.size},)")
    if labels.dtype == bool:
        labels = labels.astype(int)
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        raise TypeError("predict must return non-negative integer class labels (threshold or argmax first)")
    labels = labels.reshape(g1.shape)
    n_classes = int(labels.max()) + 1
    if n_classes > len(PALETTE):
        raise ValueError(f"at most {len(PALETTE)} classes can be coloured, got {n_classes}")
    ax.contourf(g1, g2, labels, levels=np.arange(n_classes + 1) - 0.5, colors=PALETTE[:n_classes], alpha=alpha)
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    return labels
