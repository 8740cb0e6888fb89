"""What kind of answer a question asks for, and whether a sentence holds that kind of thing.

"多少/几/how many" asks for a count, "哪天/何时/when" for a date, "哪里/哪个城市/where" for a place,
"谁/哪位/who" for a person, "几点/what time" for a time of day. A sentence that states a number,
a date, a place, a named person or a time is more likely to answer such a question than one
that only shares its topic.
"""

from __future__ import annotations

import functools
import re

from .dates import MONTHS, PUBLISHED, en_dates, question_dates
from .lexical import has_cjk, is_latin, tokens
from .speaker import EN_HEADS

# Month names in full: "may" and "mar" are words too.
_MONTH_NAMES = "|".join(sorted((m for m in MONTHS if len(m) > 4 or m == "june" or m == "july"),
                             key=len, reverse=True))

COUNT, DATE, PLACE, PERSON, TIME = "count", "date", "place", "person", "time"
KINDS = (COUNT, DATE, PLACE, PERSON, TIME)

# "几点" asks a time of day when a verb or the question's end follows it ("几点走？", "几点
# 开始", "几点钟", "几点能打通", "几点吃"), a count when a noun does ("几点要求", "几点倡议").
# Not 需, 可 or 应: "有几点需要注意", "几点可以借鉴", "几点应对措施" count.
_TIME_AFTER = (r"(?:钟|半|几分|[？?，,。！!\s]|$|[到开走发出起止关营下上前后以之集赶抵结始左来去回停进离演"
               r"能吃喝服睡打])")
_JIDIAN_TIME = f"(?<!哪)几点(?={_TIME_AFTER})"  # not "要做到哪几点？"

_ASKS = [
    (DATE, re.compile(r"哪天|哪一天|哪日|何时|什么时候|哪一年|哪年|几月几日|月几日|几号|"
                      # "When did they speak?", not "When Xi met Hun Sen, what…" or "…hold
                      # when the time is right?"
                      # nor "When do I need a fapiao?": a condition, what must hold
                      r"\bwhen\s+(?:did|was|were|is|are|does|do|will|would|had|has|and)\b"
                      r"(?!\s+\w+\s+(?:need|have to|has to|must|should|may|can)\b)|"
                      r"\bwhen\s*\?|\b(?:what|which) (?:(?:exact|precise|full|specific|complete) )?"
                      r"(?:date|day|year)\b|"
                      r"\b(?:the|its|their) (?:(?:exact|precise|full|specific|complete) )?date\b|"
                      r"日期|哪一?个月|几月份|"
                      # "Did he set a deadline for…?", "Did he give a timetable…?"
                      r"\b(?:set|give|gave|given|mention|mentioned|announce|announced|name|named|"
                      r"state|stated|fix|fixed)\s+(?:a|any|an|the)\s+(?:deadline|date|timetable|"
                      r"timeline|time ?frame|target date)\b", re.I)),
    # "At what time of day…?", not "What time span do they cover?" nor "Within what time…?"
    (TIME, re.compile(_JIDIAN_TIME + r"|几时|什么时间|哪个时间段|(?<!within )\bwhat (?:exact |precise |clock )?time\b"
                      r"(?!\s+(?:span|period|frame|limit|range)s?\b)|"
                      r"\b(?:what|which) hours?\b|\bopening hours\b|\bhow (?:early|late)\b", re.I)),
    # "那几天", "这几年", "前几天" name a time, not a count; "哪几项举措" asks which, not how many
    # not a phone number or a code ("热线是多少？": "400-826-5570", foreign dev f-251)
    (COUNT, re.compile(r"(?<!电话是)(?<!热线是)(?<!号码是)(?<!编号是)(?<!代码是)(?<!邮编是)(?<!电话)"
                       r"(?<!热线)(?<!号码)(?<!编号)(?<!代码)(?<!邮编)多少|"
                       r"(?<![那这前头近哪])几[个位名次天年支架条项例亿万]|(?<=哪)几点|几点(?!" + _TIME_AFTER + r")|"
                       r"多大|多长|多远|多高|比例|"
                       r"\bhow (?:many|large|long|big|old)\b|"
                       # a distance, not how far something had got ("how far had its cargo
                       # handling recovered?", "how far along…": fresh batch d64-022)
                       r"\bhow far\b(?!\s+along\b)(?![^?,;]{0,60}\b(?:recover|resum|progress|advanc|"
                       r"restor|return|gone|come|got)\w*)|"
                       r"\b(?:what|which) (?:share|percentage|number|figure|amount|total|proportion)\b|"
                       # "Which issue number of Qiushi carried it?" (fresh batch d63-033)
                       r"\b(?:what|which) (?:issue|page|volume|serial|phone|telephone) number\b|"
                       # "Did he give a figure for how many…?", "Did it mention a number for…?"
                       r"\b(?:give|gave|given|mention|mentioned|cite|cited|state|stated|provide|"
                       r"provided|put)\s+(?:a|any|an|the)\s+(?:figure|number|count|total|tally)\b|"
                       # not a degree: "how much Chinese students matter to the United States"
                       r"\bhow much\b(?![^?,;]{0,40}\b(?:matter(?:s|ed)?|mean[st]?|care[sd]?|"
                       r"value[sd]?|respect(?:s|ed)?|appreciate[sd]?|love[sd]?|like[sd]?|"
                       r"admire[sd]?|trust(?:s|ed)?)\b)",
                       re.I)),
    (PLACE, re.compile(r"哪里|哪儿|在哪(?!一?个?[年天月日次]|[几些]?个?(?:方面|领域)|[一几]?[位名]|[份本期篇]|家?(?:报|杂志|期刊|刊物))|何地|何处|什么地方|什么地点|哪个地点|哪个(?:城市|省|村|国家|地方|县|市|社区|区|会场|场馆|场所|礼堂|宾馆|大厅)|哪座|哪[省市村国]|"
                       r"哪家(?:宾馆|酒店)|\bwhere\b|"
                       r"\bwhich (?:city|village|country|province|county|place|community|venue|hall|hotel)\b",
                       re.I)),
    (PERSON, re.compile(r"谁|哪位|哪几位|哪个人|(?-i:\b[Ww]ho\b)|\bwhom\b|\bwhose\b|"
                        # "Which Cuban leader…?", "Which foreign head of state…?"
                        r"\bwhich (?:[\w-]+ ){0,2}(?:leaders?|presidents?|premiers?|prime ministers?|"
                        r"kings?|queens?|emirs?|chancellors?|officials?|ministers?|"
                        r"secretar(?:y|ies)|director-generals?|heads? of (?:state|government))\b",
                        re.I)),
]

_NUM = r"(?:(?<![\d,.])(?!(?:19|20)\d\d\s*年)\d[\d,.]*|(?!两国)[一二两三四五六七八九十百千万亿]+)"
_UNIT = (r"(?:多|余|近|约)?\s*(?:万|亿)?(?:个|名|例|支|人|次|架次|元|美元|亩|天|年|%|％|倍|项|条|家|所|"
         r"位|国(?!集团)|批|吨|件|套|只|台|张|周年|架|通|份|户|县|村|省|点|方面|小时|分钟|公里|平方米|"
         r"对|双|辆|艘|座|栋|间|箱|列|趟|班|棵|株|盒|瓶|剂|枚|人次|床)")
# A year is not a count ("2020年3月27日"), nor are "the two countries" ("两国人民") or the G20
# ("二十国集团", a name); ten thousand is ("2729万建档立卡贫困劳动力"), and so is a share
# ("三分之二左右的收入").
# (or a span told roughly: "经过数月艰苦努力" for how long, fresh batch d65-010)
_COUNT = re.compile(_NUM + r"\s*(?:" + _UNIT + r"|万|亿)|[一二三四五六七八九十百]+分之[一二三四五六七八九十百]+|"
                    r"数十?个?(?:月|年|天|周|星期|小时)")
_ZH_NUM = "〇零一二三四五六七八九十两"
# A day of the month ("10日", "十五号"; not "2号仓库")
_DAY_OF_MONTH = rf"[\d{_ZH_NUM}]{{1,3}}\s*[日号](?![本报仓楼线库门车机房台院窗厅馆泊位码文令字口桥])"
_YEAR_OF = rf"(?:\d{{4}}|[{_ZH_NUM}]{{4}})\s*年"  # "2020年", "二〇二〇年"
# A day of the lunar calendar or a one-day holiday ("大年初一", "正月十五", "除夕", "元旦")
_FEAST_DAY = r"(?:大年|正月)(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|二十|三十)|除夕|元宵节|元旦"
_DATE = re.compile(
    rf"[\d{_ZH_NUM}]{{1,3}}\s*月(?:\s*[\d{_ZH_NUM}]{{1,3}}\s*[日号])?|"  # 3月10日, 九月, 三月十日
    rf"{_YEAR_OF}|{_DAY_OF_MONTH}|"  # 2020年, 10日
    r"(?:周|星期|礼拜)[一二三四五六日天]|[上中下]旬|[月年](?:初|底|末)|"  # 周一, 上旬, 年底
    rf"当天|今天|昨天|明天|{_FEAST_DAY}|春节|清明|端午|中秋|国庆|"
    rf"(?:上|20|二十)世纪[\d{_ZH_NUM}]{{1,2}}年代|[\d{_ZH_NUM}]{{2}}年代")  # 上世纪80年代
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:省|市|县|区|村|镇|乡|州|社区|街道|国|岛|湖|山|港|公园|仓库|"
                    r"车间|工厂|医院|学校|广场|码头|机场|大道|小区|园区|景区|[东西南北正]门|"
                    r"(?:客运|火车|汽车|公交|地铁|高铁|服务)站)|\d+号(?:仓库|车间|楼|门|泊位|码头)"
                    r"|北京|上海|武汉|湖北|浙江|杭州|在[\u4e00-\u9fff]{2,4}(?:举行|召开|考察)")
_PERSON = re.compile(r"(?:主席|总统|总理|首相|国王|秘书长|总干事|书记|部长|主任|同志|记者|院士|大使|委员长|"
                     # the offices of a firm, a court, a city or a school, not only of states
                     r"秘书|董事长|总经理|经理|负责人|院长|校长|局长|厅长|市长|县长|区长|镇长|"
                     r"处长|科长|所长|站长|会长|理事长|审判长|审判员|法官|律师|教授|医生|代表)"
                     # someone saying, not a meeting or a text ("会议指出，…", fresh batch d78-032)
                     r"[\u4e00-\u9fff·]{2,6}|[\u4e00-\u9fff·]{2,6}(?<!会议)(?<!会上)(?<!报告)(?<!文章)"
                     r"(?<!通知)(?<!公告)(?<!讲话)(?<!纪要)(?<!决定)(?<!意见)(?:主持|表示|指出|说|认为|同志)"
                     r"|习近平|李克强|汪洋|王毅|王沪宁|韩正|栗战书|赵乐际")


# A time of day: "7:30", "10时30分", "上午9点", "下午3点半", "at 9:30 a.m.".
_TIME = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?|"
                   r"\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半|钟|整)?(?=[^\u4e00-\u9fff]|[前后起至到左开出发]|$)|"
                   r"[上下]午\s*[\d一二三四五六七八九十]|凌晨|傍晚|中午\s*\d", re.I)
_EN_TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\b\d{1,2}:\d{2}\b|\bnoon\b|"
                      r"\bmidnight\b|\bo'clock\b", re.I)


# Words the question quotes ("用“谁有本事谁揭榜”的办法") ask nothing.
_QUOTED = re.compile(r"“[^”]{0,40}”|「[^」]{0,40}」|\"[^\"]{0,40}\"")


# "要求把优势力量集中到哪里？", "要把钱用到哪儿？", "重点放到哪里？": where effort goes, a
# matter (the answer "集中到解决最紧迫问题上来"), not a place (fresh batch d63c10)
_FIGURATIVE_WHERE = re.compile(r"(?:集中|用|放|投|投入|花|聚焦|落|落实|体现|倾斜|引向)(?:到|在)"
                               r"(?:哪里|哪儿|何处)")


def asked_kinds(question: str) -> set[str]:
    """The kinds of answer the question asks for (possibly none, possibly several)."""
    asking = _FIGURATIVE_WHERE.sub("", _QUOTED.sub("", question))
    return {kind for kind, pattern in _ASKS if pattern.search(asking)}


