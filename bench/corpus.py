"""A synthetic notes folder shaped like real study notes, for `make bench`.

Every file holds `questions` question cards (9 by default, and a card per row of its
comparison tables: about 10 cards a file) in one of the note shapes the parser knows; every
answer runs 500–1,500 characters and names 2–3 concepts, some from the registry and the field's
vocabulary, some discovered (an acronym the notes define themselves: "Gated Residual Mixing (GRM)").
Answers mix bold definitions, bulleted and numbered lists, inline and display math, code and
comparison tables in the proportions below (`PROPORTIONS`), so each stage sees the text it sees in
real notes. The same seed gives the same bytes.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "notes" / "concepts.toml"

EDIT_PHRASE = "keeps the base weights"
"""A phrase in every file's first answer: the one-file-edit measurement rewords it."""

SHAPES = (
    ("question headings with **A:**", 0.35),  # ### Q1. What is X?\n\n**A:** …
    ("question headings", 0.20),  # ## Part …\n### Why does X …?
    ("topic sections", 0.15),  # ## 2. **Topic (TP)**
    ("bold-question lists", 0.15),  # 1.  **Why does X matter?**\n    answer indented
    ("Q:/A: lines", 0.10),  # Q: …\nA: …
    ("<details> blocks", 0.05),  # <details><summary>…</summary> …
)
"""Note shapes, as shares of the files (each file is written in one shape, as people do)."""

PROPORTIONS = {
    "bold definition": 0.70,
    "bulleted list": 0.80,
    "numbered list": 0.25,
    "inline math": 0.60,
    "display math": 0.30,
    "code block": 0.20,
    "comparison table": 0.05,
}
"""Share of answers holding each element."""

VOCABULARY = [
    "gradient descent",
    "stochastic gradient descent",
    "learning rate",
    "batch normalization",
    "layer normalization",
    "dropout",
    "overfitting",
    "regularization",
    "cross-entropy",
    "softmax",
    "logistic regression",
    "linear regression",
    "backpropagation",
    "residual connection",
    "self-attention",
    "Transformer",
    "BERT",
    "GPT",
    "tokenization",
    "byte-pair encoding",
    "word embedding",
    "beam search",
    "top-p sampling",
    "perplexity",
    "BLEU",
    "ROUGE",
    "precision",
    "recall",
    "F1 score",
    "ROC curve",
    "AUC",
    "k-means",
    "PCA",
    "t-SNE",
    "random forest",
    "gradient boosting",
    "XGBoost",
    "support vector machine",
    "k-nearest neighbors",
    "naive Bayes",
    "Bayes' theorem",
    "maximum likelihood estimation",
    "KL divergence",
    "entropy",
    "mutual information",
    "bias-variance tradeoff",
    "cross-validation",
    "early stopping",
    "data augmentation",
    "transfer learning",
    "contrastive learning",
    "knowledge distillation",
    "mixture of experts",
    "FlashAttention",
    "retrieval-augmented generation",
    "vector database",
    "BM25",
    "TF-IDF",
    "cosine similarity",
    "convolutional neural network",
    "recurrent neural network",
    "LSTM",
    "GAN",
    "reinforcement learning",
    "Q-learning",
    "policy gradient",
    "Markov decision process",
    "hyperparameter tuning",
    "A/B testing",
    "p-value",
    "confidence interval",
    "central limit theorem",
    "normal distribution",
    "Bernoulli distribution",
    "hypothesis testing",
]
"""Names of the field a vocabulary knows (written in the notes, not declared in their registry)."""

_FILLER = [
    "model",
    "training",
    "data",
    "loss",
    "gradient",
    "update",
    "step",
    "batch",
    "token",
    "sequence",
    "layer",
    "weight",
    "parameter",
    "memory",
    "compute",
    "throughput",
    "latency",
    "accuracy",
    "signal",
    "noise",
    "scale",
    "budget",
    "trade-off",
    "objective",
    "estimate",
    "variance",
    "baseline",
    "signal",
    "schedule",
    "checkpoint",
    "shard",
    "cluster",
    "dataset",
    "label",
    "feature",
    "vector",
    "matrix",
    "rank",
    "norm",
]
_ADJECTIVES = [
    "sparse",
    "dense",
    "gated",
    "residual",
    "adaptive",
    "stochastic",
    "hierarchical",
    "contrastive",
    "causal",
    "masked",
    "rotary",
    "grouped",
    "latent",
    "spectral",
    "recurrent",
    "linear",
    "quantized",
    "distilled",
    "shared",
    "local",
    "global",
]
_NOUNS = [
    "routing",
    "mixing",
    "attention",
    "pooling",
    "decoding",
    "sampling",
    "projection",
    "embedding",
    "alignment",
    "scaling",
    "pruning",
    "caching",
    "merging",
    "filtering",
    "ranking",
    "tuning",
    "smoothing",
    "normalization",
    "encoding",
    "retrieval",
]


