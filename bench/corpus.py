"""A synthetic notes folder in the seed notes' formats: question headings with **A:**, topic
sections, bold-question lists; with math, lists, tables and code."""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = [
    "LoRA",
    "QLoRA",
    "DoRA",
    "RLHF",
    "DPO",
    "PPO",
    "AdamW",
    "RoPE",
    "GQA",
    "KV cache",
    "warmup",
    "distillation",
    "quantization",
    "SFT",
    "PEFT",
    "RLAIF",
    "NF4",
    "MQA",
]


def _answer(rng: random.Random, topic: str, n: int) -> str:
    other = rng.choice(TOPICS)
    return (
        f"**{topic}** builds on {other} and keeps the base weights frozen ({n}).\n\n"
        f"- **Why:** it reduces memory by $r(d+k)$ vs $dk$ parameters.\n"
        f"- **How:** train $B \\in \\mathbb{{R}}^{{d \\times r}}$ and $A$ only.\n"
        f"  - nested detail {n} with *emphasis* and `code_{n}`\n\n"
        f"$$\n\\mathcal{{L}}_{n} = -\\sum_t \\log P(x_t | x_{{<t}})\n$$\n\n"
        f"| Aspect | {topic} | {other} |\n|---|---|---|\n| Memory | low | high |\n"
    )


def _file(rng: random.Random, index: int, questions: int) -> str:
    style = index % 3
    lines = [f"# Notes {index}\n"]
    for q in range(questions):
        topic = rng.choice(TOPICS)
        n = index * questions + q
        if style == 0:
            lines.append(
                f"### Q{q + 1}. What is {topic} variant {n}, and why use it?\n\n**A:** "
                + _answer(rng, topic, n)
                + "\n---\n"
            )
        elif style == 1:
            lines.append(f"## {q + 1}. **{topic} technique {n}**\n\n" + _answer(rng, topic, n) + "\n---\n")
        else:
            if q == 0:
                lines.append("## Interview Focus\n")
            body = _answer(rng, topic, n).replace("\n", "\n    ")
            lines.append(f"{q + 1}.  **Why does {topic} case {n} matter?**\n    {body}\n")
    return "\n".join(lines)


def make_corpus(folder: Path, files: int = 1000, questions: int = 10, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        (folder / f"note-{index:04d}.md").write_text(_file(rng, index, questions), encoding="utf-8")
    return folder
