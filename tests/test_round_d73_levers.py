"""The levers of the round tuned on fresh batch d73 (and on d72, held out last round and now in
dev): English words the dictionary reaches in their inflected forms ("winning", "carried out",
"stepped up", "taking part in")."""

from __future__ import annotations

from rag.translate import Dictionary, _stem

TABLE = {"win": ["打赢"], "carry out": ["落实"], "step up": ["加紧"], "take part in": ["参加"],
         "put forward": ["提出"], "get": ["取得"], "plan": ["规划"], "stop": ["阻击"],
         "call": ["号召"], "country": ["国家"], "stepped": ["台阶"]}


def test_a_doubled_consonant_is_undone():
    """"winning" is "win" and "stopped" "stop" (the table has the plain verb), not "winn"."""
    assert "win" in _stem("winning")
    assert "stop" in _stem("stopped")
    assert "plan" in _stem("planned")
    assert "cal" not in _stem("called")  # "ll" is the word's own
    assert "country" in _stem("countries") and "carry" in _stem("carried")


def test_a_word_skipped_alone_stays_skipped_in_its_forms():
    """"get" says nothing alone, so "getting" does not become 取得; heading a phrase it may."""
    d = Dictionary(TABLE)
    assert d.lookup(["getting"]) == (None, 1)
    assert d.lookup(["putting", "forward"]) == (["提出"], 2)
    assert d.lookup(["winning"]) == (["打赢"], 1)


def test_the_first_word_of_a_phrase_is_read_in_its_forms():
    """"carried out", "stepped up", "taking part in": the phrase, not "stepped" (台阶) alone."""
    d = Dictionary(TABLE)
    assert d.lookup(["carried", "out", "checks"]) == (["落实"], 2)
    assert d.lookup(["stepped", "up"]) == (["加紧"], 2)
    assert d.lookup(["taking", "part", "in", "talks"]) == (["参加"], 3)
    groups = Dictionary(TABLE).translate("Which countries stepped up the fight?").groups
    assert ["加紧"] in groups and ["台阶"] not in groups and ["国家"] in groups


def test_a_phone_number_asked_needs_digits_dialled():
    """"…应急呼叫中心的热线号码是多少？" (d73-025): "接打1万余通领保电话" gives no number to dial."""
    from rag.question_type import figure_asked

    phone = figure_asked("外交部全球领事保护与服务应急呼叫中心的热线号码是多少？")
    assert phone is not None
    assert not phone.search("接打1万余通领保电话，协助解决近2700个领保案件")
    assert phone.search("可拨打12308热线") and phone.search("call +86-10-12308")
    assert phone is figure_asked("What is the hotline's phone number?")
    assert figure_asked("那通电话是什么时候打的？") is None  # a call's date, no number


def test_a_year_the_question_names_is_no_answer_to_which_year():
    """"On his March 24, 2020 call…, in what year was that partnership established?" (d73-026)
    over the call's own "2020年3月24日": the year asked is another."""
    from rag.question_type import states_year_asked

    q = ("On his March 24, 2020 call with Bolsonaro, Xi said China and Brazil are comprehensive "
         "strategic partners. In what year was that partnership established?")
    assert not states_year_asked(q, "（2020年3月24日同巴西总统博索纳罗通电话）中巴两国互为全面战略伙伴。")
    assert states_year_asked(q, "中巴两国2012年建立全面战略伙伴关系。")
    assert states_year_asked("In what year was it established?", "（2020年3月24日同巴西总统通电话）")


def test_a_poet_asked_needs_a_poet_or_source_named():
    """"Which Tang dynasty poet wrote that line?" (d73-030) over the speech quoting it."""
    from rag.question_type import states_book_asked

    quoted = ["要以“咬定青山不放松”的韧劲、“不破楼兰终不还”的拼劲，沉下心来"]
    assert not states_book_asked("Which Tang dynasty poet wrote that line?", quoted)
    assert not states_book_asked("这句诗是哪位唐代诗人写的？", quoted)
    assert states_book_asked("这句诗是哪位唐代诗人写的？", ["唐代诗人王昌龄写道"])
    assert states_book_asked("What did the poet's line mean to him?", quoted)  # no poet asked


def test_which_official_co_chaired_asks_a_chair():
    """"Which Lao official co-chaired that meeting?" (d73-032) asks who chaired, as "Who chaired"."""
    from rag.question_type import role_verb

    assert role_verb("Which Lao official co-chaired that meeting?") == "主持"
    assert role_verb("Who co-chaired the special foreign ministers' meeting?") == "主持"
    assert role_verb("Which officials attended the meeting?") is None


def test_which_landmarks_asks_a_building():
    """"疫情期间埃及点亮了哪些地标建筑来声援中国？" (d73-024) over the call's report of support."""
    from rag.question_type import states_kind_asked

    q = "疫情期间埃及点亮了哪些地标建筑来声援中国？"
    assert not states_kind_asked(q, ["塞西表示，埃方感谢中方提供的支持和帮助。"])
    assert states_kind_asked(q, ["埃及点亮金字塔等地标，为中国加油。"])
    assert not states_kind_asked("Which landmarks were lit up?", ["They voiced support."])


class _Shown:
    def __init__(self, text: str):
        self.text = text

    def shown(self) -> str:
        return self.text


def test_a_count_by_ge_needs_a_number_of_the_thing():
    """"…座谈会一共设了多少个分会场？" (dev d11-021, d20-032): "22个省区市所辖市…设分会场"
    counts provinces, not venues; a number of the thing in its clause counts it."""
    from rag.abstention import _thing_uncounted

    venues = "3月6日的决战决胜脱贫攻坚座谈会一共设了多少个分会场？"
    assert _thing_uncounted(venues, [_Shown("在中西部22个省区市所辖市（地、州、盟）、县（市、区、旗）设分会场。")])
    assert not _thing_uncounted(venues, [_Shown("全国共设分会场3000多个。")])
    provinces = "有多少个省份向中央签了脱贫攻坚责任书？"
    assert not _thing_uncounted(provinces, [_Shown("中西部22个向中央签了脱贫攻坚责任书的省份一直开到县级")])
    assert not _thing_uncounted("我方同多少个国家的外长通了电话？", [_Shown("同20多国外长通话")])
    # the thing named before ("贫困县里有多少个已经宣布摘帽？"), "哪几个方面" (which, not how many)
    assert not _thing_uncounted("832个贫困县里有多少个已经宣布摘帽？", [_Shown("已有601个宣布摘帽")])
    assert not _thing_uncounted("在哪几个方面的关怀要加强落实？", [_Shown("舒缓压力、生活保障")])
