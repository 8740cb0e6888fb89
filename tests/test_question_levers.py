"""Issue 10's pieces on small inputs: dates in questions and passages, what a question asks for,
the English -> Chinese dictionary route, whole-sentence quotes and the answer sentence."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np
import pytest
from helpers.ranker import ranker

from rag.chunking import paragraph_chunks
from rag.compose import answer_sentence, best_sentence, to_citation
from rag.dates import (
    agreement,
    en_dates,
    english_dates_in_chinese,
    month_days,
    months_named,
    question_dates,
    zh_dates,
)
from rag.lexical import tokens
from rag.question_type import (
    COUNT,
    DATE,
    PERSON,
    PLACE,
    TIME,
    asked_kinds,
    counted_thing,
    listed_kind,
    states,
    type_match,
)
from rag.reading import line_starts
from rag.retrieval import Retriever, group_overlap
from rag.settings import RetrievalSettings
from rag.translate import (
    Dictionary,
    Translation,
    american,
    build_table,
    by_context,
    mixed_query,
    read_glossary,
    with_glossary,
)
from rag.types import Chunk, Hit, Paragraph
from rag.verify import check_quote
from rag.whole_sentences import WholeSentences, ends_sentence

# -- dates -------------------------------------------------------------------------------------


def test_chinese_dates_with_and_without_year_and_ranges():
    assert zh_dates("2020年4月17日中共中央政治局会议") == {(4, 17)}
    assert zh_dates("新华社北京3月4日电 会议") == {(3, 4)}
    assert zh_dates("——3月29日至4月1日，习近平在浙江考察") == {(3, 29), (3, 30), (3, 31), (4, 1)}
    assert zh_dates("3月9日至11日") == {(3, 9), (3, 10), (3, 11)}
    assert zh_dates("13月40日，没有日期") == set()


def test_english_dates_in_several_spellings():
    assert en_dates("the April 8 Politburo meeting") == {(4, 8)}
    assert en_dates("on Feb. 23, 2020 and on 10 March") == {(2, 23), (3, 10)}
    assert en_dates("what may 5 questions say") == {(5, 5)}
    assert en_dates("no date here, 2020") == set()
    assert question_dates("3月10日的讲话 and March 9") == {(3, 10), (3, 9)}


def test_a_month_named_without_a_day_names_its_days_or_the_part_said():
    assert month_days("在4月中旬那次政治局会议上，中央希望…？") == {(4, d) for d in range(11, 21)}
    assert month_days("2020年4月召开的会议") == {(4, d) for d in range(1, 31)}
    assert month_days("截至2月底，有多少个贫困县摘帽？") == {(2, d) for d in range(21, 30)}
    assert month_days("What did the late March call say?") == {(3, d) for d in range(21, 32)}
    assert month_days("In mid-April, the Politburo…") == {(4, d) for d in range(11, 21)}
    assert month_days("the April meeting") == {(4, d) for d in range(1, 31)}
    assert len(month_days("in May 2020")) == 31
    # a day named, a month's count, the verb "may": no month of the question's own
    assert month_days("3月10日在武汉") == month_days("April 17 meeting") == set()
    assert month_days("用了3个月") == month_days("What may he do?") == set()
    # what a passage names agrees with a question's month ("截至2月底…" in a 3月6日 speech)
    assert (2, 29) in months_named("截至2月底，全国832个贫困县中已有601个宣布摘帽")


def test_english_dates_written_the_chinese_way():
    assert english_dates_in_chinese("on March 9, and in February 2020") == ["3月9日", "2020年2月"]


def test_date_agreement_matches_contradicts_or_says_nothing():
    asked = {(3, 10)}
    assert agreement(asked, set(), {(3, 10)}) == 1  # the article is of that day
    assert agreement(asked, {(3, 10)}, {(2, 23)}) == 1  # the text names the day
    assert agreement(asked, set(), {(2, 23)}) == -1  # dated, on another day
    assert agreement(asked, {(2, 23)}, set()) == 0  # undated article: the text decides nothing
    assert agreement(set(), set(), {(2, 23)}) == 0  # the question names no day


# -- question types ----------------------------------------------------------------------------


@pytest.mark.parametrize("question, kinds", [
    ("习近平于哪天主持召开中央政治局常委会会议？", {DATE}),
    ("全国组织调派了多少支医疗队？", {COUNT}),
    ("会议是在哪里召开的？", {PLACE}),
    ("谁以国务院安委会主任的身份出席？", {PERSON}),
    ("How many days of quarantine were required?", {COUNT}),
    ("When and in which village did Xi first put it forward?", {DATE, PLACE}),
    ("Who chaired the meeting?", {PERSON}),
    ("And the date of that letter?", {DATE}),
    ("这封信的日期是？", {DATE}),
    ("习近平强调了什么？", set()),
    # "几点" with a verb or the end after it asks a time of day; with a noun, a count
    ("K6路从火车站发出的最后一班车几点走？", {TIME}),
    ("救护车是几点赶到的？", {TIME}),
    ("习近平就复工复产提出了几点要求？", {COUNT}),
    ("那次会议要求做到哪几点？", {COUNT}),
    ("What time does the last bus leave?", {TIME}),
    # a condition, not a date: "any single item above CNY 200" answers it (foreign dev f-278)
    ("When do I need a proper fapiao for something on my expense claim?", set()),
    ("When does the trial end?", {DATE}),
    # whether a detail was given asks the detail (dev chats: answered from passages without it)
    ("Did he give a number for the medical workers that had died in the line of duty?", {COUNT}),
    ("Did he set a deadline for shutting down the illegal wildlife markets?", {DATE}),
    ("文章里说要坚持开展爱国卫生运动，有没有说具体在哪个月集中开展？", {DATE}),
    ("Did he give a reason?", set()),
    ("At what time of day was the clock time set?", {TIME}),
])
def test_asked_kinds(question, kinds):
    assert asked_kinds(question) == kinds


def test_sentences_state_counts_dates_places_and_people():
    assert states(COUNT, "全国组织调派了330多支医疗队、41600多名医护人员。")
    assert not states(COUNT, "要加强医疗力量。")
    assert states(DATE, "3月9日，湖北全省现有确诊病例17151例。")
    assert states(PLACE, "习近平在浙江省考察。")
    assert states(PERSON, "国务院安委会主任刘鹤出席会议。")
    # offices of firms and courts too, with names no dictionary knows
    assert states(PERSON, "联系人：董事会秘书沈若溪，证券事务代表葛明远。")
    assert states(PERSON, "本案由审判员林启舟独任审理。")
    assert type_match({COUNT}, "调派330多支医疗队") == 1.0
    assert type_match({COUNT, DATE}, "调派330多支医疗队") == 0.5
    assert type_match(set(), "调派330多支医疗队") == 0.0


def test_times_of_day_money_and_numbered_places():
    """Seen on a fresh batch of other documents: "几点" questions were read as counts, so the
    passage giving "9时31分" stated nothing asked; "2号仓库" was a date ("2号"); "一共罚多少钱？"
    counted nothing."""
    assert states(TIME, "9时31分，江宁市第二人民医院救护车到达现场。")
    assert states(TIME, "7:30—16:30（火车站发车）") and states(TIME, "上午10时30分许")
    assert not states(TIME, "提出4点倡议。") and not states(TIME, "2024年8月1日起")
    assert states(TIME, "The library opens at 9:30 a.m. on weekdays.")
    assert states(PLACE, "该公司2号仓库曾发生一起叉车事故。")
    assert not states(DATE, "该公司2号仓库曾发生一起叉车事故。")
    assert states(DATE, "3月2号，会议召开。")
    timed = counted_thing("救护车是几点赶到的？")
    assert timed.search("9时31分，救护车到达现场") and not timed.search("救护车到达现场")
    money = counted_thing("调查组建议一共罚多少钱？")
    assert money.search("处以罚款共计65万元") and not money.search("处以罚款")


def test_the_answer_sentence_leans_to_the_kind_asked():
    sentences = ["各地都派出了医疗队支援湖北。", "全国调派了330多支医疗队。"]
    question_tokens = tokens("派出了多少支医疗队", query=True)
    assert best_sentence(sentences, question_tokens, [0.9, 0.9], {COUNT}) == sentences[1]
    assert best_sentence(sentences, question_tokens, [0.9, 0.9]) == sentences[0]


# -- the dictionary route ----------------------------------------------------------------------

TABLE = {
    "xi jinping": ["习近平"], "xi": ["习近平"], "standing committee": ["常委会", "常务委员会"],
    "committee": ["委员会"], "politburo": ["政治局"], "plant trees": ["植树"],
    "supply chain": ["供应链"], "cruise ship": ["游轮"], "hubei": ["湖北", "湖北省"],
}


def test_an_english_question_naming_someone_the_documents_never_mention_is_not_answered():
    from rag.abstention import gather, should_abstain
    from rag.types import Chunk, Hit

    table = {**TABLE, "prime minister": ["总理"], "moon jae-in": ["文在寅"], "president": ["总统"]}
    d = Dictionary(table, latin_words=frozenset({"keller"}))
    q = "What did Xi Jinping tell Canadian Prime Minister Justin Trudeau in their phone call?"
    assert d.translate(q).unknown == ("Justin Trudeau",)
    assert d.unknown_names("What did Xi tell Moon Jae-in?") == []  # the table's, whole
    # a nationality, a part of the world, a question word or one name known is no stray name
    assert d.unknown_names("Which South Korean president spoke with Xi in March?") == []
    assert d.unknown_names("What did Dr. Maria Keller find?") == []  # the documents' English
    assert Dictionary(table).unknown_names(q) == []  # the documents' words not known: none
    # one word after an office, nothing known after it
    assert d.unknown_names("What did Xi tell President Ramaphosa?") == ["Ramaphosa"]
    d = Dictionary({**table, "duda": ["杜达"], "sanchez": ["桑切斯"]}, latin_words=frozenset())
    assert d.unknown_names("What did President Andrzej Duda say?") == []
    assert d.unknown_names("What did Prime Minister Pedro Sánchez say?") == []
    text = "习近平同加拿大总理通电话。"
    hit = Hit(Chunk("a.txt", text, "通电话", None, None, 1, 1, 0, len(text), "k"), 1.0,
              dense=0.95, sentence=0.95, lexical=1.0)
    assert should_abstain(gather(q, [hit], set(), None,
                                 Translation([], [], unknown=("Justin Trudeau",))))


def test_longest_phrase_first_and_plurals():
    d = Dictionary(TABLE)
    t = d.translate("What did the Politburo Standing Committee say about supply chains?")
    assert t.groups == [["政治局"], ["常委会", "常务委员会"], ["供应链"]]


def test_names_dates_and_numbers_come_through():
    d = Dictionary(TABLE)
    t = d.translate("From which cruise ship did Xi's team in Hubei on March 9 bring 1,300 people?")
    assert ["游轮"] in t.groups and ["习近平"] in t.groups and ["湖北", "湖北省"] in t.groups
    assert "3月9日" in t.literals and "1300" in t.literals
    assert "9" not in t.literals  # the day of a date is the date's, not a number of its own
    assert Dictionary(TABLE).translate("China donated 20 million dollars").literals == ["2000万"]
    assert "2019年底" in Dictionary({}).translate("by the end of 2019").literals
    # a meeting's ordinal, as the documents count sessions (fresh batch d57: "its twelfth
    # meeting" -> 第十二次会议); not another ordinal
    assert "第十二次" in Dictionary({}).translate("Who attended its twelfth meeting?").literals
    assert "第二十六次" in Dictionary({}).translate("the twenty-sixth Conference session").literals
    assert "第二十六次" in Dictionary({}).translate("at the 26th session").literals
    assert Dictionary({}).translate("What was the second point of his speech?").literals == []


def test_a_hyphenated_word_the_table_lacks_is_read_word_by_word():
    """"industry-based poverty alleviation" translated to nothing for want of the whole word;
    its first half is the word the passage uses (产业扶贫). "-based" says how, not what. A
    capitalised one is a title or a name ("Director-General"): split, it read as 主任 and 一般."""
    table = {**TABLE, "industry": ["产业"], "based": ["基础"], "e-commerce": ["电商"],
             "director": ["主任"], "general": ["一般"]}
    groups = Dictionary(table).translate("What grew alongside industry-based e-commerce?").groups
    assert ["产业"] in groups and ["电商"] in groups and ["基础"] not in groups
    assert Dictionary(table).translate("What did WHO Director-General Tedros say?").groups == []


def test_the_asking_clause_is_told_from_the_frame_before_it():
    """"In his … speech at the … meeting, what did Xi say about supply chains?": the frame
    says which speech, the asking clause what its answer sentence says (focus_weight_en)."""
    from rag.translate import asking_clause

    q = ("In his February 3, 2020 speech at the Politburo Standing Committee meeting, "
         "what did Xi say about supply chains?")
    assert asking_clause(q) == ("In his February 3, 2020 speech at the Politburo Standing "
                                "Committee meeting,", "what did Xi say about supply chains?")
    t = Dictionary(TABLE).translate(q)
    assert t.groups == [["政治局"], ["常委会", "常务委员会"], ["习近平"], ["供应链"]]
    assert t.asking_groups() == [["习近平"], ["供应链"]]
    assert "3月" not in t.literals and "2月3日" in t.literals
    # One clause, or a comma inside the asking clause: no frame
    assert asking_clause("What did Xi say, in his call, about supply chains?")[0] == ""
    assert Dictionary(TABLE).translate("What did Xi say about supply chains?").asking == 0
    # who said it frames what it was about (d59-003): one clause, the frame before "say about"
    q = "What did the Politburo Standing Committee meeting say about supply chains?"
    assert asking_clause(q) == ("the Politburo Standing Committee meeting", "about supply chains?")
    assert Dictionary(TABLE).translate(q).asking_groups() == [["供应链"]]


def test_irregular_past_forms_are_looked_up_as_their_verb():
    """"how it grew" is grow (成长), "was born" be born (诞生); the verbs that frame a question
    ("took", "made") are not read, as their present forms are not."""
    table = {**TABLE, "grow": ["成长"], "be born": ["诞生"], "take": ["采取"]}
    groups = Dictionary(table).translate("Where was the Party born and how it grew?").groups
    assert ["诞生"] in groups and ["成长"] in groups
    assert Dictionary(table).translate("What steps were took?").groups == []


def test_a_noun_the_table_lacks_is_looked_up_as_the_word_it_is_made_from():
    """"pollution" is not among CC-CEDICT's senses, "pollute" is (污染); a word the table has
    keeps its own senses."""
    table = {**TABLE, "pollute": ["污染"], "treat": ["治疗"], "station": ["车站"],
             "state": ["国家"]}
    assert Dictionary(table).translate("What did they say about pollution?").groups == [["污染"]]
    assert Dictionary(table).translate("Which treatment helped?").groups == [["治疗"]]
    assert Dictionary(table).translate("Which station?").groups == [["车站"]]


def test_british_spellings_are_looked_up_as_the_dictionary_writes_them():
    """CC-CEDICT is American: "labour", "organised", "centre" and "Mould" (d58-022's company,
    then taken for a name the documents never mention) are found as labor, organize, center,
    mold; words that only look British keep their own senses."""
    table = {**TABLE, "labor": ["劳动力"], "labor market": ["劳动力市场"], "organize": ["组织"],
             "center": ["中心"], "mold": ["模具"], "hour": ["小时"], "promise": ["承诺"]}
    d = Dictionary(table)
    assert d.translate("Which labour market centre was organised?").groups == \
        [["劳动力市场"], ["中心"], ["组织"]]
    assert d.lookup(["mould"]) == (["模具"], 1) and d.lookup(["hour"]) == (["小时"], 1)
    assert d.lookup(["promise"]) == (["承诺"], 1)
    assert [american(w) for w in ("behaviour", "travelled", "paediatric", "programme", "metres",
                                  "defence", "four", "contour", "rise", "journey")] == \
        ["behavior", "traveled", "pediatric", "program", "meters", "defense", "four", "contour",
         "rise", "journey"]


def test_a_verb_in_ize_is_found_under_its_noun():
    """"…the necessary path to modernise urban governance?" (d60-018): the table has
    modernization (现代化), not the verb, in any of its forms or spellings."""
    d = Dictionary({**TABLE, "modernization": ["现代化"], "size": ["大小"]})
    for word in ("modernize", "modernise", "modernized", "modernizing"):
        assert d.lookup([word]) == (["现代化"], 1), word
    assert d.lookup(["size"]) == (["大小"], 1)  # the word itself first
    assert d.lookup(["prize"]) == (None, 1)  # too short to be a verb made in -ize


def test_a_term_of_letters_and_digits_is_one_word(tmp_path: Path):
    """"G20" was read as "g" and a number, so the glossary's "g20" (二十国集团) never matched
    (d58c06.2: "…working with China within the G20?"); "COVID-19" is COVID, not nineteen."""
    table = {**TABLE, "g20": ["二十国集团"], "covid": ["新冠肺炎"], "19": ["十九"]}
    assert Dictionary(table).translate("What did the king say within the G20?").groups[-1] == \
        ["二十国集团"]
    assert Dictionary(table).translate("How did COVID-19 spread?").groups == [["新冠肺炎"]]
    (tmp_path / "g.tsv").write_text("g20\t二十国集团\n", encoding="utf-8")
    assert read_glossary(tmp_path / "g.tsv") == {"g20": ["二十国集团"]}


def test_a_term_an_english_question_quotes_lifts_the_passage_holding_it():
    """"…whom did Xi name as the 'squad leader' of the Hubei provincial party committee…?"
    (d59-028): the passage holding 班长 over a shorter one sharing only Hubei and Wuhan."""
    d = Dictionary({**TABLE, "squad leader": ["班长"]})
    assert d.quoted_terms("Whom did Xi name as the 'squad leader' of Hubei?") == [["班长"]]
    assert d.quoted_terms("What is the ‘Health Silk Road’?") == []  # a phrase it lacks
    assert d.quoted_terms("Didn't he say 'I will personally see to it'?") == []
    cheer = Chunk("a.txt", "武汉加油！湖北加油！", "t", None, None, 1, 1, 0, 10, "cheer")
    named = Chunk("a.txt", "以应勇同志为班长的湖北省委和省政府，坚决贯彻党中央决策部署。", "t", None, None,
                  3, 3, 20, 50, "named")
    retriever = ranker(RetrievalSettings(quote_weight=0.3, count_weight=0.0, focus_weight=0.0,
                                          focus_weight_en=0.0, kind_weight=0.0), cheer, named)
    retriever._squeezed = [c.text for c in (cheer, named)]
    retriever.index_of = {"cheer": 0, "named": 1}
    question = "Whom did Xi name as the 'squad leader' of Hubei?"
    assert d.translate(question).quoted == (("班长",),)
    ranked = retriever._rank(question, ["cheer", "named"], {"cheer": 1.0, "named": 0.95}, 1.0,
                             translation=d.translate(question))
    assert ranked[0][0] == "named"


def test_a_company_s_legal_form_is_no_name():
    d = Dictionary({**TABLE, "mold": ["模具"], "ningbo": ["宁波"]}, latin_words=frozenset())
    assert d.unknown_names("Where is Ningbo Mould Co., Ltd.?") == []
    assert d.unknown_names("What did Xi tell Justin Trudeau?") == ["Justin Trudeau"]


def test_question_words_and_unknown_words_translate_to_nothing():
    t = Dictionary(TABLE).translate("How many of them were there, and when?")
    assert t.groups == [] and t.literals == []


def test_the_table_keeps_only_words_the_corpus_uses():
    table = build_table("习近平参加首都义务植树活动。要稳定供应链。")
    assert table.get("plant trees") == ["植树"]
    assert "习近平" in table.get("xi jinping", [])
    assert "供应链" in table.get("supply chain", [])
    assert all(w in "习近平参加首都义务植树活动。要稳定供应链。" for ws in table.values() for w in ws)


def test_a_spaced_name_is_found_and_a_shared_surname_names_nobody():
    """Seen on dev: "Wang Yi's Qiushi article" was read as 王岐山, because the byline spaces
    the name ("作者：王 毅") and "Wang" alone stood for the only Wang left."""
    table = build_table("作者：王 毅。王岐山出席。文在寅表示感谢。")
    assert table.get("wang yi") == ["王毅"] and table.get("wang qishan") == ["王岐山"]
    assert "wang" not in table  # two people share it
    assert table.get("moon") == ["文在寅"]  # the one person who goes by it


def test_a_kind_of_body_is_found_by_what_sets_it_apart_and_adjectives_by_their_noun():
    table = build_table("公司在德国设立子公司。欧洲市场。生态环境。医务人员。")
    assert table.get("subsidiary") == ["子公司"]  # "subsidiary company"
    assert "medical" not in table  # "medical staff" is no kind of body
    d = Dictionary(table)
    assert ["欧洲"] in d.translate("its European market").groups  # European -> Europe
    assert ["生态"] in d.translate("the ecological corridor").groups  # ecological -> ecology


def test_acronyms_the_documents_write_in_latin_letters_are_searched_as_they_are():
    from rag.translate import latin_terms

    d = Dictionary({}, None, latin_terms("开设多学科联合门诊（MDT）。加快5G网络建设。"))
    assert d.translate("Which MDT clinics, and the 5G network?").literals == ["MDT", "5G"]
    assert d.translate("What did the WHO say?").literals == []  # not in these documents


def test_names_the_dictionary_lacks_are_found_by_their_pinyin():
    from rag.transliterate import PinyinIndex

    text = "江宁市东衡智装公司董事会秘书沈若溪表示，长湾河廊道已贯通。江宁高新区。"
    names = PinyinIndex(text)
    assert names.spelled("Jiangning") == ["江宁"]
    assert names.spelled("Changwan") == ["长湾"]  # 长 read zhang elsewhere, chang here
    assert names.spelled("Stuttgart") == [] and names.spelled("Hu") == []
    # the middle of something longer is no name: "Xixi" is not the 席习 of every 主席习近平
    crowd = PinyinIndex("国家主席习近平指出。" * 5 + "西溪湿地。来到西溪。")
    assert crowd.spelled("Xixi") == ["西溪"]
    d = Dictionary({"secretary": ["秘书"], "river": ["河"]}, names)
    groups = d.translate("Who is the board secretary, Shen Ruoxi, of Dongheng in Jiangning?").groups
    assert ["秘书"] in groups and ["沈若溪"] in groups and ["东衡"] in groups and ["江宁"] in groups
    assert d.translate("Which river?").groups == [["河"]]  # a word the table knows stays its


def test_the_table_is_cached_for_its_corpus(tmp_path):
    corpus = "习近平参加首都义务植树活动。"
    cache = tmp_path / "en_zh.json"
    first = Dictionary.for_corpus(corpus, cache)
    assert cache.exists() and "CC BY-SA 4.0" in cache.read_text(encoding="utf-8")
    cache.write_text(cache.read_text(encoding="utf-8").replace("植树", "种树"), encoding="utf-8")
    assert Dictionary.for_corpus(corpus, cache).table["plant trees"] == ["种树"]  # from cache
    assert Dictionary.for_corpus(corpus + "植树", cache).table == first.table  # rebuilt


def test_a_glossary_adds_the_documents_own_terms_first(tmp_path, caplog):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("# comment\nmedical teams\t医疗队\nPeople's Daily\t人民日报\n"
                        "cure rate\t治愈率 治愈比例\nno tab here\n"
                        "a phrase far too long to look up\t甲\n", encoding="utf-8")
    terms = read_glossary(glossary)
    assert terms == {"medical teams": ["医疗队"], "people daily": ["人民日报"],
                     "cure rate": ["治愈率", "治愈比例"]}
    assert "no tab here" in caplog.text and "far too long" in caplog.text
    corpus = "派出340多支医疗队，治愈率不断提高。"
    table = with_glossary({"cure rate": ["痊愈率"]}, terms, corpus)
    assert table["medical teams"] == ["医疗队"]
    assert table["cure rate"] == ["治愈率", "痊愈率"]  # only the words the corpus uses, first
    assert "people daily" not in table
    t = Dictionary(table).translate("How many medical teams were sent, and the cure rate?")
    assert ["医疗队"] in t.groups  # "teams" found as written, "team" would be too


def test_the_glossary_is_part_of_the_cached_tables_fingerprint(tmp_path):
    corpus = "派出340多支医疗队。"
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("medical team\t医疗队\n", encoding="utf-8")
    cache = tmp_path / "en_zh.json"
    assert Dictionary.for_corpus(corpus, cache, glossary).table["medical team"] == ["医疗队"]
    glossary.write_text("medical unit\t医疗队\n", encoding="utf-8")
    again = Dictionary.for_corpus(corpus, cache, glossary).table
    assert again.get("medical unit") == ["医疗队"] and "medical team" not in again
    missing = Dictionary.for_corpus(corpus, cache, tmp_path / "none.tsv")  # a warning, no error
    assert "medical unit" not in missing.table


def _order_with_and_without_kind_lift(asked: str, first: Chunk, second: Chunk) -> tuple:
    """The order `_rank` gives two passages fused 1.0 and 0.98 for `asked`, with the kind lift
    (`kind_weight` 0.05) and without it."""
    keys, fused = [first.key, second.key], {first.key: 1.0, second.key: 0.98}
    retriever = ranker(RetrievalSettings(kind_weight=0.05), first, second)
    lifted = [k for k, _ in retriever._rank(asked, keys, fused, 1.0)]
    retriever.settings = RetrievalSettings(kind_weight=0.0)
    return lifted, [k for k, _ in retriever._rank(asked, keys, fused, 1.0)]


def _postings(passages: list[str]):
    return lambda word: frozenset(i for i, p in enumerate(passages) if word in p)


def test_each_phrase_prefers_the_word_found_beside_the_others():
    passages = ["习近平给武汉东湖新城社区全体社区工作者回信", "要积极应对风险挑战",
                "应对疫情冲击", "社区防控要应对到位"]
    reply = Translation([["应对", "回信"], ["东湖"], ["社区"]], [])  # "reply" most frequent first
    ordered = by_context(reply, _postings(passages))
    assert ordered.groups[0] == ["回信", "应对"]  # 回信 stands beside 东湖 and 社区
    assert ordered.groups[1:] == [["东湖"], ["社区"]]


def test_dates_count_as_context_and_a_lone_phrase_keeps_its_order():
    passages = ["3月4日会议强调", "会面", "会面", "3月4日会面"]
    met = Translation([["会面", "会议"]], ["3月4日"])
    assert by_context(met, _postings(passages)).groups == [["会议", "会面"]]
    alone = Translation([["会面", "会议"]], [])
    assert by_context(alone, _postings(passages)).groups == [["会面", "会议"]]
    unseen = Translation([["甲乙", "丙丁"], ["戊己"]], [])  # found nowhere: order kept
    assert by_context(unseen, _postings(passages)).groups == [["甲乙", "丙丁"], ["戊己"]]


def test_the_embedded_english_question_carries_its_first_chinese_words():
    t = Translation([["主持", "主席"], ["会议", "会面", "会谈"]], ["2月23日"])
    q = "Who chaired the February 23 meeting?"
    assert mixed_query(q, t, 2) == q + " 主持 主席 会议 会面 2月23日"
    assert mixed_query(q, t, 1) == q + " 主持 会议 2月23日"
    assert mixed_query(q, t, 0) == q
    assert mixed_query(q, Translation([], []), 2) == q


def test_group_overlap_counts_phrases_not_alternatives():
    groups = [["常委会", "常务委员会"], ["供应链"], ["游轮"]]
    assert group_overlap(groups, "中央政治局常务委员会强调稳定供应链") == pytest.approx(2 / 3)
    assert group_overlap([], "任何文字") == 0.0


# -- whole-sentence quotes ---------------------------------------------------------------------

LONG = ("会议强调，要坚定实施扩大内需战略，维护经济发展和社会稳定大局，确保完成决战决胜脱贫攻坚目标任务，"
        "全面建成小康社会，在加大“六稳”工作力度的同时，全面落实保居民就业、保基本民生、保市场主体、"
        "保粮食能源安全、保产业链供应链稳定、保基层运转的任务。会议指出，要抓好春耕生产。")


def chunks_of(text: str, max_chars: int = 60) -> tuple[list[Chunk], str]:
    """Chunks of one paragraph of an original file that wraps its lines every 30 characters."""
    original = "\n".join(text[i:i + 30] for i in range(0, len(text), 30)) + "\n"
    offsets = tuple(i for i, ch in enumerate(original) if ch != "\n")
    para = Paragraph(text, offsets, "标题", None, None)
    return paragraph_chunks(para, "a.txt", line_starts(original), max_chars, 6), original


def test_a_long_sentence_is_quoted_whole_and_verifies():
    chunks, original = chunks_of(LONG)
    assert len(chunks) >= 3 and not ends_sentence(chunks[0].text)
    whole = WholeSentences(chunks)
    for piece in chunks:  # the last piece ends the sentence and holds the next one too
        widened = whole.whole(piece)
        assert widened is not None and widened.text == LONG
        citation = to_citation(1, Hit(piece, 1.0, quote=widened))
        assert citation.quote == LONG
        assert check_quote(original, citation.quote, citation.char_start, citation.char_end,
                           citation.line_start, citation.line_end) is None
    short, _ = chunks_of("会议指出，要抓好春耕生产。会议强调，要稳定就业。")
    assert [WholeSentences(short).whole(c) for c in short] == [None]  # whole already


def test_pieces_of_different_paragraphs_are_never_joined():
    a = Chunk("a.txt", "第一段没有句号", "T", None, None, 1, 1, 0, 7, "a")
    b = Chunk("a.txt", "第二段。", "T", None, None, 2, 2, 8, 12, "b")
    assert WholeSentences([a, b]).whole(a) is None  # a line break after no clause mark
    c = Chunk("a.txt", "第一段，", "T", None, None, 1, 1, 0, 4, "c")
    d = Chunk("a.txt", "别的标题。", "U", None, None, 2, 2, 5, 10, "d")
    assert WholeSentences([c, d]).whole(c) is None  # another article


def test_the_answer_sentence_is_the_whole_sentence():
    chunks, _ = chunks_of(LONG)
    whole = WholeSentences(chunks)
    hit = Hit(chunks[1], 1.0, quote=whole.whole(chunks[1]))
    assert answer_sentence(hit, tokens("六保包括哪些", query=True)) == \
        LONG[: LONG.index("任务。") + 3]
    assert answer_sentence(Hit(chunks[1], 1.0), []) in chunks[1].text  # nothing to widen


# -- dates of articles -------------------------------------------------------------------------


def test_header_date_lines_date_their_article(tmp_path: Path):
    from rag.retrieval import _header_dates

    (tmp_path / "a.txt").write_text("在湖北省考察时的讲话\n（2020年3月10日）\n习近平\n正文。\n"
                                    "另一篇\n正文没有日期。\n"
                                    # a speech's date line with its place (d58c06.1)
                                    "携手抗疫 共克时艰\n——在特别峰会上的发言\n（2020年3月26日，北京）\n"
                                    "尊敬的萨勒曼国王，\n", encoding="utf-8")
    assert _header_dates(tmp_path, "a.txt", [1, 5, 7]) == {0: {(3, 10)}, 2: {(3, 26)}}
    assert _header_dates(tmp_path, "missing.txt", [1]) == {}
    assert _header_dates(None, "a.txt", [1]) == {}


def test_a_passage_dated_on_another_day_ranks_below_one_that_matches():
    other = Chunk("a.txt", "调派330多支医疗队。", "部署会议上的讲话", None, None, 1, 1, 0, 11, "other")
    right = Chunk("a.txt", "调派340多支医疗队。", "在湖北省考察时的讲话", None, None, 5, 5, 20, 31,
                  "right")
    # (no focus: the words after "讲话中" ask, and would lift both alike)
    retriever = ranker(RetrievalSettings(date_penalty=0.25, count_weight=0.0, focus_weight=0.0),
                       other, right, context_dates={"other": {(2, 23)}, "right": {(3, 10)}})
    fused = {"other": 1.0, "right": 0.9}
    dated: dict[str, int] = {}
    ranked = retriever._rank("3月10日的讲话中调派了多少支医疗队？", ["other", "right"], fused, 1.0,
                             dated)
    assert [k for k, _ in ranked] == ["right", "other"]
    assert dict(ranked)["other"] == pytest.approx(0.75)
    assert dated == {"right": 1, "other": -1}  # what the abstention weighs (Evidence.dated)
    # No date in the question: the fusion order stands.
    assert [k for k, _ in retriever._rank("调派了多少支医疗队？", ["other", "right"], fused, 1.0)] \
        == ["other", "right"]



def test_the_call_of_the_day_named_lifts_the_excerpt_its_attribution_dates():
    """"习近平2月28日和哪国领导人通了电话？" (fresh batch d59-004): the excerpt whose attribution is
    that day's call ("（2020年2月28日同古巴国家主席迪亚斯—卡内尔通电话）") says nothing of a
    call in its own words; it is lifted over an undated passage about calls in general. Not for
    a question naming no call, nor for an excerpt of that day's other kind of event."""
    cuba = Chunk("a.txt", "我们还保障包括古巴公民在内的各国在华人员健康和安全。", "t", None,
                 "（2020年2月28日同古巴国家主席迪亚斯—卡内尔通电话）", 1, 1, 0, 20, "cuba")
    note = Chunk("a.txt", "我和多国领导人密集通电话。", "t", None, None, 3, 3, 30, 45, "note")
    settings = RetrievalSettings(event_day_weight=0.2, count_weight=0.0, focus_weight=0.0,
                                 kind_weight=0.0)
    retriever = ranker(settings, cuba, note, context_dates={"cuba": {(2, 28)}})
    keys, fused = ["note", "cuba"], {"note": 1.0, "cuba": 0.85}
    first = lambda q: retriever._rank(q, keys, fused, 1.0)[0][0]  # noqa: E731
    assert first("习近平2月28日和哪国领导人通了电话？") == "cuba"
    assert first("Who did Xi speak with by phone on February 28?") == "cuba"
    assert first("习近平2月28日给谁回了信？") == "note"  # a letter, which that excerpt is not
    assert first("习近平和哪国领导人通了电话？") == "note"  # no day named
    retriever.settings = RetrievalSettings(event_day_weight=0.0, count_weight=0.0,
                                           focus_weight=0.0, kind_weight=0.0)
    assert first("习近平2月28日和哪国领导人通了电话？") == "note"


