"""Generated documents: coherent records, contract-shaped ground truth, renders."""
from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from stdnum.cn import ric, uscc

from samples.documents import (CARD_SIZE, CompanyRecord, IdentityRecord, ground_truth,
                               random_company, random_identity, render_id_back, render_id_front,
                               render_license, validity_text)
from samples.documents.company import chinese_amount
from samples.documents.identity import validity_years
from samples.documents.people import ETHNICITIES
from samples.documents.regions import province_of_code, region_of, regions

AS_OF = dt.date(2026, 11, 20)
CONTRACT_FIELDS = {
    "id_card_front": {"name", "sex", "ethnicity", "birth_date", "address", "id_number"},
    "id_card_back": {"issuer", "valid_from", "valid_until"},
    "business_license": {"name", "credit_code", "entity_type", "legal_representative", "address",
                         "registered_capital", "established", "term_until", "business_scope"},
}


@pytest.fixture(scope="module")
def people() -> list[IdentityRecord]:
    rng = random.Random(20261120)
    return [random_identity(rng, as_of=AS_OF) for _ in range(400)]


@pytest.fixture(scope="module")
def companies() -> list[CompanyRecord]:
    rng = random.Random(7)
    return [random_company(rng, as_of=AS_OF) for _ in range(300)]


def test_id_numbers_validate_and_agree_with_the_person(people):
    for person in people:
        assert ric.validate(person.id_number) == person.id_number
        assert ric.get_birth_date(person.id_number) == person.birth_date
        assert person.sex == ("男" if int(person.id_number[16]) % 2 else "女")
        assert person.address.startswith(province_of_code(person.id_number))


def test_people_are_adults_with_a_card_valid_for_a_year_more(people):
    for person in people:
        age = (AS_OF - person.birth_date).days / 365.25
        assert 18 <= age <= 70.1
        assert person.valid_from <= AS_OF
        if person.valid_until == "long_term":
            continue
        assert person.valid_until > AS_OF + dt.timedelta(days=365)
        issued, born = person.valid_from, person.birth_date
        age = issued.year - born.year - ((issued.month, issued.day) < (born.month, born.day))
        assert person.valid_until.year - issued.year == validity_years(age)


def test_names_and_ethnicities_vary_like_real_ones(people):
    assert {p.ethnicity for p in people} <= set(ETHNICITIES)
    assert len({p.ethnicity for p in people}) >= 8
    lengths = {len(p.name) for p in people if "·" not in p.name}
    assert {2, 3} <= lengths and max(lengths) <= 5
    rng = random.Random(3)
    uyghur = [random_identity(rng, as_of=AS_OF, ethnicity="维吾尔") for _ in range(20)]
    assert all("·" in p.name for p in uyghur)
    assert sum(p.id_number.startswith("65") for p in uyghur) >= 12  # mostly born in 新疆


def test_issuer_and_address_belong_to_one_region(people):
    for person in people:
        if person.issuer.endswith("分局"):  # 杭州市公安局西湖分局
            city, district = person.issuer.removesuffix("分局").split("公安局")
            assert city in person.address and district in person.address
        else:  # 沽源县公安局
            assert person.issuer.removesuffix("公安局") in person.address


def test_addresses_fit_the_three_lines_of_the_card(people):
    from samples.documents.id_card import _fit_address, _Look

    rng = random.Random(4)
    for person in people:
        font, lines = _fit_address(person.address, _Look.random(rng))
        assert "".join(lines) == person.address and len(lines) <= 3


def test_overrides_keep_the_record_coherent():
    rng = random.Random(11)
    born = dt.date(1985, 3, 15)
    forced = random_identity(rng, as_of=AS_OF, birth_date=born, sex="男", name="王建国")
    assert forced.name == "王建国" and forced.id_number[6:14] == "19850315"
    assert int(forced.id_number[16]) % 2 == 1
    from_number = random_identity(rng, as_of=AS_OF, id_number="330106198503150024")
    assert from_number.birth_date == born and from_number.sex == "女"
    assert random_identity(rng, as_of=AS_OF, province="西藏自治区").id_number.startswith("54")
    with pytest.raises(TypeError):
        random_identity(rng, nickname="x")


