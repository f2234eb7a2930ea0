"""统一社会信用代码 (USCC) validation per GB 32100-2015.

Layout of the 18 characters::

    1     registration authority (1 机构编制, 5 民政, 9 市场监管, Y 其他 …)
    2     organisation type within that authority (91 企业, 92 个体工商户, 93 农民专业合作社 …)
    3-8   administrative area code of the registering authority (GB/T 2260, six digits)
    9-17  organisation code (GB 11714): eight body characters and their own check character
    18    check character over the first seventeen

Characters 1 and 2 are not checked against a list: authorities have added codes since 2015 and
a stale list would reject real enterprises. Everything that has an algorithm is checked, so a
mistyped code is caught at entry rather than in a reviewer's hands.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 alphabet: digits and upper-case letters without I, O, S, V, Z (31 characters).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
# Weight of position i is 3**i mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714-1997 organisation code: weights of the eight body characters, check = 11 - sum % 11.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_char(prefix17: str) -> str:
    """The 18th character for the first seventeen (already upper-case, alphabet only)."""
    if len(prefix17) != 17 or any(char not in _VALUES for char in prefix17):
        raise ValueError(f"not 17 USCC characters: {prefix17!r}")
    total = sum(_VALUES[char] * weight for char, weight in zip(prefix17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(char: str) -> int:
    # GB 11714 values: digits as themselves, letters A=10 … Z=35 (position in 0-9A-Z).
    return int(char, 36)


def org_code_check_char(body8: str) -> str:
    """Check character of a GB 11714 organisation code body (USCC characters 9-16)."""
    if len(body8) != 8 or not body8.isascii() or not body8.isalnum():
        raise ValueError(f"not an 8-character organisation code body: {body8!r}")
    total = sum(_org_value(c) * w for c, w in zip(body8.upper(), ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(prefix17: str) -> str:
    """Append the check character; demo data and tests use it to build codes that validate.

    The organisation code inside the prefix must be valid on its own for ``validate_uscc`` to
    accept the result; build it with ``org_code_check_char``.
    """
    prefix17 = prefix17.strip().upper()
    return prefix17 + uscc_check_char(prefix17)


def _area_is_known(area: str, known_area_codes: Collection[str]) -> bool:
    # A county code, or an area whose city or province is known: codes retired since issuance
    # (e.g. 450127 横县, now 450181 横州市) still name a place inside a known city.
    return (
        area in known_area_codes
        or f"{area[:4]}00" in known_area_codes
        or f"{area[:2]}0000" in known_area_codes
    )


def validate_uscc(value: str, known_area_codes: Collection[str] | None = None) -> str:
    """Return the normalised code (NFKC, stripped, upper-case) or raise ``ValidationError``.

    Error codes: ``length``, ``alphabet``, ``check_digit``, ``area_code``, ``org_code``. With
    ``known_area_codes`` (the registry passes the Guangxi regions) a code registered outside
    those areas is rejected as ``area_code``: the registry holds Guangxi enterprises only.
    Full-width characters are folded first because Chinese input methods produce them.
    """
    code = unicodedata.normalize("NFKC", value).strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="length",
            params={"length": len(code)},
        )
    bad = sorted({char for char in code if char not in _VALUES})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and capital letters other than "
                "I, O, S, V and Z; not allowed: %(characters)s."
            ),
            code="alphabet",
            params={"characters": " ".join(bad)},
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong; "
                "please check the code for a typing error."
            ),
            code="check_digit",
        )
    area = code[2:8]
    if not area.isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code must be a six-digit area code."),
            code="area_code",
        )
    if org_code_check_char(code[8:16]) != code[16]:
        raise ValidationError(
            _(
                "The organisation code inside this unified social credit code (characters 9 to "
                "17) has a wrong check character."
            ),
            code="org_code",
        )
    if known_area_codes is not None and not _area_is_known(area, known_area_codes):
        raise ValidationError(
            _(
                "This unified social credit code was issued in area %(area)s, which is not in "
                "Guangxi; the registry holds Guangxi enterprises only."
            ),
            code="area_code",
            params={"area": area},
        )
    return code
