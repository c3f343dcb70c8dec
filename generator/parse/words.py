"""The words people mark notes with, in the major languages: question and answer markers, toggle
labels, and the names of sections that are about the notes rather than their subject.

A vocabulary, not a list of phrases from one file: each entry is the ordinary word for the idea in a
language (or a common spelling of it), so a note in that language reads like one in English.
"""

from __future__ import annotations

import re
import unicodedata

QUESTION_WORDS = (
    "q",
    "question",
    "frage",
    "pregunta",
    "pergunta",
    "domanda",
    "vraag",
    "pytanie",
    "soru",
    "вопрос",
    "câu hỏi",
    "问",
    "问题",
    "問",
    "問題",
    "質問",
    "设问",
    "질문",
    "문제",
    "문",
    "питання",
    "otázka",
    "fråga",
    "spørsmål",
    "spørgsmål",
    "kysymys",
    "pertanyaan",
    "soal",
    "คำถาม",
    "سؤال",
    "प्रश्न",
)
ANSWER_WORDS = (
    "a",
    "ans",
    "answer",
    "antwort",
    "respuesta",
    "resposta",
    "réponse",
    "reponse",
    "risposta",
    "antwoord",
    "odpowiedź",
    "cevap",
    "ответ",
    "trả lời",
    "đáp án",
    "答",
    "答案",
    "回答",
    "解答",
    "答え",
    "정답",
    "답",
    "답변",
    "해답",
    "відповідь",
    "odpověď",
    "svar",
    "vastaus",
    "jawaban",
    "jawab",
    "คำตอบ",
    "جواب",
    "الجواب",
    "إجابة",
    "उत्तर",
)
SOLUTION_WORDS = (
    "solution",
    "solutions",
    "lösung",
    "solución",
    "solução",
    "soluzione",
    "решение",
    "lời giải",
    "解",
    "解析",
    "解説",
    "解题",
    "풀이",
    "해설",
    "explanation",
    "hint",
    "indice",
    "pista",
    "подсказка",
    "提示",
    "ヒント",
    "힌트",
)
# "Show answer", "Click to expand", "답 보기", "查看答案", "Mostrar respuesta" …: a verb of showing
# (or none) with an answer word, or a bare word of expanding.
_SHOW_VERBS = (
    r"show|reveal|see|view|display|check|click(?:\s+(?:here|me))?(?:\s+to\s+(?:see|show|view|reveal|expand|open))?"
    r"|toggle|open|expand|get|the|your|my|correct|suggested|sample|model|example|reference|possible|full"
    r"|anzeigen|zeigen|mostrar|ver|afficher|voir|montrer|mostra|vedi|показать|смотреть|xem|hiện"
    r"|查看|显示|顯示|点击查看|點擊查看|参考|參考|展开|展開|見る|表示|보기|확인"
)
_EXPAND_WORDS = re.compile(
    r"^(?:click(?:\s+(?:here|me))?(?:\s+to\s+(?:expand|open|show|see))?|expand|details|more|show more|toggle"
    r"|展开|展開|点击展开|點擊展開|詳細|詳細を見る|펼치기|더 보기|подробнее|ver más|voir plus|mehr)$"
)
_ANSWER_RE = "|".join(sorted((re.escape(w) for w in ANSWER_WORDS + SOLUTION_WORDS), key=len, reverse=True))
_TOGGLE = re.compile(rf"^(?:(?:{_SHOW_VERBS})\s*)*(?:{_ANSWER_RE})(?:\s*(?:{_SHOW_VERBS}|here|below|例|示例))*$")