def test_the_other_speaker_named_lifts_only_their_own_words():
    """"According to Wang Yi, how many consular-protection phone calls…?" (d58-014) asks the
    words of someone other than Xi, but by name: Putin's passage ("普京表示，…") is not lifted
    over the article's own; "What did Putin say…?" lifts it."""
    putin = Chunk("a.txt", "普京表示，中国向遭受疫情的国家及时伸出援助之手。", "t", None, None, 1, 1,
                  0, 20, "putin")
    plain = Chunk("a.txt", "各驻外机构接打1万余通领保电话。", "t", None, None, 3, 3, 30, 45, "plain")
    retriever = ranker(RetrievalSettings(speaker_bonus=0.2, count_weight=0.0, focus_weight=0.0,
                                          focus_weight_en=0.0, kind_weight=0.0), putin, plain)
    retriever._dictionary = Dictionary({**TABLE, "wang yi": ["王毅"], "putin": ["普京"]})
    retriever._dictionary_lock = threading.Lock()
    keys, fused = ["putin", "plain"], {"putin": 0.95, "plain": 1.0}
    first = lambda q: retriever._rank(q, keys, fused, 1.0)[0][0]  # noqa: E731
    assert first("According to Wang Yi, how many phone calls did the missions answer?") == "plain"
    assert first("According to Putin, what did China do?") == "putin"
    assert first("王毅说，驻外机构接了多少通电话？") == "plain"
    assert first("普京表示中国做了什么？") == "putin"