# The same kinds as a text written in English states them ("18,900 shorebirds", "On 25
# October", "in Baisha Bay", "Dr. Maria Keller").
_EN_NUMBER = ("one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
              "fifty hundred thousand million billion dozen")
_EN_YEAR = r"\b(?:19|20)\d\d\b"  # "1978"
_EN_STATES = {
    COUNT: re.compile(rf"\d|\b(?:{'|'.join(_EN_NUMBER.split())})\b", re.I),
    DATE: re.compile(rf"\b(?:{_MONTH_NAMES})\b|{_EN_YEAR}|"
                     r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I),
    PLACE: re.compile(r"\b(?:in|at|to|from|near)\s+(?:the\s+)?[A-Z]"),
    PERSON: re.compile(r"\b(?:Mr|Ms|Mrs|Dr|Prof|Professor)\b\.?\s+[A-Z]|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b"),
    TIME: _EN_TIME,
}


def states(kind: str, text: str) -> bool:
    """Whether the text states a thing of that kind (in Chinese, or in English when it is
    written in English)."""
    pattern = {COUNT: _COUNT, DATE: _DATE, PLACE: _PLACE, PERSON: _PERSON, TIME: _TIME}[kind]
    return bool(pattern.search(text)) or \
        (is_latin(text) and bool(_EN_STATES[kind].search(text)))


def unstated(question: str, text: str, signed: str = "") -> bool:
    """Whether the question asks for a count or a date ("How many…", "On what date…") that
    the text does not state (for "How many people…", a number of people in a Chinese text):
    then it does not answer it, whatever else it shares. `signed`: the sign-off of the letter
    the text is part of, which states its date (not a count)."""
    return any(kind in (COUNT, DATE) and not states_signed(kind, text, signed)
               for kind in asked_kinds(question)) or \
        (bool(_EN_PEOPLE_ASKED.search(question)) and not _PEOPLE_COUNTED.search(text)
         and not is_latin(text))


# "How many people died…?", "How many doctors and nurses…?": a number of people, which the
# documents write with 人, 名 or 位 ("2000名医务人员", "1000万人", "22位外方领导人", "贫困人口
# 减到3000万"), not any number ("三个继续下降" for how many died in accidents). Not "workers":
# the documents count a labour force ("贫困劳动力2729万").
_EN_PEOPLE_ASKED = re.compile(
    r"\bhow many (?:[\w-]+ ){0,2}?(?:people|persons|residents|patients|students|"
    r"children|doctors|nurses|participants|attendees|officials|volunteers|villagers)\b", re.I)


def type_match(kinds: set[str], text: str, signed: str = "", reached: bool = False) -> float:
    """Share of the asked kinds the text states (0 when nothing in particular is asked);
    `signed` as for `unstated`. With `reached`, a place counts only where the text puts
    someone or something in it (`reaches_place`)."""
    if not kinds:
        return 0.0
    return sum(reaches_place(text) if reached and k == PLACE else states_signed(k, text, signed)
               for k in kinds) / len(kinds)


# A place someone went to or something stands in: "来到北京市大兴区旧宫镇植树点", "在人民大会堂",
# not one named otherwise ("同北京市、国家林业和草原局负责同志一起"; "走向植树地点" names none)
_REACHED = re.compile(r"(?:来到|前往|赶赴|抵达|走进|到|在|于|赴|至|为)")


def reaches_place(text: str) -> bool:
    """Whether the text puts someone or something in a place it names."""
    return any(_REACHED.search(text[max(0, m.start() - 3): m.end() - 1])
               for m in _PLACE.finditer(text)) or \
        (is_latin(text) and bool(_EN_STATES[PLACE].search(text)))


def states_signed(kind: str, text: str, signed: str = "") -> bool:
    """`states`, for a passage of a letter whose sign-off (`signed`, "习近平2020年3月15日")
    dates it: the sign-off states its date, not a count."""
    return states(kind, f"{text} {signed}" if kind == DATE and signed else text)


_WH = re.compile(r"什么|哪[些个里位天年座家句部艘一种类项条]?|多少|几[个位名点次天年支项条]?|谁|如何|怎样|怎么")


_SAYS_BEFORE = re.compile(r"(?:时|上|中)?(?:说|指出|强调|表示)(?:了)?")
_EVENT_BEFORE = re.compile(r"(?:会议|座谈会|峰会|讲话|发言|回信|复信|通电话|通话|文章)(?:上|中|里|时)?")


def focus_tokens(question: str) -> list[str]:
    """The words of the clause that asks ("…希望他们发扬什么作风？" -> 发扬, 作风): the answer
    sentence says them; the rest of the question says which speech or letter."""
    clause = asking_clause_zh(question)
    return tokens(clause, query=True) if clause else []


def asking_clause_zh(question: str) -> str:
    """The clause of a Chinese question that asks (`focus_tokens`); "" when it has no other."""
    clauses = [c for c in re.split(r"[，,、；;：:]", question) if c.strip()]
    asking = [c for c in clauses if _WH.search(c)]
    if asking and len(clauses) < 2:
        # One clause: what follows the verb of saying asks ("…察看时说湿地贵在什么？"), or
        # what follows the meeting or speech it names ("3月27日中共中央政治局会议对当时境外疫情
        # 的发展态势作出了怎样的判断？": fresh batch d69-014)
        for cue in (_SAYS_BEFORE, _EVENT_BEFORE):
            said = list(cue.finditer(asking[-1]))
            if said and _WH.search(rest := asking[-1][said[-1].end():]) and said[-1].start() > 0:
                return rest
    if not asking or len(clauses) < 2:
        return ""
    return asking[-1]


# How many characters of the asking clause a passage must hold in a row to be holding its words
# ("强调要把什么纳入国家安全体系？" -> "…纳入国家安全体系": dev chats c29, d18c11, d19c10, d32c07)
PHRASE = 7


def asked_phrases(question: str) -> list[str]:
    """The runs of `PHRASE` Chinese characters of the asking clause after its question word
    ("…强调要把什么纳入国家安全体系？" -> "纳入国家安全体系"), question words left out: a passage
    holding one says what is asked in the question's own words. What comes before the question
    word names the topic ("湖北和武汉的疫情防控初步实现了怎样的目标？", "中央全面深化改革委员会第
    十二次会议要求建立怎样的体系…？"), which many passages share with it."""
    asking = _WH.search(clause := asking_clause_zh(question))
    if asking is None:
        return []
    parts = [re.sub(r"[^\u4e00-\u9fff]", "", p) for p in _WH.split(clause[asking.end():])]
    return [part[i:i + PHRASE] for part in parts for i in range(len(part) - PHRASE + 1)]


# A sum of money: what "多少钱？" counts (lifted in the ranking, but no evidence that the corpus
# answers: any price is one).
MONEY = re.compile(r"[\d０-９一二两三四五六七八九十百千]+(?:[.,]\d+)*\s*(?:多|余)?\s*(?:万|亿)?\s*"
                    r"(?:元|块|美元|欧元|港元)|免费")
# A word pointing at whose the things are ("多少名本国留学生": the text names the country,
# "500多名纳米比亚留学生") is no part of the thing counted.
_WHOSE = r"(?:本国|该国|贵国|对方|本地|当地|本市|本省|本县|本村|这些|那些|他们|她们)?"
_MEASURE_WORDS = "个位名点次支条项例所家批件套台张户对双辆只头棵座间栋本篇场轮趟列架艘吨箱份起"
_COUNTED = re.compile(r"(?<!哪)(?:几|多少)(?![号日])([" + _MEASURE_WORDS + "]?)"  # "2月几号": a day
                      + _WHOSE + r"([\u4e00-\u9fff]{2})")
# "面积有多大", "全长有多长": the thing measured, named before the asking word (not "多少":
# "电话是多少", "门票要花多少" ask a number or a price, not a count of the word before)
_MEASURED = re.compile(r"([\u4e00-\u9fff]{2})(?:一共|总共|大约|大概)?(?:有|是|为|达)?(?:多大|多长|多高|多远|多重|多宽|多深)(?![\u4e00-\u9fff])")
# "一共通了多少次？", "每天的检测能力是多少份？": the measure word ends the question
_MEASURE_ALONE = re.compile(r"(?<![那这前头近哪])(?:几|多少)([次个位名项条家件批场回份例支所台张吨套架艘辆座棵户])"
                            r"(?=[？?。，,！!]|$)")
# an ordinal ("摆在第一位", "第3批") counts nothing
NUMERAL = r"(?<![第\d０-９一二两三四五六七八九十百千万亿])[\d０-９一二两三四五六七八九十百千万亿]+(?:\.\d+)?\s*(?:多|余)?\s*"
# Measure words counted in figures only: "多少起事故" -> "120起" ("一起" is "together")
_FIGURES_ONLY = "起"
_FIGURE = r"(?<![第\d])\d[\d,.]*\s*(?:多|余)?\s*(?:万)?\s*"
# "多少人", "几个人", "多少人参加" count people, whatever they are: "招生90人", "1138人" (not
# "多少人员", "多少人口", "多少人次": nouns of their own)
_PEOPLE_ASKED = re.compile(r"(?:多少|几)(?:个|名|位)?人(?![员口次民群数才])")
_PEOPLE = re.compile(NUMERAL + r"(?:万|亿)?\s*(?:个|名|位)?人")
# "多少被困在国外的湖北人", "几位在场的患者": people, named after a clause saying which; the text
# counts them "1300余名滞留海外的湖北兄弟姐妹", whatever it calls them
_CLAUSE_PEOPLE_ASKED = re.compile(r"(?<!哪)(?:多少|几)(?:个|名|位)?[\u4e00-\u9fff]{1,14}?的"
                                  r"[\u4e00-\u9fff]{0,6}?(?:人|同胞|兄弟姐妹|公民|侨胞|学生|"
                                  r"患者|病人|人员)(?![\u4e00-\u9fff])")
_PERSONS = re.compile(NUMERAL + r"(?:万|亿)?\s*(?:名|位|人)")
# Looser than _PERSONS: a few words may stand between the figure and the people ("960多万贫困
# 人口", dev d2-037), or the figure after them ("贫困人口减到3000万"); "一些人员" is no figure
_PEOPLE_COUNTED = re.compile(NUMERAL + r"(?!些|部分)(?:万|亿)?[^，,。；;\d]{0,6}?(?:名|位|人)|"
                             r"人[口数]?[^，,。；;\d]{0,4}?\d")


def states_people_asked(question: str, texts: list[str]) -> bool:
    """For a Chinese question asking how many people ("到底有多少人自行流出了？"): whether any of
    the texts states a number of people (`_PEOPLE_COUNTED`: "1300余名…同胞", "贫困人口减到551万");
    True when no number of people is asked (a count of people is `counted_thing`'s `_PEOPLE`,
    not a measure word: `counted_measure`)."""
    asking = _asking_clause(_QUOTED.sub("", question))
    if not has_cjk(asking) or not _PEOPLE_ASKED.search(asking):
        return True
    return any(_PEOPLE_COUNTED.search(t) for t in texts)


_PRICE_ASKED = re.compile(r"多少钱|几块钱|多少费用|收费多少|费用是多少|价格是多少|多少(?:万|亿)?(?:元|美元|欧元)|"
                          r"价值(?:是|为|有)?多少")  # "累计发放了多少亿元？" (fresh batch d76-023)


# "展现了哪几种能力？", "提出了哪些措施？": which things of a kind, answered by a list of them
# each named with the kind's word ("领导能力、应对能力、组织动员能力": fresh batch d64-005)
# or of two kinds together ("肯定了哪些部门和战线…": "…、国资林草等部门和纪检监察、…等战线",
# fresh batch d69-017)
_LISTED_ASKED = re.compile(r"哪(?:几|些)(?:种|个|项|类|条|大)?([\u4e00-\u9fff]{2})"
                           r"(?=[？?，,。]|$|[和及与][\u4e00-\u9fff]{2}(?:[？?，,。在的]|$))")
# Words of no kind: "…、…等方面" closes any list ("保哪些方面？" is not answered by "在人员流动
# 引导、…等方面")
_NO_KIND = frozenset("方面 内容 问题 工作 事情 东西 情况".split())


# "加强哪几方面的要素保障？": the aspects of a kind, answered by a list ending "…等" before the
# kind's word ("用工、用地、资金等要素保障": fresh batch d67-011)
_ASPECTS_ASKED = re.compile(r"哪(?:几|些)(?:个)?(?:方面|类|种)的([\u4e00-\u9fff]{2,6})(?=[？?，,。]|$)")


