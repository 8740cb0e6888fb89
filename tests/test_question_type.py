

def test_english_count_names_the_thing_an_english_document_counts():
    from rag.question_type import english_count

    birds = english_count("How many shorebirds did the institute's team count in Baisha Bay?")
    assert birds.search("the team counted 18,900 shorebirds of 29 species")
    assert not birds.search("The average count was 212 particles per kilogram")
    jobs = english_count("How many new urban jobs should be created this year?")
    assert jobs.search("at least 11 million new urban jobs")
    assert english_count("What did the meeting decide?") is None


def test_a_text_written_in_english_states_counts_and_dates_in_english():
    from rag.question_type import COUNT, DATE, states

    assert states(COUNT, "the team counted 18,900 shorebirds") and states(COUNT, "two lectures")
    assert states(DATE, "On 25 October, Dr. Keller spoke") and states(DATE, "opened in 2023")
    assert not states(DATE, "The committee may decide") and not states(COUNT, "no figure here")
    assert not states(COUNT, "中国加油，武汉加油")  # Chinese text: its own patterns only


def test_a_year_or_the_two_countries_is_not_a_count():
    """"How many batches of aid did Saudi Arabia send?" over "提供了多批物资援助…维护好两国人民
    …（2020年3月27日同沙特国王萨勒曼通电话）": the call's year and "the two countries" count
    nothing, so the passage states no number and the question is not answered by it."""
    from rag.question_type import COUNT, states, unstated

    saudi = "沙特政府和各界纷纷伸出援手，向中方提供了多批物资援助，维护好两国人民生命安全。" \
            "（2020年3月27日同沙特国王萨勒曼通电话）"
    assert not states(COUNT, saudi)
    assert unstated("How many batches of aid supplies did Saudi Arabia send to China?", saudi)
    assert not states(COUNT, "2017年在太原召开")
    # what does count: years of time, ten thousands, shares, two of a thing
    assert states(COUNT, "脱贫攻坚已经5年") and states(COUNT, "2729万建档立卡贫困劳动力")
    assert states(COUNT, "三分之二左右的收入来自外出务工")
    assert not states(COUNT, "向两国提供援助")
    assert states(COUNT, "两支医疗队") and states(COUNT, "12,000吨")
    # measure words of trains, ships, buildings… ("412对" answered "how many pairs of trains"
    # only while the year beside it counted: foreign dev f-105)
    assert states(COUNT, "共安排开行旅客列车412对") and states(COUNT, "两艘游轮")
    # the G20 is a name, not twenty countries (d48c06.2: "How many members did that team
    # have?" answered by a quote attributed to "二十国集团领导人特别峰会")
    assert not states(COUNT, "在二十国集团领导人特别峰会上的发言") and states(COUNT, "二十国领导人")


def test_those_days_and_these_years_name_a_time_not_a_count():
    """"去浙江那几天，…是什么景象？" asks no number: read as a count, its answer (a description)
    stated none and the question was abstained on."""
    from rag.question_type import COUNT, asked_kinds

    assert COUNT not in asked_kinds("3月底习近平去浙江那几天，报道里说浙江大地是什么景象？")
    assert COUNT not in asked_kinds("这几年扶贫小额信贷发挥了什么作用？")
    assert COUNT not in asked_kinds("前几天他在哪里考察？")
    assert COUNT in asked_kinds("一共派出了几支医疗队？")
    # "exact time" asks a time of day (fresh batch d57: "2月14日下午" is none)
    from rag.question_type import TIME
    assert TIME in asked_kinds("At what exact time did the twelfth meeting begin on February 14?")
    assert TIME not in asked_kinds("Within what time span must the work be done?")
    assert COUNT in asked_kinds("这次会议开了几天？")
    # "在哪位国家元首主持下举行" asks who chaired it, not where (d61-013 was abstained on for
    # naming no venue)
    from rag.question_type import PERSON, PLACE
    chaired = asked_kinds("特别峰会是在哪位国家元首主持下举行的？")
    assert PLACE not in chaired and PERSON in chaired
    assert PLACE in asked_kinds("特别峰会是在哪里举行的？")
    # which leader, by office (d59-004): the answer leads with the call its attribution names
    assert PERSON in asked_kinds("Which Cuban leader did Xi Jinping talk with by phone on 28 February?")
    assert PERSON in asked_kinds("Which foreign head of state visited China first?")
    assert PERSON not in asked_kinds("Which measures did the leaders agree on?")


def test_what_place_asks_a_place():
    """"植树点在什么地方？" asks a place as "在哪里" does."""
    from rag.question_type import PLACE, asked_kinds

    assert PLACE in asked_kinds("习近平4月3日参加首都义务植树活动，植树点在什么地方？")
    assert PLACE in asked_kinds("习近平是在什么地点会见他的？")
    assert PLACE not in asked_kinds("这次会议提出了什么要求？")


def test_a_measure_word_asked_needs_a_number_of_it():
    """"种了多少棵树？" is answered only by a number of 棵 (or 株); the documents' own measure
    words for the same things count too ("多少条要求" -> "8点要求")."""
    from rag.question_type import counted_measure

    trees = counted_measure("4月3日首都义务植树活动中，领导人一共种了多少棵树？")
    assert trees.search("共植树100株") and not trees.search("面积约320亩，10时30分许")
    assert counted_measure("围绕有序复工复产一共提了多少条要求？").search("提出8点要求")
    assert counted_measure("中方答应送多少只口罩？").search("200万个口罩")
    # no measure word, a universal one, a rank or a time: nothing to require
    for q in ("一共帮了多少人？", "有多少个省份签了责任书？", "他是第几位访华的外国元首？",
              "每天几点能下楼扔垃圾？", "这个理念提出多少年了？"):
        assert counted_measure(q) is None, q


