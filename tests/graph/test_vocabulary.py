"""The built-in vocabulary's shape: big enough, one owner per name in every language, relations
between concepts that exist, no cycle in the hierarchies; and how it sits under the registry."""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from importlib import resources

import pytest

from generator.build import build
from generator.config import BuildConfig
from generator.graph.concepts import ConceptIndex, add_vocabulary
from generator.graph.link import build_graph
from generator.graph.names import key
from generator.graph.registry import load_registry
from generator.graph.vocabulary import ACYCLIC, LANGUAGES, RELATION_TYPES, VOCABULARY_EVIDENCE, load_vocabulary
from generator.model import Flashcard, SourceLocation

FIELDS = {"expansion", "aliases", "definition", "common_word", "names", *RELATION_TYPES}


def _files() -> dict[str, dict]:
    folder = resources.files("generator.graph.vocabulary")
    return {e.name: tomllib.loads(e.read_text(encoding="utf-8")) for e in folder.iterdir() if e.name.endswith(".toml")}


def test_every_file_parses_and_says_its_topic():
    files = _files()
    assert len(files) >= 10
    for name, data in files.items():
        assert data.get("topic") == name.removesuffix(".toml"), name
        assert set(data) <= {"topic", "concepts"}, name
        for concept, body in data["concepts"].items():
            assert set(body) <= FIELDS, (name, concept, set(body) - FIELDS)
            assert body.get("definition", "").strip(), (name, concept)
            assert set(body.get("names", {})) <= set(LANGUAGES), (name, concept)


def test_at_least_a_thousand_concepts_with_translations_of_the_most_used():
    vocabulary = load_vocabulary()
    assert len(vocabulary.terms) >= 1000
    translated = [t for t in vocabulary.terms.values() if t.names]
    assert len(translated) >= 120
    languages = {lang for t in translated for lang, _ in t.names}
    assert set(LANGUAGES) <= languages


def test_no_name_in_any_language_on_two_concepts():
    owners = defaultdict(set)
    for _file, data in _files().items():
        for concept, body in data["concepts"].items():
            names = [concept, body.get("expansion", ""), *body.get("aliases", [])]
            names += [name for names_ in body.get("names", {}).values() for name in names_]
            for name in filter(None, names):
                owners[key(name)].add(concept)
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not clashes


def test_every_name_has_a_letter():
    # A name split at its decimal comma ("regla 68-95-99,7") leaves pieces such as "7".
    vocabulary = load_vocabulary()
    bad = [(t.name, s) for t in vocabulary.terms.values() for s in (*t.english, *t.translated)]
    assert not [(name, s) for name, s in bad if not re.search(r"[^\W\d_]", s)]


def test_no_concept_is_defined_twice():
    seen = {}
    for file, data in _files().items():
        for concept in data["concepts"]:
            assert concept not in seen, (concept, seen.get(concept), file)
            seen[concept] = file


def test_every_relation_names_concepts_of_the_vocabulary():
    concepts = {c for data in _files().values() for c in data["concepts"]}
    missing = [
        (concept, kind, target)
        for data in _files().values()
        for concept, body in data["concepts"].items()
        for kind in RELATION_TYPES
        for target in body.get(kind, [])
        if target not in concepts
    ]
    assert not missing


def test_no_cycle_in_extends_variant_of_part_of():
    below = defaultdict(set)
    for r in load_vocabulary().relations:
        if r.type in ACYCLIC:
            below[r.subject].add(r.target)
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for parent in below[name]:
            assert state.get(parent) != 1, " → ".join([*path, name, parent])
            if parent not in state:
                visit(parent, [*path, name])
        state[name] = 2

    for name in list(below):
        if name not in state:
            visit(name, [])


def _card(text: str, line: int = 1, question: str = "Notes") -> Flashcard:
    return Flashcard(question, question, text, text, SourceLocation("n.md", line), (), "n", "topic", guid=f"g{line}")


def test_vocabulary_concepts_become_nodes_only_when_the_notes_name_them(tmp_path):
    graph = build_graph(
        [_card("Logistic regression is fitted by maximum likelihood estimation.")], load_registry(tmp_path)
    )
    assert {"logistic regression", "maximum likelihood estimation"} <= set(graph.concepts)
    assert "Bloom filter" not in graph.concepts


def test_vocabulary_relations_join_two_named_concepts_with_their_own_evidence(tmp_path):
    graph = build_graph([_card("We compared LoRA and QLoRA on one GPU.")], load_registry(tmp_path))
    edges = {(r.source, r.target, r.type): r for r in graph.relations}
    assert ("LoRA", "QLoRA", "extends") in edges
    assert edges[("LoRA", "QLoRA", "extends")].evidence[0].location == VOCABULARY_EVIDENCE
    exported = graph.to_networkx().get_edge_data("LoRA", "QLoRA")["extends"]
    assert exported["origin"] == "vocabulary"


def test_everyday_words_need_the_evidence_of_a_term(tmp_path):
    passing = build_graph([_card("Please recall the plan and search the room.")], load_registry(tmp_path))
    assert not {"recall", "search"} & set(passing.concepts)
    termed = build_graph(
        [_card("**Recall** is the share of positives found.", question="Recall")], load_registry(tmp_path)
    )
    assert "recall" in termed.concepts


