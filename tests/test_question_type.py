

def test_english_count_names_the_thing_an_english_document_counts():
    from rag.question_type import english_count

    birds = english_count("How many shorebirds did the institute's team count in Baisha Bay?")
    assert birds.search("the team counted 18,900 shorebirds of 29 species")
    assert not birds.search("The average count was 212 particles per kilogram")
    jobs = english_count("How many new urban jobs should be created this year?")
    assert jobs.search("at least 11 million new urban jobs")
    assert english_count("What did the meeting decide?") is None
