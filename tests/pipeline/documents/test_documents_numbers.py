"""ID numbers and credit codes: checks, and repairs of typical OCR confusions."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.documents.numbers import (DIGIT_NEIGHBOURS, find_resident_id, find_uscc,
                                        id_birth_date, id_check_char, id_sex, organisation_code_ok,
                                        repair_resident_id, repair_uscc, uscc_check_char,
                                        valid_resident_id, valid_uscc)

ID = "330106198503150016"  # 杭州市西湖区, born 1985-03-15, male
ID_X = "11010519491231002X"
USCC = "91330106MA2H3K7Q5" + uscc_check_char("91330106MA2H3K7Q5")


def test_check_characters_agree_with_stdnum():
    from stdnum.cn import ric, uscc

    for number in (ID, ID_X, "440524188001010014", "110101200001011234"):
        assert id_check_char(number[:17]) == ric.calc_check_digit(number[:17] + "0")
    assert uscc_check_char(USCC[:17]) == uscc.calc_check_digit(USCC)


def test_valid_resident_id():
    assert valid_resident_id(ID)
    assert valid_resident_id(ID_X)
    assert not valid_resident_id(ID[:-1] + "7")  # check digit
    assert not valid_resident_id("990106198503150016")  # no such province
    assert not valid_resident_id("330106198502300011")  # 30 February
    assert not valid_resident_id(ID, today=dt.date(1985, 3, 14))  # born tomorrow


def test_region_newer_than_the_birth_is_accepted():
    # 330110 (余杭区) was created in 2001; stdnum's ric.validate refuses earlier births.
    from stdnum.cn import ric

    body = "33011019800101001"
    number = body + id_check_char(body)
    assert valid_resident_id(number)
    assert not ric.is_valid(number)


def test_birth_date_and_sex_from_the_number():
    assert id_birth_date(ID) == dt.date(1985, 3, 15)
    assert id_sex(ID) == "男"
    assert id_sex(ID_X) == "女"
    assert id_birth_date("330106198513150016") is None


@pytest.mark.parametrize("read", [
    ID, "33O1O6198503150016", "3301061985O315OO16", "33010619B5031S0016", "330106l98503150016",
    "33010619850315OOI6", "3301 0619 8503 1500 16", "330106198503150Ol6",
])
def test_letters_read_for_digits_are_mapped_back(read):
    repair = repair_resident_id(read)
    assert repair.value == ID and repair.valid and not repair.repaired


@pytest.mark.parametrize("read", ["11010519491231002x", "11010519491231002×", "11010519491231002X"])
def test_lower_case_or_multiplication_x(read):
    assert repair_resident_id(read).value == ID_X


def test_a_misread_birth_digit_is_repaired_from_the_printed_birth_date():
    wrong = ID[:9] + "0" + ID[10:]  # 1985 read as 1980
    assert not repair_resident_id(wrong).valid
    repair = repair_resident_id(wrong, birth_hint="19850315")
    assert repair.valid and repair.repaired and repair.value == ID


def test_one_confused_digit_is_repaired_when_only_one_candidate_passes():
    for i in range(17):
        for alt in DIGIT_NEIGHBOURS[ID[i]]:
            wrong = ID[:i] + alt + ID[i + 1:]
            if not valid_resident_id(wrong) and _single_repairs(wrong) == [ID]:
                repair = repair_resident_id(wrong)
                assert repair.valid and repair.repaired and repair.value == ID
                return
    pytest.fail("no single-candidate misread of the sample number")


def _single_repairs(read: str) -> list[str]:
    variants = [read[:i] + alt + read[i + 1:] for i, ch in enumerate(read)
                for alt in DIGIT_NEIGHBOURS.get(ch, "")]
    return [v for v in variants if valid_resident_id(v)]


def test_ambiguous_repair_is_not_guessed():
    wrong = ID[:15] + "7" + ID[16:]  # sequence digit 1 -> 7
    assert len(_single_repairs(wrong)) > 1  # the premise: several numbers would pass
    repair = repair_resident_id(wrong)
    assert repair.value == wrong and not repair.valid and repair.ambiguous


def test_doubled_character_from_ctc_is_dropped():
    repair = repair_resident_id(ID[:5] + "6" + ID[5:])  # 3301066...
    assert repair.valid and repair.value == ID


@pytest.mark.parametrize("read", ["3" + ID, ID + "1"])
def test_a_stray_character_at_either_end_is_dropped(read):
    repair = repair_resident_id(read)
    assert repair.valid and repair.value == ID


def test_unrepairable_read_stays_as_read_and_invalid():
    repair = repair_resident_id("12345")
    assert not repair.valid and repair.value == "12345"


def test_find_resident_id_in_a_line():
    assert find_resident_id("公民身份号码330106198503150016") == ID
    assert find_resident_id("1985年3月15日") is None


def test_valid_uscc_and_its_alphabet():
    assert valid_uscc(USCC)
    assert not valid_uscc(USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))
    assert not valid_uscc("91330106MA2H3K7QO" + "0")  # O is not in the alphabet
    assert not valid_uscc(USCC[:17])


@pytest.mark.parametrize("swap", [("0", "O"), ("1", "I"), ("5", "S"), ("2", "Z")])
def test_uscc_letters_outside_the_alphabet_map_back(swap):
    digit, letter = swap
    code = "913301060" + "1" + "2" + "5" + "0" + "MA2H3"
    code = code[:17] + uscc_check_char(code[:17])
    assert valid_uscc(code)
    read = code[:8] + code[8:].replace(digit, letter)
    assert repair_uscc(read).value == code


def test_uscc_lower_case_and_spaces():
    assert repair_uscc(USCC.lower()).value == USCC
    assert repair_uscc(" ".join(USCC[i:i + 6] for i in range(0, 18, 6))).value == USCC


def _organisation_check(body: str) -> str:
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    c = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def test_uscc_b_for_8_is_settled_by_the_check_character():
    body = "MA28K7Q5"
    code = "91330108" + body + _organisation_check(body)
    code += uscc_check_char(code)
    assert organisation_code_ok(code)
    read = code[:11] + "B" + code[12:]  # the 8 of the organisation code read as B
    assert not valid_uscc(read)
    repair = repair_uscc(read)
    assert repair.valid and repair.repaired and repair.value == code


def test_organisation_code_check():
    # GB 11714: body 10000001 -> weights 3,7,9,10,5,8,4,2 -> 3+2 = 5 -> 11 - 5 = 6
    assert organisation_code_ok("91330106" + "10000001" + "6" + "X")
    assert not organisation_code_ok("91330106" + "10000001" + "7" + "X")


def test_find_uscc_in_a_line():
    assert find_uscc("统一社会信用代码 " + USCC) == USCC
    assert find_uscc("证照编号：53011565205676689820") is None  # 20 digits: not a code
    assert find_uscc("名称") is None


def test_a_repair_that_would_change_the_printed_birth_date_is_not_made():
    """The one valid number a digit away from an invalid read moves the birth year from
    1991 to 1997; the card prints 1991: the read stays, invalid."""
    read = "110111199107030440"
    assert repair_resident_id(read).value == "110111199707030440"  # no hint: the one candidate
    kept = repair_resident_id(read, birth_hint="19910703")
    assert kept.value == read and not kept.valid