META_TITLES = re.compile(
    r"^(?:additional |further |useful |other |more |external |recommended |related |learning |study |extra )?"
    r"(?:resources?|references?|reading|readings|links?|sources?|bibliography|citations?|see also|credits?"
    r"|acknowledge?ments?|licen[cs]e|contributing|contributors?|changelog|todo|to do|to-do|next steps?"
    r"|what'?s next|study tips|(?:study|revision|learning) (?:advice|tricks)|tips for (?:studying|revision|learning)|how to study|progress|progress tracking|tracker|checklist|objectives?|goals?"
    r"|prerequisites?|agenda|schedule|logistics|projects?|projects? (?:stories|experience|highlights|soundbites|pitch(?:es)?)|resume|cv|about me|about this.*"
    r"|(?:my |interview )?(?:soundbites?|elevator pitch(?:es)?|star stories|behaviou?ral stories)"
    r"|how to use(?: this.*)?|using this.*|feedback|sponsors?|summary|recap|further study|cheat ?sheets?"
    r"|(?:study |learning |reading |revision |review )(?:plan|roadmap|log)|plan|roadmap|announcements?|news|updates|notices?"
    r"|still to (?:do|learn|read|review|write|make|add|cover)\b.*|(?:cards|topics|questions) to (?:make|add|write)\b.*)$"
    r"|^(?:références?|ressources?|bibliographie|liens?|pour aller plus loin|objectifs?|projets?|sources?"
    r"|referencias?|recursos?|lecturas? (?:adicionales|recomendadas)|enlaces|objetivos?|proyectos?"
    r"|referências?|leituras?|literatur|quellen|weiterführende.*|links|ziele|projekte"
    r"|progreso|progresso|progrès|avancement|fortschritt|lernfortschritt|прогресс|tiến độ"
    r"|plan de estudios?|plano de estudos?|plan d'?études?|plan de révision|lernplan|studienplan|учебный план|план"
    r"|kế hoạch(?: học tập)?|anuncios|avisos|annonces|ankündigungen|neuigkeiten|объявления|новости|thông báo"
    r"|pendientes|por hacer|a fazer|à faire|offen|zu erledigen|сделать|todo-liste"
    r"|consejos (?:de|para) (?:estudio|estudiar|repaso)|dicas (?:de|para) (?:estudo|estudar|revisão)"
    r"|conseils (?:d'?étude|de révision|pour réviser)|lerntipps|tipps zum lernen|советы по (?:учёбе|подготовке|изучению)"
    r"|mẹo (?:học|học tập|ôn tập)|学习建议|學習建議|学习技巧|學習技巧|复习建议|複習建議|勉強のコツ|学習のコツ|勉強法"
    r"|공부 ?팁|학습 ?팁|공부 ?방법"
    r"|学习进度|學習進度|进度|進度|進捗|学習進捗|진도|진행 ?상황|학습 ?진도"
    r"|学习计划|學習計劃|复习计划|複習計劃|学習計画|勉強計画|학습 ?계획|공부 ?계획"
    r"|公告|通知|お知らせ|連絡|공지(?: ?사항)?|待办|待辦|待办事项|やること|할 ?일"
    r"|ссылки|литература|источники|ресурсы|полезные ссылки|цели|дополнительно"
    r"|tài liệu tham khảo|tham khảo|liên kết|mục tiêu"
    r"|参考|参考文献|参考资料|参考資料|参考文档|参考文檔|参考链接|参考リンク|相关链接|相關連結|延伸阅读|延伸閱讀"
    r"|扩展阅读|拓展阅读|推荐阅读|资源|資源|学习资源|関連リンク|リンク|リソース|目標|学習目標"
    r"|참고|참고 ?자료|참고 ?문헌|참조|관련 ?자료|링크|목표|레퍼런스)(?:\s*[(（].*[)）])?$"
)


# An answer not written yet: "TODO", "TODO: answer", "TBD", "待补充", "(noch offen)", "(작성 예정)", "（未記入）".
# A marker of work left (optionally followed by the verb or noun for answering), or a phrase that says so.
_LATER_MARKS = r"todo|to do|tbd|tba|tbc|fixme|xxx|wip|pending|pendiente|pendente|en attente|offen|未完|待定"
_ANSWERING = (
    r"answer|write|add|fill(?: in)?|complete|finish|expand|responder|respuesta|completar|escribir|resposta|completar"
    r"|escrever|répondre|réponse|compléter|rédiger|antworten|beantworten|antwort|ergänzen|ausfüllen|schreiben"
    r"|ответить|ответ|дописать|заполнить|написать|trả lời|bổ sung|回答|答案|补充|補充|作答|解答|記入|답변|작성"
)
_LATER = re.compile(rf"^(?:{_LATER_MARKS})(?:\s+|$)", re.IGNORECASE)
_TO_ANSWER = re.compile(rf"^(?:(?:{_ANSWERING})(?:\s+(?:later|here|me|this|it))?)?$", re.IGNORECASE)
_NOT_YET = re.compile(
    r"^(?:coming soon|not (?:yet )?(?:answered|written)(?: yet)?|to be (?:added|written|answered|completed|continued|done)"
    r"|answer (?:here|later|tbd|pending)|no answer yet|(?:noch|bisher) (?:offen|nicht beantwortet|leer)|folgt|kommt noch"
    r"|por (?:hacer|completar|responder|escribir)|sin respuesta|a (?:fazer|completar|responder)|sem resposta"
    r"|à (?:faire|compléter|venir|rédiger)|pas encore (?:de réponse|répondu|rédigé)"
    r"|(?:пока )?нет ответа|в процессе|позже|chưa có|chưa trả lời|đang cập nhật"
    r"|待补充|待補充|待完善|待填写|待填寫|待回答|待续|待續|未回答|暂无|暫無|未記入|未記載|準備中|執筆中|作成中|後で書く"
    r"|작성 ?예정|작성 ?중|추후 ?작성|추후 ?보충|미작성|답변 ?예정|준비 ?중)$",
    re.IGNORECASE,
)