def listed_kind(question: str) -> re.Pattern | None:
    """For "哪几种能力？": a pattern for a list of things each named with that word ("…能力、
    …能力") or closed by it ("…、国资林草等部门"); for "哪几方面的要素保障？", a list of them
    before it ("用工、用地、资金等要素保障");
    None when the question asks which things of no kind it names."""
    asking = _asking_clause(_QUOTED.sub("", question))
    if m := _ASPECTS_ASKED.search(asking):
        return re.compile(rf"、[^。；;！？]{{0,20}}?等{re.escape(m.group(1))}")
    m = _LISTED_ASKED.search(asking)
    if not m:
        return None
    kind = re.escape(m.group(1))
    if m.group(1) in _NO_KIND:
        return re.compile(rf"{kind}、[^。；;！？]{{0,14}}?{kind}")
    # each named with the kind's word, or a list closed by it ("…、国资林草等部门")
    return re.compile(rf"{kind}、[^。；;！？]{{0,14}}?{kind}|、[^。；;！？]{{0,20}}?等{kind}")


def counted_thing(question: str) -> re.Pattern | None:
    """For "提出了几点倡议？", "派出了多少支医疗队？": a pattern for a number of that thing as
    the documents write it ("4点倡议", "340多支医疗队"), the sentence that states the count
    rather than one about the topic. None when no counted thing is named. Words the question
    quotes are no part of the thing ("多少名“90后”党员" counts 党员). Only the clause that
    asks is read ("开过的几次座谈会，2017年那次是在哪座城市开的？" counts nothing)."""
    question = _asking_clause(_QUOTED.sub("", question))
    if _PRICE_ASKED.search(question):
        return MONEY  # "一共罚多少钱？" -> "罚款共计65万元"
    if re.search(_JIDIAN_TIME, question):
        return _TIME  # "几点走？" asks a time ("7:30", "9时31分"), not a number of 点
    if _PEOPLE_ASKED.search(question):
        return _PEOPLE  # "一共招多少人？" -> "招生90人"
    if _CLAUSE_PEOPLE_ASKED.search(question):
        return _PERSONS  # "多少被困在国外的湖北人" -> "1300余名滞留海外的湖北兄弟姐妹"
    m = _COUNTED.search(question)
    if not m:
        # "那块地面积有多大？": the thing measured before the asking word ("面积约320亩")
        before = _MEASURED.search(question)
        noun = before.group(1) if before else ""
        if noun and noun[-1] not in "了的们着过共约概":
            return count_of([noun])
        # "一共通了多少次？": a number of that measure word ("26次通话")
        alone = _MEASURE_ALONE.search(question)
        return re.compile(NUMERAL + re.escape(alone.group(1))) if alone else None
    unit, noun = m.groups()
    if noun[0] in "的了是在呢吗？":
        return None
    nouns = [noun]
    if unit in _VERBAL_MEASURES:
        # "接受了多少次主流电视及电台采访？": a count of doing, written after the verb the phrase
        # ends on ("接受主流电视及电台采访400余次")
        phrase = re.match(r"[\u4e00-\u9fff]+", question[m.start(2):]).group(0)
        nouns.append(phrase[-2:])
    return count_of(nouns, unit)


# Measure words counting how often something was done: the documents write the count after the
# verb ("采访400余次", "通话26次") as often as before the thing ("26次通话")
_VERBAL_MEASURES = frozenset("次回遍趟")


# Measure words the documents use for the same things ("多少条要求" -> "8点要求", "几位" ->
# "22名", "多少只口罩" -> "N个口罩").
_SAME_MEASURE = {
    "条": "条|点|项|个|方面", "点": "点|条|项|个|方面", "项": "项|条|点|个|方面",
    "名": "名|位|个|人", "位": "位|名|个|人", "次": "次|场|回|轮|趟|批", "场": "场|次|个",
    "回": "回|次", "轮": "轮|次", "趟": "趟|次", "批": "批|次", "棵": "棵|株",
    "家": "家|所|个", "所": "所|家|个", "只": "只|个", "件": "件|个", "套": "套|个",
    "台": "台|个", "张": "张|个", "座": "座|个", "支": "支|个", "架": "架", "间": "间|个",
    "栋": "栋|座|个", "例": "例|个", "户": "户|家", "头": "头|只",
}


def _asking_clause(question: str) -> str:
    """The last clause that asks something ("开过的几次座谈会，2017年那次是在哪座城市开的？" ->
    the second: the first one's "几次" is "the several", no count asked)."""
    clauses = [c for c in re.split(r"[，,；;]", question) if _WH.search(c)]
    return clauses[-1] if clauses else question


def counted_measure(question: str) -> re.Pattern | None:
    """For "一共种了多少棵树？", "送多少只口罩？": a pattern for any number of that measure word
    ("N棵", "N只"), whatever it counts. A text stating none states no count of the kind asked,
    however the documents word the thing ("1300余名滞留海外的湖北兄弟姐妹" for "多少名困在国外
    的湖北人" has its "N名"). Only the clause that asks is read. None when no measure word is
    given, when it is "个" (said of anything) or "点" ("几点" may ask a time), or when a price,
    a time or a rank ("第几位") is asked."""
    question = _asking_clause(_QUOTED.sub("", question))
    if _PRICE_ASKED.search(question) or re.search(_JIDIAN_TIME, question) or \
            _PEOPLE_ASKED.search(question):
        return None
    m = _COUNTED.search(question)
    unit = m.group(1) or m.group(2)[0] if m else ""  # "多少棵树": the noun took the measure word
    if m is None and (alone := _MEASURE_ALONE.search(question)):
        unit = alone.group(1)
    if not unit or unit not in _MEASURE_WORDS or unit in "个点" or "第几" in question:
        # "第几位访华的元首" asks a rank ("首位"), not a count; "每天几点能下楼？" a time
        return None
    numeral = _FIGURE if unit in _FIGURES_ONLY else NUMERAL
    return re.compile(numeral + f"(?:{_SAME_MEASURE.get(unit, re.escape(unit))})")


# "一共设了多少个分会场？": a count by 个 of a thing the question names after it (a word of two
# characters or more, not an adverb or a verb: "有多少个已经宣布摘帽？" names the thing before)
_COUNTED_BY_GE = re.compile(r"(?<!哪)(?:多少|几)个([\u4e00-\u9fff]{2,})")
_NOT_A_THING = frozenset("已经 没有 还有 还是 都是 正在 仍然 依然 尚未 先后 分别 一共 总共 一起 同时 "
                         "宣布 实现 完成 达到 进行 参加 出席 提出 属于 位于 来自".split())


def thing_counted_by_ge(question: str) -> str:
    """For "3月6日的决战决胜脱贫攻坚座谈会一共设了多少个分会场？": the thing a Chinese question
    counts by 个 (分会场), which `counted_measure` leaves alone (个 is said of anything); "" when
    it counts none, counts by another measure word, or names no thing of its own after 个."""
    m = _COUNTED_BY_GE.search(question)
    if not m or counted_measure(question) is not None:
        return ""
    from .segment import words

    found = words(m.group(1))
    thing = found[0] if found else ""
    return thing if len(thing) >= 2 and thing not in _NOT_A_THING else ""


# "How many beds…?", "How many members were in the team…?": English nouns whose numbers the
# documents write with one measure word or a few ("1000张床位", "21名队员", "17151例", "近2700个
# 领保案件"), so a Chinese text with no number of them states no count of the thing asked (dev
# d12-029, d34-038: answered from a passage about the hospital or the team that counts nothing).
_EN_MEASURES = (
    (r"beds", "张|床"), (r"cases", "例|个|起|件"), (r"infections", "例"), (r"tons|tonnes", "吨"),
    (r"batch(?:es)?", "批|次"), (r"members|medical workers|medics|doctors|nurses|experts",
                                r"名|位|人"),
    (r"(?:charter )?flights", "架次|架|趟|班"), (r"masks", "只|个|片"),
    (r"trees|saplings", "棵|株"), (r"teams", "支|批|个"),
    (r"proposals|suggestions|requirements|points|initiatives|principles", "点|条|项|个方面"),
    # "How many community grid workers…?" (fresh batch d76-026): "290多万名…干部", "2729万…劳动力";
    # the people counted, not a thing of theirs ("How many staff apartment units…?")
    (r"(?:workers|staff|volunteers|employees|cadres|officials)(?=\s+(?:did|do|does|were|was|are|is|"
     r"have|had|has|will|would|could|can|work|worked|in|at|of|on|from|who|that)\b|\s*[?,.]|$)",
     "名|位|人|万"),
)
_EN_MEASURED = re.compile(r"\bhow many\s+(?:[\w'’-]+\s+){0,3}?(" +
                          "|".join(noun for noun, _ in _EN_MEASURES) + r")\b", re.I)


def english_measure(question: str) -> re.Pattern | None:
    """For "How many beds did Huoshenshan Hospital have?": a pattern for a number of that
    thing's measure words in a Chinese text ("1000张"), as `counted_measure` for a Chinese
    question (`english_count` is the same for a text in English). None when the question
    counts nothing in `_EN_MEASURES`."""
    m = _EN_MEASURED.search(question)
    if m is None:
        return None
    noun = m.group(1).lower()
    measure = next(words for pattern, words in _EN_MEASURES if re.fullmatch(pattern, noun))
    return re.compile(NUMERAL + f"(?:{measure})")


def count_of(nouns: list[str], unit: str = "") -> re.Pattern | None:
    """A number of any of `nouns` as the documents write it, before the thing (with `unit`, or
    any one-character measure word: "52个未摘帽贫困县", "四道防线") or after it ("口袋公园四十个",
    "床位1000张")."""
    nouns = [n for n in nouns if n]
    if not nouns:
        return None
    thing = "(?:" + "|".join(map(re.escape, nouns)) + ")"
    # a measure word given may stand a few words before the thing ("500多名纳米比亚留学生")
    # the measure word or one the documents use for the same things ("几次专题会议" -> "7个专题
    # 会议": with the thing named right after it, "个" counts it too)
    units = f"(?:{_SAME_MEASURE.get(unit, re.escape(unit))}|个)" if unit else ""
    measure = units + r"[\u4e00-\u9fff]{0,6}?" if unit else r"(?:万|亿)?\s*[\u4e00-\u9fff]?"
    after = re.escape(unit) if unit else r"(?:万|亿)?\s*[\u4e00-\u9fff]"
    return re.compile(f"{NUMERAL}{measure}{thing}|{thing}[^，,。；;！？]{{0,6}}?{NUMERAL}{after}")


_EN_COUNTED = re.compile(r"\bhow many\s+([a-z-]+(?:\s+[a-z-]+){0,3})", re.I)
# Where the counted noun phrase ends: a verb, a preposition or an article after it.
_EN_PHRASE_END = set("did do does were was are is had has have will would can could should must "
                     "may might in of on at for from to per under after before the that which "
                     "a an by with".split())
# People, which an English text counts by any of these ("How many employees…?": "will employ
# about 1,100 people")
_EN_PEOPLE_NOUNS = frozenset("people person staff employee worker official cadre volunteer member "
                             "resident participant".split())


def english_count(question: str) -> re.Pattern | None:
    """For "How many shorebirds did the team count?" over a document written in English: a
    number of that thing as such a document writes it ("counted 18,900 shorebirds", "412 pairs
    of trains"), up to three words between them. None when nothing is counted."""
    m = _EN_COUNTED.search(question)
    if not m:
        return None
    words = []
    for word in m.group(1).lower().split():
        if word in _EN_PHRASE_END:
            break
        words.append(word)
    noun = re.sub(r"(?:es|s)$", "", words[-1]) if words else ""
    if len(noun) < 3:
        return None
    people = {words[-1], words[-1][:-1]} & _EN_PEOPLE_NOUNS if words else set()  # "employees"
    counted = "(?:" + "|".join(sorted(_EN_PEOPLE_NOUNS)) + ")" if people else re.escape(noun)
    return re.compile(rf"\b\d[\d,.]*\s+(?:[A-Za-z-]+\s+){{0,3}}?{counted}", re.I)


