"""Whose words a question asks for, and whose words a passage gives.

The corpus reports calls, letters and meetings where Xi Jinping and another leader each speak:
"习近平指出，…" and "默克尔表示，…" stand side by side, in the same words about the same topic.
"What did Xi tell Merkel …?" is answered by the first, "What did Sanchez say China had done?"
by the second, and meaning alone does not tell them apart. A passage that opens by naming its
speaker ("古特雷斯表示，") is by that speaker; other passages are nobody's in particular.
"""

from __future__ import annotations

import re

XI, OTHER = "xi", "other"

_XI_NAMES = {"习近平", "习近平总书记", "总书记", "习主席", "习近平主席", "中方"}
# Who "says" in a passage without being a person with a side: the meeting, the parties.
_NOBODY = {"会议", "会议还", "各方", "与会各方", "大家", "我们", "他们", "他", "她", "我"}
# Chinese verbs of saying, after the speaker's name
# The verbs a Chinese text says someone's words by (also what a meeting notice never holds,
# rag/chunking.py `meeting_notices`)
ZH_SAY = "(?:表示|说|指出|强调|认为|称)"
# A name may hold a dash between its parts, as the documents write some ("迪亚斯—卡内尔表示，")
_SPEAKER_OPENING = re.compile(
    r"^(?:——)?([\u4e00-\u9fff][\u4e00-\u9fff·—]{1,11}?)(?:在[^，。：]{1,20}?)?" + ZH_SAY + r"[，：:]|"
    # "特朗普向习近平详细询问了中方有关疫情防控举措，表示…": the speaker turning to the other
    r"^(?:——)?([\u4e00-\u9fff][\u4e00-\u9fff·—]{1,5}?)(?:向|对|同)[^，。：]{1,16}?(?:询问|表示|介绍|感谢)")

# English verbs of saying (also what rag/conversation.py tells a question about words by).
SAY_VERBS = (r"(?:say|said|says|tell|told|tells|stress|stressed|note|noted|describe|described|"
             r"call|called|urge|urged|ask|asked|want|wanted|promise|promised|express|expressed|"
             r"propose|proposed|praise|praised|thank|thanked|warn|warned|hope|hoped|believe|"
             r"believed|mention|mentioned|write|wrote|point|pointed|emphasi[sz]e|emphasi[sz]ed|"
             # ("put it", "put forward"; not "put out on social media": fresh chat d69c04.2)
             r"put(?!\s+(?:out|up|in|on|off|down|into|together)\b)|offer|offered|pledge|pledged|"
             r"suggest|suggested|vow|vowed|predict|predicted|"
             # judging: "How did the Indonesian president rate China's results?"
             r"rate|rated|assess|assessed|evaluate|evaluated|commend|commended|"
             r"respond|responded|reply|replied|react|reacted|comment|commented|"
             r"sum(?:s|med)? up|summari[sz]e|summari[sz]ed|bring up|brought up|raise|raised)")
# The offices of the heads of state and government the documents' calls and letters are with
# (also what rag/question_type.py reads an office-holder's country by).
EN_HEADS = r"president|prime minister|premier|chancellor|king|queen|emperor"
# Xi, or China speaking through him ("How much money did China say it had pledged…?": 中方)
_XI = r"(?:(?:President\s+)?Xi(?:\s+Jinping)?|China|the Chinese (?:side|government))"
_EN_XI_SAYS = re.compile(rf"\b(?:did|does|do|has|had|would|will)\s+{_XI}\s+{SAY_VERBS}\b|"
                         # "what short formula did Xi Jinping use to describe…?" (d58-001)
                         rf"\b(?:did|does|do|has|had)\s+{_XI}\s+(?:use|quote|cite|coin)\b|"
                         # "On what date did Xi speak by phone with Macron, telling him…?"
                         rf"\b(?:did|does|do|has|had)\s+{_XI}\s+[^?,]{{0,80}},\s*"
                         r"(?i:telling|saying|stressing|noting|urging|assuring)\b|"
                         rf"\b{_XI}\s+{SAY_VERBS}\b|"
                         # "When Xi spoke with Conte, what did he say China would send?", "In
                         # Xi Jinping's instruction on work safety, what saying did he use…?"
                         rf"^(?i:when|as|after|in|during|on)\b[^,?]*?\bXi\b[^,?]*,\s*"
                         rf"(?i:what|which|how)\b[^?]*?\bdid he\s+(?:{SAY_VERBS}|use|quote|cite)\b|"
                         # "Back to Xi - what did he say…?", "And Xi, what did he tell them?"
                         rf"^(?i:(?:and |now |going )?back to|and|now|what about)\s+{_XI}\s*[-–—,:;]\s*"
                         rf"(?i:what|which|how)\b[^?]*?\bhe\s+{SAY_VERBS}\b")