def test_a_month_asked_ranks_a_passage_of_another_month_below():
    """"在4月中旬那次政治局会议上，…保持哪两方面的特质？" (d55-004): the 2月23日 speech's
    passage on the same words ranks below the April meeting's; a passage of another day that
    names the month ("截至2月底…" in a 3月6日 speech) agrees with it."""
    feb = Chunk("a.txt", "要保持产业链总体稳定。", "部署会议上的讲话", None, None, 1, 1, 0, 11, "feb")
    april = Chunk("a.txt", "要保持产业链供应链的稳定性和竞争力。", "政治局会议", None, None, 5, 5, 20,
                  38, "april")
    march = Chunk("a.txt", "截至2月底，已有601个贫困县宣布摘帽。", "座谈会上的讲话", None, None, 9, 9,
                  40, 60, "march")
    retriever = ranker(RetrievalSettings(date_penalty=0.25, count_weight=0.0), feb, april,
                        march, context_dates={"feb": {(2, 23)}, "april": {(4, 17)},
                                              "march": {(3, 6)}})
    fused = {"feb": 1.0, "april": 0.9, "march": 0.8}
    dated: dict[str, int] = {}
    ranked = retriever._rank("在4月中旬那次政治局会议上，中央希望产业链保持什么？",
                             ["feb", "april", "march"], fused, 1.0, dated)
    assert [k for k, _ in ranked][:2] == ["april", "feb"]
    assert dated == {"feb": -1, "april": 1, "march": -1}
    dated = {}
    retriever._rank("截至2月底，有多少个贫困县宣布摘帽？", ["feb", "april", "march"], fused, 1.0,
                    dated)
    assert dated["march"] == 1


