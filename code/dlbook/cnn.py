"""What a convolutional network costs: output sizes, parameters and multiply-accumulates.

Introduced in Part VI, *The Kaggle Learn ConvNet on Fashion-MNIST*.

*Your first ConvNet* derives the output size of a convolution and its parameter count in its own
cells; *Classic architectures: from LeNet to MobileNet* derives the multiply-accumulate (MAC)
counts and checks them against a convolution loop that counts its own products. The chapters of
Part VI that compare models by cost call these functions.

A MAC is one product added to a running sum: a convolution with ``F`` filters of
``k_h x k_w`` on ``C`` channels costs ``H_out * W_out * k_h * k_w * C * F`` per image, a dense
layer ``n_in * n_out``. Biases, activations, pooling, batch normalisation and additions cost a
few operations per output, not per product, and are not counted.
"""

from __future__ import annotations

from typing import NamedTuple

import keras

__all__ = ["Cost", "conv_output_size", "layer_cost", "model_cost"]


def conv_output_size(n: int, k: int, padding: int = 0, stride: int = 1) -> int:
    """Number of ``k``-wide windows along ``n`` with ``padding`` zeros each side, step ``stride``."""
    for name, value, least in (("n", n, 1), ("k", k, 1), ("padding", padding, 0), ("stride", stride, 1)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value < least:
            raise ValueError(f"{name} must be at least {least}, got {value}")
    if k > n + 2 * padding:
        raise ValueError(f"a window of {k} does not fit in {n} values with padding {padding}")
    return (n + 2 * padding - k) // stride + 1


class Cost(NamedTuple):
    """Parameters and multiply-accumulates per image of a layer or a model."""

    params: int
    macs: int


def layer_cost(layer: keras.layers.Layer) -> Cost:
    """The :class:`Cost` of one built Keras layer, by formula.

    Handles ``Conv2D``, ``DepthwiseConv2D``, ``Dense`` and ``BatchNormalization`` (its four
    vectors: scale and shift, trained; moving mean and variance, not trained) and every layer
    without weights (pooling, activations, ``Flatten``, ``Dropout``, ``Add``, ``Concatenate``...,
    which cost nothing here). Any other layer with weights raises a ``ValueError``.
    """
    if not isinstance(layer, keras.layers.Layer):
        raise TypeError(f"layer must be a Keras layer, got {type(layer).__name__}")
    if isinstance(layer, keras.layers.InputLayer):
        return Cost(0, 0)
    shape = layer.output.shape
    h_out, w_out = (shape[1], shape[2]) if len(shape) == 4 else (1, 1)
    if isinstance(layer, keras.layers.DepthwiseConv2D):  # one k x k filter per channel
        (k_h, k_w), c = layer.kernel_size, layer.input.shape[-1]
        multiplier = layer.depth_multiplier
        params = (k_h * k_w + int(layer.use_bias)) * c * multiplier
        return Cost(params, h_out * w_out * k_h * k_w * c * multiplier)
    if isinstance(layer, keras.layers.Conv2D):
        (k_h, k_w), c, f = layer.kernel_size, layer.input.shape[-1], layer.filters
        if layer.groups != 1:
            raise ValueError(f"{layer.name}: grouped convolutions are not counted")
        return Cost((k_h * k_w * c + int(layer.use_bias)) * f, h_out * w_out * k_h * k_w * c * f)
    if isinstance(layer, keras.layers.Dense):
        n_in, n_out = layer.input.shape[-1], layer.units
        return Cost((n_in + int(layer.use_bias)) * n_out, n_in * n_out)
    if isinstance(layer, keras.layers.BatchNormalization):
        return Cost(layer.count_params(), 0)
    if not layer.weights:
        return Cost(0, 0)
    raise ValueError(f"{layer.name}: no cost formula for a {type(layer).__name__} layer")


def model_cost(model: keras.Model) -> Cost:
    """The total :class:`Cost` of a built model's layers (nested models are not expanded).

    Every layer's parameter count is checked against Keras's ``count_params``, and the total
    against the model's: a formula that disagrees raises a ``ValueError`` naming the layer.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    params = macs = 0
    for layer in model.layers:
        cost = layer_cost(layer)
        if cost.params != layer.count_params():
            raise ValueError(f"{layer.name}: {cost.params} parameters by formula, {layer.count_params()} in Keras")
        params, macs = params + cost.params, macs + cost.macs
    if params != model.count_params():
        raise ValueError(f"{params} parameters by formula, {model.count_params()} in Keras")
    return Cost(params, macs)