# Leading a team: how a question asks it ("谁带队") and how the documents would say it, also by
# the leader's title ("组长", "团长").
_LED_VERBS = ("率领", "率队", "带队", "领队", "牵头")
_TEAM_HEADS = ("组长", "队长", "团长", "领队")
_LED = "|".join(dict.fromkeys(_LED_VERBS + _TEAM_HEADS))
# "谁带队？", "主持人是谁？", and the leader by title: "专家组组长是谁？", "谁担任团长？"
_ROLE_ASKED = re.compile(rf"谁(主持|陪同|宣读|{'|'.join(_LED_VERBS)})|(主持|陪同|宣读)[^？?]{{0,6}}是谁|"
                         rf"({'|'.join(_TEAM_HEADS)})(?:是谁|由谁担任)|谁(?:是|担任)(?:[^？?，,]{{0,8}}的)?"
                         rf"({'|'.join(_TEAM_HEADS)})|"
                         r"\bwho (?:co-)?(chaired|presided|accompanied|hosted|led|headed)\b|"
                         # "Which Lao official co-chaired that meeting?" (fresh batch d73)
                         r"\bwhich (?:[\w-]+ ){0,3}?(?:officials?|leaders?|ministers?|person|people|"
                         r"diplomats?)\s+(?:co-)?(chaired|presided|hosted)\b|"
                         r"\bwho (?:was|is|were) (?:the )?(leader|head)s? of (?:the |that |this |their |its )?"
                         r"(?:[\w-]+ ){0,3}(?:team|group|delegation|mission)s?\b", re.I)
# Who gave a report ("汇报是由谁作的？", "Who presented the draft law?"): the documents would name
# someone making it ("由…作汇报", "…作了说明"); "听取…工作汇报" names no one.
_PRESENTED = r"(?<!工)(?:作|做)了?[^，。；]{0,20}?(?:汇报|报告|说明)|汇报人|报告人"
_PRESENTER_ASKED = re.compile(r"(?:汇报|报告)[^？?]{0,8}?(?:由|是)?谁(?:来)?(?:作|做|汇报)|"
                              r"谁[^？?，,]{0,6}?(?:作|做)了?[^？?]{0,10}?(?:汇报|报告)|谁(?:来)?汇报|"
                              r"\bwho (?:presented|delivered|gave|made)\b[^?]{0,40}\b"
                              r"(?:report|briefing|presentation|draft|summary)s?\b|"
                              r"\bwho reported (?:to|on)\b", re.I)  # not "Who gave the lecture?"
_ROLE_ZH = {"chaired": "主持", "presided": "主持", "hosted": "主持", "accompanied": "陪同",
            "led": _LED, "headed": _LED, "leader": _LED, "head": _LED,
            **dict.fromkeys(_LED_VERBS + _TEAM_HEADS, _LED)}


# The same roles as a text written in English says them ("The campaign was led by Dr. Zhao")
_ROLE_EN = {"主持": r"\bchair(?:ed|s|ing|man|woman|person)?\b|\bpresid(?:ed|es|ing)\b|\bhost(?:ed|s)?\b",
            "陪同": r"\baccompan(?:ied|ies|y|ying)\b", "宣读": r"\bread\b",
            _LED: r"\bled by\b|\blead(?:s|ing|er)?\b|\bhead(?:ed|s)?\b",
            _PRESENTED: r"\bpresented by\b|\b(?:presented|delivered|gave|reported)\b"}


def states_role(verb: str, text: str) -> bool:
    """Whether a text (Chinese, or English when written in English) says someone holds the role
    `role_verb` gave."""
    english = _ROLE_EN.get(verb)
    return re.search(verb, text) is not None or \
        (english is not None and is_latin(text) and re.search(english, text, re.I) is not None)


def role_verb(question: str) -> str | None:
    """The documents' verb for the role whose holder is asked ("由谁主持？", "Who chaired…?":
    主持; "Who accompanied…?": 陪同; "Who led the expert team…?": 率领, 带队, 组长…, as a
    pattern), or None."""
    if _PRESENTER_ASKED.search(question):
        return _PRESENTED
    m = _ROLE_ASKED.search(question)
    if not m:
        return None
    verb = next(g for g in m.groups() if g)
    return _ROLE_ZH.get(verb.lower(), verb)


def role_asked(question: str) -> re.Pattern | None:
    """For "座谈会由谁主持？", "Who chaired the meeting?": a pattern for someone named doing it
    ("汪洋主持座谈会", "在国王陛下主持下"), not a meeting he called ("习近平主持召开…")."""
    verb = role_verb(question)
    return re.compile(r"[\u4e00-\u9fff]{2}(?:" + verb + r")(?!召开)") if verb else None


# "山庄主人叫什么名字？", "那位老村支书叫什么？": a person's name asked, by the role the question
# knows them by. The documents name someone right after the role ("河南兰考县委书记蔡松涛",
# "省长袁家军"); a role followed by anything else ("山庄主人热情将总书记迎进院内") names nobody.
_NAME_ASKED = re.compile(r"([\u4e00-\u9fff]{2})(?:都|分别|各自|具体)?(?:叫什么名字|名字叫什么|叫啥名字|叫什么|叫啥|"
                         r"姓什么|的名字是什么|名字是什么|的姓名)")
_PERSON_ROLE = re.compile(r"(?:人|主|书记|支书|医生|护士|员|长|师|者|老板|村民|同志|代表|主任|"
                          r"经理|先生|女士|司机|农民|学生|孩子)$")
# Single-character surnames a name cut into characters starts with (words that also open a
# clause, "和", "向", "高兴", are left out).
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
                "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范贾夏韦付邹孟熊秦邱江尹薛闫段雷侯龙陶黎贺"
                "顾毛郝龚邵钱严覃武戴莫孔汤康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰"
                "焦俞柳祝符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝辛靳管柴蒙鲍华喻祁蒲房滕屈"
                "饶牟艾尤穆农卓缪车项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬卞"
                "姬栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝纳")
_NAME_TAGS = {"nr", "nrt", "nrfg", "nz"}


# "当时的湖北省省长是谁？", "和他一起植树的北京市负责同志是谁？", "哪位同志": who someone in a role
# was, which only a name answers (not "致慰问电的对象是谁？", "哪位外国领导人…？").
_WHO_ASKED = re.compile(r"(?:哪位|哪一位)([\u4e00-\u9fff]{2})|"
                        r"([\u4e00-\u9fff]{2})(?:到底|具体|究竟)?(?:是谁|是哪位|是哪一位)")


def name_asked(question: str) -> str | None:
    """The role of the person whose name the question asks ("余村春林山庄的主人叫什么名字？" ->
    "主人", "当时的湖北省省长是谁？" -> "省长"), None when it asks no person's name (or a
    thing's: "那家民宿叫什么？")."""
    text = _QUOTED.sub("", question)
    m = _NAME_ASKED.search(text) or (None if role_verb(text) else _WHO_ASKED.search(text))
    if not m:  # who chaired or accompanied ("主持人是谁？") is read by `role_verb`
        return None
    role = next(g for g in m.groups() if g)
    if role == "同志":  # a name comes before it ("应勇同志"), but after an office ("负责同志")
        return "负责同志" if "负责同志" in text else None
    return role if _PERSON_ROLE.search(role) else None


def states_name(role: str, text: str) -> bool:
    """Whether the text names someone right after `role` ("县委书记蔡松涛", "作者：王 毅",
    "法定代表人（负责人）：钱国栋"), or says what they are called ("名叫…")."""
    from .segment import tagged_words

    for m in re.finditer(re.escape(role), text):
        after = re.sub(r"\s+", "", text[m.end(): m.end() + 20])
        after = re.sub(r"^[（(][^）)]{0,8}[）)]", "", after).lstrip("：:")  # "（负责人）：钱国栋"
        if re.match(r"[，,]?(?:名叫|叫做|名为|姓)", after):
            return True
        words = tagged_words(after)
        if not words:
            continue
        first, tag = words[0]
        if tag in _NAME_TAGS:
            return True
        if len(first) == 1 and first in _SURNAMES and len(words) > 1 and \
                re.fullmatch(r"[\u4e00-\u9fff]{1,2}", words[1][0]):
            return True
    return False


# "What was the name of the dock worker Xi chatted with…?": a person's name asked in English, by
# the role the question knows them by (its last word before the clause that says which one).
_EN_NAME_ASKED = re.compile(r"\bwhat (?:is|was|were) the names? of (?:the|that|this|his|her|their|"
                            r"an?) ((?:[a-z-]+ ){0,4}?[a-z-]+)(?= (?:who|whom|that|which|from|in|"
                            r"at|of|with|on|for|he|she|they|xi)\b|\s*\?|\s*$)", re.I)
_EN_PERSON_ROLES = set("secretary worker owner official doctor nurse chief head director manager "
                       "villager farmer driver leader mayor governor chairman employee volunteer "
                       "resident boss man woman girl boy student teacher expert captain officer "
                       "representative spokesperson spokesman host hostess vendor keeper patient "
                       "stallholder innkeeper".split())


# "Who was the governor of Hubei at the time?", "Who is the village's party secretary?": a
# name asked by a role the question gives (not "Who chaired…?", a role verb; nor "Who was the
# first foreign leader to visit?", someone picked out by what they did).
_EN_WHO_ROLE = re.compile(r"^\s*who (?:is|was|were|are) (?:the|its|that|their|his|her) "
                          r"((?:[a-z-]+ ){0,3}?[a-z-]+?)s?(?= of\b| in\b| at\b| for\b|\s*\?|\s*$)",
                          re.I)
_EN_WHO_TOO_WIDE = {"head", "chief", "leader", "man", "woman", "person", "girl", "boy"}
# "What is the owner's name?", "What was that official's name?"
_EN_NAME_ASKED_OF = re.compile(r"\bwhat(?:'s| is| was) (?:the|that|this|his|her|their|its) "
                               r"((?:[a-z-]+ ){0,3}?[a-z-]+)['’]s (?:full )?name\b", re.I)


# The person an English question makes the subject of its verb ("What did Bill Gates write in
# his letter?", "Which trees did Li Keqiang plant?"), their office left out; not Xi, and not a
# nationality ("did Chinese diplomats…").
_EN_SUBJECT = re.compile(r"\b(?i:did|does|do|has|had|was|were|is|would|will)\s+"
                         r"((?:[A-Z][\w'-]+\s+){1,5}?)(?:himself\s+|herself\s+)?[a-z]+")
_EN_OFFICES = frozenset("president prime minister king queen premier chancellor "
                        "secretary-general director-general".split())
_EN_NOT_SUBJECT = re.compile(r"^(?:xi|xi jinping|china|the|he|she|they|it)$|"
                             r"^[a-z]+(?:an|ese|ish|ian)$")


# A nationality before a name ("French President Macron", "Saudi King Salman"): the documents
# write the name alone ("马克龙表示").
_EN_DEMONYM = re.compile(r"^[a-z]{3,}(?:an|ese|ish|ian|ch|i)$")


def english_subjects(question: str) -> list[list[str]]:
    """The names (lower case, word by word) an English question makes the subject of a verb."""
    out = []
    for m in _EN_SUBJECT.finditer(question):
        words = [w.lower() for w in m.group(1).split() if w.lower() not in _EN_OFFICES]
        words = [w for w in words[:-1] if not _EN_DEMONYM.match(w)] + words[-1:]
        if words and not _EN_NOT_SUBJECT.match(" ".join(words)):
            out.append(words)
    return out


# The country whose office-holder an English question asks of ("What did Xi ask Japan's prime
# minister…?", "…the president of South Korea…"): the call or letter it asks about is with them.
_EN_OFFICE_OF = re.compile(
    rf"\b((?:[A-Z][a-z]+\s+){{0,2}}[A-Z][a-z]+)['’]s\s+(?i:{EN_HEADS})\b|"
    rf"\b(?i:{EN_HEADS}) of ((?:the\s+)?(?:[A-Z][a-z]+\s+){{0,2}}[A-Z][a-z]+)")


def english_office_countries(question: str) -> list[list[str]]:
    """The countries (lower case, word by word) whose office-holder the question names."""
    out = []
    for m in _EN_OFFICE_OF.finditer(question):
        words = re.sub(r"^the\s+", "", m.group(1) or m.group(2)).lower().split()
        if words and words not in (["china"], ["xi"]):
            out.append(words)
    return out


# "What is that man's name?": someone, whose role the question gave before
_EN_SOMEONE = {"man", "woman", "person", "girl", "boy"}
_EN_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "that", "this", "with", "and"}


