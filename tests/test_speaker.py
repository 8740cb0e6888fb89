"""Whose words a question asks for and whose a passage gives (rag/speaker.py)."""

from __future__ import annotations

import pytest

from rag.speaker import OTHER, XI, asked_speaker, passage_speaker


@pytest.mark.parametrize("question, expected", [
    ("What did Xi tell Angela Merkel on March 25 about German experts?", XI),
    ("In his call with Putin, what did Xi say China had the confidence to do?", XI),
    ("In his call with Trump, what short formula did Xi Jinping use to describe it?", XI),
    ("On what date did Xi speak by phone with Macron, telling him China had informed the WHO?",
     XI),
    ("What did Spanish Prime Minister Pedro Sanchez say China had done for Spain?", OTHER),
    ("What did the king thank Xi for regarding the G20 summit?", OTHER),
    ("According to King Salman, what aid had China provided?", OTHER),
    ("According to Xi's March 10 speech, what did the centre send?", None),
    ("What did he say about 5G in that speech?", None),  # "he" may be anyone
    ("What did the April 17 Politburo meeting say about exports?", None),
    ("How many medical teams were sent to Hubei?", None),
    ("习近平同波兰总统杜达通电话时提到，中方同哪些国家举行了视频会议？", XI),
    ("习近平在特别峰会上发言时，开头首先感谢了谁？", XI),
    ("3月16日同习近平通电话时，意大利总理孔特感谢中方什么？", OTHER),
    ("桑切斯在那次通话中说西班牙当时有多少确诊病例？", OTHER),
    ("3月19日通电话时，普京表示希望深化俄中之间的什么关系？", OTHER),
    ("4月17日中央政治局会议说“稳是大局”，还要做到哪两点？", None),
    ("那次讲话中他对食用野生动物是怎么说的？", None),
    # the asking clause's speaker, after a clause of Xi's words
    ("通电话时，习近平希望英方维护好在英中国公民的健康安全，约翰逊对此作出了什么回应？", OTHER),
    ("特朗普在通话中问了什么？", OTHER),
    ("那次通话中，对方说了什么？", OTHER),
    ("3月10日在武汉，习近平说了什么？", XI),
    ("在3月10日的讲话中，总书记说了什么？", None),  # not another speaker
    ("习近平在回信中说了什么？", XI),
    ("在那次会议上，会议强调了什么？", None),
    ("How did the other side respond?", OTHER),
    ("What did the other president thank China for?", OTHER),
    ("对方对此是怎么表态的？", OTHER),
    ("他在电话里还提到对方议会做了什么？", None),  # Xi's words about the other side
    ("那对方在华的人员呢，他怎么承诺的？", None),
    # one clause whose subject replies to what was said: the other side's words
    ("约翰逊对此是怎么回应的？", OTHER),
    ("习近平对此是怎么回应的？", None),
    ("会议对此作出了什么回应？", None),
    # Xi promising, after the call is named by the other side's name
    ("3月16日和意大利总理孔特通话时，习近平答应给意大利再派什么人去？", XI),
    # the other side mentioning, in the asking clause after Xi's call is named
    ("3月23日习近平同英国首相约翰逊通电话时，约翰逊提到中国今年要举办哪个公约的缔约方大会？", OTHER),
    ("讲话第二点提到了哪些措施？", None),  # a point of the speech, nobody's name
    # China speaks through Xi: not another side
    ("How much money did China say it had pledged to the WHO, according to Xi's call?", XI),
    ("How many tonnes of medical supplies did China ship to Indonesia?", None),
    # the speaker asked for, by role
    ("Which foreign leader told Xi on the phone that he completely agreed with Xi?", OTHER),
    ("Who told Xi that the whole world had witnessed China's medical system?", OTHER),
    ("Who chaired the meeting?", None),
    ("Did Trump say anything about China's experience in that call?", OTHER),  # "Did" opening
    # offering, pledging, suggesting say something too (dev d10c08.2: Putin's words came first)
    ("What did Xi offer to share with Russia and other countries on that call?", XI),
    ("What did Xi suggest big cities could do?", XI),
    # "he" after a clause naming Xi's call is Xi (dev d11-008: Conte's words ranked first)
    ("When Xi spoke with Italian Prime Minister Conte, what did he say China would send to Italy?", XI),
    ("On the March 23 call with Boris Johnson, what did Xi predict would happen?", XI),
    ("When Conte called, what did he say?", None),
    # "he" of any verb of the clause after a frame naming Xi's piece (fresh chat d56c08.1: Li
    # Keqiang's instruction came first)
    ("In Xi Jinping's April 2020 instruction on work safety, what saying did he use to stress "
     "that human life comes first?", XI),
    # judging is saying too (fresh chat d46c09: Xi's words came first)
    ("And how did the Indonesian president rate China's own results against the epidemic?", OTHER),
    ("What rate did the meeting set?", None),
    # "Back to Xi - what did he say…" after the other side's words (d51c02.3: the king's first)
    ("Back to Xi - what did he say came out of the summit the day before?", XI),
    ("And Xi, what did he tell them?", XI),
    ("And Xi, where did he go?", None),
    # someone's stand on a thing ("X对Y是怎么表态的": d50-018, Xi's words answered it)
    ("2月13日通电话时，马来西亚总理马哈蒂尔对中方抗疫是怎么表态的？", OTHER),
    # the person chairing, summing up (fresh chat d52c06.2: the chair's words, "李克强在主持会议时
    # 表示，…全面总结了…", not the line naming him)
    ("And how did the person chairing it sum up his speech?", OTHER),
    ("How did the chairman summarize the meeting?", OTHER),
    # bringing something up is saying it (fresh chat d54c02.1: Merkel's words came first)
    ("During his call with Merkel, what upcoming meeting did Xi Jinping bring up?", XI),
    # Xi is "he": "she" saying is the other side (fresh chat d54c02.2)
    ("What did she say those countries ought to do?", OTHER),
    ("她在电话里是怎么说的？", OTHER),
    ("What did he say those countries ought to do?", None),
])
def test_asked_speaker(question, expected):
    assert asked_speaker(question) == expected