def test_a_name_asked_by_role_needs_someone_named_in_that_role():
    """"山庄主人叫什么名字？" is answered by "…县委书记蔡松涛"-like text: a name right after the
    role, not "山庄主人热情将总书记迎进院内"."""
    from rag.question_type import english_name_role_words, name_asked, states_name

    assert name_asked("余村春林山庄的主人叫什么名字？") == "主人"
    assert name_asked("作视频发言的河南兰考县委书记叫什么？") == "书记"
    assert name_asked("办起来的第一家民宿叫什么？") is None  # a thing's name
    assert name_asked("城市森林公园叫什么名字？") is None
    # "都叫什么名字", "分别叫什么" (fresh chat d30: the community workers' names were answered)
    assert name_asked("在东湖新城社区跟他座谈的社区工作者都叫什么名字？") == "作者"
    assert name_asked("这两位医生分别叫什么？") == "医生"
    assert states_name("书记", "云南怒江州委书记纳云德、河南兰考县委书记蔡松涛作了视频发言。")
    assert states_name("省长", "在浙江省委书记车俊和省长袁家军陪同下")
    assert not states_name("主人", "山庄主人热情将总书记迎进院内。")
    assert not states_name("支书", "习近平同老村支书和返乡创业村民围坐在一起拉家常。")
    # who someone in a role was ("省长是谁？", fresh batch d43), not who chaired ("主持人是谁？",
    # read by role_verb), not another kind of person ("致慰问电的对象是谁？", "哪位外国领导人")
    assert name_asked("3月10日讲话提到的湖北省委和省政府，当时的湖北省省长是谁？") == "省长"
    assert name_asked("和习近平一起植树的北京市负责同志是谁？") == "负责同志"
    assert name_asked("湖北省委和省政府是以哪位同志为班长？") is None  # "应勇同志": name first
    assert name_asked("3月6日那场座谈会，主持人是谁？") is None
    assert name_asked("慰问电的对象是谁？") is None
    assert name_asked("哪位外国领导人在通电话时说了这句话？") is None
    assert states_name("作者", "来源：《求是》2020/05 作者：王 毅")
    assert states_name("记者", "（记者吴晶、杨依军）")
    # a form's field ("Who is the legal representative of …?", foreign dev f-052)
    assert states_name("法定代表人", "住所（住址）：江宁市和平路318号\n法定代表人（负责人）：钱国栋\n当事人")
    assert not states_name("负责同志", "随后同北京市、国家林业和草原局负责同志以及首都干部群众一起")
    role = lambda question: english_name_role_words(question)[-1:]  # noqa: E731  (its last word)
    assert role("What was the name of the dock worker Xi chatted with?") == ["worker"]
    assert role("What is the name of the old village party secretary?") == ["secretary"]
    assert role("What was the name of the guesthouse where he sat?") == []
    assert role("He was welcomed by its owner. What is the owner's name?") == ["owner"]
    assert role("What's that official's full name?") == ["official"]
    assert role("What is the company's name?") == []
    # "that man's name": the role the question gave before (fresh chat d32)
    asked = ("The next day he visited a village and chatted with its former Party secretary. "
             "What is that man's name?")
    assert english_name_role_words(asked) == ["former", "party", "secretary"]
    assert english_name_role_words("What is that man's name?") == ["man"]
    # who held a role ("Who was the governor of Hubei…?", seen in the browser), not a head of
    # anything ("the head of the WHO": 总干事) nor someone picked out by a deed
    assert role("Who was the governor of Hubei province at the time of Xi's visit?") == ["governor"]
    assert role("Who was the head of the expert team?") == []
    assert role("Who is the legal representative of the company?") == []
    assert role("Who was the first foreign leader to visit China?") == []
    # each of several ("the names of the German experts", fresh batch d46)
    assert role("What were the names of the German experts who came to China?") == ["expert"]

    from rag.translate import Dictionary

    asked = "What was the name of the old village party secretary Xi chatted with in Yucun?"
    assert english_name_role_words(asked) == ["old", "village", "party", "secretary"]
    table = {"village party secretary": ["村支书"], "party secretary": ["书记", "省委书记"],
             "secretary": ["书记", "秘书"], "worker": ["工人"]}
    dictionary = Dictionary(table)
    # the longest ending the table has: not any 书记 ("浙江省委书记车俊" names another)
    assert dictionary.name_roles(english_name_role_words(asked)) == ("村支书",)
    assert dictionary.name_roles(["port", "worker"]) == ("工人",)
    assert dictionary.name_roles([]) == ()


def test_a_day_of_a_named_month_is_a_date_asked():
    """"具体是在4月几日作出的？" asks a day (fresh batch d46: the instruction is dated 近日 only)."""
    from rag.question_type import DATE, asked_kinds, states_own_date

    assert DATE in asked_kinds("习近平关于安全生产的那次重要指示，具体是在4月几日作出的？")
    assert not states_own_date("具体是在4月几日作出的？", "近日就安全生产作出重要指示")
    assert states_own_date("具体是在4月几日作出的？", "4月8日就安全生产作出重要指示")


def test_a_figure_or_an_amount_asked_is_a_count_asked():
    """"It also called for raising the deficit ratio — to what figure exactly?" (d59c06.3)."""
    from rag.question_type import COUNT, asked_kinds

    for question in ("It also called for raising the deficit ratio — to what figure exactly?",
                     "What amount did China donate to the WHO?", "What total was given?"):
        assert COUNT in asked_kinds(question), question


def test_a_date_asked_with_an_adjective_is_a_date_asked():
    """"What full date (year, month and day) is written at the end of…?" (d58-023)."""
    from rag.question_type import DATE, asked_kinds

    for question in ("What full date is written at the end of the letter?",
                     "Which exact day did they speak?", "What was its precise date?"):
        assert DATE in asked_kinds(question), question
    assert DATE not in asked_kinds("What full report did they write?")
    assert DATE in asked_kinds("这次普查具体从哪一个月开始入户登记？")  # d59-032


def test_a_day_of_the_lunar_calendar_states_the_day_asked():
    """"…他是在哪一天主持召开中央政治局常委会会议…？" (d53-028) is answered by "大年初一，我
    主持召开中央政治局常委会会议": a day, though no day of a month."""
    from rag.question_type import states_day_asked

    asked = "据习近平2月23日讲话回顾，他是在哪一天主持召开中央政治局常委会会议的？"
    assert states_day_asked(asked, "大年初一，我主持召开中央政治局常委会会议")
    assert states_day_asked(asked, "正月初一，我再次主持召开中央政治局常委会会议")
    assert not states_day_asked(asked, "我主持召开中央政治局常委会会议")


def test_how_long_and_what_share_need_a_duration_and_a_share():
    from rag.question_type import figure_asked

    long = figure_asked("4月10日的全国安全生产电视电话会议一共开了多长时间？")
    assert long.search("24小时内完成") and long.search("经过数月艰苦努力") and \
        long.search("经过2个多月艰苦努力") and long.search("实施14天集中隔离")
    assert not long.search("4月10日召开全国安全生产电视电话会议") and not long.search("2020年3月")
    share = figure_asked("这家企业的复工率达到了多少？")
    assert share.search("占46%") and share.search("三分之二以上") and not share.search("复工复产")
    assert figure_asked("How long did that call last?") is not None
    # what was said about how long something lasts is what was said (fresh batch d32)
    assert figure_asked("What did Xi say about how long the epidemic would last?") is None
    assert figure_asked("What share of them were elderly?") is not None
    # four words before "rate" (fresh batch d46)
    assert figure_asked("What first-quarter urban surveyed unemployment rate was cited?") is not None
    assert figure_asked("他对疫情防控多久作一次指示？") is None  # how often, not how long
    # days counted are a duration ("具体增加多少天？", d60-039), "前几天" none
    days = figure_asked("将来要增加带薪休假时间，具体增加多少天？")
    assert days.search("实施14天集中隔离") and not days.search("前几天，我就此特地强调")
    assert figure_asked("哪几天他在浙江考察？") is None
    assert figure_asked("没考过，要等几天才能再考？") is None  # "可在7日后补考" (foreign f-259)
    assert figure_asked("要提高哪两个率？") is None
    money = figure_asked("How much did those charter flights cost?")
    assert money.search("向世卫组织捐款2000万美元") and money.search("$20 million") and \
        money.search("20 million dollars") and not money.search("派出十余架次包机")
    assert figure_asked("这些物资一共值多少钱？") is not None
    assert figure_asked("韩方捐助的物资总价值是多少？") is not None
    assert figure_asked("How much money had the foundation committed?") is not None
    assert figure_asked("What was the total value of the supplies?") is not None
    # "a yuan figure" (fresh chat d67c03.3: the wild-game industry's size, "规模庞大")
    assert figure_asked("Did he put a yuan figure on its size?") is money
    assert figure_asked("How many yuan did the county spend on it?") is money
    assert figure_asked("What figure did he give for its size?") is None
    assert figure_asked("How much medical supplies did China send?") is None  # a quantity
    # an income or a wage is a sum of money (d49-038); its growth is a change
    income = figure_asked("习近平3月30日考察余村时，余村2019年的村民人均收入是多少？")
    assert income.search("人均收入4.9万元") and not income.search("2005年8月15日")
    assert figure_asked("What was the village's per capita income in 2019?") is income
    assert figure_asked("2019年农村居民收入增长多少？") is not income