# "What did Spanish Prime Minister Pedro Sanchez say …", "What did the king thank Xi for?",
# "According to King Salman, …": someone other than Xi is the one speaking (a pronoun, "it" or
# "that meeting" says nothing about who).
_EN_SUBJECT_SAYS = re.compile(
    rf"\b(?i:did|does|do|has|had)\s+((?:[\w'-]+\s+){{1,6}}?){SAY_VERBS}\b")
_EN_ACCORDING = re.compile(r"^According to (?:the\s+)?((?:[\w'-]+\s*){1,4})")
# "Whose remark did Xi cite that…?", "Whom did he quote…?" (fresh batch d63-017): the words
# are another's, quoted in Xi's speech ("联合国秘书长古特雷斯表示，精准扶贫方略是…")
_EN_CITED = re.compile(r"\bwhose\s+(?:[\w-]+\s+)?(?:remarks?|words?|comments?|statements?|views?|"
                       r"assessments?|praise|saying|verdict|observation)\b|"
                       r"\bwho(?:m)?\s+did\s+(?:xi(?:\s+jinping)?|he)\s+(?:cite|quote)\b", re.I)
# The speaker asked for: "Which foreign leader told Xi that…?", "Who thanked Xi for…?"
_EN_WHO_SAYS = re.compile(
    rf"^(?:which|what)\s+(?:(?:foreign|other|european|african|asian|arab)\s+)?"
    rf"(?:{EN_HEADS}|leader|head of state|monarch)s?\s+{SAY_VERBS}|"
    # (not "Who praised China's leadership…?": a passage may quote them further on)
    r"^who\s+(?:told|thanked|praised|asked|wrote to|said to)\s+(?:President\s+)?Xi\b", re.I)
_ROLE = re.compile(rf"\b(?:{EN_HEADS}|leader|secretary-general|director-general|minister|"
                   r"chair|chairing|chairman|chairwoman|presiding)\b", re.I)
_NOT_A_SPEAKER = re.compile(r"^(?:he|she|it|they|that|this)\b|\b(?:meeting|session|conference|"
                            r"commission|committee|article|report|compilation|speech|letter|"
                            r"statement|commentary|document)s?\b", re.I)
# A speaker opening a clause or named after a title: "桑切斯在那次通话中说", "…，普京表示",
# "意大利总理孔特感谢", "马来西亚总理马哈蒂尔对中方抗疫是怎么表态的".
# (or judges: "约翰逊对中国抗疫工作作了怎样的评价？", "古特雷斯如何评价…": fresh batch d65-035)
_ZH_OTHER_SAYS = re.compile(r"(?:^|[，,]|总统|总理|首相|国王|秘书长|总干事|主席|领导人)"
                            r"([\u4e00-\u9fff·]{2,5}?)(?:在[^，。？]{1,12}?|对[^，。？]{1,10}?)?"
                            r"(?:表示|说|认为|称赞|感谢|提到|回应|回答|答复|问|询问|表态)|"
                            r"(?:^|[，,]|总统|总理|首相|国王|秘书长|总干事|主席|领导人)"
                            # "杜达在那次通话中怎么评价…？" (fresh chats d78)
                            r"([\u4e00-\u9fff·]{2,5}?)(?:在[^，。？]{1,12}?)?(?:对[^，。？]{1,12}?(?:作|给)了?"
                            r"(?:怎样|什么样|什么|怎么样|哪些)的?|(?:如何|怎么|怎样))评价")