def test_passage_speaker_reads_only_an_opening_that_names_the_speaker():
    assert passage_speaker("默克尔表示，德方主张基于事实，通过国际合作共同应对疫情。") == OTHER
    assert passage_speaker("根哥布在贺电中表示，纳政府和人民赞赏中方。") == OTHER
    # a name written with a dash between its parts
    assert passage_speaker("迪亚斯—卡内尔表示，古方坚定支持中方抗击疫情。") == OTHER
    assert passage_speaker("习近平指出，病毒不分国界。") == XI
    assert passage_speaker("会议强调，要抓实安全风险防范各项工作。") is None
    assert passage_speaker("对我们来说，这是一次大考。") is None
    assert passage_speaker("中国人民的艰苦努力为世界各国防控疫情争取了宝贵时间。") is None
    # turning to the other: seen in the browser, "对方在通话中怎么说？" found this and abstained
    assert passage_speaker("特朗普向习近平详细询问了中方有关疫情防控举措，表示……") == OTHER
    assert passage_speaker("习近平向特朗普介绍了中方防控举措。") == XI
    assert passage_speaker("要向人民群众介绍疫情防控情况。") is None
    # another speaker after their offices, instructing (fresh chat d56c08.1)
    assert passage_speaker("中共中央政治局常委、国务院总理李克强作出批示指出，当前，安全生产意识和工作"
                           "丝毫不能放松。") == OTHER


def test_someone_named_saying_inside_another_s_sentence():
    """"…，文在寅总统特别强调中国的困难就是韩国的困难。" in Xi's message reports Moon's words (fresh
    batch d56); a sentence only naming him does not, nor does an opening "对我们来说，"."""
    from rag.speaker import other_speaker_opening, says_within

    assert says_within("韩国各界表达慰问，文在寅总统特别强调中国的困难就是韩国的困难。", "文在寅")
    assert not says_within("习近平同韩国总统文在寅互致信函。", "文在寅")
    assert other_speaker_opening("对我们来说，这是一次大考。") is None
    assert other_speaker_opening("李克强在主持会议时表示，要抓好落实。") == "李克强在主持会议时表示"