def english_name_role_words(question: str) -> list[str]:
    """The words the question knows that person by, ending with the role ("What was the name
    of the old village party secretary…?" -> old, village, party, secretary); [] when it asks
    no person's name."""
    m = _EN_NAME_ASKED.search(question) or _EN_NAME_ASKED_OF.search(question)
    who = None if m else _EN_WHO_ROLE.search(question)
    m = m or who
    words = m.group(1).lower().split() if m else []
    if who and (len(words) != 1 or words[-1] in _EN_WHO_TOO_WIDE):
        # one word of office ("governor", "mayor"), not a head of anything ("Who was the head
        # of the WHO?": 总干事) nor a phrase the table may render by its last word only ("Who is
        # the legal representative of …?": 代表, foreign dev f-052)
        return []
    if words and words[-1] in _EN_SOMEONE:
        # "…chatted with its former Party secretary. What is that man's name?": the role the
        # question gave before
        before = [w.lower() for w in re.findall(r"[A-Za-z-]+", question[:m.start()])]
        at = max((i for i, w in enumerate(before) if w in _EN_PERSON_ROLES - _EN_SOMEONE),
                 default=None)
        if at is not None:
            words = [w for w in before[max(0, at - 3): at + 1] if w not in _EN_DETERMINERS]
    if words and words[-1].endswith("s") and words[-1][:-1] in _EN_PERSON_ROLES:
        words[-1] = words[-1][:-1]  # "the names of the German experts": each expert's
    return words if words and words[-1] in _EN_PERSON_ROLES else []



# How long something lasted ("开了多长时间？", "How long did the call last?") is answered by a
# duration ("24小时内", "14天", "2个多月", "数月", "15年来"), a rate ("复工率达到了多少？", "what
# share…") by a share ("46%", "三分之二", "九成"). Not "多久作一次指示" (how often).
_DURATION_ASKED = re.compile(r"多长时间|多久(?![^，。？?]{0,8}一次)|几个小时|多少小时|多少分钟|几个月|"
                             r"多少天|"  # not "几天" ("要等几天才能再考？" -> "7日后")
                             r"(?<!about )\bhow long\b(?! is\b)", re.I)  # not "say about how long…"
_DURATION = re.compile(r"(?:\d+|(?<![前这那])[一二两三四五六七八九十百千数几]+)\s*(?:多|余)?\s*(?:个\s*多?\s*"
                       r"(?:小时|钟头|月|星期|多月)|小时|分钟|昼夜|天|周(?!年)|星期(?![一二三四五六日天])|"
                       r"年(?:来|间|多|时间)|多年)|数[月日年天周]|月余|\d+\s*(?:hours?|minutes?|days?|weeks?|months?|years?)\b|"
                       r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+"
                       r"(?:hours?|days?|weeks?|months?|years?)\b", re.I)
_RATE_ASKED = re.compile(r"率[^，。？?]{0,6}(?:多少|几|多大|多高)|(?:多大|多高|多少)(?:的)?比例|占比(?:多少|几)|"
                         r"几成|百分之几|\bwhat (?:share|percentage|proportion|fraction)\b|"
                         r"\b(?:rate|ratio)\b[^?]{0,30}\bhow (?:high|much)\b|"
                         # "Did the meeting give the actual GDP growth figure?" (fresh chat d70c09)
                         r"\b(?:growth|decline|contraction) (?:rate|figure)s?\b|"
                         r"\bwhat (?:was |is |were )?(?:the )?(?:[\w-]+ ){0,4}(?:rate|ratio)\b", re.I)
_RATE = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之|分之|[一二两三四五六七八九十\d]成(?![立为功果员本绩效])|"
                   r"\d+(?:\.\d+)?\s*(?:percent|per cent)\b|\b(?:half|a third|two thirds|a quarter)\b",
                   re.I)


# By how much something changed ("城乡低保标准要提高多少？", "GDP同比下降了多少？", "By how much
# did exports fall?"), answered by a text giving the change as a share, a multiple or a sum
# ("增长9.7%", "高2.2个百分点", "增加200亿元": a share as `_RATE`, a sum as `_MONEY`, or points,
# a multiple, a quantity); "适当提高城乡低保…标准" gives none. A date's digits ("4月8日") are
# no change. `_CHANGE` follows `_MONEY`.
_CHANGE_ASKED = re.compile(r"(?:(?:提高|增加|增长|减少|下降|降低|上涨|上升|扩大|提升|减轻|减免|缩小)了?"
                           r"|(?<!提)高出?)(?:多少(?![人名位个家所项条次种批户只台张支架件])|"
                           r"几(?:个百分点|成|倍))|"
                           r"\bby how much\b|\bhow much (?:did|does|do|would|will|had|has|was|were|is)\b"
                           r"[^?]{0,50}\b(?:rise|rose|fall|fell|drop|increase|decrease|grow|grew|"
                           r"decline|shrink|go up|go down|raised|cut|reduced|lowered)\b", re.I)


# A sum of money asked ("这些物资一共值多少钱？", "How much money had the foundation committed?",
# "How much emergency research funding had been allocated?", "How much did those charter
# flights cost?"), and one as a text states it.
_MONEY_ASKED = re.compile(
    _PRICE_ASKED.pattern + r"|多少资金|多少经费|\bhow much (?:[\w'’-]+ ){0,3}?(?:money|funding|funds|cash|financing)\b|"
    # an income, a wage, a turnover ("余村2019年的村民人均收入是多少？"), not its growth
    r"(?:收入|工资|薪水|营收|营业额|利润)(?:是|为|有|达到?)?多少(?![倍个])|"
    r"\bwhat (?:was|is|were|are) (?:the |its |their )?(?:[\w'’-]+ ){0,3}?(?:income|incomes|wages?|"
    r"salar(?:y|ies)|revenue|turnover|profits?)\b|"
    r"\bhow much (?:did|does|do|would|will|had|has|was|were|is)\b[^?]{0,50}\b(?:cost|costs|worth|"
    r"donate|pledge|commit|invest|spend|pay)\b|"
    r"\bwhat (?:was |is )?(?:the )?(?:total )?(?:value|cost|price|sum|amount of money)\b|"
    # "did he put a yuan figure on its size?" (fresh chat d67c03.3), "how many dollars…"
    r"\b(?:yuan|dollar|euro|rmb|money|monetary|cash) (?:figure|amount|value|sum|total)s?\b|"
    r"\b(?:figure|amount|sum) in (?:yuan|dollars|euros|rmb)\b|\bhow many (?:yuan|dollars|euros)\b",
    re.I)
_MONEY = re.compile(MONEY.pattern + r"|\$\s?\d|\d[\d,.]*\s*(?:million|billion)?\s*(?:US )?"
                    r"(?:dollars|yuan|euros)\b|\bfree of charge\b", re.I)


_CHANGE = re.compile(rf"{_RATE.pattern}|{_MONEY.pattern}|"
                     r"\d+(?:\.\d+)?\s*(?:个百分点|倍|万|亿|percentage points?|times|million|billion)|"
                     r"[一二两三四五六七八九十几数]+(?:个百分点|倍)|翻一番|翻番|\b(?:doubled|tripled|halved)\b",
                     re.I)


# What a place or a thing was before ("那块地原来是干什么用的？", "What was that land used for
# before?"), answered by a text saying what it was ("原为小型服装企业聚集的工业大院").
_FORMER_ASKED = re.compile(r"(?:原来|以前|过去|原先|从前)(?:是|都是)?(?:干什么|做什么|干啥|什么)"
                           r"(?!时候|时间|地方)|"  # not "过去什么时候…" (a time asked)
                           r"\bwhat (?:was|were) (?:it|that|this|the)\b[^?]{0,40}\b(?:used for|before)\b|"
                           r"\bused to be\b", re.I)
_FORMER = re.compile(r"原为|原是|原来是|曾是|曾经是|过去是|以前是|前身|改造前|\bused to\b|\bformerly\b|"
                     r"\bonce was\b|\bwas once\b", re.I)

# "座谈会是以什么形式召开的？", "In what format was it held?": the form a meeting took, which a
# text states as a form ("以电视电话会议形式召开", "by video link"): fresh batch d65c07
_FORM_ASKED = re.compile(r"(?:什么|何种|哪种)(?:样的)?形式(?:召开|举行|开|进行)|"
                         r"\bin what (?:format|form)\b|\bwhat (?:format|form) did\b", re.I)
_FORM = re.compile(r"形式(?!主义)|视频|电视电话|网络|线上|\b(?:video|online|virtual|teleconference)\b", re.I)


def form_asked(question: str) -> re.Pattern | None:
    """For "以什么形式召开的？", "In what format was it held?": a pattern for the form a meeting
    took as a text states it ("以电视电话会议形式召开"); None when the question asks no form. (A
    ranking cue only: the reports state the form of few meetings, and say nothing else of it.)"""
    return _FORM if _FORM_ASKED.search(question) else None


# An amount measured without a measure word to count it by ("该港今年一季度的货物吞吐量是多少？",
# d52-034): a figure that is no date ("11.72亿吨", "2.1万标准箱"; not "3月29日", "一季度"),
# not "港口吞吐量已逐步恢复至日常水平".
_QUANTITY_ASKED = re.compile(r"(?:吞吐量|产量|销量|总量|产值|出口额|进口额|交易额|成交额|用电量|客流量|"
                             r"货运量|发电量)(?:是|为|有|达到?|一共|总共|共)?多少")
_QUANTITY = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:多|余)?\s*(?:万|亿|千|百)?\s*(?![\d.\s]*[月日年号时点])"
                       r"(?=[\u4e00-\u9fff%％a-zA-Z])|[一二两三四五六七八九十百千]+\s*(?:多|余)?\s*(?:万|亿)")

# A telephone number ("热线号码是多少？", "What is the hotline's phone number?", fresh batch d73): a
# run of digits a number is dialled by ("12308", "+86-10-12308"), not "1万余通领保电话".
_PHONE_ASKED = re.compile(r"(?:号码|热线)(?:是|为)?(?:多少|什么)|电话号码|"
                          r"\b(?:phone|telephone|hotline|contact) numbers?\b|\bnumber to (?:call|dial)\b",
                          re.I)
_PHONE = re.compile(r"(?<![\d.])\+?\d[\d -]{3,}\d(?![\d.]*\s*(?:年|月|日|万|亿|名|人|个|例|余|多))")


_QUOTE_MARKS = re.compile(r"“([^”]+)”|「([^」]+)」")


def quoted_sentences(question: str) -> list[str]:
    """The sentences a question quotes at length ("“我们将慎终如始，力争尽早全面彻底战胜疫情，
    …”是在哪天说的？"), without whitespace or their closing mark: a passage holding one holds
    what it asks about. Not a term it quotes ("“六保”", "“最后一公里”"): under 8 characters."""
    found = []
    for m in _QUOTE_MARKS.finditer(question):
        for sentence in re.split(r"[。！？!?；;…]", re.sub(r"\s+", "", m.group(1) or m.group(2))):
            if len(sentence) >= 8:
                found.append(sentence)
    return found


def figure_asked(question: str) -> re.Pattern | None:
    """What the answer must look like, when the question's form tells (mostly a figure):
    a duration for "多长时间 / how long", a share for a rate or "what share", a sum of money
    for "多少钱 / how much money / how much did … cost", what it was for "原来是干什么用的 / what
    was it used for before", a change by a share, a multiple or a sum for "提高多少 / by how
    much". None when the form says nothing (a count's measure word is
    `counted_measure`'s)."""
    if _MONEY_ASKED.search(question):
        return _MONEY
    if _RATE_ASKED.search(question):
        return _RATE
    if _DURATION_ASKED.search(question):
        return _DURATION
    if _FORMER_ASKED.search(question):
        return _FORMER
    if _QUANTITY_ASKED.search(question):
        return _QUANTITY
    if _PHONE_ASKED.search(question):
        return _PHONE
    if _CHANGE_ASKED.search(question):
        return _CHANGE
    return None


# "哪个省派去的人最多？", "Which province had the most of the counties…?": which one leads,
# answered only by a text ranking them ("最多的是…", "居首"); one that gives the total
# ("近2700个领保案件") or lists them unranked does not. Not "what did he call the most
# powerful weapon?", which asks what was said ("最有力的武器" is in the text).
_SUPERLATIVE_ASKED = re.compile(
    r"哪[个位家座省国市县种条项][^，。？?]{0,14}?(?:最多|最长|最大|最高|最少|最早|最晚|最快|最严重)|"
    r"(?:最多|最长|最大|最高|最少|最早|最快)的是哪|"
    r"\b(?:which|who)\b[^?]{0,80}\b(?:the most|the largest|the longest|the biggest|the highest|"
    r"the fewest|the earliest)\b", re.I)
