

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