def test_the_other_side_s_reply_needs_their_words_first():
    """"国王收到这封慰问电后是怎么回复的？" over a condolence message whose reply the documents never
    give: the first passage must have a sentence of theirs ("约翰逊表示，…")."""
    from rag.abstention import _answer_missing
    from rag.speaker import asks_other_reply, gives_other_words
    from rag.types import Chunk, Hit

    for asked in ("国王收到这封慰问电后是怎么回复的？", "对方在电话里是怎么回应的？",
                  "And what did Hun Sen say back to him?",
                  "What did the prime minister say to Xi in reply during that meeting?",
                  # someone named replying, Xi in the clause after (fresh batch d56)
                  "How did King Philippe of Belgium reply when Xi asked Belgium to ensure the "
                  "safety of Chinese students there?"):
        assert asks_other_reply(asked), asked
    for other in ("习近平是怎么回复的？", "When did Xi write back to Bill Gates?",
                  "How did Xi reply to the letter?",
                  "In his reply to Bill Gates, what did Xi call the most powerful weapon?"):
        assert not asks_other_reply(other), other
    theirs = "中方的支持令人感动。约翰逊表示，英方感谢中方提供的宝贵支持和帮助。"
    assert gives_other_words(theirs)
    assert not gives_other_words("习近平指出，中方愿同英方加强合作。")

    def hit(text):
        return Hit(Chunk(source="a.txt", text=text, title="通话", section=None, attribution=None,
                         line_start=1, line_end=1, char_start=0, char_end=len(text), key=text),
                   score=1.0)

    asked = "约翰逊对此是怎么回应的？"
    assert _answer_missing(asked, [hit("习近平指出，中方愿同英方加强合作。")], 0.0, (), False)
    assert not _answer_missing(asked, [hit(theirs)], 0.0, (), False)


def test_writing_back_to_someone_named_is_no_reply_of_the_other_side():
    """"When did he write back to the community workers?" asks of Xi's reply to them (seen in
    the browser: abstained on, its first passage giving no words of another speaker)."""
    from rag.speaker import asks_other_reply

    assert not asks_other_reply("And when did he write back to the community workers there?")
    assert asks_other_reply("What did Gates write back to him?")
    assert asks_other_reply("Did the king write back?")


def test_the_speech_of_someone_else_at_a_meeting_is_asked():
    """"那位兰考县委书记在发言里具体讲了些什么？" (asked in six chats): the reports name who spoke
    ("河南兰考县委书记蔡松涛…作视频发言") and give Xi's 讲话, not the others' words."""
    from rag.speaker import asks_speech_content

    assert asks_speech_content("那位兰考县委书记在发言里具体讲了些什么？")
    assert asks_speech_content("全国安全生产电视电话会议上，天津负责同志交流发言的主要内容是什么？")
    assert asks_speech_content("What did that first speaker actually say in his remarks?")
    assert asks_speech_content("What did that county secretary say in his speech?")
    # a comma between who spoke and what is asked (fresh chat d42c07.2)
    assert asks_speech_content("那次座谈会上怒江州的同志发言，具体讲了些什么内容？")
    assert not asks_speech_content("会上通过视频发言的河南兰考县委书记叫什么名字？")  # who, not what
    assert not asks_speech_content("习近平在二十国集团领导人特别峰会上的发言讲了什么？")  # Xi's own
    assert not asks_speech_content("What did Xi say in his speech?")
    # those who spoke, by what they did (d61c05.3), not anyone who "spoke with" Xi
    assert asks_speech_content("And what did the five local officials who spoke before him "
                               "actually say?")
    assert not asks_speech_content("What did the official who spoke with Xi look after?")