def test_by_how_much_something_changed_needs_a_change_stated():
    """"那次会议说城乡低保标准具体要提高多少？" (fresh chat d42c10.2): the report says "适当提高
    城乡低保…标准", a change without a figure; a date's digits ("4月8日") state none either.
    "What deficit-to-GDP ratio did the meeting set?" (d42-037) asks a share ("提高赤字率")."""
    from rag.question_type import figure_asked

    change = figure_asked("那次会议说城乡低保标准具体要提高多少？")
    assert change.search("年均增长9.7%") and change.search("高2.2个百分点") and \
        change.search("增加200亿元") and change.search("翻一番")
    assert not change.search("适当提高城乡低保、抚恤补助等保障标准") and not change.search("4月8日")
    assert figure_asked("2020年一季度我国国内生产总值同比下降了多少？") is change
    assert figure_asked("By how much did cargo throughput at the port fall?") is change
    assert figure_asked("How much did the cure rate rise?") is change
    assert figure_asked("要提高多少人的待遇？") is None  # a number of people, counted_thing's
    assert figure_asked("What did the meeting say about raising the deficit ratio?") is None
    rate = figure_asked("What deficit-to-GDP ratio did the 17 April Politburo meeting set for 2020?")
    assert rate.search("赤字率3.6%") and not rate.search("适当提高赤字率")


def test_the_date_of_a_letter_to_him_is_not_the_date_of_his_reply():
    """"社区工作者给习近平的来信是哪天写的？" asks the letter's day: the reply's sign-off
    ("习近平2020年4月8日") and attribution date the reply. A passage reporting the letter in its
    own words may give it ("3月17日，谭德塞致函国家主席习近平")."""
    from rag.abstention import _told_date_unstated
    from rag.question_type import asks_letter_date
    from rag.types import Chunk, Hit

    for asked in ("武汉东湖新城社区全体社区工作者给习近平的来信是哪天写的？",
                  "这些党员的来信是哪天寄出的？", "When did they write their letter to him?",
                  "And on what date had Gates sent the letter Xi was answering?",
                  "On what date did the community workers send their letter to Xi?",
                  "On what date did the community workers write the letter that Xi answered?",
                  "When was the letter Xi replied to written?"):  # d36-036
        assert asks_letter_date(asked), asked
    for other in ("习近平是哪天给比尔·盖茨回信的？", "When did Xi write back to Bill Gates?",
                  "When did Xi reply to the letter?",
                  "这封信是哪天写的？", "When did Xi write to the community workers?",
                  "社区工作者在信里说了什么？"):
        assert not asks_letter_date(other), other

    def hit(text, signed=""):
        return Hit(Chunk(source="a.txt", text=text, title="回信", section=None,
                         attribution="（2020年4月8日给社区工作者的回信）", line_start=1,
                         line_end=1, char_start=0, char_end=len(text), key=text), score=1.0,
                   signed=signed)

    reply = hit("武汉东湖新城社区全体社区工作者：你们好，来信收悉。", "习近平2020年4月8日")
    report = hit("3月17日，谭德塞致函国家主席习近平，表示赞赏。")
    asked = "社区工作者给习近平的来信是哪天写的？"
    assert _told_date_unstated(asked, [reply, report])
    assert not _told_date_unstated("When did Tedros write to Xi?", [report, reply])
    assert not _told_date_unstated("习近平是哪天回信的？", [reply])


def test_the_date_of_something_a_speech_tells_of_is_not_the_speech_s():
    """"他提到的2019年重庆那次座谈会具体是哪天开的？" asks a day the speech's attribution does not
    give (it dates the speech): the passage itself must, and a year is no day."""
    from rag.abstention import _told_date_unstated
    from rag.question_type import asks_mentioned_date
    from rag.types import Chunk, Hit

    asked = "他提到的2019年重庆那次座谈会具体是哪天开的？"
    assert asks_mentioned_date(asked)
    assert asks_mentioned_date("他说已经就野生动物问题作过批示，那份批示是哪天作出的？")
    assert not asks_mentioned_date("这次座谈会是哪天开的？")
    assert not asks_mentioned_date("他提到的座谈会讨论了什么？")
    # the words of someone the speech quotes (fresh chat d55c07.3); not the speaker's own
    assert asks_mentioned_date("那位秘书长是在什么时候、什么场合说这番话的？")
    assert not asks_mentioned_date("他是在什么时候说这番话的？")

    def hit(text):
        return Hit(Chunk(source="a.txt", text=text, title="讲话", section=None,
                         attribution="——3月6日，习近平在座谈会上的讲话", line_start=1,
                         line_end=1, char_start=0, char_end=len(text), key=text), score=1.0)

    assert _told_date_unstated(asked, [hit("2019年在重庆召开解决突出问题座谈会。")])
    assert not _told_date_unstated(asked, [hit("2019年4月16日在重庆召开座谈会。")])
    # a visit told of by a relative day: the attribution dates the speech, not the visit
    visit = "On what date did Xi visit the Academy of Military Medical Sciences?"
    told = hit("前几天，我在军事医学研究院和清华大学医学院考察调研时提出，防控有两条战线。")
    assert _told_date_unstated(visit, [told])
    assert _told_date_unstated("习近平到军事医学研究院考察调研，具体是哪一天？", [told])
    assert not _told_date_unstated("他在那里提出了什么？", [told])
    assert not _told_date_unstated(visit, [hit("3月2日，习近平在军事医学研究院考察调研。")])


def test_the_who_is_an_organisation_not_a_person_asked():
    from rag.compose import asks_what_was_said
    from rag.question_type import PERSON, asked_kinds

    assert PERSON not in asked_kinds("How much money did China give the WHO?")
    assert PERSON in asked_kinds("Who chaired it?") and PERSON in asked_kinds("who chaired it?")
    assert asks_what_was_said("What did Xi say the WHO should do?")


def test_which_items_is_no_count_and_people_after_a_clause_are_counted_as_people():
    """"具体提了哪几项举措？" asks which, not how many; "多少被困在国外的湖北人" counts people,
    as the text does ("1300余名滞留海外的湖北兄弟姐妹"); a region the text spells out as
    countries ("东南亚") is no unknown name."""
    from rag.abstention import gather
    from rag.question_type import COUNT, asked_kinds, counted_thing

    assert COUNT not in asked_kinds("为了让财政政策更积极有为，具体提了哪几项举措？")
    assert COUNT in asked_kinds("一共提了几项举措？")
    people = counted_thing("外交部门一共接回了多少被困在国外的湖北人？")
    assert people.search("将1300余名滞留海外的湖北兄弟姐妹接回家")
    assert not people.search("派出十余架次包机")
    assert gather("从东南亚和日本等地接回了多少人？", [], {"日本"}).unknown_names == ()
    assert gather("从缅甸接回了多少人？", [], {"日本"}).unknown_names == ("缅甸",)