@dataclass(slots=True)
class CorpusStats:
    files: int = 0
    cards: int = 0
    answer_chars: list[int] = field(default_factory=list)
    shapes: dict[str, int] = field(default_factory=dict)
    elements: dict[str, int] = field(default_factory=dict)
    concepts: int = 0
    discovered: int = 0

    def describe(self) -> str:
        chars = sorted(self.answer_chars)
        lines = [
            f"{self.files:,} files, {self.cards:,} question cards (plus the cards of comparison tables); "
            f"answers {chars[0]:,}–{chars[-1]:,} characters, mean {sum(chars) / len(chars):,.0f}; "
            f"{self.concepts / self.cards:.1f} concept names per answer "
            f"({self.discovered / self.concepts:.0%} discovered acronyms the notes define, the rest registry "
            "or vocabulary names)",
            "  shapes (of files): " + ", ".join(f"{name} {n / self.files:.0%}" for name, n in self.shapes.items()),
            "  answers holding: "
            + ", ".join(f"{name} {n / self.cards:.0%}" for name, n in sorted(self.elements.items())),
        ]
        return "\n".join(lines)


class _Writer:
    def __init__(self, rng: random.Random, stats: CorpusStats) -> None:
        self.rng = rng
        self.stats = stats
        self.registry = _registry_names()
        self.vocabulary = VOCABULARY
        self.discovered = self._discovered(300)
        self.defined: set[str] = set()

    def _discovered(self, count: int) -> list[tuple[str, str]]:
        """(acronym, long form) pairs the notes define themselves."""
        seen, pairs = set(), []
        while len(pairs) < count:
            words = [self.rng.choice(_ADJECTIVES), self.rng.choice(_ADJECTIVES), self.rng.choice(_NOUNS)]
            if len(set(words)) < 3:
                continue
            short = "".join(w[0].upper() for w in words) + self.rng.choice(("", "", "-2", "X"))
            if short in seen:
                continue
            seen.add(short)
            pairs.append((short, " ".join(w.capitalize() for w in words)))
        return pairs

    def concepts(self) -> list[str]:
        """2–3 names for one answer: registry and vocabulary names, and now and then a discovered one."""
        rng = self.rng
        names: list[str] = []
        for _ in range(rng.choice((2, 2, 3))):
            roll = rng.random()
            if roll < 0.4:
                names.append(rng.choice(self.registry))
            elif roll < 0.75:
                names.append(rng.choice(self.vocabulary))
            else:
                short, long = rng.choice(self.discovered)
                if short in self.defined:
                    names.append(short)
                else:
                    self.defined.add(short)
                    names.append(f"{long} ({short})")
                self.stats.discovered += 1
        self.stats.concepts += len(names)
        return names

    def sentence(self, subject: str | None = None) -> str:
        rng = self.rng
        words = [rng.choice(_FILLER) for _ in range(rng.randint(5, 11))]
        if subject:
            words.insert(rng.randint(0, 3), subject)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def answer(self, topic: str, n: int) -> str:
        """One answer of 500–1,500 characters about `topic`, naming 2–3 concepts."""
        rng = self.rng
        names = self.concepts()
        head, others = names[0], names[1:]
        used = self.stats.elements
        parts = []
        if rng.random() < PROPORTIONS["bold definition"]:
            parts.append(f"**{topic}** is a technique that builds on {head} and {EDIT_PHRASE} frozen ({n}).")
            used["bold definition"] = used.get("bold definition", 0) + 1
        else:
            parts.append(f"{topic} builds on {head} and {EDIT_PHRASE} frozen ({n}). {self.sentence()}")
        parts.append(self.sentence(others[0]) + " " + self.sentence())
        if rng.random() < PROPORTIONS["bulleted list"]:
            parts.append(
                f"- **Why:** it reduces memory by $r(d+k)$ vs $dk$ parameters.\n"
                f"- **How:** {self.sentence()}\n"
                f"  - nested detail {n} with *emphasis* and `code_{n}`\n"
                f"- **When:** {self.sentence(others[-1])}"
            )
            used["bulleted list"] = used.get("bulleted list", 0) + 1
        if rng.random() < PROPORTIONS["numbered list"]:
            parts.append("\n".join(f"{k}. {self.sentence()}" for k in range(1, rng.randint(3, 5))))
            used["numbered list"] = used.get("numbered list", 0) + 1
        if rng.random() < PROPORTIONS["inline math"]:
            parts.append(f"The update is $\\theta_{{t+1}} = \\theta_t - \\eta \\nabla L_{n}$, {self.sentence()}")
            used["inline math"] = used.get("inline math", 0) + 1
        if rng.random() < PROPORTIONS["display math"]:
            parts.append(f"$$\n\\mathcal{{L}}_{{{n}}} = -\\sum_t \\log P(x_t \\mid x_{{<t}})\n$$")
            used["display math"] = used.get("display math", 0) + 1
        if rng.random() < PROPORTIONS["code block"]:
            parts.append(
                f"```python\ndef step_{n}(model, batch):\n    loss = model(batch).loss\n"
                f"    loss.backward()\n    return loss.item()\n```"
            )
            used["code block"] = used.get("code block", 0) + 1
        if rng.random() < PROPORTIONS["comparison table"]:  # items in rows: a card per row
            rival = rng.choice(self.registry)
            parts.append(
                f"| Method | Memory | Speed |\n|---|---|---|\n| {topic} | low | {rng.choice(('fast', 'slow'))} |\n"
                f"| {rival} | high | {rng.choice(('fast', 'slow'))} |"
            )
            used["comparison table"] = used.get("comparison table", 0) + 1
        text = "\n\n".join(parts)
        target = rng.triangular(500, 1500, 500)  # mean about 830
        while len(text) < target:
            text += "\n\n" + " ".join(self.sentence() for _ in range(rng.randint(1, 3)))
        if len(text) > 1500:  # never cut inside a table, list or fence: drop whole trailing paragraphs
            paragraphs = text.split("\n\n")
            while len("\n\n".join(paragraphs)) > 1500 and len(paragraphs) > 2:
                paragraphs.pop()
            text = "\n\n".join(paragraphs)
            while len(text) < 500:
                text += " " + self.sentence()
        self.stats.answer_chars.append(len(text))
        self.stats.cards += 1
        return text


