"""Reading the words of questions: numbering, markup, and whether a line asks something."""

from __future__ import annotations

import re

from markdown_it.token import Token

from generator.parse.words import SPACES

# Words that number a question: "Q3", "Question 3", "問1", "第3题", "Câu 3", "Вопрос 3", "문제 3" …
_QNUM = (
    r"(?:Q|Question|Frage|Pregunta|Pergunta|Domanda|Вопрос|Задача|Câu(?: hỏi)?|Bài|问题?|問題?|题|題|문제|질문|設問|设问)"
    r"\s*\d+"
)
_CIRCLED = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2776-\u277f"
# "Q3.", "Q3:", "3.", "3)", "1.2", "１．", "一、", "（1）", "①", "第3题", "問1." at the start of a heading.
_NUMBERING = re.compile(
    rf"^\s*(?:{_QNUM}\s*[.．:：)）、-]?|第\s*[\d一二三四五六七八九十百]+\s*[题題问問章节節课課部条]?\s*[.．:：、]?"
    r"|\d+(?:[.．]\d+)*\s*[.．、:：)）]?|[(（]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]"
    rf"|[{_CIRCLED}]|[一二三四五六七八九十]+\s*[、.．])\s*",
    re.IGNORECASE,
)
_QUESTION_PREFIX = re.compile(rf"^\s*(?:\*\*|__)?\s*(?:{_QNUM}\b|第\s*\d+\s*[题題问問])", re.IGNORECASE)

_WH_WORDS = (
    "what",
    "what's",
    "whats",
    "why",
    "how",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    # the same words in the major languages written with spaces
    "was",
    "warum",
    "wieso",
    "weshalb",
    "welche",
    "welcher",
    "welches",
    "wann",
    "pourquoi",
    "comment",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "quand",
    "qu'est-ce",
    "qué",
    "por qué",
    "cómo",
    "cuál",
    "cuáles",
    "cuándo",
    "dónde",
    "quién",
    "porque",
    "como",
    "qual",
    "quais",
    "quando",
    "onde",
    "что",
    "почему",
    "зачем",
    "как",
    "какой",
    "какая",
    "какие",
    "когда",
    "где",
    "кто",
    "tại",
    "vì",
)
_IMPERATIVES = (
    "explain",
    "compare",
    "describe",
    "define",
    "contrast",
    "derive",
    "discuss",
    "summarize",
    "summarise",
    "outline",
    "distinguish",
    "differentiate",
    "list",
    "name",
    "give",
    "walk through",
)
_CJK_QUESTION = re.compile(
    r"(什么|什麼|为什么|為什麼|为何|為何|如何|怎么|怎麼|怎样|怎樣|哪些|是否|吗|嗎|呢|とは|とは何|ですか|ますか|でしょうか"
    r"|무엇인가요?|인가요|일까요?|나요|란|이란|무엇|là gì|thế nào|ra sao)\s*$"
    r"|^(什么|什麼|为什么|為什麼|如何|怎么|怎麼|怎样|怎樣|请解释|請解釋|解释|解釋|简述|簡述|なぜ|どうして|どのように|왜|어떻게|무엇"
    r"|tại sao|vì sao|như thế nào)"
)
_TRAILING_JUNK = re.compile(r"[\s(\[（【:：,，;]*$")


def strip_numbering(text: str) -> str:
    """'Q3. Why cosine?' → 'Why cosine?'; '1.2 Attention' → 'Attention'."""
    stripped = _NUMBERING.sub("", text, count=1)
    return stripped if stripped.strip() else text


def only_numbering(text: str) -> bool:
    """'Question 4', 'Q4:', '第4题', 'Câu 4': a heading that numbers a question without asking it."""
    return bool(text.strip()) and not _NUMBERING.sub("", text, count=1).strip()


def has_question_number(text: str) -> bool:
    return bool(_QUESTION_PREFIX.match(text))


def plain_text(inline: Token | None, drop_trailing_links: bool = False) -> str:
    """The words of an inline token: markup dropped, code and math kept as written."""
    if inline is None:
        return ""
    children = list(inline.children or [])
    if drop_trailing_links:
        children = _without_trailing_links(children)
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(f"${child.content}$")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    text = SPACES.sub(" ", "".join(parts)).strip()
    return _TRAILING_JUNK.sub("", text) if drop_trailing_links else text