_EN_OTHER_SIDE = re.compile(r"\b(?:the other side|the other party|his counterpart|"
                            rf"the (?:foreign|other) (?:{EN_HEADS}|leader|head of state))\b",
                            re.I)
_ZH_NOT_A_SPEAKER = re.compile(r"会议|会上|文章|讲话|报告|通话|信中|他|她|我|其|那次|这次|哪位|谁|"
                               r"第.点|一点|一段|这篇|那篇|"
                               r"开头|首先|最后|然后|其中|对此|随后|接着|同时|此外|另外")
# The asking clause opening with someone answering or mentioning: "…，约翰逊对此作出了什么回
# 应？", "3月23日习近平同…约翰逊通电话时，约翰逊提到中国今年要举办哪个…大会？"
_ZH_ASKING_OTHER = re.compile(r"^([\u4e00-\u9fff·]{2,5}?)[^，。？]{0,8}?"
                              r"(?:表示|说|回应|回答|答复|问|询问|感谢|称赞|认为|提到|谈到|提及)")
# A one-clause question whose subject replies: "约翰逊对此是怎么回应的？" (the reply to what was
# said is the other side's; Xi's words are not introduced as a reply).
_ZH_REPLYING = re.compile(r"^([\u4e00-\u9fff·]{2,5}?)[^，。？]{0,8}?(?:回应|回答|答复|表态)")
# The other side of a call or meeting as the subject.
_ZH_OTHER_SIDE = re.compile(r"(?:^|[，,那而])对方[^的，。？]{0,6}?"
                            r"(?:表态|表示|说|讲|回应|回答|答复|认为|感谢|称赞|提出|提到|希望|谈)")
# Xi as the subject (not "同习近平通电话时，孔特感谢…"), the saying perhaps in a later clause.
_ZH_XI_SAYS = re.compile(r"(?<![同给向对与和])习近平[^。？]{0,30}?"
                         r"(?:说|表示|指出|强调|告诉|提出|提到|希望|感谢|答应|承诺|宣布|呼吁|谈到|谈及|"
                         r"谈了(?:些)?(?:什么|哪些))")


def _other_subject(subject: str) -> bool:
    subject = subject.strip()
    if not subject or _NOT_A_SPEAKER.search(subject) or re.match(_XI + r"\b", subject):
        return False
    return bool(_ROLE.search(subject) or re.search(r"\b[A-Z]", subject))


# "What did she say those countries ought to do?" after a question on Xi's call with Merkel:
# Xi is "he", so "she" saying is the other side (fresh chat d54c02.2).
_EN_SHE_SAYS = re.compile(rf"\b(?:did|does|do|has|had|would|will)\s+she\s+{SAY_VERBS}\b|"
                          rf"\bshe\s+{SAY_VERBS}\b", re.I)
_ZH_SHE_SAYS = re.compile(r"她[^，。？?]{0,10}(?:说|表示|认为|指出|强调|提到|回应|表态)")


def _zh_speaker(question: str) -> tuple[str | None, str]:
    """`asked_speaker` of a Chinese question, with the other speaker's name as it writes it
    ("" for "对方" or Xi)."""
    # The asking clause first: "习近平希望英方…，约翰逊对此作出了什么回应？" asks Johnson's.
    clauses = re.split(r"[，,]", question)
    asking = clauses[-1] if len(clauses) > 1 else ""
    m = _ZH_ASKING_OTHER.match(asking) or _ZH_REPLYING.match(question)
    if m and not any(x in m.group(0) for x in _XI_NAMES) and \
            not _ZH_NOT_A_SPEAKER.search(m.group(1)):
        return OTHER, m.group(1)
    if _ZH_XI_SAYS.search(question):
        return XI, ""
    if _ZH_OTHER_SIDE.search(question) or _ZH_SHE_SAYS.search(question):
        # "对方对此是怎么表态的？" (not "他提到对方…", "对方的人员"); "她说…": not Xi
        return OTHER, ""
    for m in _ZH_OTHER_SAYS.finditer(question):
        name = m.group(1) or m.group(2)
        if name not in _XI_NAMES and not _ZH_NOT_A_SPEAKER.search(name):
            return OTHER, name
    return None, ""