def test_quoted_words_are_no_part_of_the_thing_counted():
    from rag.question_type import counted_measure, counted_thing

    q = "北京大学援鄂医疗队中共有多少名“90后”党员？"
    assert counted_thing(q).search("共有58名党员") and counted_measure(q) is not None
    # an ordinal counts nothing: "摆在第一位" for "…党员，具体是多少位？" (fresh batch d30)
    alone = counted_thing("北大援鄂医疗队里联名给总书记写信的“90后”党员，具体是多少位？")
    assert not alone.search("把医疗救治工作摆在第一位") and alone.search("共有104位党员")
    assert not counted_measure(q).search("第12名")
    # "2月几号召开的？" asks a day, not a number of 号召 (fresh batch d32: abstained on, answer first)
    assert counted_thing("中央深改委第十二次会议是在2月几号召开的？") is None


def test_a_saying_asked_is_answered_by_the_saying():
    from rag.compose import best_sentence
    from rag.question_type import asks_saying, is_saying

    assert asks_saying("习近平引用哪句古语来说明医务人员是战胜疫情的中坚力量？")
    assert asks_saying("Which classical line about heroes did he quote?")
    assert asks_saying("那篇评论最后引了哪两句诗来收尾？")
    assert not asks_saying("习近平说了什么？")
    assert is_saying("“用药如用兵，用医如用将。”") and is_saying("疾风知劲草，板荡识诚臣。")
    assert not is_saying("医务人员是战胜疫情的中坚力量，务必高度重视对他们的保护、关心、爱护。")
    sentences = ["第三，科学调配医疗力量和重要物资。", "“用药如用兵，用医如用将。”",
                 "医务人员是战胜疫情的中坚力量，务必高度重视对他们的保护、关心、爱护。"]
    tokens = ["习近平", "古语", "医务人员", "战胜", "疫情", "中坚力量"]
    assert best_sentence(sentences, tokens) == sentences[2]
    assert best_sentence(sentences, tokens, saying=True) == sentences[1]


def test_a_measure_word_outside_the_asking_clause_asks_no_count():
    """"开过的几次座谈会，2017年那次是在哪座城市开的？": "几次" is "the several" (seen on the fresh
    batch d16: the question was abstained on with its answer first)."""
    from rag.question_type import counted_measure

    assert counted_measure("习近平回顾2015年以来开过的几次脱贫攻坚专题座谈会，"
                           "2017年那次是在哪座城市开的、主题是什么？") is None
    assert counted_measure("4月3日首都义务植树活动中，领导人一共种了多少棵树？") is not None
    from rag.question_type import counted_thing

    assert counted_thing("习近平回顾2015年以来开过的几次脱贫攻坚专题座谈会，"
                         "2017年那次是在哪座城市开的、主题是什么？") is None


def test_a_thing_counted_in_another_measure_word_is_counted():
    """"2015年以来他就打赢脱贫攻坚战一共召开过几次专题会议？" is answered by "召开了7个专题会议"
    (seen on the fresh batch d25: abstained on with that passage first): with the thing named
    right after it, "个" counts it; without the thing, "N个" alone is no number of 次."""
    from rag.abstention import _measure_unstated
    from rag.question_type import counted_measure, counted_thing
    from rag.types import Chunk, Hit

    question = "2015年以来他就打赢脱贫攻坚战一共召开过几次专题会议？"
    text = "2015年以来，我就打赢脱贫攻坚战召开了7个专题会议。"
    assert counted_thing(question).search(text)
    assert not counted_measure(question).search(text)
    hit = Hit(Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), "k"), 1.0)
    assert not _measure_unstated(question, [hit])
    other = "会议研究了7个问题。"
    miss = Hit(Chunk("a.txt", other, "讲话", None, None, 1, 1, 0, len(other), "k"), 1.0)
    assert _measure_unstated(question, [miss])


def test_a_day_of_publishing_asked_needs_one_of_publishing():
    """"这篇评论是哪天发表的？" after a question on 人民论坛's commentary (fresh chat d53c05.2):
    the commentary tells of 3月4日's meeting but gives no day it was published."""
    from rag.question_type import states_publication_day

    asked = "这篇评论是哪天发表的？"
    assert not states_publication_day(asked, "在3月4日的中央政治局常委会会议上，习近平总书记强调…", None)
    assert states_publication_day(asked, "要加强科研攻关。",
                                  "——3月16日，习近平在《求是》杂志发表重要文章《为打赢疫情防控阻击战提供强大科技支撑》")
    assert states_publication_day("On what date was that article published?",
                                  "新华社北京4月10日电 全国安全生产电视电话会议10日召开。", None)
    assert states_publication_day(asked, "3月16日出版的《求是》杂志发表了这篇文章。", None)
    # no publishing asked, or no day: nothing to say
    assert states_publication_day("这次会议是哪天开的？", "在3月4日的会议上", None)
    assert states_publication_day("这篇评论是什么时候发表的？", "在3月4日的会议上", None)


def test_the_members_of_a_counted_set_need_a_list_as_long():
    """"…集中隔离收治“四类人员”，这四类人员具体指哪些人？" (fresh batch d55): the passage naming
    the set lists none of its members; one listing three or more for "三个方面" answers."""
    from rag.abstention import _members_unlisted
    from rag.types import Chunk, Hit

    def hit(text: str) -> Hit:
        return Hit(Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), "k"), 1.0)

    asked = "习近平3月10日讲话提到湖北集中隔离收治“四类人员”，这四类人员具体指哪些人？"
    assert _members_unlisted(asked, [hit("控制传染源，集中隔离收治“四类人员”，千方百计建院增床。")])
    assert not _members_unlisted(asked, [hit("四类人员即确诊患者、疑似患者、发热患者和密切接触者。")])
    three = "这三个方面分别是什么？"
    assert not _members_unlisted(three, [hit("落实依法办理、舆论引导、社会面管控“三同步”。")])
    assert not _members_unlisted(three, [hit("一是扭住关键。二是关口前移。三是全覆盖。")])
    # "四道防线" counts with 道 (d60-033)
    assert _members_unlisted("严守“四道防线”，这四道防线具体分别是什么？",
                             [hit("对其他省份加强分类指导，严守“四道防线”。")])
    # a pair, or no members asked: nothing to say
    assert not _members_unlisted("两条战线分别是什么？", [hit("一条是疫情防控第一线。")])
    assert not _members_unlisted("四类人员有多少？", [hit("集中隔离收治“四类人员”。")])


def test_a_count_within_a_place_needs_a_passage_naming_it():
    """"…刘建平在发言中说赫章县还有多少贫困人口未脱贫？" (fresh batch d55): the nation's count
    ("全国还有52个贫困县未摘帽…") says nothing of 赫章县; a passage naming it may."""
    from rag.abstention import _counted_place_unnamed
    from rag.types import Chunk, Hit

    def hit(text: str) -> Hit:
        return Hit(Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), "k"), 1.0)

    asked = "3月6日座谈会上，贵州赫章县委书记刘建平在发言中说赫章县还有多少贫困人口未脱贫？"
    assert _counted_place_unnamed(asked, [hit("全国还有52个贫困县未摘帽、2707个贫困村未出列。")])
    assert not _counted_place_unnamed(asked, [hit("赫章县还有贫困人口1.5万人。")])
    # a generic place ("贫困县") or a place outside the clause that asks is no place asked
    assert not _counted_place_unnamed("全国832个贫困县里已经有多少个宣布摘帽？", [hit("已有601个宣布摘帽。")])
    assert not _counted_place_unnamed("习近平在武汉市考察时说，全国派了多少支医疗队？",
                                      [hit("调派340多支医疗队。")])