def is_placeholder(text: str) -> bool:
    """An answer that only says it is not written yet ('TODO: answer', 'TBD', '待补充', '(noch offen)')."""
    if len(text) > 60:  # a placeholder is a few words; a long answer need not be normalised to know
        return False
    label = normal_label(text)
    later = _LATER.match(label)
    if later:
        rest = label[later.end() :]
        return bool(_TO_ANSWER.match(rest) or _NOT_YET.match(rest))
    return bool(label) and bool(_NOT_YET.match(label))


_TAGS_AND_MARKS = re.compile(r"</?[A-Za-z][^<>]*>|[*_`]")
_LABEL_PUNCTUATION = re.compile(r"[\[\](){}<>!¡?¿:：.。,，、·•…\-–—|\"'“”‘’«»]+")
SPACES = re.compile(r"\s+")
_TRAILING_BRACKET = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
_SECTION_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[ivx]+)[.)]?\s+", re.I)


def normal_label(text: str) -> str:
    """Lower case, NFKC, without markup, emoji, brackets and trailing punctuation."""
    text = unicodedata.normalize("NFKC", _TAGS_AND_MARKS.sub("", text)).lower()
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith(("S", "C")) or ch in " \t")
    text = _LABEL_PUNCTUATION.sub(" ", text)
    return SPACES.sub(" ", text).strip()


def is_toggle_label(text: str) -> bool:
    """'Show answer', 'Answer', '回答', 'Ответ', 'Click to expand' …: a label for hidden text, never a question."""
    label = normal_label(text)
    if not label:
        return True
    return bool(_TOGGLE.match(label) or _EXPAND_WORDS.match(label))


def is_meta_title(text: str) -> bool:
    """'Additional resources', 'Further reading', 'Study tips', 'TODO', '参考文献' …: about the notes."""
    text = _TRAILING_BRACKET.sub("", text.strip()) or text
    label = normal_label(_SECTION_NUMBER.sub("", text))
    return bool(label) and bool(META_TITLES.match(label))


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_B = r"(?:\*\*|__|\*|_)?"
Q_MARKER = re.compile(rf"^{_B}\s*(?:{_alternatives(QUESTION_WORDS)})\s*\d*\s*{_B}\s*[:：]\s*{_B}\s*", re.IGNORECASE)
"""'Q:', '**Question 3:**', '问：', 'Вопрос:', 'Câu hỏi:' at the start of a line."""
A_MARKER = re.compile(rf"^{_B}\s*(?:{_alternatives(ANSWER_WORDS)})\s*{_B}\s*[:：]\s*{_B}\s*", re.IGNORECASE)
"""'A:', '**Answer:**', '答：', 'Ответ:', 'Trả lời:' at the start of a line."""
Q_DOT_MARKER = re.compile(rf"^{_B}\s*(?:{_alternatives(QUESTION_WORDS)})\s*\d*\s*[.．]{_B}\s+{_B}", re.IGNORECASE)
"""'Q. ', '**Question.** ': the marker written with a dot; a question only over an answer marked the same way
(a line starting 'A. ' alone is as often the first option of a multiple-choice question)."""
A_DOT_MARKER = re.compile(rf"^{_B}\s*(?:{_alternatives(ANSWER_WORDS)})\s*[.．]{_B}\s+{_B}", re.IGNORECASE)