def test_an_excerpt_with_another_side_than_the_one_named_ranks_below():
    """"In his March 27 call with Trump, what did Xi say the G20 summit had achieved?" (fresh
    chat d52c01.1): the Saudi king's call of the same day says much the same; the excerpt
    whose attribution names the side the question names comes first."""
    saudi = Chunk("a.txt", "昨天我们成功举行了二十国集团领导人特别峰会，达成重要共识。", "摘编", None,
                  "——3月27日，习近平同沙特国王萨勒曼通电话", 1, 1, 0, 30, "saudi")
    us = Chunk("a.txt", "昨天举行的二十国集团领导人特别峰会达成不少共识。", "摘编", None,
               "——3月27日，习近平同美国总统特朗普通电话", 3, 3, 40, 64, "us")
    retriever = ranker(RetrievalSettings(count_weight=0.0), saudi, us)
    fused = {"saudi": 1.0, "us": 0.9}
    asked = "习近平同特朗普通电话时说特别峰会取得了什么成果？"
    assert [k for k, _ in retriever._rank(asked, ["saudi", "us"], fused, 1.0)] == ["us", "saudi"]
    # naming neither side, the fusion order stands
    assert [k for k, _ in retriever._rank("特别峰会取得了什么成果？", ["saudi", "us"], fused, 1.0)] \
        == ["saudi", "us"]


def test_a_passage_holding_the_sentence_quoted_comes_first():
    """"“我们将慎终如始，力争尽早全面彻底战胜疫情…”习近平是在哪天、同哪位外国领导人通电话时说的？"
    (fresh batch d52-009): a compilation's note on "与外国领导人…通电话" shared more of the rest
    of its words, and was abstained on; the passage quoted holds the sentence verbatim."""
    note = Chunk("a.txt", "这是习近平与外国领导人和国际组织负责人通电话中有关内容的节录。", "摘编", None,
                 None, 1, 1, 0, 32, "note")
    said = Chunk("a.txt", "我们将慎终如始，力争尽早全面彻底战胜疫情，为各国防控疫情提供信心。", "摘编",
                 None, "——3月16日，习近平同意大利总理孔特通电话", 3, 3, 40, 74, "said")
    retriever = ranker(RetrievalSettings(count_weight=0.0, kind_weight=0.0), note, said)
    retriever.index_of = {"note": 0, "said": 1}
    retriever._squeezed = [note.text, said.text]
    fused = {"note": 1.0, "said": 0.9}
    asked = "“我们将慎终如始，力争尽早全面彻底战胜疫情。”习近平是同哪位外国领导人通电话时说的？"
    assert [k for k, _ in retriever._rank(asked, ["note", "said"], fused, 1.0)] == ["said", "note"]
    retriever.settings = RetrievalSettings(count_weight=0.0, kind_weight=0.0, quote_weight=0.0)
    assert [k for k, _ in retriever._rank(asked, ["note", "said"], fused, 1.0)] == ["note", "said"]


def test_a_passage_stating_the_kind_asked_is_lifted():
    """"部署会议是哪天、在哪里召开的？": the report saying "23日在北京召开" comes before the
    speech's "今天，我们召开…会议", which matched the question's words a little better."""
    speech = Chunk("a.txt", "今天，我们召开统筹推进工作部署会议。", "讲话", None, None, 1, 1, 0,
                   18, "speech")
    report = Chunk("a.txt", "统筹推进工作部署会议23日在北京召开。", "报道", None, None, 3, 3, 20,
                   38, "report")
    # the report states the day (half of what is asked)
    lifted, unlifted = _order_with_and_without_kind_lift(
        "统筹推进工作部署会议是哪天、在哪里召开的？", speech, report)
    assert lifted == ["report", "speech"]
    assert unlifted == ["speech", "report"]


def test_a_passage_stating_the_figure_asked_is_lifted():
    """"How long did Xi say China's hard work had taken…?": "经过2个多月艰苦努力" comes before
    "经过艰苦努力", which matched the question's words a little better but states no duration."""
    plain = Chunk("a.txt", "经过艰苦努力，当前中国国内疫情防控形势持续向好。", "通话", None, None, 1, 1,
                  0, 24, "plain")
    timed = Chunk("a.txt", "经过2个多月艰苦努力，中国疫情防控形势持续向好。", "通话", None, None, 3, 3,
                  30, 54, "timed")
    lifted, unlifted = _order_with_and_without_kind_lift(
        "经过多长时间的艰苦努力，中国疫情防控形势持续向好？", plain, timed)
    assert lifted == ["timed", "plain"]
    assert unlifted == ["plain", "timed"]