@pytest.mark.parametrize(
    "text, wrong",
    [
        ("A census is the gold standard for counting people.", "ground truth"),  # an idiom: the best practice
        ("Precision at k counts the relevant hits in the top-k results.", "top-k sampling"),  # ranking, not decoding
        ("Height is a continuous variable.", "numerical variable"),  # a narrower kind, not a synonym
        ("La métrica principal del modelo es la exactitud.", "distance metric"),  # Spanish for any metric
    ],
)
def test_an_alias_names_its_concept_and_no_other_sense(tmp_path, text, wrong):
    graph = build_graph([_card(text, question="Short")], load_registry(tmp_path))
    assert wrong not in graph.concepts


def test_the_registry_overrides_and_a_setting_turns_the_vocabulary_off(tmp_path):
    (tmp_path / "concepts.toml").write_text(
        '[concepts.LoRA]\naliases = ["low-rank adapters"]\ndefinition = "Our own words."\n', encoding="utf-8"
    )
    cards = [_card("LoRA and QLoRA and logistic regression.")]
    graph = build_graph(cards, load_registry(tmp_path))
    assert graph.concepts["LoRA"].definition == "Our own words."
    assert "Low-Rank Adaptation" in graph.concepts["LoRA"].aliases  # the vocabulary's names still come along
    assert "logistic regression" in graph.concepts
    off = build_graph(cards, load_registry(tmp_path, vocabulary=False))
    assert "logistic regression" not in off.concepts and "LoRA" in off.concepts
    (tmp_path / "deckgraph.toml").write_text("[build]\nvocabulary = false\n", encoding="utf-8")
    assert load_registry(tmp_path).vocabulary is None
    assert load_registry(tmp_path, vocabulary=True).vocabulary is not None


@pytest.mark.parametrize(
    "text, concept, label",
    [
        ("过拟合是模型在训练集上表现好、在测试集上差。", "overfitting", "过拟合"),
        ("과적합은 모델이 훈련 데이터에 너무 맞춰진 상태이다.", "overfitting", "과적합"),
        ("Переобучение — когда модель запоминает обучающие данные.", "overfitting", "переобучение"),
        ("Overfitting happens when a model memorises its training data.", "overfitting", "overfitting"),
        # German writes "Bloomfilter", which has the key of the English name: English notes stay English.
        ("A Bloom filter answers set membership with a few bits per item.", "Bloom filter", "Bloom filter"),
    ],
)
def test_a_concept_is_one_node_labelled_in_the_notes_language(tmp_path, text, concept, label):
    graph = build_graph([_card(text, question=text.split()[0])], load_registry(tmp_path))
    assert concept in graph.concepts
    assert graph.label(concept).lower() == label.lower()


def test_the_build_option_and_the_setting_reach_graph_json(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text(
        "## What is logistic regression?\n\nA model of log-odds, fit by MLE.\n", encoding="utf-8"
    )
    on = json.loads((build(BuildConfig(notes, tmp_path / "on")).outputs[1]).read_text(encoding="utf-8"))
    off = json.loads(
        (build(BuildConfig(notes, tmp_path / "off", vocabulary=False)).outputs[1]).read_text(encoding="utf-8")
    )
    assert "maximum likelihood estimation" in {n["id"] for n in on["nodes"]}
    assert "maximum likelihood estimation" not in {n["id"] for n in off["nodes"]}
    assert all(e["origin"] in ("notes", "registry", "vocabulary") for e in on["edges"])


def test_every_spelling_is_found_even_when_two_share_a_key():
    # 'LayerNorm' and 'layer norm' fold to one key; the text is searched for each as written.
    index = ConceptIndex()
    add_vocabulary(index, load_vocabulary())
    text = "Layer norm works per example; BatchNorm and batch norm need the batch; LayerNorm again."
    found = [(text[start:end], name) for start, end, name in index.mentions(text)]
    assert ("Layer norm", "layer normalization") in found and ("LayerNorm", "layer normalization") in found
    assert ("batch norm", "batch normalization") in found and ("BatchNorm", "batch normalization") in found


@pytest.mark.parametrize("written", ["kNN", "KNN"])
def test_an_acronym_is_found_in_each_casing_the_vocabulary_lists(tmp_path, written):
    graph = build_graph(
        [_card(f"{written} votes among the closest training points.", question=written)], load_registry(tmp_path)
    )
    assert "k-nearest neighbors" in graph.concepts


@pytest.mark.parametrize(
    "text, concept",
    [
        ("필터 하나를 모든 위치에 쓰므로 가중치 공유 덕분에 파라미터가 적다.", "weight sharing"),
        ("시그모이드는 큰 입력에서 기울기가 사라진다.", "sigmoid function"),
        ("Автоэнкодер учится уменьшать ошибку реконструкции на обучающих данных.", "reconstruction error"),
        ("DBSCAN относится к кластеризации на основе плотности.", "density-based clustering"),
        ("Weights are stored as int8 and scaled back at run time.", "INT8"),
        ("The library grows each tree leaf-wise rather than level by level.", "leaf-wise tree growth"),
    ],
)
def test_common_field_terms_are_known_in_the_forms_notes_write(text, concept):
    index = ConceptIndex()
    add_vocabulary(index, load_vocabulary())
    assert concept in {name for *_, name in index.mentions(text)}