def _registry_names() -> list[str]:
    names = []
    for line in REGISTRY.read_text(encoding="utf-8").splitlines():
        if line.startswith("[concepts."):
            names.append(line[len("[concepts.") : -1].strip('"'))
    return names


def _shape(index: int, rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in SHAPES:
        total += share
        if roll < total:
            return name
    return SHAPES[-1][0]


def _file(writer: _Writer, index: int, questions: int) -> str:
    rng = writer.rng
    shape = _shape(index, rng)
    writer.stats.shapes[shape] = writer.stats.shapes.get(shape, 0) + 1
    lines = [f"# Notes {index}\n"]
    for q in range(questions):
        topic = rng.choice(writer.registry + writer.vocabulary)
        n = index * questions + q
        answer = writer.answer(topic, n)
        if shape == "question headings with **A:**":
            lines.append(f"### Q{q + 1}. What is {topic} variant {n}, and why use it?\n\n**A:** {answer}\n\n---\n")
        elif shape == "question headings":
            if q % 4 == 0:
                lines.append(f"## Part {q // 4 + 1}: {topic}\n")
            lines.append(f"### Why does {topic} case {n} work?\n\n{answer}\n")
        elif shape == "topic sections":
            lines.append(f"## {q + 1}. **{topic} technique {n}**\n\n{answer}\n\n---\n")
        elif shape == "bold-question lists":
            if q == 0:
                lines.append("## Interview Focus\n")
            body = answer.replace("\n", "\n    ")
            lines.append(f"{q + 1}.  **Why does {topic} case {n} matter?**\n    {body}\n")
        elif shape == "Q:/A: lines":
            lines.append(f"Q: How does {topic} case {n} behave?\nA: {answer}\n")
        else:
            lines.append(
                f"<details>\n<summary>When is {topic} case {n} the right choice?</summary>\n\n{answer}\n\n</details>\n"
            )
    return "\n".join(lines)


def make_corpus(
    folder: Path, files: int = 1000, questions: int = 9, seed: int = 7, stats: CorpusStats | None = None
) -> Path:
    """`files` note files of `questions` cards each, and the seed notes' concept registry."""
    rng = random.Random(seed)
    stats = stats if stats is not None else CorpusStats()
    writer = _Writer(rng, stats)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REGISTRY, folder / "concepts.toml")
    for index in range(files):
        (folder / f"note-{index:04d}.md").write_text(_file(writer, index, questions), encoding="utf-8")
        stats.files += 1
    return folder


QUESTIONS = {
    "question headings with **A:**": "What is {topic} variant {n}, and why use it?",
    "question headings": "Why does {topic} case {n} work?",
    "topic sections": "{topic} technique {n}",
    "bold-question lists": "Why does {topic} case {n} matter?",
    "Q:/A: lines": "How does {topic} case {n} behave?",
    "<details> blocks": "When is {topic} case {n} the right choice?",
}
"""Each shape's question, as `_file` writes it (without the shape's markup)."""


def card_texts(files: int = 10_000, questions: int = 10, seed: int = 7) -> list[tuple[str, str, str, int]]:
    """(question, answer, file, line) of the cards a corpus of `files` files would hold, without
    writing or parsing it: for measuring a stage on many cards quickly."""
    rng = random.Random(seed)
    writer = _Writer(rng, CorpusStats())
    found = []
    for index in range(files):
        shape = _shape(index, rng)
        for q in range(questions):
            topic = rng.choice(writer.registry + writer.vocabulary)
            n = index * questions + q
            found.append(
                (QUESTIONS[shape].format(topic=topic, n=n), writer.answer(topic, n), f"note-{index:05d}.md", q + 1)
            )
    return found