_RANKS_FIRST = re.compile(r"之最|居首|首位|位居第一|排名第一|排在第一")
_SUPERLATIVE = re.compile(r"最|之最|居首|首位|位居|排名第一|\b(?:most|largest|longest|biggest|"
                          r"highest|fewest|earliest|top)\b", re.I)


def states_superlative_asked(question: str, text: str) -> bool:
    """False when the question asks which one leads ("哪个国家的案件最多？") and the text ranks
    nothing ("最", "居首", "most"); True otherwise."""
    asked = _SUPERLATIVE_ASKED.search(question)
    if not asked:
        return True
    # the same "最多" ranks; "最美“逆行者”" in the passage ranks nothing (d50-030)
    word = re.search(r"最[多长大高少早晚快]|最严重", asked.group(0))
    if word and has_cjk(text):
        return word.group(0) in text or bool(_RANKS_FIRST.search(text))
    return bool(_SUPERLATIVE.search(text))


# "How many people took part in the March 6 symposium?", "这次座谈会一共有多少人参加？": a count of
# those who took part, which a passage gives beside the word for taking part ("等21个成员单位主要
# 负责同志参加会议", "attended by about 300 guests"). The reports name who spoke or came
# ("5位同志作了发言") and count nobody present. Within one clause: "这次座谈会是所有省区市主要负责
# 同志都参加，中西部22个…省份一直开到县级" counts provinces, not those present.
_PARTAKE = r"参加|出席|参与|与会|列席"
_PARTAKERS_ASKED = re.compile(
    r"\bhow many\b[^?]{0,60}\b(?:took part|take part|attended|attend|participated|joined|"
    r"were present|turned out)\b|"
    rf"(?:多少|(?<!哪)几)(?:人|位|名|个国家)[^，,。？?]{{0,8}}(?:{_PARTAKE})|"  # not "哪几位": who
    rf"(?:{_PARTAKE})[^，,。？?]{{0,16}}(?:多少|(?<!哪)几)(?:人|位|名|个国家)", re.I)
_PARTAKERS = NUMERAL + r"(?:万|亿)?\s*(?:人|名|位|个|国|家)"  # "21个", "1万多名", "300多人"
_PARTAKERS_COUNTED = re.compile(
    rf"{_PARTAKERS}[^。；;，,]{{0,12}}(?:{_PARTAKE})|(?:{_PARTAKE})[^。；;，,]{{0,12}}?{_PARTAKERS}|"
    r"\b\d[\d,]*\b[^.;]{0,40}\b(?:attend|participa|t(?:ake|akes|ook|aking) part|guests|delegates|"
    r"present)|"
    r"\b(?:attended|joined) by (?:about |some |around |more than |over |nearly )?\d", re.I)


def states_partakers_asked(question: str, texts: list[str]) -> bool:
    """False when the question asks how many took part in something and none of `texts` (the
    top passages) counts those who did; True otherwise."""
    return not _PARTAKERS_ASKED.search(question) or \
        any(_PARTAKERS_COUNTED.search(t) for t in texts)


# A city asked ("在哪座城市同习近平会谈的？", "In which city did Xi meet…?") is answered by a
# city named: "…市", "在京", a provincial capital or municipality (the documents seldom write
# their 市), or, in English text, a place after "in"/"at".
# (a word between: "In which Chinese city were the Namibian students studying?", d50-036)
_CITY_ASKED = re.compile(r"哪(?:一)?(?:座|个)城市|哪个市|在哪座城|"
                         r"\b(?:which|what) (?:[A-Z][\w-]+ )?city\b", re.I)
_CITY = re.compile(r"[\u4e00-\u9fff](?<![城都超股上夜集门区])市(?![场民值面])|在京|北京|上海(?!合作)|天津|重庆|武汉|杭州|宁波|湖州|延安|"
                   r"贵阳|银川|太原|成都|西安|南京|广州|深圳|长沙|郑州|昆明|南宁|兰州|西宁|拉萨|"
                   r"乌鲁木齐|呼和浩特|哈尔滨|长春|沈阳|石家庄|济南|合肥|福州|南昌|海口")


# "从哪一年开始？", "In what year did he first suggest…?": a year, not a day, is asked; "2016年",
# "1978" (in an English text) state one; "去年以来" tells of something else.
_YEAR_ASKED = re.compile(r"哪一?年|\b(?:which|what) year\b", re.I)
_YEAR = re.compile(_YEAR_OF)


def states_year_asked(question: str, text: str) -> bool:
    """False when the question asks which year and the text states none ("全国安全生产电视电话
    会议10日在北京召开…" for "专项整治三年行动从哪一年开始？"), or only the year the question
    names itself ("On his March 24, 2020 call…, in what year was that partnership established?"
    over the call's "2020年3月24日", fresh batch d73); True otherwise."""
    if not _YEAR_ASKED.search(_QUOTED.sub("", question)):
        return True
    named = set(re.findall(r"(?:19|20)\d\d", question))
    years = [m.group(0) for m in _YEAR.finditer(text)]
    if is_latin(text):
        years += re.findall(_EN_YEAR, text)
    return any(re.sub(r"\D", "", y) not in named for y in years)


# "引用的“其作始也简，其将毕也必巨”出自哪部古籍？", "Which classic is the line from?": the book a
# line comes from; a text that quotes it without naming one ("《…》", "语出…") does not say
# (fresh batch d63-035). Not "出自哪次讲话", "出自他给谁的回信": a speech or letter of Xi's.
_BOOK_ASKED = re.compile(r"(?:出自|选自|引自)(?:哪|什么)(?:一|部|本|首|篇)*(?:古籍|典籍|经典|古书|书|著作|诗|古诗|"
                         r"作品|文献)|出处是|语出何|典出何|"
                         r"\b(?:which|what) (?:ancient |classical |chinese )*(?:classic|book|text|poem|"
                         r"work)s?\b[^?]{0,80}\b(?:from|come from|comes from|source)\b|"
                         # or its poet ("Which Tang dynasty poet wrote that line?", fresh batch d73)
                         r"哪(?:位|个)(?:[\u4e00-\u9fff]{1,3}代)?(?:诗人|作者|古人)|是谁的诗|谁写的|"
                         r"\b(?:which|what) (?:(?!(?:did|does|do|was|were|is|are|has|had)\b)[\w-]+ ){0,3}?"
                         r"(?:poet|author|writer)s?\b|"
                         r"\bwho (?:wrote|penned|composed)\b", re.I)
_BOOK = re.compile(r"《|出自|语出|典出|引自|选自|诗人|诗云|诗曰|\bpoet\b", re.I)


def states_book_asked(question: str, texts: list[str]) -> bool:
    """False when the question asks the book a line comes from and none of the texts names one."""
    return not _BOOK_ASKED.search(question) or any(_BOOK.search(t) for t in texts)


# "By when was that system supposed to be up and running?", "Did he set a deadline for…?",
# "有没有时间表？": a deadline, which a text states as a day or year things are due by ("到2020年",
# "3月底前", "年内", "by the end of 2020"), not as any date it names ("2020年是…收官之年": fresh
# batch d63c07; dev's five such questions are all near misses).
# A timetable given or set (not "after the July 2024 timetable change": a railway's, foreign
# dev f-105)
_DEADLINE_ASKED = re.compile(r"\bby when\b|\bdeadlines?\b|\btarget dates?\b|"
                             r"\b(?:set|sets|give|gives|gave|given|announce|announced|mention|"
                             r"mentioned|name|named|lay|laid)\s+(?:out\s+)?(?:a|any|an|the)\s+"
                             r"(?:timetable|timeline|time ?frame)\b|截止(?:日期|时间)|期限|时间表|"
                             r"(?:什么时候|哪天|何时|哪年)(?:之|以)?前|最晚", re.I)
_DEADLINE = re.compile(r"(?:\d{4}\s*年|\d{1,2}\s*月)(?:\s*\d{1,2}\s*日)?\s*(?:年?底|末|中旬|下旬|上旬)?"
                       r"\s*(?:前|之前|以前)|年底|月底|年内|截至|截止|到\s*\d{4}\s*年|"
                       r"\b(?:by|before|no later than)\s+(?:the end of\s+)?(?:\d{4}|" + _MONTH_NAMES
                       + r")\b", re.I)


def states_deadline_asked(question: str, texts: list[str]) -> bool:
    """False when the question asks a deadline and none of the texts states one."""
    return not _DEADLINE_ASKED.search(question) or any(_DEADLINE.search(t) for t in texts)


# Up to two words before the kind ("which Chinese company", "which Wuhan hospital"), not a verb's
# ("What did the provinces…?" asks what they did).
_EN_KIND_MODIFIERS = (r"(?:(?!(?:did|do|does|was|were|is|are|had|has|have|will|would|can|could|"
                      r"should|must|may)\b)[\w-]+ ){0,2}?")

# "Which airline flew those charter flights?", "In which building did Xi receive Hun Sen?",
# "哪家医院", "Which provinces were those?", "Which Chinese company developed…?": a thing of a
# kind is asked, which the answer names with its kind's word ("东方航空", "人民大会堂", "火神山医院",
# "天津、安徽", "…有限公司"); "包机", "在北京会见" (for a building), "一些省市" or "企业" (firms
# at large: "复工复产企业") names none.
_KIND_ASKED = (
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}(?:airlines?|air carriers?)\b|"
                r"\bname of the airline\b|哪家航空", re.I),
     re.compile(r"航空|航班|airlines?", re.I)),
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}(?:companies|company|firms?|enterprises?)\b|"
                r"哪(?:家|个|些)(?:公司|企业)", re.I),
     re.compile(r"公司|集团|厂(?!房)|compan(?:y|ies)|firm", re.I)),
    # or a landmark lit up ("埃及点亮了哪些地标建筑？", fresh batch d73)
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}(?:buildings?|halls?|hotels?|venues?|"
                r"landmarks?|monuments?)\b|哪(?:座|栋|些|几座)(?:地标|标志性)?(?:楼|建筑)|哪(?:些|座|个)地标",
                re.I),
     re.compile(r"大会堂|钓鱼台|宾馆|饭店|酒店|大厦|中南海|[楼馆厅堂塔]|地标|building|hall|hotel|landmark|"
                r"monument|tower|pyramid", re.I)),
    # a journal or a paper by its title ("《柳叶刀》"), not "国际权威专业期刊" (d49-029)
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}(?:journals?|newspapers?|magazines?|"
                r"periodicals?|publications?)\b|哪(?:家|个|份|本)(?:期刊|杂志|报纸|刊物)", re.I),
     re.compile(r"《[^》]{1,20}》|\b(?:The )?(?:Lancet|Nature|Science)\b")),
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}hospitals?\b|哪(?:家|所|个)医院", re.I),
     re.compile(r"医院|方舱|hospital", re.I)),
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}provinces?\b|哪(?:个|些|几个)省", re.I),
     re.compile(r"北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|"
                # not the Xinjiang Production and Construction Corps (d50-023, d54-012)
                r"湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆(?!生产建设兵团)|"
                r"香港|澳门|[A-Z][a-z]+ [Pp]rovince")),
)


def states_kind_asked(question: str, texts: list[str]) -> bool:
    """False when the question asks which airline, company, building, hospital or province and
    none of the texts names a thing of that kind; True otherwise. (A city asked is read in the
    first passage only, `states_city_asked`: one named further down is mostly of another event,
    dev d16-040; a hospital asked may be answered second, d11c12.1.) A thing the question
    names itself is not the one it asks ("19个省区市对口帮扶湖北…，负责对口支援孝感的是哪个省份？":
    湖北 answers nothing, d50-023)."""
    # one the question names itself is no answer ("对口支援孝感的是哪个省份？" over "湖北"), its
    # kind's word is ("哪家医院": "火神山医院")
    def answers(found: str, asking: str) -> bool:
        return found.lower() in asking.lower() or found not in question

    return all(any(answers(m.group(0), a.group(0)) for t in texts for m in named.finditer(t))
               for asked, named in _KIND_ASKED if (a := asked.search(question)))


