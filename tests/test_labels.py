"""Labels are found however people spaced, punctuated or annotated them."""

from schemas.labels import LabelIndex, label_key

INDEX = LabelIndex(
    {
        "contact_name": ["姓名"],
        "email": ["电子邮箱", "邮箱", "E-mail"],
        "modules": ["主题活动模块"],
        "submitted_on": ["报送时间"],
        "stamp": ["单位盖章"],
    }
)


def test_label_key_drops_spaces_colons_and_hints() -> None:
    assert label_key("姓 名：") == "姓名"
    assert label_key("主题活动模块\n(请在相应模块划√, 可多选)") == "主题活动模块"
    assert label_key("Ｅ－ｍａｉｌ") == "email"


def test_lookup_whole_cell() -> None:
    assert INDEX.lookup("姓　名") == "contact_name"
    assert INDEX.lookup("E-mail:") == "email"
    assert INDEX.lookup("张明") is None
    assert INDEX.lookup("主办单位联系人") is None  # a group label, not a field


def test_label_and_value_in_one_cell() -> None:
    assert INDEX.split_prefix("姓 名：张明") == ("contact_name", "张明")
    assert INDEX.split_prefix("邮箱:abc@163.com") == ("email", "abc@163.com")
    assert INDEX.split_prefix("备注：无") is None


def test_several_labels_in_one_line() -> None:
    pairs = INDEX.split_line("单位盖章：            报送时间：2021年5月8日")
    assert pairs == [("stamp", ""), ("submitted_on", "2021年5月8日")]


def test_fuzzy_only_for_ocr_and_long_labels() -> None:
    assert INDEX.lookup("主题活动模抉") is None
    assert INDEX.lookup("主题活动模抉", fuzzy=True) == "modules"
    assert INDEX.lookup("姓各", fuzzy=True) is None  # two-character labels never fuzzy-match


def test_label_with_a_bracketed_hint_before_the_colon() -> None:
    index = LabelIndex({"unit_raw": ["填报单位"]})
    assert index.split_line("填报单位（盖章）：海东市科协") == [("unit_raw", "海东市科协")]


def test_a_long_label_run_straight_into_its_value_on_a_scan() -> None:
    """The colon lost under a seal or as a speck: `报送时间2021年5月10日` still pairs; a heading does not."""
    index = LabelIndex({"unit_raw": ["填报单位", "单位名称"], "title": ["活动名称"], "name": ["姓名"]})
    assert index.split_line("填报单位昆仑学院") == [("unit_raw", "昆仑学院")]
    assert index.split_line("填报单位（盖章）西宁市科协") == [("unit_raw", "西宁市科协")]
    assert index.split_line("活动名称及主要内容说明") == []  # a conjunction: part of a longer heading
    assert index.split_line("姓名张三") == []  # a two-character label is too short to trust glued
    assert index.split_leading("活动名称高原生态保护线上学术交流会") == ("title", "高原生态保护线上学术交流会")
    assert index.split_leading("活动名称：交流会") == ("title", "交流会")
    assert index.split_leading("主要内容 邀请专家") is None


def test_a_long_label_whose_last_character_a_seal_hid_still_starts_its_line() -> None:
    """`填报单 青海建筑职院`: the seal's ring took `位`; the gap (or colon) it left still ends the label."""
    index = LabelIndex({"unit_raw": ["填报单位", "单位名称"], "name": ["姓名"]})
    assert index.split_leading("填报单 青海建筑职院") == ("unit_raw", "青海建筑职院")
    assert index.split_line("填报单：青海建筑职院") == [("unit_raw", "青海建筑职院")]
    assert index.split_leading("填报单青海建筑职院") is None  # no gap: too unsure where the label ends
    assert index.split_leading("姓 张三") is None  # a short label cut short is just a letter