def test_a_count_of_one_place_of_a_list_sharing_a_number_is_unstated():
    """"王毅文章提到的包机撤侨中，从泰国接回了多少名湖北同胞？" (fresh batch d56): "从泰国、马来西亚、
    日本…等地将1300余名…接回家" gives the list's number, not Thailand's; a question listing the
    places itself asks that total."""
    from rag.abstention import _count_of_one_listed
    from rag.types import Chunk, Hit

    def hit(text: str) -> Hit:
        return Hit(Chunk("a.txt", text, "文章", None, None, 1, 1, 0, len(text), "k"), 1.0)

    listed = hit("派出十余架次包机，从泰国、马来西亚、日本等地将1300余名滞留海外的湖北兄弟姐妹接回家。")
    assert _count_of_one_listed("包机撤侨中，从泰国接回了多少名湖北同胞？", [listed])
    assert not _count_of_one_listed("外交部派包机从泰国、日本等地一共接回了多少名湖北同胞？", [listed])
    alone = hit("包机从泰国接回了200余名湖北同胞。")
    assert not _count_of_one_listed("包机撤侨中，从泰国接回了多少名湖北同胞？", [alone])
    assert not _count_of_one_listed("从泰国接回的同胞住在哪里？", [listed])  # no count asked


def test_a_part_of_a_total_the_question_gives_needs_another_number():
    """"…超过2000名医务人员确诊感染，其中以身殉职的医务人员具体有多少名？" (fresh batch d53):
    the passage stating the total and no part of it does not answer; one stating the part
    does; a passage telling of something else (its numbers count other things) is not read."""
    from rag.abstention import _only_the_total_given
    from rag.types import Chunk, Hit

    def hit(text: str) -> Hit:
        return Hit(Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), text[:8]), 1.0)

    asked = "2月23日讲话提到超过2000名医务人员确诊感染，其中以身殉职的医务人员具体有多少名？"
    total = hit("目前，已经有超过 2000 名医务人员确诊感染了新冠肺炎，有的医务人员以身殉职。")
    part = hit("超过2000名医务人员确诊感染，其中12名以身殉职。")
    assert _only_the_total_given(asked, [total])
    assert not _only_the_total_given(asked, [total, part])
    asked = "王毅文章说派出十余架次包机接回1300余名湖北同胞，其中从泰国接回的有多少人？"
    flights = hit("派出十余架次包机，从泰国、马来西亚等地将1300余名滞留海外的湖北兄弟姐妹接回家。")
    other = hit("尚在医学观察的密切接触者还有10832人，其中武汉6818人。")
    assert _only_the_total_given(asked, [other, flights])
    # no part asked ("其中"), or no passage telling of the total: nothing to say
    assert not _only_the_total_given("派出十余架次包机接回了多少人？", [flights])
    assert not _only_the_total_given(asked, [other])


def test_how_much_something_matters_is_no_amount_asked():
    """"…about how much Chinese students matter to the United States?" asks what was said,
    not a figure: read as a count, the first passage (stating none) was abstained on."""
    from rag.question_type import COUNT, asked_kinds

    assert COUNT not in asked_kinds(
        "What did Trump tell Xi about how much Chinese students matter to the United States?")
    assert COUNT not in asked_kinds("How much did the visit mean to the villagers?")
    assert COUNT in asked_kinds("How much money did the foundation commit?")
    assert COUNT in asked_kinds("How much did the supplies weigh?")


def test_a_city_asked_needs_a_city_named():
    """"在哪座城市同习近平会谈的？" over a speech that says only "来中国": no city, no answer."""
    from rag.question_type import states_city_asked

    asked = "蒙古国总统2月27日访华，是在哪座城市同习近平会谈的？"
    assert not states_city_asked(asked, "总统先生专程来中国表达慰问和支持。")
    assert not states_city_asked(asked, "上海合作组织发表声明，城市运转和市场供应正常。")
    assert states_city_asked(asked, "2016年在银川召开东西部扶贫协作座谈会")
    assert states_city_asked(asked, "习近平27日在京会见巴特图勒嘎")
    assert states_city_asked("In which city did they meet?", "They met in Vientiane on Thursday.")
    assert states_city_asked("他们在哪里会谈的？", "总统先生专程来中国")  # no city asked


def test_an_attribution_dates_its_own_event_not_one_the_passage_tells_of():
    """"On what date was the health experts' video conference held?" over a passage of a call
    ("——3月24日，习近平同波兰总统杜达通电话") that mentions the conference: the call's day is
    no answer. "这是哪天同约翰逊通电话时讲的？" asks the call's own day."""
    from rag.question_type import dates_another_event

    call = "——3月24日，习近平同波兰总统杜达通电话"
    told = "中方还同包括波兰在内的中东欧十七国举行了卫生专家视频会议。"
    assert dates_another_event("On what date was the health experts' video conference held?",
                               call, told)
    assert dates_another_event("卫生部长会议最终是哪天召开的？", call, told)
    assert not dates_another_event("When did Xi speak by phone with Duda?", call, told)
    assert not dates_another_event("这是哪天同杜达通电话时讲的？", call, told)
    article = "——4月1日，习近平在《求是》杂志发表文章《在湖北省考察新冠肺炎疫情防控工作时的讲话》"
    assert dates_another_event("On what date did Xi visit the academy?", article, "前几天，我在那里考察。")
    assert not dates_another_event("这篇讲话是哪天在《求是》上发表的？", article, told)
    assert not dates_another_event("On what date was it held?", call, "3月13日举行了会议。")
    assert not dates_another_event("What was agreed?", call, told)
    # a follow-up's evidence text leaves out what was discussed ("这次通话是哪天？" -> "是哪天"):
    # the event is read from the question as asked
    from rag.abstention import _told_date_unstated
    from rag.types import Chunk, Hit

    hit = Hit(Chunk(source="a.txt", text=told, title="通话", section=None, attribution=call,
                    line_start=1, line_end=1, char_start=0, char_end=len(told), key="a"),
              score=1.0)
    assert _told_date_unstated("是哪天？", [hit])
    assert not _told_date_unstated("是哪天？", [hit], asked="这次通话是哪天？")