# A county or a village by its name ("安吉县", "余村"), not "市县卫健局", "贫困县" or "农村"; read,
# like a city, in the first passage only (d48-039: "In which county did the problem of duplicate
# reporting forms … occur?" found "兰考县委书记" in the third, a symposium's).
_PLACE_KIND_ASKED = (
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}count(?:y|ies)\b|"
                r"哪(?:个|些|几个)县(?![级委城域里])", re.I),
     re.compile(r"[\u4e00-\u9fff](?<![市各区乡州本全每该省困个])县|\bcounty\b", re.I)),
    (re.compile(rf"\b(?:which|what) {_EN_KIND_MODIFIERS}villages?\b|哪(?:个|些|几个)村", re.I),
     re.compile(r"[\u4e00-\u9fff](?<![各乡农山本全每该])村|\bvillage\b", re.I)),
)


def states_city_asked(question: str, text: str) -> bool:
    """False when the question asks which city, county or village and the text names none;
    True otherwise."""
    if any(asked.search(question) and not named.search(text) for asked, named in _PLACE_KIND_ASKED):
        return False
    if not _CITY_ASKED.search(question):
        return True
    return bool(_CITY.search(text)) or (is_latin(text) and bool(_EN_STATES[PLACE].search(text)))


# Where a meeting was held or someone met ("会谈是在哪里举行的？", "Where did Xi meet Tedros?"),
# not in which country: a venue or a city answers it ("在人民大会堂会见", "23日在北京召开").
_MET_OR_HELD = re.compile(r"会见|会谈|举行|召开|开的|开会|\b(?:meet|met|held|hold|take place|"
                          r"took place|convened)\b", re.I)
_COUNTRY_ASKED = re.compile(r"哪个国家|哪国|\b(?:which|what) country\b", re.I)
# (a hall by its name: "设分会场" and "主会场" name none)
_HALL = re.compile(r"人民大会堂|钓鱼台|中南海|[\u4e00-\u9fff]{1,8}(?:厅|馆|(?<![主分])会场|宾馆|礼堂|中心|大楼)")
_VENUE = re.compile(_HALL.pattern + "|" + _CITY.pattern)


def _not_gone_to(venue: re.Pattern) -> re.Pattern:
    """A venue the text names other than as where someone went or came from ("专家已赴武汉进行实地
    考察": not where the meeting asked about was held)."""
    return re.compile(rf"(?<![赴到往去抵从])(?:{venue.pattern})")


_HALL_NAMED, _VENUE_NAMED = _not_gone_to(_HALL), _not_gone_to(_VENUE)


# The first passage saying where something was held, whatever the place ("在老挝举行中国—东盟
# 关于新冠肺炎问题特别外长会"), and what was held there
_HELD_AT = re.compile(r"在([\u4e00-\u9fff]{2,6})(?:举行|召开|会见|会谈)([^。；]{0,30})")


# "主会场具体设在哪个场所？": where a meeting's hall was
_VENUE_ASKED = re.compile(r"会场[^，,;；。？?]{0,6}(?:设在|在)(?:哪|什么地方)")


def _asks_where_held(question: str) -> bool:
    """Whether the place asked is where something was held or someone met: the verb follows
    the word asking where, in its clause ("会谈是在哪里举行的？", "Where did Xi meet Tedros?"),
    not "When Xi met Hun Sen, what did he say about where the nation has come from?"."""
    place = dict(_ASKS)[PLACE]
    return any(_MET_OR_HELD.search(re.split(r"[，,;；。.!?？！]", question[m.start():])[0])
               for m in place.finditer(question)) or bool(_VENUE_ASKED.search(question))


# What an English question says was held, in the documents' words
_EN_HELD = {r"\btalks\b": r"会谈|会见", r"\bsymposium\b": r"座谈会", r"\bsummit\b": r"峰会",
            r"\b(?:meeting|conference)\b": r"会"}


def _held_there(question: str, text: str) -> bool:
    """Whether the passage says where something was held, and it is what the question asks
    about: for a Chinese question the words after share two characters running with it, for
    an English one it is the kind of event named (talks, a summit…), if any. Not the place the
    question names ("…在北京的主会场设在哪个场所？" over "…10日在北京召开")."""
    events = [zh for en, zh in _EN_HELD.items() if re.search(en, question, re.I)] \
        if not has_cjk(question) else []
    for m in _HELD_AT.finditer(text):
        if m.group(1) in question:
            continue
        held = m.group(2)
        if events:  # "Where were Xi's talks with Battulga held?": talks, not a ministers' meeting
            if any(re.search(zh, m.group(0)) for zh in events):
                return True
        elif not has_cjk(question) or \
                any(question[i:i + 2] in held for i in range(len(question) - 1)
                    if re.fullmatch(r"[\u4e00-\u9fff]{2}", question[i:i + 2])):
            return True
    return False


def states_venue_asked(question: str, texts: list[str]) -> bool:
    """False when the question asks where a meeting was held and none of `texts` (the top
    passages, first first) names a venue or a city, nor does the first say where the meeting
    asked about was held ("在老挝举行…特别外长会"); True otherwise."""
    if PLACE not in asked_kinds(question) or not _asks_where_held(question) or \
            _COUNTRY_ASKED.search(question):
        return True
    # "…是在北京哪个会场开的？": the city it names is no answer, a hall is
    venue = _HALL_NAMED if _CITY.search(question) and has_cjk(question) else _VENUE_NAMED
    return bool(texts and _held_there(question, texts[0])) or \
        any(venue.search(t) or (is_latin(t) and _EN_STATES[PLACE].search(t)) for t in texts)


# "引用哪句古语…？", "Which classical line…?": a saying is asked, and the answer is the saying
# itself ("“用药如用兵，用医如用将。”", "疾风知劲草，板荡识诚臣。"), not the sentence it introduces.
_SAYING_ASKED = re.compile(r"哪[两几一]?句(?:古语|话|诗|古诗|名言|俗语|谚语|成语)|什么(?:古语|成语|俗语|谚语|名言|诗句)|"
                           r"哪个成语|\b(?:which|what) (?:saying|proverb|idiom|classical line|"
                           r"line of poetry|ancient saying|old saying|classical saying|verse)\b", re.I)
_HALVES = re.compile(r"^([\u4e00-\u9fff]{3,8})[，,]([\u4e00-\u9fff]{3,8})[。！!；;]?$")


# A question asking the cheers a speech closes on ("他讲话结尾喊了什么口号？", "What slogans…?")
_CHEERS_ASKED = re.compile(r"口号|加油|必胜|欢呼|\b(?:slogans?|cheers?|chants?|chanted|rallying)\b",
                           re.I)


def asks_cheers(question: str) -> bool:
    """Whether a question asks for cheers or slogans: then a passage of cheers alone answers it
    (rag/chunking.py `cheers`), which otherwise ranks below what its speech says."""
    return bool(_CHEERS_ASKED.search(question))


# A question asking where or by whom a text was published ("王毅的文章刊登在《求是》哪一期？",
# "Who wrote that article?")
_SOURCE_ASKED = re.compile(r"发表|刊登|刊发|刊载|哪一期|第几期|出处|来源|作者|谁写|头版|"
                           r"\b(?:published|issue|source|author|authors|wrote|written by|byline|"
                           r"carr(?:y|ied)|front[- ]page)\b",
                           re.I)


# A question naming the kind of publication it asks for ("刊登在哪份报纸上？", "Which newspaper
# carried it?"): a paper's name and issue alone answers it
_PUBLICATION_ASKED = re.compile(
    r"哪(?:家|个|份|本|一)(?:期刊|杂志|报纸|报|刊物)|(?:刊登|刊发|刊载|发表|登)在哪|"
    r"\b(?:which|what) (?:newspaper|paper|journal|magazine|periodical)\b", re.I)


def asks_publication(question: str) -> bool:
    """Whether a question asks in which paper or journal a text appeared."""
    return bool(_PUBLICATION_ASKED.search(question))


def never(question: str) -> bool:
    """No question: for passages never lifted above others (rag/retrieval.py ANSWER_ONLY)."""
    return False


def asks_source(question: str) -> bool:
    """Whether a question asks where or by whom a text was published: then a byline alone
    ("来源：《求是》2020/05 作者：王 毅", rag/chunking.py `bylines`) answers it, which otherwise
    ranks below what its article says."""
    return bool(_SOURCE_ASKED.search(question))


# A question a dispatch's notice of a meeting answers (rag/chunking.py `meeting_notices`): when
# or where it was held, who chaired or attended it, what it analysed, studied, reviewed or
# adopted ("3月27日中共中央政治局会议审议了哪两份…材料？", "Which two reports did the Politburo go
# over…?", "Which document … was approved at the February 14 meeting…?")
_NOTICE_ASKED = re.compile(
    r"主持|出席|参加|参会|与会|审议|听取|分析|研究|议题|讨论|什么会|哪[次个场]会|形式|召开|举行|"
    r"文件|方案|意见》|"
    r"\b(?:chair(?:ed|s)?|presided?|attend(?:ed|s|ees)?|review(?:ed)?|discuss(?:ed)?|"
    r"analy[sz]ed?|stud(?:y|ied)|agenda|hear|heard|reports?|go over|went over|convened?|held|"
    r"approv(?:e|ed|al)|adopt(?:ed)?|passed|documents?|plans?|"
    r"which meeting|what meeting|when|where|who)\b", re.I)


def asks_meeting_notice(question: str) -> bool:
    """Whether a meeting's notice or its list of documents adopted, alone, may answer the
    question: it asks when, where, by whom or on what the meeting was held, or what it
    adopted; else they rank below what was said at it."""
    return bool(asked_kinds(question) & {DATE, PLACE, TIME, PERSON}) or \
        bool(_NOTICE_ASKED.search(question))


def asks_saying(question: str) -> bool:
    """Whether the question asks which saying, line or idiom was used."""
    return bool(_SAYING_ASKED.search(question))


def is_saying(sentence: str) -> bool:
    """A sentence that is a saying: quoted whole ("“用药如用兵，用医如用将。”") or two short
    clauses of about one length ("疾风知劲草，板荡识诚臣。", "沧海横流，方显英雄本色。")."""
    text = sentence.strip()
    if re.fullmatch(r"“[^”]{4,30}”[。！!]?", text):
        return True
    m = _HALVES.match(text)
    return bool(m) and abs(len(m.group(1)) - len(m.group(2))) <= 2


# A letter written to the speaker, whose date is asked ("社区工作者给习近平的来信是哪天写的？",
# "When did they write their letter to him?"): the documents print the reply, dated by its
# sign-off and attribution, which give the reply's day, not the letter's.
_TO_HIM = r"(?:习近平|总书记|习主席|国家主席|他)"
_LETTER_TO_ZH = re.compile(rf"来信|(?:给|致){_TO_HIM}[^，,。？?]{{0,8}}(?:写|寄|发)|写给{_TO_HIM}|"
                           r"(?<!回)信是[^，,。？?]{0,6}寄")
_LETTER_ANSWERED = r"\bletter (?:that |which )?(?:xi|he|the president) (?:answered|replied|responded)"
_LETTER_TO_EN = re.compile(
    r"\b(?:letter|wrote|written|write|writing|sent|send)\b[^?.,]{0,25}\bto (?:xi|him|president "
    r"xi|the (?:chinese )?president)\b|\bsen[dt](?:ing)?\s+(?:their|the|his|her|its)\s+letter|"
    r"\bletter (?:xi|he) (?:was|is) (?:answering|replying)|"
    rf"{_LETTER_ANSWERED}|"
    r"\b(?:had|did) [a-z' ]{1,30} sen[dt] (?:the|their|his|her|its)? ?letter", re.I)
_REPLY = re.compile(r"回信|复信|\bwr(?:ite|ote) back\b|\brepl(?:y|ied)\b", re.I)


def asks_letter_date(question: str) -> bool:
    """Whether the question asks the date of a letter written to the speaker (not of his
    reply: "习近平是哪天回信的？", "When did Xi write back to Bill Gates?")."""
    if DATE not in asked_kinds(question) or \
            (_REPLY.search(question) and
             not re.search(rf"来信|answering|{_LETTER_ANSWERED}", question, re.I)):
        return False
    return bool(_LETTER_TO_ZH.search(question) or _LETTER_TO_EN.search(question))