def other_speaker_named(question: str) -> str:
    """The name of the speaker other than Xi whose words a Chinese question asks ("马哈蒂尔对
    中方抗疫是怎么表态的？" -> 马哈蒂尔), as it writes it; "" when it names none."""
    if not re.search(r"[\u4e00-\u9fff]", question):
        return ""
    kind, name = _zh_speaker(question)
    return name if kind == OTHER else ""


def asked_speaker(question: str) -> str | None:
    """XI when the question asks what Xi said, OTHER when it asks another speaker's words,
    None when it does not say (most questions)."""
    if re.search(r"[\u4e00-\u9fff]", question):
        return _zh_speaker(question)[0]
    if _EN_OTHER_SIDE.search(question) or _EN_SHE_SAYS.search(question):
        return OTHER
    if _EN_CITED.search(question):
        return None  # someone's words Xi quoted: in his speech, opening with their name
    if _EN_XI_SAYS.search(question):
        return XI
    if _EN_WHO_SAYS.search(question):
        return OTHER
    according = _EN_ACCORDING.match(question)
    if according and _other_subject(according.group(1)):
        return OTHER
    if any(_other_subject(m.group(1)) for m in _EN_SUBJECT_SAYS.finditer(question)):
        return OTHER
    return None


def other_speaker_words(question: str) -> list[str]:
    """The words (lower case) by which an English question names the other speaker whose
    words it asks ("According to Wang Yi, how many…?" -> ["wang", "yi"]); [] when it names
    none ("What did the king say…?" names an office: any king's passage may be his)."""
    if re.search(r"[\u4e00-\u9fff]", question):
        return []
    according = _EN_ACCORDING.match(question)
    subjects = ([according.group(1)] if according else []) + \
        [m.group(1) for m in _EN_SUBJECT_SAYS.finditer(question)]
    for subject in subjects:
        if _other_subject(subject) and re.search(r"\b[A-Z]", subject):
            return [w for w in re.findall(r"[\w'-]+", subject.lower()) if w != "the"]
    return []


# Someone other than Xi opening a paragraph by saying or instructing, after their offices
# ("中共中央政治局常委、国务院总理李克强作出批示指出，", "李克强在主持会议时表示，").
_OTHER_OPENING = re.compile(r"^(?:[\u4e00-\u9fff、]{0,24}?(?:总理|主席|总统|首相|国王|秘书长|常委|委员))?"
                            r"(?!习近平)([\u4e00-\u9fff][\u4e00-\u9fff·—]{1,5}?)(?:在[^，。：]{1,12}?时)?"
                            r"(?:作出批示|作出重要批示|作出指示)?(?:指出|表示|强调|说)[，：:]")


def other_speaker_opening(text: str) -> str | None:
    """The clause by which a passage opens with another speaker than Xi, up to its comma
    ("中共中央政治局常委、国务院总理李克强作出批示指出"); None when it opens with none, or with a
    meeting or a party ("会议指出，", "双方表示，")."""
    m = _OTHER_OPENING.match(text)
    if not m or m.group(1) in _NOBODY | {"会上", "双方"} or m.group(0).startswith(("对", "在")):
        return None  # nor "对我们来说，", as `speaker_opening`
    return m.group(0).rstrip("，：:")


def speaker_opening(text: str) -> tuple[str, int] | None:
    """XI or OTHER and where the opening that names them ends, when the (stripped) passage
    opens by naming its speaker ("默克尔表示，"); None when it does not."""
    m = _SPEAKER_OPENING.match(text.strip())
    if not m:
        return None
    name = m.group(1) or m.group(2)
    if name in _NOBODY or name.startswith(("对", "在")):
        return None
    return (XI if name in _XI_NAMES else OTHER), m.end()


