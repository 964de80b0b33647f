"""Tests of dlbook.cnn: output sizes, parameters and multiply-accumulates of ConvNet layers."""

from __future__ import annotations

import keras
import pytest
from dlbook.cnn import Cost, conv_output_size, layer_cost, model_cost
from keras import layers


def test_conv_output_size():
    assert conv_output_size(28, 3) == 26  # valid
    assert conv_output_size(28, 3, padding=1) == 28  # same
    assert conv_output_size(26, 2, stride=2) == 13  # 2x2 max pooling
    assert conv_output_size(28, 3, padding=1, stride=2) == 14
    assert conv_output_size(3, 3) == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [((2, 3), ValueError), ((28, 0), ValueError), ((28, 3, -1), ValueError), ((28, 3, 0, 0), ValueError),
     ((28.0, 3), TypeError), ((28, True), TypeError)],
)
def test_conv_output_size_rejects_bad_input(args, error):
    with pytest.raises(error):
        conv_output_size(*args)


def test_model_cost_counts_every_layer_kind_by_hand():
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(8, 3, padding="same"),  # 28x28x8
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPooling2D(2),  # 14x14x8
            layers.DepthwiseConv2D(3),  # 12x12x8
            layers.Conv2D(16, 1, use_bias=False),  # 12x12x16
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(10),
        ]
    )
    params = (9 * 1 + 1) * 8 + 4 * 8 + (9 + 1) * 8 + 8 * 16 + (12 * 12 * 16 + 1) * 10
    macs = 28 * 28 * 9 * 1 * 8 + 12 * 12 * 9 * 8 + 12 * 12 * 8 * 16 + 12 * 12 * 16 * 10
    assert model_cost(model) == Cost(params, macs)
    assert params == model.count_params()
    assert layer_cost(model.layers[0]) == Cost(80, 28 * 28 * 9 * 8)


def test_a_functional_model_with_branches():
    inputs = keras.Input((8, 8, 4))
    a = layers.Conv2D(6, 1)(inputs)
    b = layers.Conv2D(6, 3, padding="same")(inputs)
    outputs = layers.Add()([a, b])
    model = keras.Model(inputs, outputs)
    assert model_cost(model) == Cost((4 + 1) * 6 + (36 + 1) * 6, 64 * 4 * 6 + 64 * 36 * 6)


def test_unknown_layers_with_weights_are_refused():
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.SeparableConv2D(4, 3)])
    with pytest.raises(ValueError, match="SeparableConv2D"):
        model_cost(model)
    with pytest.raises(TypeError):
        model_cost("not a model")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        layer_cost(3)  # type: ignore[arg-type]