def test_leaning_on_the_article_discussed_every_word_of_an_english_follow_up_asks():
    """"What did he tell the community workers…?" after a question on the tree planting: the
    article is given, and the words of the question pick its passage. Alone, a one-clause
    question's words are left to the fused ranking (focus is for an asking clause)."""
    from rag.translate import Translation

    planting = Chunk("a.txt", "习近平一下车，就拿起铁锹走向植树地点。", "植树", None, None, 1, 1, 0,
                     19, "planting")
    workers = Chunk("a.txt", "习近平对参加植树的社区工作人员说，社区这次防疫工作功劳很大。", "植树",
                    None, None, 3, 3, 20, 50, "workers")
    retriever = ranker(RetrievalSettings(focus_weight_en=0.2), planting, workers)
    fused = {"planting": 1.0, "workers": 0.97}
    asked = "What did he tell the community workers?"
    translation = Translation([["社区工作人员", "社区工作者"]], [])

    def order(leaning):
        return [k for k, _ in retriever._rank(asked, ["planting", "workers"], fused, 1.0,
                                              translation=translation, leaning=leaning)]

    assert order(True) == ["workers", "planting"]
    assert order(False) == ["planting", "workers"]


def test_a_letter_s_date_is_in_the_sign_off_below_its_last_passage():
    """"回信的落款日期是哪天？": the letter's last passage, which carries the sign-off
    ("习近平 / 2020年3月15日") as its tail, comes before its opening, which matched a little
    better but states no date."""
    import dataclasses

    opening = Chunk("a.txt", "北京大学援鄂医疗队全体“90后”党员：来信收悉。", "回信", None, None, 1,
                    1, 0, 22, "opening")
    last = dataclasses.replace(
        Chunk("a.txt", "让青春在党和人民最需要的地方绽放绚丽之花。", "回信", None, None, 3, 3, 30,
              51, "last"), tail_text="习近平\n\n2020年3月15日")
    retriever = ranker(RetrievalSettings(kind_weight=0.05), opening, last)
    fused = {"opening": 1.0, "last": 0.98}
    asked = "习近平给北京大学援鄂医疗队“90后”党员的回信，落款日期是哪天？"
    assert [k for k, _ in retriever._rank(asked, ["opening", "last"], fused, 1.0)] == \
        ["last", "opening"]


def test_an_english_passage_says_the_day_asked_in_its_own_words():
    """'Who spoke on 25 October?' over an English newsletter: the passage that says 'On 25
    October' agrees with the question (Evidence.dated +1), the March one does not."""
    march = Chunk("n.pdf", "On 22 March, Professor Liang spoke about rising sea levels.", "News",
                  None, None, 1, 1, 0, 60, "march")
    october = Chunk("n.pdf", "On 25 October, Dr. Maria Keller spoke about plastics.", "News",
                    None, None, 3, 3, 62, 120, "october")
    retriever = ranker(RetrievalSettings(date_penalty=0.25, count_weight=0.0), march, october)
    dated: dict[str, int] = {}
    retriever._rank("Who gave the public lecture on 25 October 2023?", ["march", "october"],
                    {"march": 1.0, "october": 0.9}, 1.0, dated)
    assert dated == {"october": 1, "march": 0}


def test_a_report_filed_on_the_last_day_of_a_visit_dates_every_day_of_it():
    """'新华社杭州4月1日电 …近日在浙江考察' then '3月29日至4月1日，习近平…': the report's passages
    are of every day from 3月29日 to 4月1日, so '3月29日在宁波舟山港冒雨察看了什么？' does not push
    down the port passage as dated 4月1日 (seen in the browser)."""
    from rag.catalog import Catalog, FileEntry
    from rag.types import Article

    def chunk(text, line, key):
        return Chunk("z.txt", text, "习近平在浙江考察时强调", None, None, line, line, 0, len(text), key)

    chunks = [chunk("新华社杭州4月1日电 习近平近日在浙江考察时强调，要统筹推进。", 2, "lead"),
              chunk("3月29日至4月1日，习近平先后来到宁波、湖州、杭州等地。", 3, "range"),
              chunk("随后，习近平冒雨察看了码头现场集装箱作业场景。", 5, "port")]
    entry = FileEntry(sha256="x", size=1, mtime_ns=1,
                      articles=[Article(title="习近平在浙江考察时强调", line=1)], chunks=chunks)
    retriever = object.__new__(Retriever)
    retriever._lead_ins = set()
    dates = retriever._dates_of_contexts(Catalog(model="m", files={"z.txt": entry}), None)
    assert {(3, 29), (3, 30), (3, 31), (4, 1)} <= dates["port"]
    assert agreement({(3, 29)}, set(), dates["port"]) == 1

def test_a_print_of_a_speech_the_documents_hold_is_of_the_speech_day(tmp_path):
    """"——4月1日，习近平在《求是》杂志发表文章《在湖北省考察…时的讲话》": the excerpts under it are
    of the speech's day, which the speech's own header gives ("（2020年3月10日）" in another file),
    and of the print's; "In his February 23 speech, …" then no longer takes one first (dev
    d3-056, d58-028). A print of a piece the documents do not hold neither agrees nor contradicts."""
    from rag.catalog import Catalog, FileEntry
    from rag.types import Article

    (tmp_path / "speech.txt").write_text("在湖北省考察时的讲话\n（2020年3月10日）\n习近平\n我这次专程来武汉。\n",
                                         encoding="utf-8")

    def chunk(source, text, line, key, title, attribution=None):
        return Chunk(source, text, title, None, attribution, line, line, 0, len(text), key)

    printed = "——4月1日，习近平在《求是》杂志发表文章《在湖北省考察时的讲话》"
    other = "——3月16日，习近平在《求是》杂志发表重要文章《为打赢阻击战提供科技支撑》"
    files = {
        "speech.txt": FileEntry(sha256="x", size=1, mtime_ns=1,
                                articles=[Article(title="在湖北省考察时的讲话", line=1)],
                                chunks=[chunk("speech.txt", "我这次专程来武汉。", 4, "own",
                                              "在湖北省考察时的讲话")]),
        "digest.txt": FileEntry(sha256="y", size=1, mtime_ns=1,
                                articles=[Article(title="一、讲话摘编", line=1)],
                                chunks=[chunk("digest.txt", "第一，把医疗救治工作摆在第一位。", 3, "excerpt",
                                              "一、讲话摘编", printed),
                                        chunk("digest.txt", "第一，加强药物研发。", 6, "unheld",
                                              "一、讲话摘编", other)]),
    }
    retriever = object.__new__(Retriever)
    retriever._lead_ins = set()
    dates = retriever._dates_of_contexts(Catalog(model="m", files=files), tmp_path)
    assert dates["own"] == {(3, 10)}
    assert dates["excerpt"] == {(3, 10), (4, 1)}
    assert agreement({(2, 23)}, set(), dates["excerpt"]) == -1
    assert agreement({(3, 10)}, set(), dates["excerpt"]) == 1
    assert dates["unheld"] == set()


def test_dates_are_recognised_as_documents_write_them():
    """A 'when' question over a notice that says 每周一 or 二〇二四年九月 must not look
    unanswered to abstention (seen on an HTML notice: '每周一闭馆')."""
    from rag.question_type import DATE, states

    for text in ("每周一闭馆", "于二〇二四年九月完工", "3月10日", "三月十日上午", "2020年",
                 "本月底前完成", "星期六照常开放", "4月上旬"):
        assert states(DATE, text), text
    for text in ("没有日期的句子", "他强调了三点", "第一天"):
        assert not states(DATE, text), text


def test_the_asking_clause_is_what_the_answer_must_say():
    from rag.question_type import focus_tokens

    focus = focus_tokens("习近平给武汉东湖新城社区全体社区工作者回信，希望他们发扬什么作风？")
    assert "发扬" in focus and "作风" in focus and "社区" not in focus
    assert focus_tokens("习近平强调了什么？") == []  # one clause: the whole question asks
    # One clause with a verb of saying: what follows it asks (seen in the browser: "湿地贵在原
    # 生态" was third, under two passages of the same visit)
    focus = focus_tokens("习近平3月31日在西溪湿地察看时说湿地贵在什么？")
    assert "贵在" in focus and "西溪" not in focus and "察看" not in focus


def test_a_counted_thing_is_looked_for_with_a_number_before_it():
    from rag.question_type import counted_thing

    proposals = counted_thing("习近平在特别峰会上提出了几点倡议？")
    assert proposals.search("在此，我愿提出以下4点倡议。")
    assert not proposals.search("我建议发起二十国集团抗疫援助倡议。")  # the topic, not the count
    assert counted_thing("调派了多少支医疗队？").search("调派340多支医疗队")
    assert counted_thing("有多少建档立卡贫困劳动力在外务工？").search("2729万建档立卡贫困劳动力")
    assert counted_thing("有几个省份被评为好？").search("8个省份被评为“好”")
    assert counted_thing("二〇二五年将新建多少个口袋公园？").search("新建口袋公园四十个")  # after
    assert counted_thing("一共设置了多少张床位？").search("设置床位1000张")
    assert not counted_thing("一共设置了多少张床位？").search("增加床位供给")
    assert counted_thing("他说了多少的话？") is None
    assert counted_thing("习近平在讲话中强调了什么？") is None
    # a measure word of its own: "几对动车" counts 动车 (it was read as the thing "对动", which
    # no passage states a number of, and the answering passage was abstained on)
    assert counted_thing("那个车站每天停靠几对动车？").search("每日停靠动车组列车8对")
    # people, whatever they are ("多少人脱贫" was read as counting "人脱")
    assert counted_thing("那个班一共招多少人？").search("科技创新实验班招生90人")
    assert counted_thing("全国有多少人脱贫？").search("减到2019年年底的551万人")
    assert not counted_thing("有多少人员？").search("招生90人")
    # a word saying whose they are is no part of the thing, and the text may name them between
    # the measure word and the thing ("多少名本国留学生" -> "500多名纳米比亚留学生")
    students = counted_thing("根哥布说有多少名本国留学生在中国平安无事？")
    assert students.search("500多名纳米比亚留学生在中国安然无恙")
    assert not students.search("中国留学生对美国教育事业非常重要")
    # the thing measured named before the asking word ("面积有多大" -> "面积约320亩")
    assert counted_thing("植树的那块地面积有多大？").search("植树点面积约320亩")
    assert counted_thing("他们一共有多少？") is None
    assert counted_thing("保卫处的值班电话是多少？") is None  # a number, not a count of 电话
    # a measure word alone counts with it ("一共通了多少次？" -> "26次通话")
    assert counted_thing("一共通了多少次？").search("同22位外方领导人和国际组织负责人26次通话")
    assert counted_thing("他提了哪几条？") is None


