"""Tests of dlbook.data: registry, verified cache, clear errors, MNIST loader."""

from __future__ import annotations

import gzip
import hashlib
import socket

import numpy as np
import pytest
from dlbook import data


def _unused_local_url(name: str) -> str:
    # A port on 127.0.0.1 that nothing listens on: the download fails at once, offline.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{name}"


def test_unknown_dataset_lists_known_names():
    with pytest.raises(ValueError) as info:
        data.fetch("mnsit")
    message = str(info.value)
    assert "mnsit" in message
    for name in data.REGISTRY:
        assert name in message


def test_dataset_name_must_be_a_string():
    with pytest.raises(TypeError):
        data.fetch(7)  # type: ignore[arg-type]


def test_registry_entries_are_well_formed():
    for name, dataset in data.REGISTRY.items():
        assert dataset.name == name
        assert dataset.files and dataset.license and dataset.description
        for entry in dataset.files:
            assert entry.url.startswith(("https://", "http://"))
            assert len(entry.sha256) == 64 and int(entry.sha256, 16) >= 0
            assert not entry.path.startswith("/") and ".." not in entry.path


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.cache_dir() == tmp_path
    monkeypatch.delenv(data.ENV_VAR)
    assert data.cache_dir().name == "dlbook"


def test_missing_file_offline_gives_clear_error(tmp_path):
    entry = data.DataFile("demo/missing.txt", _unused_local_url("missing.txt"), "0" * 64)
    with pytest.raises(data.DataUnavailableError) as info:
        data.fetch_file(entry, tmp_path)
    message = str(info.value)
    assert "demo/missing.txt" in message
    assert entry.url in message
    assert str(tmp_path) in message
    assert data.ENV_VAR in message
    # Nothing partial is left behind.
    assert not (tmp_path / "demo" / "missing.txt").exists()
    assert isinstance(info.value, FileNotFoundError)


def test_verified_file_is_returned_without_download(tmp_path):
    content = b"hello, deep learning\n"
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "hello.txt").write_bytes(content)
    entry = data.DataFile(
        "demo/hello.txt", _unused_local_url("hello.txt"), hashlib.sha256(content).hexdigest()
    )
    assert data.fetch_file(entry, tmp_path) == tmp_path / "demo" / "hello.txt"


def test_corrupted_file_is_detected_and_not_used(tmp_path):
    good = b"the right bytes"
    (tmp_path / "demo").mkdir()
    path = tmp_path / "demo" / "file.bin"
    path.write_bytes(b"the wrong bytes")
    entry = data.DataFile("demo/file.bin", _unused_local_url("file.bin"), hashlib.sha256(good).hexdigest())
    with pytest.raises(data.DataIntegrityError) as info:
        data.fetch_file(entry, tmp_path)
    message = str(info.value)
    assert str(path) in message and entry.sha256 in message and entry.url in message
    # Repairing the file makes it usable: the failed check was not cached as a success.
    path.write_bytes(good)
    assert data.fetch_file(entry, tmp_path) == path


def test_gunzip_entries_hash_the_decompressed_bytes(tmp_path):
    content = b"same content, different compression" * 100
    (tmp_path / "demo").mkdir()
    sha = hashlib.sha256(content).hexdigest()
    entry = data.DataFile("demo/a.gz", _unused_local_url("a.gz"), sha, gunzip=True)
    for level in (1, 9):
        (tmp_path / "demo" / "a.gz").write_bytes(gzip.compress(content, compresslevel=level, mtime=level))
        assert data.fetch_file(entry, tmp_path).name == "a.gz"
    # A file that is not gzip at all is reported as corrupted, not as a crash.
    (tmp_path / "demo" / "a.gz").write_bytes(content)
    with pytest.raises(data.DataIntegrityError):
        data.fetch_file(entry, tmp_path)


def test_fetch_file_rejects_wrong_type(tmp_path):
    with pytest.raises(TypeError):
        data.fetch_file("mnist/t10k-labels-idx1-ubyte.gz", tmp_path)  # type: ignore[arg-type]


def _idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_read_idx_round_trip(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = tmp_path / "x-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(_idx_bytes(array)))
    result = data.read_idx(path)
    np.testing.assert_array_equal(result, array)
    result[0, 0, 0] = 9  # writable


def test_read_idx_rejects_bad_header_and_size(tmp_path):
    bad = tmp_path / "bad-ubyte"
    bad.write_bytes(b"\x01\x02\x03\x04rest")
    with pytest.raises(ValueError, match="not an unsigned-byte idx"):
        data.read_idx(bad)
    short = tmp_path / "short-ubyte"
    short.write_bytes(_idx_bytes(np.zeros((2, 2), np.uint8))[:-1])
    with pytest.raises(ValueError, match="holds 3 values"):
        data.read_idx(short)


def test_every_registered_file_is_in_the_offline_cache(shared_data):
    for dataset in data.REGISTRY.values():
        for entry in dataset.files:
            assert data.fetch_file(entry, shared_data) == shared_data / entry.path


def test_load_mnist_official_content(shared_data):
    (x_train, y_train), (x_test, y_test) = data.load_mnist(shared_data)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == np.uint8 and int(x_train.max()) == 255
    # Known facts of the official files: label counts and the first labels.
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert y_test[:5].tolist() == [7, 2, 1, 0, 4]


def test_load_fashion_mnist_official_content(shared_data):
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist(shared_data)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    # Facts published with the data set: 6,000 training and 1,000 test images per class,
    # the first ten training labels, and the training pixel mean and standard deviation.
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    pixels = x_train / 255.0
    assert abs(pixels.mean() - 0.2860) < 5e-5 and abs(pixels.std() - 0.3530) < 5e-5
    assert len(data.FASHION_MNIST_CLASSES) == 10
    assert data.FASHION_MNIST_CLASSES[9] == "Ankle boot"


def test_load_cifar10_sample(shared_data):
    (x_train, labels, ids), (x_test, test_ids) = data.load_cifar10_sample(shared_data)
    assert x_train.shape == (1000, 32, 32, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (100, 32, 32, 3)
    assert sorted(set(labels)) == sorted(data.CIFAR10_CLASSES)
    assert all((labels == name).sum() == 100 for name in data.CIFAR10_CLASSES)
    assert list(ids) == sorted(ids) and len(set(ids)) == 1000 and len(set(test_ids)) == 100
    # Known facts of the files: test ids 1-100 of Kaggle's test numbering.
    assert list(test_ids) == list(range(1, 101))