# Something a speech or article tells of ("他提到的2019年重庆那次座谈会", "他说已经就野生动物问题
# 作过批示，那份批示…", "特朗普说他在社交媒体上表过态，那条…"): its date is not the speech's.
# In English: "the plenary meeting that preceded the April 10 teleconference", "the written
# instruction he mentioned there".
# So are the words of someone else it quotes ("那位秘书长是在什么时候、什么场合说这番话的？").
_MENTIONED = re.compile(r"提到的|提及的|说(?:的)?(?:已经|曾经|之前|此前)|说[^，。？?]{0,15}过|"
                        r"(?:那位|这位)[^，。？?]{1,24}?(?:说|讲|发表)(?:的)?(?:这番|这句|这些|那番|那句)话|"
                        r"\b(?:mentioned|referred to|preceding|(?:that|which) (?:preceded|came "
                        r"before|was held before))\b", re.I)
# A day asked, not a year ("具体是哪天开的？")
# ("On what exact date did he issue that instruction?": fresh batch d69-024)
_DAY_ASKED = re.compile(r"哪天|哪一天|哪日|几月几日|月几日|几号|"
                        r"\b(?:what|which) (?:exact |specific |precise |particular )?(?:date|day)\b",
                        re.I)
_DAY = re.compile(f"{_DAY_OF_MONTH}|{_FEAST_DAY}")


def asks_mentioned_date(question: str) -> bool:
    """Whether the question asks the date of something the speech or article under discussion
    tells of ("他提到的那次座谈会具体是哪天开的？"), not of the speech itself."""
    return DATE in asked_kinds(question) and bool(_MENTIONED.search(question))


# A passage telling of something by a day relative to its own ("前几天，我在军事医学研究院…考察
# 调研时提出", "前不久，…"): it gives no date of it, whatever day its attribution gives.
_RELATIVE_DAY = re.compile(r"前几天|前些天|前些日子|日前|前不久|不久前|近日|这几天|上周|前天|昨天")


def tells_relatively(question: str, text: str) -> bool:
    """Whether a passage, asked a date it does not give in its own words, tells of something
    by a relative day ("前几天"): then the date asked is not its attribution's."""
    return DATE in asked_kinds(question) and bool(_RELATIVE_DAY.search(text))


# What an attribution dates ("（2020年2月18日同英国首相约翰逊通电话）", "——4月1日，习近平在《求是》
# 杂志发表文章《…讲话》": a call, an article; the titles it quotes left out), and how a
# question names that kind of event in either language.
_EVENTS = {
    "call": (r"通电话|通话", r"通电话|通话|电话|\b(?:call|phone|telephone|spoke|speak|talk|talked)\b"),
    "letter": (r"回信|复信|信(?!息)", r"信(?!息)|\bletters?\b|\bwr(?:ite|ote|itten)\b|\brepl(?:y|ied)\b"),
    "message": (r"慰问电|贺电|致电|唁电", r"电|\bmessages?\b|\bcondolences?\b|\bcongratulat"),
    "speech": (r"讲话|发言|致辞|演讲", r"讲话|发言|致辞|演讲|说|讲|\b(?:speech|remarks|address|said|say|says|spoke|speak)\b"),
    "meeting": (r"会见|会谈|会议|座谈会|峰会", r"会见|会谈|会议|会上|座谈|峰会|见|\b(?:meet|met|meeting|talks|summit|symposium|conference|session)\b"),
    "article": (r"发表|文章|刊发", r"发表|文章|刊|\b(?:article|publish|published|wrote)\b"),
    "visit": (r"考察|调研|视察", r"考察|调研|视察|\b(?:visit|visited|inspect|inspected|tour|toured)\b"),
}


def _dated_events(question: str, attribution: str) -> list[str]:
    """The kinds of event (`_EVENTS`) an attribution dates, read outside the titles it quotes,
    when the question asks a day and the attribution gives one; [] otherwise."""
    if not _DAY_ASKED.search(question) or not attribution or not states(DATE, attribution):
        return []
    outer = outside_titles(attribution)
    return [kind for kind, (dated, _) in _EVENTS.items() if re.search(dated, outer)]


def outside_titles(attribution: str) -> str:
    """An attribution without the titles it quotes ("在《求是》杂志发表文章《…通电话…》": the
    article is no call)."""
    return re.sub(r"《[^》]*》", "", attribution)


def _names_event(question: str, kind: str) -> bool:
    return bool(re.search(_EVENTS[kind][1], question, re.I))


# "…on what date and in what setting was this said?", "是在什么场合说的？": the occasion is
# asked, whatever kind of event the attribution dates (fresh batch d69-005: a talk in person)
_OCCASION_ASKED = re.compile(r"什么场合|哪个场合|何种场合|哪种场合|"
                             r"\b(?:what|which) (?:setting|occasion|context|event|forum)\b", re.I)


def dates_another_event(question: str, attribution: str, text: str) -> bool:
    """Whether a date asked ("On what date was the health experts' video conference held?")
    is not the one a passage's attribution gives ("——3月24日，习近平同波兰总统杜达通电话"): the
    passage gives none of its own and the question names no event of the kind its attribution
    dates (a call, a letter, a speech…), so it asks the date of something the passage tells
    of. Only for a day asked ("哪天", "what date"): "什么时候完成？" may ask a deadline the
    passage gives in words. False when the attribution dates nothing or says no kind of
    event, or when the question asks the occasion too ("in what setting")."""
    kinds = _dated_events(question, attribution)
    return bool(kinds) and not states_own_date(question, text) and \
        not any(_names_event(question, kind) for kind in kinds) and \
        not _OCCASION_ASKED.search(question)



def dates_its_event(question: str, attribution: str) -> bool:
    """Whether a day asked ("习近平跟古巴国家主席通电话是哪一天？") is the one an attribution gives
    for an event of the kind the question names ("（2020年2月28日同古巴国家主席…通电话）")."""
    return any(_names_event(question, kind) for kind in _dated_events(question, attribution))


def gives_event_day(question: str, attribution: str | None) -> bool:
    """Whether a day asked of an event of a kind the question names ("In what message, and on
    what date, did he say this?") is given by an attribution dating one to the day ("——3月21日，
    就德国发生新冠肺炎疫情向德国总理默克尔致慰问电"); not by one giving the month alone ("（2020年
    3月就德国发生新冠肺炎疫情致德国总理默克尔的慰问电）", the same message printed in another file)."""
    return bool(attribution) and bool(_DAY_ASKED.search(question)) and \
        states_own_date(question, attribution) and dates_its_event(question, attribution)


# How a question asks of a letter, a call or a message, strictly ("电" or "call" alone name none:
# "电视电话会议" is a teleconference, "call X the top priority" no call); what the titles and
# attributions of the passages under discussion call them is `_EVENTS`' first side.
_ASKED_EVENT = {
    "letter": r"回信|来信|复信|(?:回|写)了(?:一)?(?:封)?信|信[中里]|[这那该此]封信|\bletters?\b|"
              r"\b(?:write|wrote|written) back\b",
    "call": r"通电话|通话|(?<!电视)电话(?!会议)|\b(?:phone|telephone) (?:call|conversation)s?\b|"
            r"\b(?:the|that|this|a|their|his|her) call\b|\bcalls? with\b|\b(?:on|by|over) (?:the )?phone\b",
    "message": r"慰问电|贺电|唁电|\b(?:message|telegram)s?\b",
}


def events_asked(question: str) -> list[str]:
    """The kinds of event (letter, call, message) a question asks of, strictly."""
    return [kind for kind, asked in _ASKED_EVENT.items() if re.search(asked, question, re.I)]


# How Xi dealt with another side, kinds no passage is two of: a call, talks or a meeting in
# person, a letter, a message. The attribution's word for it, and the question's (strict, as
# `_ASKED_EVENT`'s: "Xi told a visiting head of state… on what date did their talks take
# place?" is not answered by a call's excerpt, fresh batch d64-007).
_EXCHANGES = {
    "call": (_EVENTS["call"][0], _ASKED_EVENT["call"]),
    "talks": (r"会谈|会见", r"会谈|会见|来访|访华|\btalks\b|\b(?:met|meet|meeting) with\b|"
                          r"\breceived\b|\bvisiting\b"),
    "letter": (r"回信|复信|致信", _ASKED_EVENT["letter"]),
    "message": (_EVENTS["message"][0], _ASKED_EVENT["message"]),
}


def exchanges_asked(question: str) -> frozenset[str]:
    """The kinds of exchange with another side (`_EXCHANGES`) a question asks of."""
    return frozenset(kind for kind, (_, asked) in _EXCHANGES.items()
                     if re.search(asked, question, re.I))


def another_exchange(asked: frozenset[str], labels: str) -> bool:
    """Whether titles and attributions (`labels`) name an exchange of a kind, and none of the
    kinds `asked` (`exchanges_asked`): a call's excerpt for a question on talks."""
    if not asked:
        return False
    named = exchanges_labelled(labels)
    return bool(named) and not named & asked


@functools.lru_cache(maxsize=4096)
def exchanges_labelled(labels: str) -> frozenset[str]:
    """The kinds of exchange titles and attributions name (read once per label: many passages
    share one)."""
    return frozenset(kind for kind, (label, _) in _EXCHANGES.items()
                     if re.search(label, outside_titles(labels)))


def labels_event(kind: str, labels: str) -> bool:
    """Whether titles and attributions ("习近平给北京大学援鄂医疗队全体“90后”党员回信") name an
    event of that kind."""
    return re.search(_EVENTS[kind][0], labels) is not None


def asks_another_event(question: str, labels: str) -> str | None:
    """The kind of event (letter, call, message) a follow-up asks of when `labels`, the titles
    and attributions of the passages under discussion, name none of that kind ("When did he
    write back to the community workers?" after a visit's speech); else None."""
    return next((kind for kind in events_asked(question) if not labels_event(kind, labels)), None)


def states_day_asked(question: str, text: str) -> bool:
    """False when the question asks which day ("具体是几月几号开的？") and the text (a passage as
    shown, with its title and attribution) gives no day but the ones the question names, only
    years ("2017年在太原召开…"); True otherwise."""
    return not _DAY_ASKED.search(question) or states_own_date(question, text)


# "这篇评论是哪天发表的？", "On what date was that article published?": a text's publishing
_PUBLISHING_ASKED = re.compile(
    r"(?:评论|文章|社论|论坛|这篇|那篇|该文)[^，。？?]{0,15}?(?:发表|刊发|刊登|刊出|登出|出版)|"
    r"\b(?:article|commentary|editorial|piece|op-ed|essay)\b[^?]{0,50}?"
    r"\b(?:published|come out|came out|appear|appeared|printed)\b", re.I)
# A dispatch's dateline ("新华社北京4月10日电"): the day of the report, not of its news
DISPATCH = re.compile(r"新华社[\u4e00-\u9fff]{0,8}\d+\s*月\s*\d+\s*日\s*电")


def states_publication_day(question: str, text: str, attribution: str | None) -> bool:
    """False when the question asks on which day a text was published ("这篇评论是哪天发表的？")
    and a passage (its `text` and `attribution`) gives no day of publishing: a day its text
    tells of ("在3月4日的中央政治局常委会会议上") is not one; an attribution dating a
    publication ("——3月16日，习近平在《求是》杂志发表…"), a dispatch's dateline or a
    sentence telling of the publishing with its day are. True otherwise."""
    if not (_DAY_ASKED.search(question) and _PUBLISHING_ASKED.search(question)):
        return True
    if attribution and PUBLISHED.search(attribution) and _DAY.search(attribution):
        return True
    if DISPATCH.search(text):
        return True
    return any(PUBLISHED.search(s) and _DAY.search(s) for s in re.split(r"(?<=[。！？!?])", text))


def states_own_date(question: str, text: str) -> bool:
    """Whether a text gives the date asked: a day when the question asks which day ("哪天"),
    else any date. For a letter's or a mentioned thing's date, callers pass a passage's own
    words (its attribution and sign-off date something else). A day the question names is
    not the one it asks ("…the plenary meeting that preceded the April 10 teleconference?" over
    "全国安全生产电视电话会议10日在北京召开…此前，国务院安委会召开全体会议")."""
    if _DAY_ASKED.search(question):
        for month, day in question_dates(question):
            text = re.sub(rf"(?:{month}\s*月\s*)?(?<!\d){day}\s*日", "", text)
        return bool(_DAY.search(text) or en_dates(text) - question_dates(question))
    return states(DATE, text)