def test_a_letters_sign_off_states_its_date_not_a_count():
    from rag.question_type import unstated

    opening = "全体党员：来信收悉。"
    assert not unstated("When did Xi write back to them?", opening, "习近平2020年3月15日")
    assert unstated("When did Xi write back to them?", opening)
    assert unstated("How many letters did he get?", opening, "习近平2020年3月15日")


def test_words_the_question_quotes_ask_nothing():
    from rag.question_type import DATE, PLACE, asked_kinds

    # "谁有本事谁揭榜" quoted asks no person; "在哪一年" asks a year, not a place
    assert asked_kinds("习近平说自己早在哪一年就主张用“谁有本事谁揭榜”的办法？") == {DATE}
    assert asked_kinds("他在哪考察？") == {PLACE}


def test_an_english_question_counts_what_the_dictionary_names():
    from rag.question_type import count_of

    d = Dictionary(TABLE)
    assert d.counted("How many cruise ships docked in Hubei?") == ["游轮"]
    assert d.counted("How many of them were there?") == []
    assert d.counted("What did the Standing Committee say?") == []
    pattern = count_of(d.counted("How many cruise ships docked?"))
    assert pattern.search("3艘游轮") and pattern.search("两艘游轮")
    assert not pattern.search("游轮靠岸") and count_of([]) is None


def test_who_chaired_looks_for_someone_chairing():
    from rag.question_type import role_asked

    chaired = role_asked("2020年3月6日的座谈会由谁主持？")
    assert chaired.search("汪洋主持座谈会。") and chaired.search("在国王陛下主持下举行")
    assert not chaired.search("习近平主持召开中央政治局常委会会议")  # a meeting he called
    assert role_asked("Who chaired the February 23 meeting?").search("李克强主持会议")
    assert role_asked("Who accompanied Xi in Zhejiang?").search("省长袁家军陪同")
    assert role_asked("谁出席了会议？") is None and role_asked("What did Li chair?") is None
    # who led a team: the documents would say 率领, 带队, 组长… (they never do: d36-014, d22-038)
    led = role_asked("What was the name of the person who led the medical expert team?")
    assert led.search("由王辰院士带队") and led.search("专家组组长钟南山") and not led.search("向意方增派医疗专家组")
    assert role_asked("Who headed the Central Guidance Group?") and role_asked("医疗队是谁带队的？")
    # and by the leader's title (d38-038: a passage saying only that WHO experts went to Wuhan)
    head = role_asked("赴武汉实地考察的世界卫生组织专家组，其组长是谁？")
    assert head.search("专家组组长钟南山") and not head.search("世界卫生组织专家已赴武汉进行实地考察")
    assert role_asked("谁担任医疗队的队长？") and role_asked("Who was the head of the WHO expert team?")
    assert role_asked("Who is the head of the WHO?") is None  # the office, not a team's leader
    # who gave a report: someone named making it, not "听取…工作汇报" (d3-066, d40c09.2)
    from rag.question_type import role_verb, states_role

    for asked in ("那次会议上的经济形势是谁汇报的？", "全国复工复产情况调研汇报是由谁作的？",
                  "Who presented the 2019 work summary report that the meeting reviewed?"):
        verb = role_verb(asked)
        assert not states_role(verb, "会议听取了浙江省委和省政府工作汇报。")
        assert states_role(verb, "由李克强作政府工作报告。")
    assert role_verb("谁作出了批示？") is None
    assert role_verb("Who gave the Institute's public lecture on 25 October?") is None  # f-133


def test_who_chaired_is_not_answered_by_passages_naming_no_chair():
    """"全国安全生产电视电话会议是由谁主持的？" over passages that report the meeting and name
    no one chairing it: abstained (evidence.unstated), as a name asked by role is."""
    from rag.abstention import gather
    from rag.types import Chunk, Hit

    def hit(text):
        return Hit(Chunk(source="a.txt", text=text, title="会议", section=None, attribution=None,
                         line_start=1, line_end=1, char_start=0, char_end=len(text), key=text),
                   score=1.0, dense=0.9, sentence=0.9)

    asked = "4月10日的全国安全生产电视电话会议是由谁主持的？"
    reported = [hit("全国安全生产电视电话会议4月10日在北京召开。"), hit("会议强调，要压实责任。")]
    assert gather(asked, reported, set()).unstated
    assert not gather(asked, [hit("王勇主持会议。"), *reported], set()).unstated
    # a meeting someone called is one they chaired (ranking lifts only "X主持会议")
    called = hit("副市长韩文博在3号楼第一会议室主持召开领导小组第二次会议。")
    assert not gather("会议由谁主持？", [called], set()).unstated
    # nor a team's leader by passages naming none ("What was the name of the person who led
    # the medical expert team China sent to Italy?", d36-014)
    team = "Who led the medical expert team China sent to Italy?"
    assert gather(team, [hit("我们将急意方之所急，向意方增派医疗专家组。")], set()).unstated
    assert not gather(team, [hit("专家组由王辰院士带队。")], set()).unstated
    # a document in English says it in English
    campaign = "Who led the institute's field campaign in April 2023?"
    assert not gather(campaign, [hit("The campaign was led by Dr. Zhao Peiyu.")], set()).unstated
    assert gather(campaign, [hit("The spring campaign took place from 10 to 21 April.")],
                  set()).unstated
    assert not gather("Who chaired the meeting?", [hit("The meeting was chaired by the mayor.")],
                      set()).unstated
    # another article's chair is no answer ("Who chaired the national work-safety
    # teleconference…?" with the April 17 meeting's "习近平主持会议" third; seen in the browser)
    other = Hit(Chunk(source="a.txt", text="中共中央总书记习近平主持会议。", title="政治局会议",
                      section=None, attribution=None, line_start=9, line_end=9, char_start=90,
                      char_end=105, key="other"), score=0.9, dense=0.9, sentence=0.9)
    assert gather(asked, [*reported, other], set()).unstated


def test_a_time_of_day_asked_needs_one_in_the_first_passage():
    """"几点开始的？" / "At what time of day…?" over a passage giving no time: abstained; not
    "What time span…?" nor "Within what time…?" (a period)."""
    from rag.abstention import gather
    from rag.question_type import TIME, asked_kinds
    from rag.types import Chunk, Hit

    def hit(text):
        return Hit(Chunk(source="a.txt", text=text, title="植树", section=None, attribution=None,
                         line_start=1, line_end=1, char_start=0, char_end=len(text), key=text),
                   score=1.0, dense=0.9, sentence=0.9)

    scene = hit("3月29日，习近平前往宁波舟山港穿山港区考察。")
    timed = hit("上午10时30分许，党和国家领导人来到植树点。")
    assert gather("At what time of day did Xi arrive at the port?", [scene], set()).unstated
    assert gather("他是几点到的港区？", [scene], set()).unstated
    assert not gather("领导人几点到的植树点？", [timed], set()).unstated
    assert TIME not in asked_kinds("What time span do those excerpts cover?")
    assert TIME not in asked_kinds("Within what time did it have to be finished?")


def test_an_english_question_over_english_and_chinese_documents_takes_both_routes(tmp_path):
    """Its own words find the English document; its dictionary translation the Chinese one
    (before, an English document made its words "covered" and the translation was skipped)."""
    from conftest import copy_corpus, fake_indexed_assistant, write_config

    from rag.settings import load_settings

    corpus = copy_corpus(tmp_path)
    (corpus / "library.txt").write_text(
        "Jiangning City Library Visitor Rules\n\n"
        "1. Opening Hours\n\nThe library opens from 9:00 to 17:00 on Sundays and public "
        "holidays, and from 8:30 to 21:00 on other days.\n\n"
        "2. Borrowing\n\nA reader may borrow up to ten books for thirty days.\n",
        encoding="utf-8")
    assistant = fake_indexed_assistant(load_settings(write_config(tmp_path, corpus)))
    retriever = assistant._index.retriever
    own = retriever.search("When does the library open on Sundays?", 5)
    assert own.translation is not None
    assert own.hits[0].chunk.source == "library.txt"
    assert own.hits[0].lexical > 0  # its own words, not the translation's, are its evidence
    other = retriever.search("What did Xi write to Bill Gates in his reply?", 5)
    assert any("盖茨" in h.chunk.text + (h.chunk.attribution or "") for h in other.hits)


def test_glosses_read_a_chinese_questions_words_in_the_documents_english():
    """CC-CEDICT forwards: 图书 -> books, a word it lacks by its parts (借期 -> 借, 期), a name
    by its pinyin when the documents spell it (江宁 -> jiangning); question words give none."""
    from rag.gloss import Glosses, content_words

    text = ("Jiangning City Library. The loan period for books is 30 days. "
            "Readers may borrow ten books.")
    glosses = Glosses.for_corpus(text)
    groups = glosses.groups("江宁市图书馆的图书借期是多少天？")
    assert "books" in groups["图书"] and "jiangning" in groups["江宁"]
    assert {"borrow", "period"} <= set(groups["借期"])
    assert "多少" not in content_words("江宁市图书馆的图书借期是多少天？")
    # a word CC-CEDICT glosses (滨江: riverside) that names a place the documents spell
    flat = Glosses.for_corpus("Flat 1203, Binjiang Garden, 88 Riverside Road. The Landlord may "
                              "enter the flat.")
    assert flat.of("滨江")[-1] == "binjiang" and "landlord" in flat.of("房东")


@pytest.mark.integration
def real_retriever(tmp_path, files: dict[str, str]):
    """The retriever of a corpus of `files` (name -> text), ingested with the real model."""
    from conftest import MODEL, write_config

    from rag.assistant import Assistant
    from rag.ingest import ingest
    from rag.settings import load_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = load_settings(write_config(tmp_path, corpus, model=str(MODEL)))
    ingest(settings, progress=False)
    return Assistant(settings)._index.retriever


