"""USCC validation (GB 32100-2015): real codes pass; each kind of mistake has its own code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.enterprises.reference.aliases import load_region_codes
from portal.enterprises.uscc import (
    ALPHABET,
    WEIGHTS,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

# Codes published by the enterprises themselves (annual reports, drug labels, the standard).
REAL_CODES = [
    "91350100M000100Y43",  # the worked example commonly cited with GB 32100-2015
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
]
GUANGXI_CODES = [
    "91450200198229141F",  # 广西柳工机械股份有限公司 (柳州)
    "91450300198888809P",  # 桂林三金药业股份有限公司 (桂林)
]


def error_code(value: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value, **kwargs)
    return caught.value.code


def guangxi_uscc(area: str = "450103", body: str = "MA5KX7C2") -> str:
    """A valid code built the way demo data builds one: org check, then the USCC check."""
    return make_uscc(f"91{area}{body}{org_code_check_char(body)}")


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", REAL_CODES + GUANGXI_CODES)
def test_real_codes_are_valid(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize("code", GUANGXI_CODES)
def test_guangxi_codes_pass_the_area_check(code):
    assert validate_uscc(code, known_area_codes=load_region_codes()) == code


def test_make_uscc_appends_the_check_character():
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"
    assert uscc_check_char("91440300708461136") == "T"
    assert make_uscc(" 91350100m000100y4 ") == "91350100M000100Y43"
    code = guangxi_uscc()
    assert validate_uscc(code, known_area_codes=load_region_codes()) == code


def test_check_character_zero_when_sum_divides_31():
    # A prefix whose weighted sum is a multiple of 31 gets "0", not ALPHABET[31].
    body = "MA5KX7C2" + org_code_check_char("MA5KX7C2")
    prefixes = (f"91{area}{body}" for area in range(450100, 451500))
    prefix = next(p for p in prefixes if uscc_check_char(p) == "0")
    assert validate_uscc(prefix + "0") == prefix + "0"


def test_org_code_check_character():
    assert org_code_check_char("M000100Y") == "4"  # from 91350100M000100Y43
    assert org_code_check_char("19220382") == "1"  # from 914403001922038216
    assert org_code_check_char("71092546") == "2"  # from 91110000710925462X
    values = {org_code_check_char(f"{n:08d}") for n in range(200)}
    assert "X" in values
    assert "0" in values


def test_lowercase_and_spaces_around_are_normalised():
    assert validate_uscc("  91440300708461136t\n") == "91440300708461136T"


def test_full_width_characters_are_folded():
    assert validate_uscc("９１４４０３００７０８４６１１３６Ｔ") == "91440300708461136T"


def test_wrong_check_character():
    assert error_code("91350100M000100Y44") == "check_digit"
    assert error_code("914403001922038217") == "check_digit"
    # 911100001000012345 is often pasted as an "example"; it is not a valid code.
    assert error_code("911100001000012345") == "check_digit"


def test_swapped_characters_are_caught():
    assert error_code("91350100M000100Y34") == "check_digit"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet(letter):
    code = "91350100M000100Y4" + letter
    assert error_code(code) == "alphabet"
    assert error_code(code.lower()) == "alphabet"


def test_punctuation_inside_is_an_alphabet_error():
    assert error_code("91350100-M000100Y4") == "alphabet"


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_length(value):
    assert error_code(value) == "length"


def test_area_code_must_be_digits():
    body = "MA5KX7C2"
    code = make_uscc(f"9145A103{body}{org_code_check_char(body)}")
    assert error_code(code) == "area_code"


def test_organisation_code_check():
    body = "MA5KX7C2"
    wrong = "0" if org_code_check_char(body) != "0" else "1"
    code = make_uscc(f"91450103{body}{wrong}")
    assert error_code(code) == "org_code"


@pytest.mark.parametrize("code", REAL_CODES)
def test_non_guangxi_area_rejected_when_areas_are_known(code):
    assert error_code(code, known_area_codes=load_region_codes()) == "area_code"


def test_area_matches_by_county_city_or_province():
    assert validate_uscc(guangxi_uscc("450181"), known_area_codes={"450181"})
    # 450127 横县 became 450181 横州市 in 2021; codes issued before keep the old area code.
    assert validate_uscc(guangxi_uscc("450127"), known_area_codes={"450100"})
    assert validate_uscc(guangxi_uscc("451481"), known_area_codes={"450000"})
    assert error_code(guangxi_uscc("450127"), known_area_codes={"450200"}) == "area_code"


def test_without_known_areas_any_area_is_accepted():
    assert validate_uscc(guangxi_uscc("440300")) == guangxi_uscc("440300")


def test_messages_are_translatable_text():
    with pytest.raises(ValidationError) as caught:
        validate_uscc("123")
    assert "18" in caught.value.messages[0]


@pytest.mark.parametrize("bad", ["9135010", "91350100M000100YI", "91350100M000100Y4X"])
def test_uscc_check_char_rejects_bad_prefixes(bad):
    with pytest.raises(ValueError):
        uscc_check_char(bad)
