"""Tests of dlbook.pretrained: EfficientNet-Lite0 with verified ImageNet weights, offline."""

from __future__ import annotations

import os
import socket

import numpy as np
import pytest
from dlbook import data, pretrained
from skimage import data as skdata

# The same images and numbers as the data folder's README (Keras 3.15 / TensorFlow 2.21, CPU).
EXPECTED = {"chelsea": ("Egyptian_cat", 0.79), "coffee": ("espresso", 0.91)}
TOTAL_NUMBERS = 4_694_024  # floats in the .npz: every weight, bias and batch-norm statistic
TRAINABLE = 4_652_008  # the same less the moving means and variances of batch normalisation


@pytest.fixture(scope="module")
def model():
    if not os.environ.get(data.ENV_VAR):
        pytest.skip("DLBOOK_DATA does not point at a data folder")
    return pretrained.efficientnet_lite0()


@pytest.fixture(scope="module")
def probs(model):
    images = [getattr(skdata, name)() for name in EXPECTED]
    return model.predict(pretrained.preprocess(images), verbose=0)


def _unused_local_url(name: str) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{name}"


def test_parameter_count_matches_weight_file(model, shared_data):
    with np.load(shared_data / "pretrained" / "efficientnet_lite0_imagenet.npz") as archive:
        assert len(archive.files) == 247
        assert sum(archive[name].size for name in archive.files) == TOTAL_NUMBERS
    # Keras counts the batch-norm moving statistics too (as non-trainable weights).
    assert model.count_params() == TOTAL_NUMBERS
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == TRAINABLE
    assert model.output_shape == (None, pretrained.NUM_CLASSES)
    assert model.input_shape == (None, pretrained.IMAGE_SIZE, pretrained.IMAGE_SIZE, 3)


def test_weights_are_the_file_s(model, shared_data):
    with np.load(shared_data / "pretrained" / "efficientnet_lite0_imagenet.npz") as archive:
        stem = archive["_conv_stem.weight"]
        depthwise = archive["_blocks.3._depthwise_conv.weight"]
        fc = archive["_fc.weight"]
    np.testing.assert_array_equal(model.get_layer("stem_conv").get_weights()[0], stem.transpose(2, 3, 1, 0))
    np.testing.assert_array_equal(model.get_layer("block3_dwconv").get_weights()[0], depthwise.transpose(2, 3, 0, 1))
    np.testing.assert_array_equal(model.get_layer("predictions").get_weights()[0], fc.T)


@pytest.mark.parametrize("index, name", list(enumerate(EXPECTED)))
def test_predictions_on_real_photos(probs, index, name):
    expected_class, expected_prob = EXPECTED[name]
    (top1,) = pretrained.decode_predictions(probs[index], top=1)
    _, class_name, prob = top1[0]
    assert class_name == expected_class
    assert prob == pytest.approx(expected_prob, abs=0.02)


def test_probabilities_and_decoding(probs):
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-4)
    decoded = pretrained.decode_predictions(probs, top=3)
    assert len(decoded) == 2 and all(len(row) == 3 for row in decoded)
    wnid, name, prob = decoded[0][0]
    assert wnid == "n02124075" and name == "Egyptian_cat"
    assert [p for *_, p in decoded[0]] == sorted((p for *_, p in decoded[0]), reverse=True)
    assert decoded[0][1][1] == "tiger_cat"


def test_headless_model_gives_pooled_features(model, probs):
    features = pretrained.efficientnet_lite0(include_top=False)
    assert features.output_shape == (None, 1280)
    assert features.count_params() == TOTAL_NUMBERS - 1280 * 1000 - 1000
    image = pretrained.preprocess(skdata.chelsea())
    pooled = features(image, training=False).numpy()  # an eager call: no predict() to trace
    # The head of the full model applied to these features gives its predictions.
    w, b = model.get_layer("predictions").get_weights()
    logits = (pooled @ w + b)[0]
    softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(softmax, probs[0], atol=1e-5)


def test_preprocess_shapes_and_scale():
    image = np.zeros((10, 20, 3), dtype=np.uint8)
    image[..., 0] = 255
    out = pretrained.preprocess(image)
    assert out.shape == (1, 224, 224, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out[0, :, :, 0], 1.0)
    np.testing.assert_allclose(out[0, :, :, 1], -127 / 128)
    assert pretrained.preprocess([image, np.zeros((300, 200, 3))]).shape == (2, 224, 224, 3)
    assert pretrained.preprocess(np.zeros((4, 32, 32, 3))).shape == (4, 224, 224, 3)


@pytest.mark.parametrize(
    "bad, error",
    [
        (np.zeros((32, 32)), ValueError),
        (np.zeros((32, 32, 4)), ValueError),
        ([], ValueError),
        ("chelsea.png", TypeError),
        (7, TypeError),
    ],
)
def test_preprocess_rejects_bad_input(bad, error):
    with pytest.raises(error):
        pretrained.preprocess(bad)


def test_bad_arguments():
    with pytest.raises(ValueError, match="foo"):
        pretrained.efficientnet_lite0(weights="foo")
    with pytest.raises(TypeError):
        pretrained.efficientnet_lite0(include_top="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1000"):
        pretrained.decode_predictions(np.zeros((2, 10)))
    with pytest.raises(ValueError):
        pretrained.decode_predictions(np.zeros(1000), top=0)
    with pytest.raises(TypeError):
        pretrained.decode_predictions(np.zeros(1000), top=2.5)  # type: ignore[arg-type]


def test_missing_weight_file_names_it(tmp_path, monkeypatch):
    entry = data.REGISTRY["efficientnet-lite0"].files[0]
    offline = data.DataFile(entry.path, _unused_local_url("efficientnet_lite0_imagenet.npz"), entry.sha256)
    monkeypatch.setitem(data.REGISTRY, "efficientnet-lite0", data.Dataset("efficientnet-lite0", "d", "l", (offline,)))
    with pytest.raises(data.DataUnavailableError) as info:
        pretrained.efficientnet_lite0(cache=tmp_path)
    assert "pretrained/efficientnet_lite0_imagenet.npz" in str(info.value)
    assert str(tmp_path) in str(info.value)


def test_corrupted_weight_file_is_refused(tmp_path):
    path = tmp_path / "pretrained" / "efficientnet_lite0_imagenet.npz"
    path.parent.mkdir()
    np.savez(path, **{"_conv_stem.weight": np.zeros((32, 3, 3, 3), dtype=np.float32)})
    with pytest.raises(data.DataIntegrityError, match="efficientnet_lite0_imagenet.npz"):
        pretrained.efficientnet_lite0(cache=tmp_path)


def test_registry_entries_match_the_data_folder(shared_data):
    for name in ("efficientnet-lite0", "imagenet-classes", "cifar10-labels"):
        paths = data.fetch(name, shared_data)
        assert all(path.is_file() for path in paths.values())