def test_a_chinese_question_about_an_english_document_finds_it_and_is_judged_on_it(tmp_path):
    """With the real model: "在江宁市图书馆借图书，借期是多少天？" shares no word with "A reader
    may borrow up to ten books for thirty days": its glossed words rank the English passage
    first, and the evidence counts them as found there. A question about the Chinese notice,
    and a colloquial one whose common words also gloss to English ("还有别的好处吗？"), are
    ranked as before."""
    from rag.abstention import gather

    retriever = real_retriever(tmp_path, {
        "library.txt": (
            "Jiangning City Library Visitor Rules\n\n"
            "1. Opening Hours\n\nThe library opens from 9:00 to 17:00 on Sundays and public "
            "holidays, and from 8:30 to 21:00 on other days.\n\n"
            "2. Borrowing\n\nA reader may borrow up to ten books for thirty days.\n\n"
            "3. Fines\n\nAn overdue charge of CNY 0.20 per item per day is made.\n"
        ),
        "公交线路调整公告.txt": (
            "江宁公交集团关于调整9路公交线路的公告\n\n"
            "自2024年7月1日起，9路公交车首班车时间由6:30提前至6:00，末班车时间由21:00延长至22:30。\n\n"
            "调整后，9路公交线路取消市图书馆站，乘客可在相邻的文化广场站上下车。\n\n"
            "持老年卡乘车的乘客继续享受免费乘车，换乘其他线路在90分钟内不再收费。\n"
        ),
    })
    question = "在江宁市图书馆借图书，借期是多少天？"
    asked = retriever.search(question, 5)
    assert asked.hits[0].chunk.source == "library.txt" and "borrow" in asked.hits[0].chunk.text
    assert asked.glossed and asked.hits[0].lexical > 0
    evidence = gather(question, asked.hits, retriever.lexical.vocab, asked.glossed)
    assert evidence.coverage_top > 0.5 and not evidence.unknown_names
    for chinese in ("9路公交车的末班车改到几点了？", "还有别的好处吗？"):
        found = retriever.search(chinese, 5)
        assert not found.glossed and found.hits[0].chunk.source != "library.txt", chinese


def test_a_document_named_in_a_chinese_question_does_not_rank_its_contact_line(tmp_path):
    """With the real model: "Harbourline今年没休完的年假能留到明年吗？" names the handbook. All its
    passages are about Harbourline, but in the foreign dev set's handbook the word stands in one
    only, an e-mail address ("hr-service@harbourline.cn"): that contact line came first for
    three such questions. The name tells the question's side, and ranks no passage."""
    # the handbook written for the foreign dev set, its title and numbered headings marked
    handbook = Path(__file__).parents[1] / "eval/foreign/src/Harbourline_Employee_Handbook_Extract.txt"
    lines = handbook.read_text(encoding="utf-8").splitlines()
    marked = [f"# {lines[0]}"] + [f"## {x}" if re.match(r"\d+\. [A-Z]", x) else x for x in lines[1:]]
    retriever = real_retriever(tmp_path, {
        "Harbourline_Employee_Handbook_Extract.md": "\n\n".join(marked),
        "公交线路调整公告.txt": (
            "江宁公交集团关于调整9路公交线路的公告\n\n"
            "自2024年7月1日起，9路公交车首班车时间由6:30提前至6:00，末班车时间由21:00延长至22:30。\n"),
    })
    question = "Harbourline今年没休完的年假能留到明年吗？"
    total, _, glossed = retriever._english_scores(question, None)
    assert "Harbourline" in glossed  # it tells the side: the question is about the handbook
    # but ranks no passage for naming the document: the scores are its other words' alone
    others, _ = retriever._group_scores([g for w, g in glossed.items() if w != "Harbourline"])
    assert np.allclose(total, np.where(retriever._english, others, 0.0))


def test_a_lead_in_ranks_below_the_row_it_announces():
    """"两次停水的时间和影响范围如下：" only announces the table below it; the rows are searched
    with the table's column names, so the lead-in matches a question about a row as well as
    the row does, and was quoted first, answering nothing. A passage that says something
    before its colon ("…计划招收高一新生720人。其中：") is no lead-in."""
    from rag.chunking import lead_ins

    def chunk(text: str, line: int, key: str, lead: str | None = None) -> Chunk:
        return Chunk("n.html", text, "停水通知", None, None, line, line, line * 100,
                     line * 100 + len(text), key, lead=lead)

    intro = chunk("两次停水的时间和影响范围如下：", 1, "intro")
    row = chunk("第二次\t7月16日22:00至7月17日14:00\t临港大道与纬三路交叉口", 2, "row",
                lead="停水批次 | 停水时间 | 施工地点")
    said = chunk("2024年我校计划招收高一新生720人。其中：", 3, "said")
    item = chunk("（一）名额分配招生360人；", 4, "item", lead="其中：")
    assert lead_ins([intro, row, said, item]) == {"intro"}
    retriever = ranker(RetrievalSettings(lead_in_penalty=0.15, focus_weight=0.0,
                                         count_weight=0.0, role_weight=0.0, kind_weight=0.0,
                                         date_penalty=0.0), intro, row)
    retriever._lead_ins = lead_ins([intro, row, said, item])
    ranked = retriever._rank("第二次停水的施工地点在哪里？", ["intro", "row"],
                             {"intro": 1.0, "row": 0.9}, 1.0)
    assert [k for k, _ in ranked] == ["row", "intro"]
    assert dict(ranked)["intro"] == pytest.approx(0.85)


def test_cheers_alone_rank_below_what_the_speech_says_unless_asked():
    """"武汉加油！湖北加油！中国加油！" closes the Wuhan speech; its few words are close in meaning
    to any question on the speech ("…what did Xi call the distinctive political character of
    Chinese Communists?", fresh batch d67-016, quoted "中国加油！" first). Asked for the slogans
    ("他讲话里喊了什么口号？"), it is not pushed down."""
    from rag.chunking import cheers
    from rag.question_type import asks_cheers

    def chunk(text: str, line: int, key: str) -> Chunk:
        return Chunk("s.txt", text, "在湖北省考察时的讲话", None, None, line, line, line * 100,
                     line * 100 + len(text), key)

    said = chunk("敢于斗争、敢于胜利，是中国共产党人鲜明的政治品格。", 1, "said")
    cheer = chunk("武汉加油！湖北加油！中国加油！", 2, "cheer")
    assert cheers([said, cheer, chunk("武汉必胜！", 3, "one"),
                   chunk("同志们！我们要坚定信心！", 4, "speech")]) == {"cheer"}
    retriever = ranker(RetrievalSettings(lead_in_penalty=0.15, focus_weight=0.0,
                                          count_weight=0.0, role_weight=0.0, kind_weight=0.0,
                                          date_penalty=0.0), said, cheer)
    retriever._answer_only = {"cheer": (asks_cheers, asks_cheers)}
    ranked = retriever._rank("他怎样概括共产党人的政治品格？", ["cheer", "said"],
                             {"cheer": 1.0, "said": 0.9}, 1.0)
    assert [k for k, _ in ranked] == ["said", "cheer"]
    ranked = retriever._rank("他讲话里喊了什么口号？", ["cheer", "said"],
                             {"cheer": 1.0, "said": 0.9}, 1.0)
    assert [k for k, _ in ranked] == ["cheer", "said"]


def test_an_acronym_the_dictionary_spells_out_is_translated_only_in_capitals():
    """Seen in the browser: "What did Xi say the WHO should do…?" got the G20 summit's
    passages, "WHO" translating to nothing. CC-CEDICT gives it in brackets after the name."""
    from rag.translate import _acronym_of

    assert _acronym_of("World Health Organization (WHO)") == "WHO"
    assert _acronym_of("African Union (AU), abbr. for 非洲聯盟|非洲联盟") == "AU"
    assert _acronym_of("fever (TCM)") is None and _acronym_of("State Council (PRC)") is None
    text = "世界卫生组织总干事谭德塞。中方支持世卫组织发挥领导作用。"
    d = Dictionary(build_table(text))
    assert any("世卫组织" in g for g in d.translate("What should the WHO do?").groups)
    assert not any("世卫组织" in g for g in d.translate("Who should do it?").groups)


def test_the_row_whose_range_holds_the_asked_number_ranks_first(tmp_path):
    """With the real model, over a ticket table: "我62岁，买门票要花多少？" shares no word with
    the row "优惠票 40元 … 60周岁至64周岁老年人"; without range_weight the adult row came first."""
    table = ("青螺山风景区游览指南\n\n二、门票价格\n\n"
             "票种\t价格\t说明\n"
             "成人票\t80元\t18周岁至59周岁游客\n"
             "优惠票\t40元\t6周岁以上未满18周岁的未成年人、全日制学生、60周岁至64周岁老年人\n"
             "免票\t0元\t6周岁及以下儿童、65周岁及以上老年人、现役军人\n\n"
             "三、景区交通\n\n观光车单程20元，往返30元。索道上行60元。\n")
    retriever = real_retriever(tmp_path, {"guide.txt": table})
    hits = retriever.search("我62岁，去青螺山买门票要花多少？", 3).hits
    assert "60周岁至64周岁" in hits[0].chunk.text
    retriever.settings.range_weight = 0.0
    hits = retriever.search("我62岁，去青螺山买门票要花多少？", 3).hits
    assert "60周岁至64周岁" not in hits[0].chunk.text


def test_the_bundled_glossary_reads_held_as_a_meeting_held():
    """CC-CEDICT renders "held" as 保持 / 把握 (hold: keep): "In what format was it held?" about a
    meeting found nothing of it (dev d19c07.2). The bundled glossary says 召开 / 举行."""
    from pathlib import Path

    from rag.translate import read_glossary

    glossary = read_glossary(Path(__file__).parents[1] / "data" / "glossary" / "covid-2020.tsv")
    assert glossary["held"] == ["召开", "举行"] and glossary["format"] == ["形式"]


def test_the_bundled_glossary_gives_a_nationality_its_country():
    """CC-CEDICT renders "Italian", "Lao", "Malaysian" as no word the documents use: "What did
    the Lao leader thank China for sending?" (fresh chat d41c08.2) and "Which Malaysian leader
    did Xi speak with…?" (d39-005) lost the country. The glossary gives it, and the short form
    a call's report uses ("老方", "意方")."""
    from pathlib import Path

    from rag.translate import read_glossary

    glossary = read_glossary(Path(__file__).parents[1] / "data" / "glossary" / "covid-2020.tsv")
    assert glossary["lao"] == ["老挝", "老方"] and glossary["italian"] == ["意大利", "意方"]
    assert glossary["malaysian"] == ["马来西亚"] and "纳米比亚" in glossary["namibian"]
    assert "逃兵" in glossary["desert"] and "污染防治" in glossary["environment"]
    # "the distinctive political character of Chinese Communists" (fresh batch d67-016):
    # CC-CEDICT gives 色彩 品质 and 中国人; the speech says "中国共产党人鲜明的政治品格"
    assert glossary["political character"] == ["政治品格"]
    assert glossary["chinese communists"][0] == "中国共产党人"