def test_the_other_side_an_excerpt_is_with():
    """An excerpt's attribution names the other side of its call, talk or message, by name and
    by country and office; a question naming either names it (rag/retrieval.py ranks the
    excerpts of another side below), not one naming the country alone ("中国向世界卫生组织捐款
    多少？" is no question about the letter to its director-general: dev q013)."""
    from rag.speaker import names_partner, partner_of

    saudi = partner_of("——3月27日，习近平同沙特国王萨勒曼通电话")
    assert saudi == ("萨勒曼", "沙特国王")
    assert partner_of("——3月14日，习近平就新冠肺炎疫情向欧洲理事会主席米歇尔和欧盟委员会主席冯德莱恩致慰问电") \
        == ("米歇尔", "冯德莱恩", "欧洲理事会主席", "欧盟委员会主席")
    assert partner_of("——3月10日，习近平在湖北省考察新冠肺炎疫情防控工作") == ()
    assert partner_of(None) == ()
    assert names_partner("习近平同萨勒曼通话时说了什么？", saudi)
    assert names_partner("习近平同沙特国王通话时说了什么？", saudi)
    assert names_partner("3月27日美国总统特朗普", partner_of("习近平同美国总统特朗普通电话"))  # English
    assert not names_partner("沙特向中方提供了多少批物资？", saudi)
    who = partner_of("习近平复信世界卫生组织总干事谭德塞")
    assert not names_partner("中国宣布向世界卫生组织捐款多少？", who)


def test_the_other_speaker_by_name_and_the_clause_naming_a_passage_s_speaker():
    from rag.speaker import other_speaker_words, speaker_clause

    assert other_speaker_words("According to Wang Yi, how many calls were answered?") == \
        ["wang", "yi"]
    assert other_speaker_words("What did Spanish Prime Minister Pedro Sanchez say?")[-2:] == \
        ["pedro", "sanchez"]
    assert other_speaker_words("What did the king say about the G20?") == []  # an office
    assert other_speaker_words("What did Xi say to Merkel?") == []
    assert speaker_clause("默克尔表示，中方的经验值得借鉴。") == "默克尔表示，"
    assert speaker_clause("中共中央政治局常委、国务院总理李克强作出批示指出，要…") == \
        "中共中央政治局常委、国务院总理李克强作出批示指出"
    assert speaker_clause("各驻外机构接打1万余通领保电话。") == ""


def test_what_a_named_speaker_said_in_their_speech_is_asked_of_their_speech():
    """d59-023: the documents report that Yang Fasen spoke at the symposium, not what he said."""
    from rag.speaker import asks_speech_content

    assert asks_speech_content("At the March 6 symposium, what figures did Yang Fasen, party "
                               "secretary of Hotan prefecture, report in his speech?")
    assert not asks_speech_content("What did Xi Jinping say in his speech about poverty?")


def test_a_task_to_be_responded_to_is_no_reply_asked():
    # "what did he say had to be responded to and defused…?" asks Xi's words (fresh batch
    # d63c03): a passive "be responded to" is a task, not the other side replying
    from rag.speaker import asks_other_reply

    assert not asks_other_reply("And at the port he visited on that trip, what did he say had to "
                                "be responded to and defused as other countries fought the epidemic?")
    assert asks_other_reply("How did the Cuban president respond?")


def test_whose_words_xi_quoted_are_not_xi_s_own():
    # "whose remark did Xi cite…?" asks another's words quoted in his speech ("联合国秘书长古特雷斯
    # 表示，…", fresh batch d63-017): no speaker is asked, so their passage is not held back
    assert asked_speaker("In his March 6 speech, whose remark did Xi cite that the strategy is "
                         "the only way?") is None
    assert asked_speaker("Whom did Xi quote on the poverty strategy?") is None
    assert asked_speaker("What did Xi say about the poverty strategy?") == XI


def test_a_judgement_asked_of_another_speaker_is_theirs():
    # "约翰逊对中国抗疫工作作了怎样的评价？" asks Johnson's words (fresh batch d65-035: Xi's side
    # of that call had been quoted), as "古特雷斯如何评价…" asks Guterres's; Xi's judgement is Xi's
    from rag.speaker import OTHER, asked_speaker, other_speaker_named

    question = "2020年2月18日习近平同英国首相约翰逊通电话时，约翰逊对中国抗疫工作作了怎样的评价？"
    assert asked_speaker(question) == OTHER and other_speaker_named(question) == "约翰逊"
    assert other_speaker_named("3月12日通电话时，古特雷斯如何评价中国的抗疫？") == "古特雷斯"
    assert other_speaker_named("习近平如何评价武汉人民？") == ""
