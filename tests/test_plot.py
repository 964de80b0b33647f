"""Tests of dlbook.plot: the figures have labelled axes and bad input fails clearly."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from dlbook import plot


def test_use_style_sets_opaque_background_and_palette():
    plot.use_style()
    assert mpl.rcParams["figure.facecolor"] in ("white", (1.0, 1.0, 1.0, 1.0))
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == plot.PALETTE[0]


def test_image_grid_layout_and_labels():
    images = np.random.default_rng(0).random((10, 8, 8))
    fig = plot.image_grid(images, labels=list(range(10)), ncols=4, title="digits")
    axes = fig.axes
    assert len(axes) == 12  # 3 rows of 4, two of them left empty
    shown = [ax for ax in axes if ax.images]
    assert len(shown) == 10
    assert [ax.get_title() for ax in shown] == [str(i) for i in range(10)]


def test_image_grid_accepts_channel_last():
    fig = plot.image_grid(np.zeros((3, 5, 5, 1)))
    assert sum(bool(ax.images) for ax in fig.axes) == 3


@pytest.mark.parametrize(
    "images, error",
    [
        (np.zeros((5, 5)), ValueError),
        (np.zeros((0, 5, 5)), ValueError),
        (np.zeros((2, 5, 5, 2)), ValueError),
        ("not images", TypeError),
        (None, TypeError),
    ],
)
def test_image_grid_bad_input(images, error):
    with pytest.raises(error):
        plot.image_grid(images)


def test_image_grid_label_count_and_ncols_checked():
    with pytest.raises(ValueError, match="2 images but 3 labels"):
        plot.image_grid(np.zeros((2, 4, 4)), labels=[1, 2, 3])
    with pytest.raises(ValueError, match="ncols"):
        plot.image_grid(np.zeros((2, 4, 4)), ncols=0)


def test_training_curves_from_dict():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9]}
    fig = plot.training_curves(history, ("loss", "accuracy"))
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_ylabel() == "loss"
    assert len(loss_ax.lines) == 2 and len(acc_ax.lines) == 1
    np.testing.assert_array_equal(loss_ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), [1.1, 0.7, 0.6])
    ticks = [t for t in loss_ax.get_xticks() if 1 <= t <= 3]
    assert ticks and all(float(t).is_integer() for t in ticks), "epoch ticks must be whole numbers"


def test_training_curves_from_history_object():
    class History:  # the shape of keras.callbacks.History
        history = {"loss": [2.0, 1.0]}

    fig = plot.training_curves(History(), ("loss",))
    assert fig.axes[0].get_ylabel() == "loss"


def test_training_curves_bad_input():
    with pytest.raises(TypeError):
        plot.training_curves([1, 2, 3])
    with pytest.raises(ValueError, match="not in the history"):
        plot.training_curves({"loss": [1.0]}, ("accuracy",))
    with pytest.raises(TypeError):
        plot.training_curves({"loss": [1.0]}, "loss")


def test_confusion_matrix_counts():
    y_true = np.array([0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 0, 2])
    fig, counts = plot.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    assert counts.sum() == len(y_true)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [t.get_text() for t in ax.texts][:3] == ["1", "1", "0"]


def test_confusion_matrix_with_class_names_pads_unseen_classes():
    _, counts = plot.confusion_matrix([0, 1], [0, 1], class_names=["a", "b", "c"])
    assert counts.shape == (3, 3)


@pytest.mark.parametrize(
    "y_true, y_pred, error",
    [
        ([0, 1], [0], ValueError),
        ([[0, 1]], [[0, 1]], ValueError),
        ([0.2, 0.8], [0, 1], TypeError),
        ([-1, 0], [0, 0], ValueError),
        ([], [], ValueError),
        ("01", "01", TypeError),
    ],
)
def test_confusion_matrix_bad_input(y_true, y_pred, error):
    with pytest.raises(error):
        plot.confusion_matrix(y_true, y_pred)


def test_confusion_matrix_too_few_names():
    with pytest.raises(ValueError, match="class names"):
        plot.confusion_matrix([0, 2], [0, 2], class_names=["a", "b"])


def test_decision_regions_colours_each_side_of_a_line():
    import matplotlib.pyplot as plt

    points = np.array([[-1.0, -1.0], [1.0, 1.0]])
    fig, ax = plt.subplots()
    labels = plot.decision_regions(ax, lambda g: (g[:, 0] > 0).astype(int), points, padding=1.0, resolution=21)
    assert labels.shape == (21, 21)
    assert (labels[:, :10] == 0).all() and (labels[:, 11:] == 1).all()
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-2.0, 2.0)
    assert ax.collections, "nothing was drawn"


def test_decision_regions_accepts_booleans_and_column_vectors():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    labels = plot.decision_regions(ax, lambda g: (g.sum(axis=1) > 0)[:, None], np.eye(2), resolution=5)
    assert labels.dtype.kind == "i" and set(np.unique(labels)) == {0, 1}


@pytest.mark.parametrize(
    "predict, points, kwargs, error",
    [
        (lambda g: np.zeros(len(g), int), np.zeros((3, 3)), {}, ValueError),
        (lambda g: np.zeros(len(g), int), np.zeros((0, 2)), {}, ValueError),
        (lambda g: np.zeros(len(g) - 1, int), np.zeros((3, 2)), {}, ValueError),
        (lambda g: np.full(len(g), 0.5), np.zeros((3, 2)), {}, TypeError),
        (lambda g: np.full(len(g), -1), np.zeros((3, 2)), {}, TypeError),
        (lambda g: np.zeros(len(g), int), np.zeros((3, 2)), {"resolution": 1}, ValueError),
        ("not callable", np.zeros((3, 2)), {}, TypeError),
    ],
)
def test_decision_regions_bad_input(predict, points, kwargs, error):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    with pytest.raises(error):
        plot.decision_regions(ax, predict, points, **kwargs)


def test_decision_regions_needs_axes():
    with pytest.raises(TypeError):
        plot.decision_regions("axes", lambda g: np.zeros(len(g), int), np.zeros((3, 2)))