def test_delivering_a_speech_dates_the_event_not_a_print():
    """"——3月26日，习近平出席…峰会并发表重要讲话" dates the summit: a passage under it is of March 26
    (found in the browser: "In his February 3 speech, what did Xi say he had proposed back in
    2016?" was answered from that passage, its date never read). An article published in a
    magazine ("在《求是》杂志发表文章") dates the print, not what it tells of."""
    from rag.dates import dates_a_publication

    assert not dates_a_publication("——3月26日，习近平出席二十国集团领导人应对新冠肺炎特别峰会并发表重要讲话")
    assert not dates_a_publication("——3月6日，习近平在决战决胜脱贫攻坚座谈会上发表讲话")
    assert dates_a_publication("——4月1日，习近平在《求是》杂志发表文章《在湖北省考察新冠肺炎疫情防控工作时的讲话》")
    assert dates_a_publication("——3月16日，习近平发表重要文章")


def test_a_passage_of_another_day_does_not_name_what_was_asked_of_that_day():
    """"2月10日习近平在北京调研疫情防控，具体去了哪家医院或哪个社区？" (dev d18-033): the speech
    says only "2月10日，我到北京市调研指导疫情防控工作"; the hospital another passage names is the
    one of his Wuhan visit on 3月10日 (dated -1 against the question's day). Abstained."""
    from rag.abstention import gather
    from rag.types import Chunk, Hit

    def hit(text, dated=0):
        return Hit(Chunk(source="a.txt", text=text, title="讲话", section=None, attribution=None,
                         line_start=1, line_end=1, char_start=0, char_end=len(text), key=text),
                   score=1.0, dense=0.9, sentence=0.9, dated=dated)

    asked = "2月10日习近平在北京调研疫情防控，具体去了哪家医院？"
    beijing = hit("2月10日，我到北京市调研指导疫情防控工作，视频连线湖北和武汉抗疫前线。", dated=1)
    wuhan = hit("今天到武汉，我去了火神山医院，察看了远程会诊中心。", dated=-1)
    assert gather(asked, [beijing, wuhan], set()).unstated
    assert not gather(asked, [beijing, hit("今天我去了地坛医院。")], set()).unstated  # undated


def test_where_effort_goes_asks_no_place():
    # "要求把优势力量集中到哪里？" is answered by "集中到解决最紧迫问题上来" (fresh batch d63c10)
    assert PLACE not in asked_kinds("要求把优势力量集中到哪里？")
    assert PLACE not in asked_kinds("要把钱用到哪儿？")
    assert PLACE in asked_kinds("植树点在哪里？")
    assert PLACE in asked_kinds("他到哪里考察？")


def test_an_issue_number_asks_a_number():
    # "Which issue number of Qiushi carried it?": a first passage with no figure does not say
    # (fresh batch d63-033)
    assert COUNT in asked_kinds("Which issue number of Qiushi carried the article?")
    assert COUNT not in asked_kinds("Which issue did the article address?")


def test_a_stop_of_a_long_visit_that_opens_with_another_day_is_of_that_day():
    """"习近平3月31日去了哪里？" over the report of 3月29日至4月1日: a passage opening "3月30日，
    习近平前往…" is of 3月30日, whatever its report's range; the wetland of 3月31日 ranks above
    it. A passage of a one-day article keeps its article's day."""
    yucun = Chunk("a.txt", "3月30日，习近平前往湖州市安吉县余村考察调研。", "浙江考察", None, None,
                  1, 1, 0, 24, "yucun")
    wetland = Chunk("a.txt", "西溪湿地烟雨朦胧。习近平来到这里，察看湿地保护利用情况。", "浙江考察",
                    None, None, 3, 3, 30, 58, "wetland")
    tour = {(3, 29), (3, 30), (3, 31), (4, 1)}
    retriever = ranker(RetrievalSettings(date_penalty=0.25, count_weight=0.0, kind_weight=0.0,
                                          focus_weight=0.0), yucun, wetland,
                        context_dates={"yucun": tour, "wetland": tour})
    fused = {"yucun": 1.0, "wetland": 0.9}
    ranked = retriever._rank("习近平3月31日去了哪里？", ["yucun", "wetland"], fused, 1.0)
    assert [k for k, _ in ranked] == ["wetland", "yucun"]
    # asked of its own day, it stands
    ranked = retriever._rank("习近平3月30日去了哪里？", ["yucun", "wetland"], fused, 1.0)
    assert [k for k, _ in ranked][0] == "yucun"
    # one day's speech recalling another ("1月7日，我主持召开…" in the speech of 2月3日)
    recalled = Chunk("a.txt", "1月7日，我主持召开中央政治局常委会会议。", "讲话", None, None, 5, 5,
                     60, 80, "recalled")
    retriever = ranker(RetrievalSettings(date_penalty=0.25), recalled,
                        context_dates={"recalled": {(2, 3)}})
    dated: dict[str, int] = {}
    retriever._rank("2月3日的讲话中他最早什么时候主持会议？", ["recalled"], {"recalled": 1.0}, 1.0,
                    dated)
    assert dated == {"recalled": 1}


def test_how_far_something_had_got_is_no_distance():
    # "how far had its cargo handling recovered?" asks a degree the text states in words
    # ("已逐步恢复至日常水平", fresh batch d64-022), not a count
    assert COUNT not in asked_kinds("By the time Xi toured the port in late March, how far had "
                                    "its cargo handling recovered?")
    assert COUNT not in asked_kinds("How far along was the resumption of work and production?")
    assert COUNT in asked_kinds("How far is the Huoshenshan hospital from the city centre?")


def test_a_call_does_not_answer_a_question_on_talks():
    """"Xi told a visiting head of state …: on what date did their talks take place?" (fresh batch
    d64-007): the excerpt of the day's call sinks below the talks' excerpt; a question on a call
    keeps the call first."""
    call = Chunk("a.txt", "中方愿同各国加强合作，防止疫情扩散蔓延。", "", None,
                 "——3月24日，习近平同巴西总统博索纳罗通电话", 1, 1, 0, 20, "call")
    talks = Chunk("b.txt", "中方愿为防止疫情在世界范围内扩散蔓延作出更多贡献。", "", None,
                  "——3月17日，习近平同巴基斯坦总统阿尔维会谈", 1, 1, 0, 25, "talks")
    keys, fused = ["call", "talks"], {"call": 1.0, "talks": 0.95}
    retriever = ranker(RetrievalSettings(), call, talks)
    asked = "Xi told a visiting head of state that China would do more. When did their talks take place?"
    assert [k for k, _ in retriever._rank(asked, keys, fused, 1.0)] == ["talks", "call"]
    asked = "What did Xi say on the phone about stopping the spread?"
    assert [k for k, _ in retriever._rank(asked, keys, fused, 1.0)] == ["call", "talks"]
    # naming no kind of exchange, the order stands
    asked = "What did Xi say about stopping the virus spreading?"
    assert [k for k, _ in retriever._rank(asked, keys, fused, 1.0)] == ["call", "talks"]


def _order_of(question: str, lifted: str, other: str) -> list[str]:
    """The order `_rank` (counts lifted by 0.15, no asking clause) gives two passages of one
    speech fused 0.9 (`lifted`, "lifted") and 1.0 (`other`, "other") for `question`."""
    chunks = [Chunk("a.txt", text, "讲话", None, None, n, n, 40 * n, 40 * n + len(text), key)
              for n, (key, text) in enumerate((("other", other), ("lifted", lifted)))]
    retriever = ranker(RetrievalSettings(count_weight=0.15, focus_weight=0.0), *chunks)
    return [k for k, _ in retriever._rank(question, ["other", "lifted"],
                                          {"other": 1.0, "lifted": 0.9}, 1.0)]


def test_a_list_of_the_kind_asked_lifts_its_passage():
    """"…展现了哪几种能力？" (fresh batch d64-005): the passage listing "领导能力、应对能力、…"
    rises above the speech's praise that shares the question's other words; a question asking
    no kind lists nothing it wants."""
    listing = "国际社会普遍认为，中国展现出的领导能力、应对能力、组织动员能力令人称赞。"
    praise = "中国人民在疫情防控中展现的中国力量、中国精神、中国效率，得到国际社会高度赞誉。"
    assert _order_of("国际社会普遍认为中国的防控措施展现了哪几种能力？", listing, praise)[0] == "lifted"
    assert _order_of("中国的防控措施有什么特点？", listing, praise)[0] == "other"
    assert listed_kind("提出了哪些措施？").search("防控措施、救治措施") and \
        listed_kind("他去了哪里？") is None
    # the aspects of a kind ("加强哪几方面的要素保障？", fresh batch d67-011): a list before "等"
    # and the kind's word
    aspects = listed_kind("同时加强哪几方面的要素保障？")
    assert aspects.search("加强用工、用地、资金等要素保障") and not aspects.search("加强要素保障")


def test_the_form_a_meeting_took_lifts_the_passage_stating_it():
    """"座谈会是以什么形式召开的？" (fresh batch d65c07.1, answer 8th): the passage stating the
    form ("以电视电话会议形式召开") rises; "形式主义" is no form; no question of form, no lift."""
    from rag.question_type import form_asked

    stated = "座谈会以电视电话会议形式召开，在各省区市设分会场。"
    other = "要坚决反对形式主义、官僚主义，减轻基层负担。"
    assert _order_of("3月6日的座谈会是以什么形式召开的？", stated, other)[0] == "lifted"
    assert _order_of("3月6日的座谈会要求反对什么？", stated, other)[0] == "other"
    assert form_asked("In what format was it held?") is not None
    assert form_asked("那次会议是以什么形式开的？").search("视频会议") and \
        not form_asked("那次会议是以什么形式开的？").search("形式主义")


def test_a_span_told_roughly_states_how_long():
    # "how long did Xi say China's arduous efforts had lasted?" over "经过数月艰苦努力" (fresh
    # batch d65-010, abstained on at rank 1): "数月" is a span
    assert states(COUNT, "经过数月艰苦努力，中国疫情防控形势发生积极变化。")
    assert not states(COUNT, "数据显示疫情防控形势发生积极变化。")
