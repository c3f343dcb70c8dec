"""How people write "what is X", "X vs Y" and "X extends Y" in the languages notes are written in:
a vocabulary of per-language patterns, not of phrases from particular files.

ARCHITECTURE
- WHAT_IS: questions asking what one term is ("什么是X", "Xとは", "X란 무엇인가", "X là gì",
  "Qu'est-ce que X", "¿Qué es X?", "Что такое X" …); group 1 is the term.
- TEMPLATES: relations stated between two concepts named in one sentence. Each says what stands
  before the first concept (`before`, anchored at its end), between the two (`between`, the whole
  gap) and after the second (`after`, anchored at its start), and how to read it: `first TYPE
  second` or, with `reverse`, `second TYPE first`. Word order is the language's own: Korean and
  Japanese put the verb after both names ("DPO는 RLHF를 단순화한다"), Chinese often wraps the
  relation round the second ("QLoRA 是 LoRA 的改进").
- English is read by relations.py's sentence reader; its comparison shapes also live here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_Q = r"\s*[?？]?\s*$"

WHAT_IS = [
    re.compile(p, re.I)
    for p in (
        r"^(?:什么是|什麼是|何为|何謂|何谓)\s*(.+?)" + _Q,  # zh
        r"^(.+?)\s*(?:是什么|是什麼|是啥|指什么|指的是什么)" + _Q,  # zh
        r"^(.+?)\s*(?:とは(?:何|なに)?(?:ですか|でしょうか)?|って何(?:ですか)?)" + _Q,  # ja
        r"^(.+?)\s*(?:이란|란|은|는|이|가)\s*(?:무엇|뭐)(?:인가요|인가|입니까|일까요?|이야|예요|이에요)?" + _Q,  # ko
        r"^(.+?)\s+là\s+gì" + _Q,  # vi
        r"^qu['’]est[- ]ce\s+qu(?:e\s+|['’])(?:c['’]est\s+)?(?:la\s+|le\s+|les\s+|l['’]|une?\s+)?(.+?)" + _Q,  # fr
        r"^¿?\s*qu[ée]\s+(?:es|son)\s+(?:la\s+|el\s+|los\s+|las\s+|una?\s+)?(.+?)" + _Q,  # es
        r"^o\s+que\s+(?:é|são)\s+(?:a\s+|o\s+|os\s+|as\s+|uma?\s+)?(.+?)" + _Q,  # pt
        r"^was\s+(?:ist|sind)\s+(?:eine?\s+|der\s+|die\s+|das\s+)?(.+?)" + _Q,  # de
        r"^что\s+(?:такое|есть)\s+(.+?)" + _Q,  # ru
    )
]


@dataclass(frozen=True, slots=True)
class Template:
    kind: str
    between: str
    after: str = ""
    before: str = ""
    reverse: bool = False


_DIFFERENCE_AFTER = (
    r"\s*(?:的|之间的|之間的|の|의)?\s*(?:区别|區別|差异|差異|不同|异同|異同|对比|對比|比较|比較|違い|差|차이점?|비교)"
)
_T = Template
_ZH_ADVERB = r"\s*(?:完全|主要|通常|一般|往往|常常?|也|都|则|則)*\s*"
_ZH_MODIFIER = r"\s*(?:[^\s，。、；：,.;:]{1,4}的)?\s*"
"""'X 通常基于复杂的 Y': an adverb before the verb, a short modifier before the object."""
TEMPLATES = [
    # Comparisons: "X 和 Y 的区别", "XとYの違い", "X와 Y의 차이", "différence entre X et Y" …
    _T("contrasts_with", r"\s*(?:和|与|與|跟|及|以及|对比|對比|と|와|과|하고|및)\s*", _DIFFERENCE_AFTER),
    _T("contrasts_with", r"\s*(?:vs\.?|versus|VS)\s*"),
    _T("contrasts_with", r"\s*(?:và|với)\s*", before=r"(?:khác biệt|khác nhau|phân biệt|so sánh)\s+(?:giữa\s+)?$"),
    _T(
        "contrasts_with",
        r"\s+et\s+(?:les?\s+|la\s+|l['’])?",
        before=r"(?:différences?|distinction|comparaison)\s+entre\s+(?:les?\s+|la\s+|l['’])?$",
    ),
    _T(
        "contrasts_with",
        r"\s+y\s+(?:el\s+|la\s+|los\s+|las\s+)?",
        before=r"diferencias?\s+entre\s+(?:el\s+|la\s+|los\s+|las\s+)?$",
    ),
    _T(
        "contrasts_with",
        r"\s+e\s+(?:o\s+|a\s+|os\s+|as\s+)?",
        before=r"diferenças?\s+entre\s+(?:o\s+|a\s+|os\s+|as\s+)?$",
    ),
    _T(
        "contrasts_with",
        r"\s+und\s+(?:der\s+|die\s+|das\s+|dem\s+)?",
        before=r"unterschied(?:e)?\s+zwischen\s+(?:der\s+|die\s+|das\s+|dem\s+)?$",
    ),
    _T("contrasts_with", r"\s+и\s+", before=r"(?:разница|различи[яе]|отличи[яе])\s+между\s+$"),
    # The verb "differ" after or between both names: "X và Y khác nhau thế nào", "Чем X отличается от Y",
    # "Worin unterscheiden sich X und Y", "¿En qué se diferencia X del Y?", "X diffère de Y".
    _T("contrasts_with", r"\s*(?:và|với)\s*", r"\s*(?:khác nhau|khác biệt|khác)\b"),
    _T("contrasts_with", r"\s+(?:отличается|отличаются|отличен|отлична|отлично)\s+от\s+"),
    _T(
        "contrasts_with",
        r"\s+(?:und|von)\s+(?:der\s+|die\s+|das\s+|dem\s+)?",
        before=r"unterscheide[nt]\s+sich\s+(?:der\s+|die\s+|das\s+)?$",
    ),
    _T("contrasts_with", r"\s+unterscheide[nt]\s+sich\s+(?:\w+\s+)?von\s+(?:der\s+|die\s+|das\s+|dem\s+)?"),
    _T(
        "contrasts_with",
        r"\s+(?:de|del|y)\s+(?:el\s+|la\s+|los\s+|las\s+)?",
        before=r"\bse\s+diferencian?\s+(?:el\s+|la\s+|los\s+|las\s+)?$",
    ),
    _T(
        "contrasts_with",
        r"\s+(?:se\s+diferencian?|se\s+distinguen?|difiere|difieren|difere|diferem)\s+(?:de|del|do|da|dos|das)\s+(?:el\s+|la\s+|los\s+|las\s+|o\s+|a\s+)?",
    ),
    _T(
        "contrasts_with",
        r"\s+(?:diffère|diffèrent|se\s+distingue|se\s+distinguent)\s+(?:de\s+|d['’]|du\s+|des\s+)(?:la\s+|le\s+|l['’])?",
    ),
    # A comparative weighs one against the other: "X 比 Y 更快", "X가 Y보다 유리한 점", "XはYより速い".
    _T("contrasts_with", r"\s*比\s*"),
    _T("contrasts_with", r"\s*(?:은|는|이|가)\s*", r"\s*보다"),
    _T("contrasts_with", r"\s*(?:は|が)\s*", r"\s*(?:より|よりも)"),
    # Chinese: "X 是 Y 的改进 / 一种 / 一部分", "X 基于 Y", "X 使用 Y", "X 而不是 Y".
    _T(
        "extends",
        r"\s*(?:是|为|為)\s*(?:对|對)?\s*",
        r"\s*(?:的)?\s*(?:改进|改進|改良|扩展|擴展|延伸|升级|升級|推广|推廣)",
    ),
    _T("variant_of", r"\s*(?:是|为|為)\s*", r"\s*(?:的)?\s*(?:一种|一種|变体|變體|变种|變種|特例|特殊情况|特殊情況)"),
    _T("part_of", r"\s*(?:是|为|為)\s*", r"\s*(?:的)?\s*(?:一部分|组成部分|組成部分|子层|子層|组件|組件)"),
    _T("extends", _ZH_ADVERB + r"(?:基于|基於|建立在)" + _ZH_MODIFIER),
    _T("simplifies", _ZH_ADVERB + r"(?:简化了?|簡化了?)" + _ZH_MODIFIER),
    _T("uses", _ZH_ADVERB + r"(?:使用了?|采用了?|採用了?|利用了?|依赖于?|依賴於?|依靠)" + _ZH_MODIFIER),
    _T("alternative_to", r"\s*(?:而不是|而非|取代了?|替代了?)\s*"),
    # Korean: "X는 Y를 단순화한다 / 확장한 / 사용한다", "X는 Y의 일종 / 일부".
    _T("simplifies", r"\s*(?:은|는|이|가)\s*", r"\s*(?:을|를)?\s*(?:단순화|간소화)"),
    _T("extends", r"\s*(?:은|는|이|가)\s*", r"\s*(?:을|를)?\s*(?:확장|개선|일반화)"),
    _T("uses", r"\s*(?:은|는|이|가)\s*", r"\s*(?:을|를)?\s*(?:사용|이용|활용)"),
    _T("variant_of", r"\s*(?:은|는|이|가)\s*", r"\s*의\s*(?:일종|한\s*종류|변형|특수한\s*경우)"),
    _T("part_of", r"\s*(?:은|는|이|가)\s*", r"\s*의\s*(?:일부|구성\s*요소)"),
    # Japanese: "XはYの一種 / 改良 / 一部", "XはYを使う / 単純化する".
    _T("variant_of", r"\s*(?:は|とは)\s*", r"\s*の\s*(?:一種|変種|特殊な場合|特殊ケース)"),
    _T("extends", r"\s*(?:は|とは)\s*", r"\s*の\s*(?:改良|拡張|発展)"),
    _T("part_of", r"\s*(?:は|とは)\s*", r"\s*の\s*(?:一部|構成要素)"),
    _T("uses", r"\s*(?:は|とは)\s*", r"\s*を\s*(?:使用|利用|用い|使)"),
    _T("simplifies", r"\s*(?:は|とは)\s*", r"\s*を\s*(?:単純化|簡略化)"),
    # Vietnamese: "X là một nhánh của Y", "X là một loại Y", "X sử dụng Y".
    _T("part_of", r"\s+là\s+(?:một\s+)?(?:nhánh|phần|bộ phận|thành phần|lĩnh vực)\s+(?:con\s+)?(?:của|trong)\s+"),
    _T("variant_of", r"\s+là\s+(?:một\s+)?(?:loại|dạng|kiểu|biến thể|trường hợp đặc biệt)\s+(?:của\s+)?"),
    _T("uses", r"\s+(?:sử dụng|dùng)\s+"),
    _T("extends", r"\s+(?:mở rộng|cải tiến)\s+(?:của\s+)?"),
    _T("simplifies", r"\s+đơn giản hóa\s+"),
    # French, Spanish, Portuguese, German, Russian: "X est une variante de Y", "X utilise Y" …
    _T(
        "variant_of",
        r"\s+(?:est|sont)\s+une?\s+(?:variante|version|sorte|forme|généralisation|cas particulier)s?\s+(?:de\s+|d['’])(?:la\s+|le\s+|les\s+|l['’])?",
    ),
    _T(
        "variant_of",
        r"\s+(?:es|son|é|são)\s+una?\s+(?:variante|versión|versão|forma|tipo|caso particular)\s+(?:de|do|da)\s+(?:la\s+|el\s+|o\s+|a\s+)?",
    ),
    _T(
        "variant_of",
        r"\s+ist\s+eine?\s+(?:Variante|Art|Form|Sonderfall|Spezialfall)\s+(?:von|des|der)\s+(?:der\s+|dem\s+)?",
    ),
    _T("variant_of", r"\s+(?:является|—|это)\s+(?:вариантом|разновидностью|видом|частным случаем)\s+"),
    _T(
        "uses",
        r"\s+(?:utilise|utilisent|usa|usan|utiliza|utilizan|verwendet|nutzt|использует|используют)\s+(?:la\s+|le\s+|les\s+|l['’]|el\s+|o\s+|a\s+|den\s+|die\s+|das\s+)?",
    ),
    _T(
        "extends",
        r"\s+(?:étend|améliore|extiende|mejora|estende|melhora|erweitert|verbessert|расширяет|улучшает)\s+(?:la\s+|le\s+|les\s+|l['’]|el\s+|o\s+|a\s+|den\s+|die\s+|das\s+)?",
    ),
    _T(
        "simplifies",
        r"\s+(?:simplifie|simplifica|vereinfacht|упрощает)\s+(?:la\s+|le\s+|les\s+|l['’]|el\s+|o\s+|a\s+|den\s+|die\s+|das\s+)?",
    ),
]
_COMPILED = [
    (
        t,
        re.compile(t.between, re.I),
        re.compile(t.after, re.I) if t.after else None,
        re.compile(t.before, re.I) if t.before else None,
    )
    for t in TEMPLATES
]


def what_is(question: str) -> str:
    """The term a non-English 'what is' question asks about, or ''."""
    for pattern in WHAT_IS:
        match = pattern.match(question.strip())
        if match:
            return match.group(1).strip(" \"'「」『』“”《》")
    return ""


_TRADE_OFF = re.compile(r"\btrade[- ]?offs?\b|\bbalanc(?:e|es|ing)\b|权衡|權衡|トレードオフ|\bcompromis\b", re.I)
"""'Trade-offs: recall vs latency' weighs two sides of one choice; it contrasts no alternatives."""


def template_relations(text: str, mentions: list[tuple[int, int, str]]) -> list[tuple[str, str, str]]:
    """(subject, type, object) as written, for each template two neighbouring mentions fit."""
    found = []
    trade_off = bool(_TRADE_OFF.search(text))
    for (s1, e1, first), (s2, e2, second) in zip(mentions, mentions[1:]):
        if first == second:
            continue
        between = text[e1:s2]
        if len(between) > 40:
            continue
        for template, after_re, before_re in _fitting(between):
            if after_re and not after_re.match(text, e2):
                continue
            if before_re and not before_re.search(text[max(0, s1 - 40) : s1]):
                continue
            if trade_off and template.kind == "contrasts_with":
                break
            found.append((second, template.kind, first) if template.reverse else (first, template.kind, second))
            break
    return found


_FITS: dict[str, list[tuple[Template, re.Pattern | None, re.Pattern | None]]] = {}
_FITS_KEPT = 1 << 16


def _fitting(between: str) -> list[tuple[Template, re.Pattern | None, re.Pattern | None]]:
    """The templates whose words between two mentions are `between`, in order: the same few
    joining words (" and ", " vs ", " is a ") come back in sentence after sentence."""
    fits = _FITS.get(between)
    if fits is None:
        if len(_FITS) >= _FITS_KEPT:
            _FITS.clear()
        fits = _FITS[between] = [
            (t, after, before) for t, inside, after, before in _COMPILED if inside.fullmatch(between)
        ]
    return fits