def speaker_clause(text: str) -> str:
    """The opening by which a passage names its speaker ("默克尔表示，", "中共中央政治局常委、
    国务院总理李克强作出批示指出"), "" when it opens with none."""
    text = text.strip()
    opening = speaker_opening(text)
    return text[:opening[1]] if opening else other_speaker_opening(text) or ""


def passage_speaker(text: str) -> str | None:
    """XI or OTHER when the passage opens by naming its speaker ("默克尔表示，", "中共中央政治局
    常委、国务院总理李克强作出批示指出，"), else None."""
    opening = speaker_opening(text)
    if opening:
        return opening[0]
    return OTHER if other_speaker_opening(text.strip()) else None


# The other side's reply asked ("对方在电话里是怎么回应的？", "国王收到慰问电后是怎么回复的？",
# "And what did Hun Sen say back to him?"), not Xi's ("习近平是怎么回复的？", "Xi's reply to
# Bill Gates").
_REPLY_ASKED = re.compile(r"(?:回复|回应|答复|回答)(?:的|了)?(?:什么|吗)?[？?]?$|"
                          r"(?:怎么|如何|怎样)(?:回复|回应|答复|回答)|\bsay (?:back|in reply)\b|"
                          r"\bin reply\b|"
                          # not "what did he say had to be responded to…?": a task, not a reply
                          r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )\brespond(?:ed)?\b|\brepl(?:y|ied) to (?:him|xi)\b|"
                          # not "write back to the community workers": a reply to them
                          r"\b(?:write|wrote) back\b(?!\s+to\s+(?!him\b|xi\b|china\b))", re.I)
_XI_ASKED = re.compile(r"习近平|总书记|习主席|\bXi\b(?!\s+in reply)")


# "How did King Philippe of Belgium reply when Xi asked…?": someone named replying, whatever
# the clause after says of Xi
_EN_NAMED_REPLY = re.compile(r"\bhow did ((?:[\w'-]+\s+){1,6}?)(?:reply|respond|react)\b", re.I)


# China's side replying ("how did China's diplomats respond to remarks discriminating against
# Chinese citizens?": fresh chat d71c04.2): no other side's words asked
_OUR_SIDE = re.compile(r"(?:the\s+)?(?:China|Chinese|Beijing)\b", re.I)


def asks_other_reply(question: str) -> bool:
    """Whether the question asks how the other side replied to Xi (not Xi's own reply, nor
    China's)."""
    named = _EN_NAMED_REPLY.search(question)
    if named and _OUR_SIDE.match(named.group(1).strip()):
        return False
    if named and _other_subject(named.group(1)):
        return True
    asking = re.split(r"[，,]", question)[-1]
    return bool(_REPLY_ASKED.search(question)) and asked_speaker(question) != XI and \
        not _XI_ASKED.search(asking.replace("to Xi", "").replace("to him", ""))


# A named speaker saying something inside another's sentence ("…，文在寅总统特别强调中国的困难就是
# 韩国的困难。" in Xi's message): their words, reported. After the name at most an office and an
# adverb.
_SAYS_AFTER_NAME = r"[\u4e00-\u9fff]{0,4}?" + ZH_SAY


def says_within(text: str, name: str) -> bool:
    """Whether the passage reports `name` saying something anywhere in it."""
    return re.search(re.escape(name) + _SAYS_AFTER_NAME, re.sub(r"\s+", "", text)) is not None


def gives_other_words(text: str) -> bool:
    """Whether a sentence of the passage opens by naming a speaker other than Xi ("约翰逊表示，")."""
    return any((o := speaker_opening(s)) is not None and o[0] == OTHER
               for s in re.split(r"(?<=[。；！？!?])", text) if s.strip())


# What someone else said in a speech at a meeting ("那位兰考县委书记在发言里具体讲了些什么？",
# "What did that first speaker actually say in his remarks?"): the documents' reports name who
# spoke ("蔡松涛…作视频发言") and give Xi's speech (讲话), seldom the others' words. Their 发言 is
# the others' word; Xi's own "发言" (at the G20 summit) is a passage of that title.
_ZH_SPEECH_CONTENT = re.compile(r"发言[^。？?]{0,10}?(?:的)?(?:主要|具体)?"
                                r"(?:内容|(?:讲|说|谈)了?(?:些|了)?(?:什么|哪些))")