def test_credit_codes_validate_with_both_check_characters(companies):
    for company in companies:
        code = company.credit_code
        assert uscc.validate(code) == code and code.startswith("91")
        body = code[8:16]
        total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2)))
        assert code[16] == {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
        assert company.address.startswith(region_of(code[2:8]).province)


def test_company_fields_read_like_a_license(companies):
    for company in companies:
        assert company.name.endswith("公司") and company.trade_name in company.name
        assert company.registered_capital.endswith("万元整")
        assert company.business_scope.endswith(("。", "）"))
        assert company.authority.endswith("市场监督管理局")
        assert company.established <= company.issued <= AS_OF
    assert sum(c.term_until == "long_term" for c in companies) > len(companies) / 2
    assert len({c.entity_type for c in companies}) >= 3


def test_companies_stay_in_the_asked_province():
    rng = random.Random(5)
    for province in ("浙江省", "北京市", "新疆维吾尔自治区"):
        company = random_company(rng, province, as_of=AS_OF)
        assert company.address.startswith(province)
        assert region_of(company.credit_code[2:8]).province == province


@pytest.mark.parametrize("number, words", [(10, "壹拾"), (250, "贰佰伍拾"), (1050, "壹仟零伍拾"),
                                           (5000, "伍仟"), (1001, "壹仟零壹")])
def test_capital_in_capital_figures(number, words):
    assert chinese_amount(number) == words


def test_ground_truth_uses_the_contract_fields_and_formats(people, companies):
    person, company = people[0], companies[0]
    for kind in ("id_card_front", "id_card_back"):
        assert set(ground_truth(person, kind)) == CONTRACT_FIELDS[kind]
    assert set(ground_truth(company, "business_license")) == CONTRACT_FIELDS["business_license"]
    front = ground_truth(person, "id_card_front")
    assert front["birth_date"] == person.birth_date.isoformat()
    long_term = next(p for p in people if p.valid_until == "long_term")
    assert ground_truth(long_term, "id_card_back")["valid_until"] == "long_term"
    assert validity_text(long_term).endswith("-长期")
    dated = next(c for c in companies if c.term_until != "long_term")
    assert ground_truth(dated, "business_license")["term_until"] == dated.term_until.isoformat()
    with pytest.raises(ValueError):
        ground_truth(company, "id_card_front")


def test_validity_prints_as_on_the_card():
    rng = random.Random(1)
    person = random_identity(rng, as_of=AS_OF, valid_from=dt.date(2016, 5, 1),
                             valid_until=dt.date(2036, 5, 1))
    assert validity_text(person) == "2016.05.01-2036.05.01"


def test_renders_are_bgr_of_the_document_size(people, companies):
    front, back = render_id_front(people[0]), render_id_back(people[0])
    assert front.shape == back.shape == (CARD_SIZE[1], CARD_SIZE[0], 3)
    assert front.dtype == back.dtype == np.uint8
    license_page = render_license(companies[0])
    assert license_page.shape == (1414, 2000, 3) and license_page.dtype == np.uint8
    assert render_license(companies[1], (1400, 990)).shape == (990, 1400, 3)


def test_renders_are_repeatable_and_vary_between_records(people):
    first = render_id_front(people[1])
    assert np.array_equal(first, render_id_front(people[1]))
    other = render_id_front(people[2])
    assert np.abs(first.astype(int) - other.astype(int)).mean() > 3
    again = render_id_front(people[1], rng=random.Random(99))
    assert not np.array_equal(first, again)


def test_front_shows_blue_labels_black_values_and_a_portrait(people):
    card = render_id_front(people[3]).astype(int)
    b, g, r = card[..., 0], card[..., 1], card[..., 2]
    label_blue = (b - r > 60) & (b > 120)
    assert label_blue[:, :300].sum() > 800  # 姓名 性别 ... in blue on the left
    assert (card[:, :520].sum(axis=2) < 180).sum() > 3000  # black values
    portrait = card[80:380, 560:780]
    assert portrait.std() > 40  # a photo, not the pale background


def test_license_has_red_seal_and_emblem(companies):
    page = render_license(companies[2]).astype(int)
    b, g, r = page[..., 0], page[..., 1], page[..., 2]
    red = (r > 150) & (r - g > 80) & (r - b > 80)
    height, width = red.shape
    emblem_area = red[int(height * 0.05):int(height * 0.3), int(width * 0.4):int(width * 0.6)]
    seal_area = red[int(height * 0.7):int(height * 0.97), int(width * 0.7):int(width * 0.9)]
    assert emblem_area.sum() > 500 and seal_area.sum() > 500


def test_regions_are_current_mainland_divisions():
    everything = regions()
    assert len(everything) > 2500
    assert all(len(r.code) == 6 and not r.code.endswith("00") for r in everything)
    assert {r.province for r in everything} == {province_of_code(r.code) for r in everything}
    assert region_of("330106").county == "西湖区"
