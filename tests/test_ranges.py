"""A number the question gives inside a range a passage states (rag/ranges.py). Found on the
foreign dev set: "我62岁，去青螺山买门票要花多少？" (the row "60周岁至64周岁"), "我家住16栋高层"
("15—18栋"), a battery batch number inside "SC24D02至SC24D15"."""

import pytest

from rag.ranges import Value, asked_values, holds_in_range

TICKETS = ["成人票 80元 18周岁至59周岁游客",
           "优惠票 40元 全日制学生、60周岁至64周岁老年人",
           "免票 0元 6周岁及以下或身高1.2米以下儿童、65周岁及以上老年人"]


def test_the_values_a_question_gives_in_their_units():
    assert asked_values("我62岁，去青螺山买门票要花多少？") == [Value(62, "岁")]
    assert asked_values("我家住16栋高层") == [Value(16, "栋")]
    assert asked_values("批号是SC24D09，要召回吗？") == [Value(9, "code:SC24D")]
    assert asked_values("I'm 70 years old and live in Building 3") == [Value(70, "岁"), Value(3, "栋")]
    # a day of a date and a calendar year are dates, not values
    assert asked_values("3月10日习近平去了哪里？2024年呢？") == []


@pytest.mark.parametrize("question, row", [
    ("我62岁，门票多少？", 1), ("我今年70岁，门票多少？", 2), ("我5岁，门票多少？", 2),
    ("我30周岁，门票多少？", 0)])
def test_the_row_whose_range_holds_the_value(question, row):
    values = asked_values(question)
    assert [holds_in_range(t, values) for t in TICKETS].index(True) == row


def test_ranges_in_other_units_and_codes():
    assert holds_in_range("高层住宅 15—18栋 1.90 2.10", asked_values("我家住16栋"))
    assert not holds_in_range("多层住宅 1—14栋 1.20", asked_values("我家住16栋"))
    assert not holds_in_range("15—18层", asked_values("我家住16栋"))  # another unit
    assert holds_in_range("电池批号SC24D02至SC24D15", asked_values("批号是SC24D09"))
    assert not holds_in_range("电池批号SC24D02至SC24D15", asked_values("批号是SC24E09"))
    assert holds_in_range("with 1 to 10 years of service", asked_values("after 8 years"))
    assert not holds_in_range("未满18周岁", asked_values("我18岁"))