def test_where_a_meeting_was_held_needs_a_venue_or_a_city():
    """"会谈是在哪里举行的？" over passages that name neither a venue nor a city: no answer."""
    from rag.question_type import states_venue_asked

    asked = "2月27日习近平同蒙古国总统的会谈是在哪里举行的？"
    assert not states_venue_asked(asked, ["总统先生专程来中国表达慰问。", "中蒙两国是友好邻邦。"])
    assert states_venue_asked(asked, ["总统先生专程来中国。", "习近平在人民大会堂同总统会谈。"])
    assert states_venue_asked("会议是哪天、在哪里召开的？", ["会议23日在北京召开。"])
    assert not states_venue_asked("Where was the health ministers' meeting held?", ["提议召开会议。"])
    assert states_venue_asked("特别外长会是在哪个国家举行的？", ["在老挝举行特别外长会"])  # a country
    assert states_venue_asked("他在哪里考察？", ["中蒙两国是友好邻邦。"])  # no meeting held
    # the place asked is not where they met: "about where the nation has come from"
    assert states_venue_asked("When Xi met Hun Sen, what did he say about where the Chinese "
                              "nation has come from?", ["中华民族是从艰难困苦中走过来的。"])
    assert not states_venue_asked("Where did Xi meet Tedros on 28 January?", ["中方欢迎世卫组织。"])
    # a city only mentioned is not where they met: where the experts went (fresh batch d30)
    tedros = "1月28日习近平是在哪里会见世卫组织总干事谭德塞的？"
    assert not states_venue_asked(tedros, ["世界卫生组织专家已赴武汉进行实地考察。"])
    assert states_venue_asked(tedros, ["习近平28日在北京会见世界卫生组织总干事谭德塞。"])
    assert states_venue_asked(tedros, ["会见在京举行。"])
    # the first passage saying where it was held, a country too ("Where did China hold…?")
    laos = "我们还接待柬埔寨首相洪森专程访华，在老挝举行中国—东盟关于新冠肺炎问题特别外长会。"
    assert states_venue_asked("Where did China hold the special foreign ministers' meeting?", [laos])
    assert not states_venue_asked(asked, ["总统先生专程来中国表达慰问。", laos])
    assert states_venue_asked("中国—东盟特别外长会是在哪儿开的？", [laos])
    assert not states_venue_asked(asked, [laos])  # held there: the ministers' meeting, not the talks
    # the same in English: the kind of event named is what was held (d36)
    battulga = "Where exactly were Xi's February 27 talks with Mongolian President Battulga held?"
    assert not states_venue_asked(battulga, [laos])
    assert states_venue_asked(battulga, ["双方在人民大会堂举行会谈。"])
    # "在北京哪个会场开的？": the city the question names is no answer, a hall is (fresh batch d25)
    hall = "3月6日的决战决胜脱贫攻坚座谈会具体是在北京哪个会场开的？"
    assert not states_venue_asked(hall, ["习近平6日在京出席决战决胜脱贫攻坚座谈会并发表重要讲话。"])
    assert states_venue_asked(hall, ["座谈会在人民大会堂举行。"])
    # "主会场设在哪个场所？" asks the hall: not the city the question names, not "设分会场" (d36)
    main = "4月10日全国安全生产电视电话会议在北京的主会场具体设在哪个场所？"
    assert not states_venue_asked(main, ["全国安全生产电视电话会议10日在北京召开，会议传达…",
                                         "座谈会在各省区市设分会场。"])
    assert states_venue_asked(main, ["会议在人民大会堂举行。"])


def test_how_many_took_part_needs_a_count_of_those_taking_part():
    """"How many people took part in the March 6 symposium?" over "…等5位同志作了发言" (asked in
    seven dev batches, never stated): a number of people, but of those who spoke. The count
    must stand beside the word for taking part, in Chinese or in an English document."""
    from rag.question_type import states_partakers_asked

    asked = "How many people took part in the March 6 poverty alleviation symposium?"
    assert not states_partakers_asked(asked, ["云南怒江州委书记纳云德…等5位同志作了发言。"])
    # a figure in the next clause counts something else (found in the browser)
    assert not states_partakers_asked(asked, ["这次座谈会是所有省区市主要负责同志都参加，中西部22个"
                                              "向中央签了脱贫攻坚责任书的省份一直开到县级。"])
    assert states_partakers_asked(asked, ["共有300多人参加座谈会。"])
    far = "4月3日在大兴参加义务植树的首都干部群众一共有多少人？"  # d19-030: 参加 well before
    assert not states_partakers_asked(far, ["习近平一下车，就拿起铁锹走向植树地点。"])
    zh = "这次座谈会一共有多少人参加？"
    assert not states_partakers_asked(zh, ["在京中共中央政治局委员参加植树活动。"])
    assert states_partakers_asked(zh, ["各地1万多名干部参加会议。"])
    units = "How many member units attended the leading group's second meeting?"  # foreign f-030
    assert states_partakers_asked(units, ["市税务局等21个成员单位主要负责同志参加会议。"])
    guests = "How many guests attended the opening ceremony?"
    assert states_partakers_asked(guests, ["The ceremony was attended by about 300 guests."])
    assert not states_partakers_asked(guests, ["The plant opened on 10 September."])
    study = "How many people will take part in the knee gel study?"  # foreign chat fc19.1
    assert states_partakers_asked(study, ["About 240 people will take part in this study."])
    assert states_partakers_asked("有哪几位常委出席？", ["…"])  # who, not how many


def test_the_country_whose_office_holder_an_english_question_names():
    """"What did Xi ask Japan's prime minister in their call?" was answered from the call with
    the British prime minister: the country is read, and the first passage must name it (it
    joins Translation.subjects)."""
    from rag.question_type import english_office_countries

    assert english_office_countries("What did Xi ask Japan's prime minister?") == [["japan"]]
    assert english_office_countries("What did Xi tell the President of South Korea?") == \
        [["south", "korea"]]
    assert english_office_countries("What did China's president say?") == []
    assert english_office_countries("What did Xi tell Italian Prime Minister Conte?") == []


def test_the_person_an_english_question_makes_its_subject_must_be_in_the_first_passage():
    """"What did Bill Gates write in the letter that Xi replied to?" over Xi's reply, which
    never names 比尔·盖茨 in its text: it tells what Xi wrote, not what Gates did."""
    from rag.abstention import gather
    from rag.question_type import english_subjects
    from rag.translate import Translation
    from rag.types import Chunk, Hit

    assert english_subjects("What did Bill Gates write in his letter?") == [["bill", "gates"]]
    assert english_subjects("Did Tedros write back again?") == [["tedros"]]
    assert english_subjects("What did Prime Minister Li Keqiang say?") == [["li", "keqiang"]]
    assert english_subjects("What did Xi tell Merkel?") == []
    assert english_subjects("How did Chinese diplomats help?") == []

    def hit(text, attribution=None):
        return Hit(Chunk(source="a.txt", text=text, title="回信", section=None,
                         attribution=attribution, line_start=1, line_end=1, char_start=0,
                         char_end=len(text), key=text), score=1.0)

    reply = hit("你在信中表示，盖茨基金会愿同中方加强合作。")
    gates = Translation([], [], subjects=(("比尔·盖茨", "盖茨"),))
    asked = "What did Bill Gates write in the letter?"
    assert not gather(asked, [reply], set(), translation=gates).unstated  # "盖茨" is named
    assert gather(asked, [hit("我赞赏基金会的善举。")], set(), translation=gates).unstated
    assert not gather(asked, [hit("我赞赏基金会的善举。", "（2020年2月20日给比尔·盖茨的回信）")],
                      set(), translation=gates).unstated  # named in its attribution


