"""Reproducible runs: one function seeds every random number generator, and a timer.

Introduced in *The whole game*, the book's opening chapter; every chapter calls
:func:`set_seed` once at its top so that its outputs do not change from run to run.
"""

from __future__ import annotations

import os
import random
import time
from types import TracebackType

import numpy as np

__all__ = ["Timer", "set_seed"]


def set_seed(seed: int = 0, *, keras: bool = True) -> np.random.Generator:
    """Seed Python's ``random``, NumPy and (unless ``keras=False``) Keras and TensorFlow.

    With ``keras=True`` this also makes TensorFlow's kernels deterministic
    (``tf.config.experimental.enable_op_determinism``), so that training twice with the same
    seed gives the same weights, and turns off TensorFloat-32 (``enable_tensor_float_32_execution``):
    on recent NVIDIA GPUs TensorFlow would otherwise compute float32 matrix products with about
    3 significant digits, and the chapters' checks that Keras equals NumPy would not hold on the
    GPU that builds the site. Chapters that never import Keras pass ``keras=False`` and
    avoid the seconds it takes to import it.

    Returns:
        A NumPy :class:`~numpy.random.Generator` seeded with ``seed``: the preferred source of
        random numbers in NumPy code.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)  # inherited by any subprocess
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - legacy global generator, still used by some libraries
    if keras:
        import keras as keras_module

        keras_module.utils.set_random_seed(seed)
        if keras_module.backend.backend() == "tensorflow":
            import tensorflow as tf

            tf.config.experimental.enable_op_determinism()
            tf.config.experimental.enable_tensor_float_32_execution(False)
    return np.random.default_rng(seed)


class Timer:
    """Measure wall-clock time with ``with Timer() as t: ...``; then ``t.seconds`` holds it.

    >>> with Timer() as t:
    ...     _ = sum(range(1000))
    >>> t.seconds >= 0
    True
    """

    def __init__(self) -> None:
        self.seconds: float = float("nan")
        self._start: float | None = None

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._start is not None
        self.seconds = time.perf_counter() - self._start

    def __repr__(self) -> str:
        return f"Timer(seconds={self.seconds:.3f})"
