"""Training helpers for Keras models.

Introduced in *The whole game*, the book's opening chapter: :class:`EpochLogger` replaces
Keras's progress bars with one short line per epoch, so training output stays readable on the
page.
"""

from __future__ import annotations

import time
from typing import Any

import keras

__all__ = ["EpochLogger"]


class EpochLogger(keras.callbacks.Callback):
    """Print one line per epoch with every metric and the epoch's duration.

    Use it with ``verbose=0`` so that Keras prints nothing else::

        model.fit(x, y, epochs=4, verbose=0, callbacks=[EpochLogger()])

    prints lines like ``epoch 1/4  loss 0.3120  accuracy 0.9050  val_loss ...  3.1 s``.

    Args:
        every: Print only every ``every``-th epoch (and always the last one).
        digits: Decimal places of the metrics.
    """

    def __init__(self, every: int = 1, digits: int = 4) -> None:
        super().__init__()
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive integer, got {every!r}")
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
            raise ValueError(f"digits must be a non-negative integer, got {digits!r}")
        self.every = every
        self.digits = digits
        self.lines: list[str] = []
        self._epochs: int | None = None
        self._start = 0.0

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._epochs = self.params.get("epochs") if self.params else None
        self.lines = []

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        seconds = time.perf_counter() - self._start
        number = epoch + 1
        if number % self.every and number != self._epochs:
            return
        total = f"/{self._epochs}" if self._epochs else ""
        metrics = "  ".join(f"{k} {float(v):.{self.digits}f}" for k, v in (logs or {}).items())
        line = f"epoch {number}{total}  {metrics}  {seconds:.1f} s"
        self.lines.append(line)
        print(line)