def test_a_day_asked_of_the_event_an_attribution_dates_is_answered_by_it():
    """"习近平跟古巴国家主席通电话是哪一天？" over a passage of that call: its attribution gives
    the day; not for "日本首相" over a call with "西班牙首相"."""
    from rag.abstention import attribution_answers
    from rag.question_type import dates_its_event
    from rag.types import Chunk, Hit

    call = "（2020年2月28日同古巴国家主席迪亚斯—卡内尔通电话）"
    assert dates_its_event("习近平跟古巴国家主席通电话是哪一天？", call)
    assert not dates_its_event("卫生部长会议是哪天召开的？", call)  # another kind of event
    assert not dates_its_event("通电话时他说了什么？", call)  # no day asked

    def hit(attribution):
        text = "我们采取了强有力的举措，保障各国在华人员健康和安全。"
        return Hit(Chunk(source="a.txt", text=text, title="通话", section=None,
                         attribution=attribution, line_start=1, line_end=1, char_start=0,
                         char_end=len(text), key="a"), score=1.0)

    assert attribution_answers("习近平跟古巴国家主席通电话是哪一天？", hit(call))
    assert not attribution_answers("习近平跟日本首相通电话是哪一天？",
                                   hit("（2020年3月17日同西班牙首相桑切斯通电话）"))
    assert not attribution_answers("On what date did Xi call Cuba's president?", hit(call))


def test_which_one_leads_needs_a_text_that_ranks():
    """"哪个省派去的人最多？" over a passage giving only the total is no answer (dev: two
    unanswerable follow-ups answered); "the most powerful weapon" asks what was said."""
    from rag.question_type import states_superlative_asked

    asked = "他说的那些援鄂医疗队员里，哪个省派去的人最多？"
    assert not states_superlative_asked(asked, "全国调集346支国家医疗队、4.26万名医务人员驰援湖北。")
    assert states_superlative_asked(asked, "其中江苏派出的医疗队员最多。")
    assert states_superlative_asked(asked, "江苏派出人数居首。")
    # another superlative ranks nothing of what is asked (d50-030)
    stranded = "这些人中滞留在哪个国家的最多？"
    assert not states_superlative_asked(stranded, "为18100余名中国公民提供帮助，成为外交战线最美“逆行者”。")
    assert not states_superlative_asked("Which province had the most of the counties still poor?",
                                        "还有52个贫困县未摘帽。")
    weapon = "What did Xi call the most powerful weapon in his letter to Bill Gates?"
    assert states_superlative_asked(weapon, "这是一场没有硝烟的战争。")  # asks what was said
    assert states_superlative_asked("他去了哪个村？", "习近平来到余村。")


def test_a_year_asked_needs_a_year_stated():
    """"专项整治三年行动从哪一年开始？" over a report that says only "10日" and "去年以来" (a near
    miss of fresh batch d30, answered): a year asked is stated as one ("2016年")."""
    from rag.question_type import states_year_asked

    asked = "安全生产专项整治三年行动从哪一年开始、到哪一年结束？"
    assert not states_year_asked(asked, "全国安全生产电视电话会议10日在北京召开。会议通报了去年以来的情况。")
    assert states_year_asked("他说自己早在哪一年就提出了揭榜挂帅？", "我在2016年就提出，关键核心技术攻关可以搞揭榜挂帅。")
    assert not states_year_asked("In what year did he first propose it?", "我就提出，可以搞揭榜挂帅。")
    assert states_year_asked("In what year was the station opened?", "The station opened in 1998.")
    assert states_year_asked("会议是哪天开的？", "会议10日召开。")  # a day asked, not a year
    assert states_year_asked("“哪一年”这个词出自哪里？", "出自某处。")  # quoted words ask nothing


def test_a_place_asked_is_lifted_where_the_passage_puts_someone_there():
    """"Where in Beijing did Xi … go to plant trees on April 3?": "来到北京市大兴区旧宫镇植树点"
    answers, "走向植树地点…同北京市、国家林业和草原局负责同志一起" names Beijing's officials, not a
    place (asked in three fresh batches; dev d11-024 rank 2 -> 1). "在哪些领域" asks no place."""
    from rag.question_type import PLACE, asked_kinds, reaches_place, type_match

    went = "上午10时30分许，党和国家领导人来到北京市大兴区旧宫镇植树点。"
    named = "习近平一下车，就拿起铁锹走向植树地点。随后同北京市、国家林业和草原局负责同志一起。"
    assert reaches_place(went) and not reaches_place(named)
    assert reaches_place("会议在北京召开。") and reaches_place("参赛物品到滨江公园游客中心领取。")
    assert type_match({PLACE}, named) == 1.0 and type_match({PLACE}, named, reached=True) == 0.0
    assert PLACE not in asked_kinds("中方愿同德方在哪些领域加强合作？")
    assert PLACE in asked_kinds("会议在哪里召开？")


def test_a_count_of_incidents_or_of_people_needs_that_count_stated():
    """"2019年全国一共发生了多少起安全生产事故？" and "How many people died in work-safety
    accidents in China in 2019…?" over "…实现“三个继续下降”" (near misses asked in four
    batches): 起 counts incidents, in figures ("一起" is "together"); people are counted with
    人, 名 or 位, before or after the figure."""
    from rag.question_type import counted_measure, unstated

    accidents = "习近平指出，从2019年的情况看，全国安全生产事故总量、较大事故和重特大事故实现“三个继续下降”。"
    zh = counted_measure("2019年全国一共发生了多少起安全生产事故？")
    assert not zh.search(accidents) and not zh.search("同北京市一起") and zh.search("发生较大事故120起")
    en = "How many people died in work-safety accidents in China in 2019?"
    assert unstated(en, accidents)
    assert not unstated(en, "全年事故死亡2.9万人。") and not unstated(en, "贫困人口减到551万，连续7年。")
    assert not unstated("How many registered poor workers were working away from home?",
                        "外出务工的建档立卡贫困劳动力2729万，占60%。")  # a labour force


def test_a_kind_of_thing_asked_needs_one_of_that_kind_named():
    """"Which airline operated those charter flights?" over "派出十余架次包机" (asked in three
    fresh batches, answered): the airline, building, company or hospital asked is named with its
    kind's word ("东方航空", "人民大会堂", "…有限公司", "火神山医院") in one of the passages."""
    from rag.question_type import states_kind_asked

    charter = "外交部门派出十余架次包机，接回湖北同胞。"
    assert not states_kind_asked("Which airline operated those charter flights?", [charter])
    assert not states_kind_asked("那些包机是哪家航空公司执飞的？", [charter])
    assert states_kind_asked("Which airline flew them?", [charter, "东方航空执飞包机。"])
    assert not states_kind_asked("In which building in Beijing did Xi receive Hun Sen?",
                                 ["习近平在北京会见柬埔寨首相洪森。"])
    assert states_kind_asked("In which building did Xi receive Hun Sen?",
                             ["习近平在人民大会堂会见洪森。"])
    assert states_kind_asked("Which company did he visit after leaving the port?",
                             ["随后来到宁波臻至机械模具有限公司。"])
    assert states_kind_asked("3月10日习近平先去了哪家医院？", ["我去了火神山医院。"])
    assert states_kind_asked("What did he say about the port?", [charter])  # no kind asked
    assert not states_kind_asked("Which provinces were those?", ["中国一些省市和企业纷纷提供援助。"])
    assert states_kind_asked("哪些省的负责同志作了交流发言？", ["天津、安徽、广东负责同志作交流发言。"])
    # a word between ("Which Chinese company developed the rapid test kits…?", fresh d39-038,
    # and d10-045's "Which Chinese province…"); firms at large ("企业") name no company
    assert not states_kind_asked("Which Chinese company developed the rapid test kits?",
                                 ["要支持企业复工复产，加快检测试剂研发。"])
    assert not states_kind_asked("Which Chinese province did the team sent to Serbia come from?",
                                 ["中方派出医疗专家组赴塞尔维亚。"])
    assert states_kind_asked("Which Wuhan hospital did he visit first?", ["我去了火神山医院。"])
    assert states_kind_asked("What did the provinces around Hubei do?", [charter])  # what they did
    # one the question names is not the one it asks (d50-023)
    assert not states_kind_asked("19个省区市对口帮扶湖北除武汉以外的市州，负责对口支援孝感的是哪个省份？",
                                 ["积极协调对口支援省份，统筹做好湖北各市州防疫工作。"])
    assert states_kind_asked("负责对口支援孝感的是哪个省份？", ["湖北孝感由山西对口支援。"])
    # the Xinjiang Production and Construction Corps is no province (d50-023, d54-012)
    assert not states_kind_asked("负责对口支援黄冈的是哪个省份？",
                                 ["组织29个省区市和新疆生产建设兵团调派医疗队，并组织19个省份对口支援。"])
    # a journal by its title, not "国际权威专业期刊" (d49-029)
    cited = "国际权威专业期刊指出，中国为国际科学界加入抗疫战斗铺平了道路。"
    assert not states_kind_asked("Which international journal did Wang Yi's article cite?", [cited])
    assert not states_kind_asked("王毅文章引用的是哪家期刊的说法？", [cited])
    assert states_kind_asked("Which journal said so?", ["《柳叶刀》指出，中国铺平了道路。"])