def _without_trailing_links(children: list[Token]) -> list[Token]:
    """Drop links (and the brackets or dashes around them) at the end: a question's source, not its words."""
    end = len(children)
    while end:
        kind = children[end - 1].type
        if kind == "link_close":
            while end and children[end - 1].type != "link_open":
                end -= 1
            end -= 1
        elif (kind == "text" and not children[end - 1].content.strip(" ()[]-–—|:：,")) or kind in (
            "softbreak",
            "hardbreak",
        ):
            end -= 1
        else:
            break
    return children[: max(end, 0)] if end < len(children) and end > 0 else children


def looks_like_question(text: str) -> bool:
    """True for 'What is X?', 'Explain Y', 'X vs Y?', '为什么…？'; false for 'Overview' or 'Key points:'."""
    text = strip_numbering(text).strip().strip("*_ ")
    if not text:
        return False
    if text.endswith(("?", "？")):
        return True
    lowered = text.lower()
    first = re.split(r"[\s,:]+", lowered, maxsplit=1)[0]
    if first in _WH_WORDS:
        return True
    if any(lowered.startswith(word + " ") and not lowered.startswith(word + " of ") for word in _IMPERATIVES):
        return True
    return bool(_CJK_QUESTION.search(text))


# Heads that name a kind of things, whose defined items are cards of their own ("Types of …", "Key terms").
_GROUP_WORDS = re.compile(
    r"^(?:types?|kinds?|sorts?|categories|classes|families|forms|varieties|basics|fundamentals|glossary|terms?"
    r"|terminology|vocabulary|definitions?|concepts?|notions?|principles|metrics|measures|methods|techniques"
    r"|operations|tips|rules|laws|key .+|common .+|basic .+|core .+|important .+|main .+|essential .+"
    r"|glossaire|glosario|glossário|glossar|begriffe|termes|términos|termos|définitions|definiciones|conceptos"
    r"|notions|tipos|típos|arten|typen|виды|типы|термины|понятия|определения|thuật ngữ|khái niệm|các loại"
    r"|种类|種類|类型|類型|分类|分類|术语|術語|用語|概念|基本概念|基础|基礎|定义|定義|名词解释|名詞解釋"
    r"|종류|유형|용어|개념|정의|기본 ?개념)$",
    re.IGNORECASE,
)
# Plural heads that name the aspects of one thing: the list answers the section ("Benefits of LoRA").
_ASPECT_WORDS = re.compile(
    r"^(?:benefits|advantages|disadvantages|pros|cons|limitations|challenges|drawbacks|features|properties"
    r"|characteristics|applications|uses|use cases|steps|stages|phases|assumptions|reasons|goals|components"
    r"|parts|requirements|differences|similarities|examples|components|outputs|inputs|results|points"
    r"|key points|takeaways|considerations|strengths|weaknesses|problems|issues|causes|effects|solutions"
    r"|vorteile|nachteile|avantages|inconvénients|ventajas|desventajas|vantagens|desvantagens|преимущества"
    r"|недостатки|ưu điểm|nhược điểm)$",
    re.IGNORECASE,
)
_HEAD_SPLIT = re.compile(
    r"\s+(?:of|for|in|on|to|with|from|between|among|de|des|du|del|da|do|entre|für|von|der|zwischen|для|между)\s+",
    re.IGNORECASE,
)


_COMPARISON = re.compile(
    r"\b(?:vs\.?|versus|difference|differences|compared?|comparison|contrast|unterschied|différence|diferencia"
    r"|diferença|разница|различия|khác nhau)\b|对比|比较|比較|区别|區別|差异|差異|違い|차이|비교",
    re.IGNORECASE,
)


def heading_kind(title: str) -> str:
    """What a heading over defined items ('- **Term**: …') names:

    - 'group': a kind of things defined one by one, each a card ('Types of probability', 'Key
      principles', 'Basics', '术语'); the heading itself is a card only if it has text of its own;
    - 'parts': the aspects of one thing or a comparison ('Benefits of LoRA', 'L1 vs L2', 'Difference
      between joins'): one card, the items its answer;
    - 'one': one thing ('Sampling'): a card, and its defined items are cards too.
    """
    text = re.sub(r"[(（][^)）]*[)）]", "", strip_numbering(title)).strip(" :：*_")
    if not text or _COMPARISON.search(text):
        return "parts"
    head = _HEAD_SPLIT.split(text, maxsplit=1)[0].strip()
    if _ASPECT_WORDS.match(head) or _ASPECT_WORDS.match(head.split()[-1] if head.split() else ""):
        return "parts"
    if _GROUP_WORDS.match(head) or _GROUP_WORDS.match(text):
        return "group"
    last = head.split()[-1].lower() if head.split() else ""
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return "group"
    return "one"