def dotted_pair(source: str) -> bool:
    """'Q. What …?' with 'A. …' on a line of its own below it, in one paragraph."""
    lines = source.split("\n")
    return bool(Q_DOT_MARKER.match(lines[0])) and any(A_DOT_MARKER.match(line.strip()) for line in lines[1:])


# Headings over a collection of questions or a part of a course: containers, whose own text (instructions,
# an announcement) is not a card, while the sections below them are read as usual.
_PART_WORDS = (
    r"lecture|lesson|week|day|chapter|part|session|module|unit|class|semester|cours|leçon|semaine|chapitre|séance"
    r"|partie|clase|lección|semana|capítulo|sesión|parte|aula|lição|vorlesung|lektion|woche|kapitel|sitzung|teil"
    r"|лекция|урок|неделя|глава|часть|занятие|bài|buổi|tuần|chương|phần"
)
CONTAINER_TITLES = re.compile(
    rf"^(?:(?:{_PART_WORDS})\s*[\dIVXivx]+\b.*"
    r"|(?:interview |practice |review |sample |exam |self[- ]test |test |quiz )?(?:questions?|q ?& ?a|q ?and ?a|faqs?"
    r"|quiz(?:zes)?|exercises?|problems|review|revision|self[- ]test|flashcards)"
    r"|(?:fragen|übungen?|wiederholung|preguntas|ejercicios|repaso|perguntas|exercícios|revisão|questions|exercices"
    r"|révision|вопросы|упражнения|задачи|повторение|câu hỏi|bài tập|ôn tập))$"
    r"|第\s*[\d一二三四五六七八九十]+\s*[章课課讲講回周週节節]|"
    # A CJK container word ends the heading ("第一章 练习"); inside one ("问答系统") it names a topic.
    r"(?:复习|復習|练习|練習|习题|習題|问题集|問題集|测验|測驗|クイズ|问答|問答|面试题|面試題|"
    r"복습|퀴즈|연습 ?문제|질의 ?응답|문제 ?모음)\s*$",
    re.IGNORECASE,
)


def is_container_title(text: str) -> bool:
    """'Lecture 5 – 6 February', 'Practice questions', '復習 (クイズ)', 'Упражнения': holds the cards below."""
    bare = re.sub(r"\s*[(（][^)）]*[)）]\s*", " ", text).strip() or text
    label = normal_label(bare)
    return bool(label) and bool(CONTAINER_TITLES.match(label) or CONTAINER_TITLES.search(bare))


# Prose about the notes themselves ("This glossary clarifies …", "在本章中 …"): an introduction.
ABOUT_THE_NOTES = re.compile(
    r"\b(?:this|these|our) (?:course|glossary|guide|chapter|section|document|repo|repository|notes?|tutorial|book"
    r"|page|article|cheat ?sheet|handbook|series|workshop|lesson|lecture)s?\b"
    r"|\b(?:ce|cette) (?:cours|guide|chapitre|document|glossaire|atelier)\b|\b(?:este|esta) (?:curso|guía|capítulo"
    r"|documento|glosario|taller)\b|\bdiese[rsm]? (?:kurs|kapitel|leitfaden|glossar|workshop)\b"
    r"|\b(?:этот|эта|этом|этой) (?:курс|раздел|глава|руководство|статья|статье|главе)\b"
    r"|^(?:my |mis |minhas |meine |mes )?(?:notes|anotações|apuntes|notas|notizen|заметки|конспект)"
    r" (?:for|on|about|from|para|sobre|de|zu|für|aus|pour|sur|по|к|о|для)\b"
    r"|本课程|本課程|本文|本章|本节|本節|本指南|この(?:講座|章|記事|資料|ワークショップ)|이 (?:글|문서|강의|장)"
    # A sentence announcing what follows ("Here we present …", "…を紹介します"): no teaching of its own.
    r"|^here (?:we|i)(?:'ll| will)? (?:present|share|introduce|collect|summari[sz]e)\b"
    r"|を(?:簡単に)?(?:紹介|ご紹介)(?:します|いたします)|(?:以下|下面)(?:介绍|介紹|列出|汇总|彙總)"
    r"|(?:을|를) (?:간단히 )?소개합니다|^voici (?:les|la|le|un|une)\b|^a continuación (?:se )?(?:presenta|presentamos)",
    re.IGNORECASE,
)


def is_about_the_notes(text: str) -> bool:
    return bool(ABOUT_THE_NOTES.search(text))