def test_the_date_of_a_thing_mentioned_is_not_the_day_the_question_names():
    """"On what date did … hold the plenary meeting that preceded the April 10 teleconference?"
    (asked in three fresh batches, answered from the teleconference's "10 日"): a thing the
    question says came before or was mentioned is dated in the passage's own words, and a day
    the question names is the other event's."""
    from rag.question_type import asks_mentioned_date, states_own_date

    asked = ("On what date did the State Council Work Safety Committee hold the plenary meeting "
             "that preceded the April 10 teleconference?")
    report = "全国安全生产电视电话会议 10 日在北京召开。此前，国务院安委会召开全体会议。"
    assert asks_mentioned_date(asked)
    assert asks_mentioned_date("On what date did he issue the instruction he mentioned there?")
    assert not asks_mentioned_date("On what date did Xi call Trump?")
    assert not states_own_date(asked, report)
    assert states_own_date(asked, "国务院安委会3月20日召开全体会议。")
    assert states_own_date("那次会是哪天开的？", "会议10日召开。")


def test_a_day_asked_needs_a_day_stated():
    """"太原那次会具体是几月几号开的？" over "2017年在太原召开深度贫困地区脱贫攻坚座谈会" (fresh
    chat d34c01.3, answered): a day asked is stated as one, not as a year."""
    from rag.question_type import states_day_asked

    speech = "2017年在太原召开深度贫困地区脱贫攻坚座谈会。"
    assert not states_day_asked("太原那次会具体是几月几号开的？", speech)
    assert states_day_asked("太原那次会具体是几月几号开的？", "6月23日在太原召开座谈会。")
    assert states_day_asked("太原那次会是哪一年开的？", speech)  # a year asked: another check
    assert not states_day_asked("On what date was the meeting held after April 10?",
                                "会议 10 日召开。")  # the day it names is not the one asked


def test_how_many_people_needs_a_number_of_people():
    """"那当时到底有多少人自行流出了？" (d38c03.3) over the speech that only warns of "一些人员
    自行流出": no number of people is stated, so nothing answers it; "一些人员" is no figure."""
    from rag.question_type import states_people_asked

    asked = "他说有人自行流出湖北带来风险，那当时到底有多少人自行流出了？"
    assert not states_people_asked(asked, ["但一些人员自行流出带来的风险也不能忽视。"])
    assert states_people_asked(asked, ["已有500多万人离开武汉。"])
    assert states_people_asked("贫困人口还剩多少人？", ["贫困人口减到551万"])
    assert states_people_asked("会议提出了哪些要求？", ["要继续全面加强防控。"])  # no count asked


def test_what_it_was_before_is_answered_by_what_it_was():
    """"那块地原来是干什么用的？" (dev d15c08.3, d24c08.2): the tree-planting site "原为小型服装企业
    聚集的工业大院"; a passage saying what is planted there now does not say it."""
    from rag.question_type import figure_asked

    for asked in ("那块地原来是干什么用的？", "那块地以前是干什么的？", "What was that land used for before?"):
        former = figure_asked(asked)
        assert former.search("植树点原为小型服装企业聚集的工业大院")
        assert not former.search("将建成以植物造景为主的城市森林公园")
    assert figure_asked("会议提出了什么？") is None
    assert figure_asked("开会之前做什么准备？") is None and figure_asked("过去什么时候开过？") is None


def test_a_county_or_village_asked_is_named_in_the_first_passage():
    """"In which county did the problem of duplicate reporting forms … occur?" over "有的地方市
    县卫健局、…县委办…" (d48-039, answered): a county or a village asked is named by its name
    in the first passage, like a city."""
    from rag.question_type import states_city_asked

    forms = "有的地方市县卫健局、应急局、政府办、县委办、妇联等都各自制作一份或几份表格。"
    assert not states_city_asked("In which county did the duplicate forms occur?", forms)
    assert states_city_asked("In which county is Yu village?", "湖州市安吉县天荒坪镇余村村")
    assert not states_city_asked("这些贫困县里，收入增长最快的是哪个县？", "52个贫困县全部摘帽")
    assert states_city_asked("列举了哪些县级部门？", forms)  # a county's offices, not a county
    assert states_city_asked("他去了哪个村？", "来到余村")
    assert not states_city_asked("Which village did he visit?", "他关心农村的春耕。")
    # a word between: "In which Chinese city…?" (d50-036, answered with no city named)
    assert not states_city_asked("In which Chinese city were the Namibian students studying?",
                                 "在华纳米比亚留学生得到了妥善照顾。")


def test_an_english_count_of_a_measured_thing_needs_a_number_of_its_measure_word():
    """"How many beds did Huoshenshan Hospital have?" over "迅速开设火神山、雷神山等集中收治
    医院…增加床位供给" (dev d12-029, answered): beds are counted in 张, members in 名, cases in
    例; a Chinese text with no such number does not count them."""
    from rag.question_type import english_measure

    beds = english_measure("How many beds did Huoshenshan Hospital in Wuhan have?")
    assert beds is not None and not beds.search("千方百计增加床位供给")
    assert beds.search("火神山医院床位1000张") and beds.search("1000张床位")
    team = english_measure("How many members were in the volunteer health expert team?")
    assert team.search("专家组共21名队员") and not team.search("派出了志愿卫生专家团队")
    assert english_measure("How many confirmed COVID-19 cases did Hubei still have?").search(
        "全省现有确诊病例还有17151例")
    assert english_measure("How many proposals did Xi make?").search("我愿提出以下4点倡议")
    # nothing measured, or a noun of no one measure word: not read
    assert english_measure("How many did it send?") is None
    assert english_measure("How many provinces took part?") is None


def test_the_subject_of_an_english_question_is_named_without_nationality():
    """"What did French President Macron say to Xi…?": the documents write "马克龙表示"; the
    nationality before the name is no part of it (d50-017)."""
    from rag.question_type import english_subjects

    assert english_subjects("What did French President Macron say to Xi?") == [["macron"]]
    assert english_subjects("What did Bill Gates write?") == [["bill", "gates"]]
