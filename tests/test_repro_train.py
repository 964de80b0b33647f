"""Tests of dlbook.repro and dlbook.train: seeding is reproducible, logging is one line an epoch."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from dlbook.repro import Timer, set_seed


def test_set_seed_without_keras_repeats_python_and_numpy():
    def draw():
        rng = set_seed(123, keras=False)
        return random.random(), np.random.rand(), rng.normal()  # noqa: NPY002  # noqa: NPY002

    assert draw() == draw()
    set_seed(124, keras=False)
    assert random.random() != draw()[0]


@pytest.mark.parametrize(
    "seed, error",
    [(1.5, TypeError), ("1", TypeError), (True, TypeError), (-1, ValueError), (2**32, ValueError)],
)
def test_set_seed_bad_input(seed, error):
    with pytest.raises(error):
        set_seed(seed, keras=False)


def test_timer_measures_elapsed_time():
    with Timer() as timer:
        time.sleep(0.05)
    assert 0.04 < timer.seconds < 2.0
    assert "seconds=" in repr(timer)


def _train_tiny_model(seed: int) -> np.ndarray:
    import keras

    set_seed(seed)
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = (x.sum(axis=1) > 0).astype("float32")
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    return np.concatenate([w.ravel() for w in model.get_weights()])


def test_set_seed_turns_off_tensor_float_32():
    import tensorflow as tf

    tf.config.experimental.enable_tensor_float_32_execution(True)
    set_seed(0)
    assert not tf.config.experimental.tensor_float_32_execution_enabled()


def test_set_seed_makes_keras_training_repeatable():
    first, second = _train_tiny_model(7), _train_tiny_model(7)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, _train_tiny_model(8))


def test_epoch_logger_prints_one_line_per_epoch(capsys):
    import keras
    from dlbook.train import EpochLogger

    set_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    logger = EpochLogger(every=2)
    x = np.ones((8, 2), "float32")
    model.fit(x, x[:, :1], epochs=5, verbose=0, validation_split=0.25, callbacks=[logger])
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["2/5", "4/5", "5/5"]
    assert all("loss" in line and "val_mae" in line and line.endswith(" s") for line in lines)
    assert logger.lines == lines


@pytest.mark.parametrize("kwargs", [{"every": 0}, {"every": 1.5}, {"digits": -1}])
def test_epoch_logger_bad_arguments(kwargs):
    from dlbook.train import EpochLogger

    with pytest.raises(ValueError):
        EpochLogger(**kwargs)