_EN_SPEECH_CONTENT = re.compile(
    r"\bwhat did (?:that|the|this) (?:[\w-]+ ){0,3}?(?:speaker|secretary|official|delegate|"
    r"representative|mayor|governor)s? (?:actually |really )?(?:say|talk about)\b"
    r"[^?]*\b(?:remarks|speech|presentation)\b|"
    # "And what did the five local officials who spoke before him actually say?" (d61c05.3)
    r"\bwhat did (?:that|the|this|those|these) (?:[\w-]+ ){0,3}?(?:speaker|secretary|official|"
    r"delegate|representative|mayor|governor)s? who (?:spoke|took the floor)\b[^?]{0,40}?"
    r"\b(?:say|talk about)\b|"
    # "…what figures did Yang Fasen, party secretary of Hotan prefecture, report in his speech?"
    r"\bwhat (?:\w+ )?did (?!Xi\b|President Xi\b)(?-i:[A-Z][\w-]+ [A-Z][\w-]+)\b[^?]{0,80}?"
    r"\b(?:say|report|present|mention|talk about|cite)\b[^?]{0,20}?"
    r"\bin (?:his|her|their) (?:speech|remarks|presentation)\b", re.I)


def asks_speech_content(question: str) -> bool:
    """Whether the question asks what someone other than Xi said in their speech at a meeting."""
    return bool((_ZH_SPEECH_CONTENT.search(question) and
                 not any(x in question for x in _XI_NAMES)) or _EN_SPEECH_CONTENT.search(question))


# The other side an excerpt's attribution names: the leader of a call or a talk, the addressee
# of a message or a letter ("——3月27日，习近平同沙特国王萨勒曼通电话": 沙特国王萨勒曼).
_PARTNER = re.compile(r"(?:同|向|复信)([\u4e00-\u9fff·、]{2,30}?)(?:通电话|会谈|致慰问电|致贺电|致电|就|$)")
_OFFICES = re.compile(r"总书记、国家主席|国家主席|副总统|总统|首相|总理|国王|女王|王储|秘书长|总干事|"
                      r"委员会主席|理事会主席|主席")


def partner_of(attribution: str | None) -> tuple[str, ...]:
    """How the other side of the excerpt an attribution introduces is named: the leaders'
    names, each also as its country and office ("——3月27日，习近平同沙特国王萨勒曼通电话" ->
    ("萨勒曼", "沙特国王")); () when it names none."""
    m = _PARTNER.search(attribution or "")
    if not m:
        return ()
    names, offices = [], []
    for side in m.group(1).split("和"):  # "欧洲理事会主席米歇尔和欧盟委员会主席冯德莱恩"
        office = next(reversed(list(_OFFICES.finditer(side))), None)  # the last one
        if office is not None and len(side) - office.end() >= 2:
            names.append(side[office.end():])
            offices.append(side[:office.end()])
        elif len(side) >= 2:
            names.append(side)
    return tuple(names + offices)


def speaks_as(clause: str, speakers: tuple[str, ...], partner: tuple[str, ...]) -> bool:
    """Whether a passage's speaker clause ("菲利普表示，") names the speaker a question asks
    for (`speakers`, as the documents write them): by name, or as the other side of the
    excerpt's call or talk (`partner`, from its attribution) when the question names them
    by their office ("…did the King say…": 国王, the side "比利时国王菲利普")."""
    if any(name in clause for name in speakers):
        return True
    return any(name in side for name in speakers for side in partner) and \
        any(side in clause for side in partner)


def names_partner(text: str, partner: tuple[str, ...]) -> bool:
    """Whether a text (a question, or an English one's Chinese words) names that other side:
    the leader's name, or their country and office together ("沙特国王"); not the country
    alone ("向世界卫生组织捐款多少" names no letter to its director-general)."""
    return any(word in text for word in partner)
