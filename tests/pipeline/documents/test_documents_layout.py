"""Labels and values from geometry: merged, split, letter-spaced, wrapped, tilted."""
from __future__ import annotations

from tests.pipeline.documents.document_lines import line, tilted

from pipeline.documents.id_card import FRONT_LABELS
from pipeline.documents.layout import Layout, skew_angle
from pipeline.documents.license import LICENSE_LABELS


def test_label_and_value_as_one_line_or_two():
    merged = Layout([line("姓名张三", 50, 50)], FRONT_LABELS)
    split = Layout([line("姓名", 50, 50), line("张三", 160, 50)], FRONT_LABELS)
    assert merged.value("姓名").text == "张三"
    assert split.value("姓名").text == "张三"


def test_a_value_in_pieces_on_its_row_is_joined_left_to_right():
    layout = Layout([line("15日", 400, 200), line("出生", 50, 200), line("1985年", 160, 200),
                     line("3月", 320, 200)], FRONT_LABELS)
    assert layout.value("出生").text == "1985年3月15日"


def test_two_labels_read_as_one_line_split_at_the_second():
    layout = Layout([line("性别男民族汉", 50, 100)], FRONT_LABELS)
    assert layout.value("性别").text == "男"
    assert layout.value("民族").text == "汉"


def test_a_value_merged_with_the_next_label():
    layout = Layout([line("性别", 50, 100), line("男民族", 160, 100), line("汉", 400, 100)],
                    FRONT_LABELS)
    assert layout.value("性别").text == "男"
    assert layout.value("民族").text == "汉"


def test_a_street_called_minzu_stays_in_the_address():
    layout = Layout([line("住址", 50, 270), line("银川市兴庆区民族北街1号", 160, 270)],
                    FRONT_LABELS)
    assert layout.value("住址").text == "银川市兴庆区民族北街1号"
    assert layout.find("民族") == []


def test_a_wrapped_value_continues_under_itself_until_the_next_label():
    lines = [line("住址", 50, 270), line("浙江省杭州市西湖区文三", 160, 270),
             line("路90号3幢501室", 160, 306), line("公民身份号码", 50, 440, h=28),
             line("330106198503150016", 260, 436)]
    layout = Layout(lines, FRONT_LABELS)
    assert layout.value("住址", wraps=True).text == "浙江省杭州市西湖区文三路90号3幢501室"
    assert layout.value("住址").text == "浙江省杭州市西湖区文三"


def test_the_next_field_row_is_not_a_continuation():
    # rows of fields are further apart than the wrapped lines of one value
    lines = [line("名称", 50, 100), line("杭州云帆信息技术有限公司", 200, 100),
             line("有限责任公司(自然人投资或控股)", 200, 180)]
    assert Layout(lines, LICENSE_LABELS).value("名称", wraps=True).text == "杭州云帆信息技术有限公司"


def test_letter_spaced_label_read_as_two_characters():
    lines = [line("名", 50, 100), line("称", 130, 100), line("杭州云帆信息技术有限公司", 220, 100)]
    layout = Layout(lines, LICENSE_LABELS)
    assert layout.value("名称").text == "杭州云帆信息技术有限公司"


def test_letter_spaced_label_with_its_second_character_misread():
    lines = [line("类", 50, 100), line("雨", 130, 100, confidence=0.6),
             line("有限责任公司(自然人独资)", 220, 100)]
    assert Layout(lines, LICENSE_LABELS).value("类型").text == "有限责任公司(自然人独资)"


def test_half_of_a_letter_spaced_label_alone():
    lines = [line("所", 620, 300), line("浙江省杭州市西湖区文三路90号", 720, 300)]
    assert Layout(lines, LICENSE_LABELS).value("住所").text == "浙江省杭州市西湖区文三路90号"


def test_two_columns_stop_each_value_at_the_next_label():
    lines = [line("名称杭州云帆信息技术有限公司", 50, 100), line("注册资本", 700, 100),
             line("壹佰万元整", 850, 100)]
    layout = Layout(lines, LICENSE_LABELS)
    assert layout.value("名称").text == "杭州云帆信息技术有限公司"
    assert layout.value("注册资本").text == "壹佰万元整"


def test_two_columns_merged_into_one_line():
    layout = Layout([line("名称杭州云帆信息技术有限公司注册资本壹佰万元整", 50, 100)],
                    LICENSE_LABELS)
    assert layout.value("名称").text == "杭州云帆信息技术有限公司"
    assert layout.value("注册资本").text == "壹佰万元整"


def test_value_under_its_label_only_when_asked():
    lines = [line("统一社会信用代码", 50, 50, h=28), line("91330106MA2H3K7Q5U", 52, 88)]
    layout = Layout(lines, LICENSE_LABELS)
    assert layout.value("统一社会信用代码") is None
    assert layout.value("统一社会信用代码", below=True).text == "91330106MA2H3K7Q5U"


def test_a_tilted_page_reads_like_a_straight_one():
    lines = [line("姓名", 50, 60), line("张三", 160, 58), line("性别", 50, 130),
             line("男", 160, 128), line("民族", 280, 130), line("汉", 380, 128)]
    for degrees in (-12, 8):
        turned = tilted(lines, degrees)
        layout = Layout(turned, FRONT_LABELS)
        assert abs(abs(skew_angle(turned)) - abs(degrees) * 3.14159 / 180) < 0.02
        assert layout.value("姓名").text == "张三"
        assert layout.value("性别").text == "男"
        assert layout.value("民族").text == "汉"


def test_value_box_and_confidence_come_from_its_own_pieces():
    layout = Layout([line("姓名", 50, 50), line("张三", 160, 50, w=70, confidence=0.7)],
                    FRONT_LABELS)
    value = layout.value("姓名")
    assert value.confidence == 0.7
    assert value.quad[0] == [160.0, 50.0] and value.quad[2] == [230.0, 82.0]


def test_a_merged_line_gives_the_value_a_box_of_its_own_part():
    value = Layout([line("姓名张三", 0, 0, w=400)], FRONT_LABELS).value("姓名")
    assert 190 < value.quad[0][0] < 210 and value.quad[1][0] == 400


def test_a_border_read_as_a_tall_line_of_digits_joins_no_row():
    lines = [line("注册资本", 700, 100), line("壹佰万元整", 850, 100),
             line("住所", 700, 180), line("杭州市西湖区文三路90号", 850, 180),
             line("8088880888808888", 1300, 20, h=400, w=30)]  # the page's right border
    layout = Layout(lines, LICENSE_LABELS)
    assert layout.value("注册资本").text == "壹佰万元整"
    assert layout.value("住所").text == "杭州市西湖区文三路90号"
