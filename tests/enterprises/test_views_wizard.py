"""The sign-up wizard: each step validates whole, writes the working copy, or changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from portal.enterprises.forms.basics import REGISTERED_MESSAGE
from portal.enterprises.models import Enterprise, EnterpriseVersion, Status, VersionState
from portal.enterprises.workflow import open_version

from .view_helpers import (
    ENTERPRISE,
    PNG_BYTES,
    basics,
    big_pdf,
    contacts_post,
    credit_code,
    make_user,
    management,
    pdf,
    qualification_post,
    use_private_media,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_media(settings, tmp_path):
    yield from use_private_media(settings, tmp_path)


@pytest.fixture
def owner(django_user_model):
    return make_user(django_user_model, "owner", role=ENTERPRISE)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def enterprise(owner_client) -> Enterprise:
    response = owner_client.post(reverse("enterprises:register_basics"), basics())
    assert response.status_code == 302
    return Enterprise.objects.get(uscc=credit_code(1))


def _edit(enterprise: Enterprise, step: str) -> str:
    return reverse("enterprises:edit", args=[enterprise.pk, step])


def test_anonymous_start_offers_login_and_signup_with_next(client) -> None:
    response = client.get(reverse("enterprises:register"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "/accounts/login/?next=%2Fenterprises%2Fregister%2F" in body
    assert "/accounts/signup/?next=%2Fenterprises%2Fregister%2F" in body
    chinese = client.get(reverse("enterprises:register"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "开始 5 个步骤之前：您的账户" in chinese.content.decode()  # not "step 0"
    step1 = client.get(reverse("enterprises:register_basics"))
    assert step1.status_code == 302 and step1["Location"].startswith("/accounts/login/")


def test_unverified_user_is_asked_to_verify_first(client, django_user_model) -> None:
    client.force_login(make_user(django_user_model, "fresh", verified=False))
    response = client.get(reverse("enterprises:register_basics"))
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:register")
    page = client.get(reverse("enterprises:register"))
    assert reverse("accounts:resend_verification") in page.content.decode()
    assert not Enterprise.objects.exists()


def test_verified_user_goes_to_step_one_with_progress(owner_client) -> None:
    response = owner_client.get(reverse("enterprises:register"), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("enterprises:register_basics")
    assert 'aria-current="step"' in body
    assert response.context["step_number"] == 1 and response.context["step_count"] == 5
    # Regions grouped by city, industries grouped by direction.
    assert '<optgroup label="南宁市">' in body and 'value="450103"' in body
    assert "新一代信息技术" in body and 'value="D0101"' in body


def test_basics_creates_the_draft_and_its_working_copy(owner_client, owner, enterprise) -> None:
    assert enterprise.status == Status.DRAFT
    assert list(enterprise.owners.all()) == [owner]
    version = open_version(enterprise)
    assert version.state == VersionState.DRAFT
    assert version.data["capability_tags"] == ["精密加工", "北斗定位", "电子装联"]
    assert version.data["industries"] == ["D0101", "D02"]
    assert version.data["registered_capital"] == "3000"
    assert version.data["founded_on"] == "2012-05-18"


@pytest.mark.parametrize(
    ("uscc", "code"),
    [
        ("91450103MA5KXXXX1", "length"),
        (credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1"), "check_digit"),
        ("91450103MA5KOOO1XA", "alphabet"),
        (credit_code(3, area="110105"), "area_code"),  # Beijing: not a Guangxi enterprise
    ],
)
def test_bad_credit_code_is_refused_with_a_message(owner_client, uscc, code) -> None:
    response = owner_client.post(reverse("enterprises:register_basics"), basics(uscc=uscc))
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["uscc"]
    assert [error.code for error in errors] == [code]
    assert (
        "uscc" in response.content.decode() and 'aria-invalid="true"' in response.content.decode()
    )
    assert not Enterprise.objects.exists()


def test_registered_credit_code_gets_one_neutral_answer(client, owner, django_user_model) -> None:
    """A credit code already in the registry cannot be registered again, and the answer does not
    tell whether a profile the user may not see exists: a draft, a revoked or a targeted profile
    gets the same words and the same claim link as a public one."""
    from tests.factories import EnterpriseFactory, release

    other = make_user(django_user_model, "other-owner", role=ENTERPRISE)
    profiles = {
        "public": EnterpriseFactory(uscc=credit_code(11)),
        "draft": EnterpriseFactory(uscc=credit_code(12), status=Status.DRAFT, owners=[other]),
        "revoked": EnterpriseFactory(uscc=credit_code(13), status=Status.REVOKED),
        "targeted": EnterpriseFactory(uscc=credit_code(14)),
    }
    release(profiles["targeted"], "targeted")
    client.force_login(owner)
    answers = set()
    for n, profile in enumerate(profiles.values(), start=11):
        response = client.post(reverse("enterprises:register_basics"), basics(n, name="另一家"))
        assert response.status_code == 400
        errors = response.context["form"].errors.as_data()["uscc"]
        assert [error.code for error in errors] == ["registered"]
        html = response.content.decode()
        assert reverse("enterprises:claim") in html
        assert profile.name not in html
        answers.add(" ".join(str(message) for error in errors for message in error.messages))
    assert answers == {str(REGISTERED_MESSAGE)}
    with translation.override("zh-hans"):
        assert str(REGISTERED_MESSAGE) == "该代码无法用于新登记，如为本企业请申请认领"
    assert Enterprise.objects.count() == len(profiles)


def test_claiming_a_profile_one_may_not_see_finds_nothing(owner) -> None:
    from portal.enterprises import claims
    from tests.factories import EnterpriseFactory, release

    hidden = EnterpriseFactory(uscc=credit_code(21))
    release(hidden, "targeted")
    with pytest.raises(claims.ClaimError) as refused:
        claims.submit_claim(owner, hidden.uscc)
    assert refused.value.code == "not_found"
    shown = EnterpriseFactory(uscc=credit_code(22))
    assert claims.submit_claim(owner, shown.uscc).enterprise == shown


def test_unknown_region_and_industry_are_refused(owner_client) -> None:
    response = owner_client.post(
        reverse("enterprises:register_basics"), basics(region="110105", industries=["X99"])
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "region" in form.errors and "industries" in form.errors
    assert not Enterprise.objects.exists()
    # The typed values come back so that nothing is lost.
    assert form["name"].value() == basics()["name"]


def test_markup_is_stored_as_typed_and_escaped_on_output(owner_client) -> None:
    script = '<script>alert("x")</script>'
    owner_client.post(
        reverse("enterprises:register_basics"), basics(description=script, name="<b>坏</b>公司")
    )
    enterprise = Enterprise.objects.get()
    data = open_version(enterprise).data
    assert data["description"] == script and data["name"] == "<b>坏</b>公司"
    review = owner_client.get(_edit(enterprise, "review")).content.decode()
    assert script not in review and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in review
    assert "<b>坏</b>" not in review and "&lt;b&gt;坏&lt;/b&gt;" in review


def test_basics_edit_keeps_the_credit_code(owner_client, enterprise) -> None:
    response = owner_client.post(
        _edit(enterprise, "basics"), basics(uscc=credit_code(9), name="改名后的公司")
    )
    assert response.status_code == 302
    data = open_version(enterprise).data
    assert data["uscc"] == credit_code(1) and data["name"] == "改名后的公司"
    assert EnterpriseVersion.objects.filter(enterprise=enterprise).count() == 1


def test_qualification_with_document_goes_to_private_storage(
    owner_client, enterprise, private_media
) -> None:
    response = owner_client.post(
        _edit(enterprise, "qualifications"),
        qualification_post(document=pdf("../../etc/保密 资格<证书>.pdf")),
    )
    assert response.status_code == 302
    assert response["Location"] == _edit(enterprise, "products")
    [item] = open_version(enterprise).data["qualifications"]
    assert item["type"] == "secrecy" and item["level"] == "二级"
    assert item["document"].startswith(f"qualifications/{enterprise.pk}/")
    name = item["document"].rsplit("/", 1)[1]
    assert ".." not in item["document"] and "<" not in name and " " not in name
    assert name.endswith(".pdf") and "资格" in name
    assert (private_media / item["document"]).read_bytes().startswith(b"%PDF-")


def test_saving_again_keeps_the_stored_document(owner_client, enterprise, private_media) -> None:
    owner_client.post(_edit(enterprise, "qualifications"), qualification_post(document=pdf()))
    stored = open_version(enterprise).data["qualifications"][0]["document"]
    page = owner_client.get(_edit(enterprise, "qualifications"))
    formset = page.context["qualifications"]
    assert formset.forms[0]["existing_document"].value() == stored
    post = qualification_post(existing_document=stored, number="桂BM2024002")
    post.update(management("qualifications", 2, initial=1))
    owner_client.post(_edit(enterprise, "qualifications"), post)
    [item] = open_version(enterprise).data["qualifications"]
    assert item["document"] == stored and item["number"] == "桂BM2024002"


def test_a_forged_existing_document_name_is_ignored(owner_client, enterprise) -> None:
    post = qualification_post(existing_document="qualifications/999/someone-else.pdf")
    owner_client.post(_edit(enterprise, "qualifications"), post)
    assert open_version(enterprise).data["qualifications"][0]["document"] == ""


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        (
            {"valid_from": "2024-06-01", "valid_until": "2023-06-01"},
            "valid_until",
            "expired_before_issued",
        ),
        ({"type": "iso9001", "level": "一级"}, "level", "level"),
        ({"type": "no_such_type"}, "type", "invalid_choice"),
    ],
)
def test_bad_qualification_changes_nothing(
    owner_client, enterprise, private_media, fields, field, code
) -> None:
    before = open_version(enterprise).data
    response = owner_client.post(
        _edit(enterprise, "qualifications"), qualification_post(document=pdf(), **fields)
    )
    assert response.status_code == 400
    errors = response.context["qualifications"].forms[0].errors.as_data()[field]
    assert [error.code for error in errors] == [code]
    assert open_version(enterprise).data == before
    assert not (private_media / "qualifications").exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (big_pdf(11), "too_large"),
        (pdf("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100), "content"),
        (pdf("scan.png", b"%PDF-1.4 but named png"), "content"),
        (pdf("scan.gif", b"GIF89a" + b"\x00" * 10), "extension"),
    ],
    ids=["oversize", "exe-renamed-pdf", "pdf-renamed-png", "gif"],
)
def test_bad_upload_is_refused_and_nothing_is_saved(
    owner_client, enterprise, private_media, upload, code
) -> None:
    before = open_version(enterprise).data
    response = owner_client.post(
        _edit(enterprise, "qualifications"), qualification_post(document=upload)
    )
    assert response.status_code == 400
    errors = response.context["qualifications"].forms[0].errors.as_data()["document"]
    assert [error.code for error in errors] == [code]
    assert open_version(enterprise).data == before
    assert not (private_media / "qualifications").exists()


def test_png_scan_is_accepted(owner_client, enterprise, private_media) -> None:
    upload = pdf("scan.PNG", PNG_BYTES)
    response = owner_client.post(
        _edit(enterprise, "qualifications"), qualification_post(document=upload)
    )
    assert response.status_code == 302
    assert open_version(enterprise).data["qualifications"][0]["document"].endswith(".png")


def test_one_bad_row_keeps_the_whole_step_unsaved(owner_client, enterprise, private_media) -> None:
    post = qualification_post(document=pdf())
    post.update(management("qualifications", 2))
    post.update({"qualifications-1-type": "iso9001", "qualifications-1-valid_from": "not a date"})
    response = owner_client.post(_edit(enterprise, "qualifications"), post)
    assert response.status_code == 400
    assert open_version(enterprise).data["qualifications"] == []
    assert not (private_media / "qualifications").exists()


def test_products_step_saves_all_four_lists(owner_client, enterprise) -> None:
    post = {
        **management("products", 2),
        "products-0-name": "北斗定位终端",
        "products-0-description": "短报文通信",
        **management("technologies", 1),
        "technologies-0-name": "RTK高精度定位",
        **management("patents", 1),
        "patents-0-title": "一种抗干扰天线",
        "patents-0-number": "ZL202010000001.1",
        "patents-0-is_defense": "on",
        "patents-0-granted_on": "2021-03-01",
        **management("cases", 1),
        "cases-0-title": "边防通信保障项目",
        "cases-0-client": "某部",
        "cases-0-year": "2022",
    }
    response = owner_client.post(_edit(enterprise, "products"), post)
    assert response.status_code == 302
    data = open_version(enterprise).data
    assert data["products"] == [{"name": "北斗定位终端", "description": "短报文通信"}]
    assert data["patents"][0]["is_defense"] is True
    assert data["patents"][0]["granted_on"] == "2021-03-01"
    assert data["cases"][0]["year"] == 2022


def test_deleting_an_entry_removes_it(owner_client, enterprise) -> None:
    owner_client.post(_edit(enterprise, "contacts"), contacts_post())
    post = contacts_post(DELETE="on")
    post.update(management("contacts", 1, initial=1))
    owner_client.post(_edit(enterprise, "contacts"), post)
    assert open_version(enterprise).data["contacts"] == []


def test_contact_needs_a_way_to_reach_them(owner_client, enterprise) -> None:
    response = owner_client.post(_edit(enterprise, "contacts"), contacts_post(phone="", email=""))
    assert response.status_code == 400
    assert response.context["contacts"].forms[0].non_field_errors()
    assert open_version(enterprise).data["contacts"] == []


def test_submit_refuses_an_incomplete_profile_then_submits(owner_client, enterprise) -> None:
    owner_client.post(_edit(enterprise, "basics"), basics(description=""))
    response = owner_client.post(reverse("enterprises:submit", args=[enterprise.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("contact" in m or "联系人" in m for m in messages)
    enterprise.refresh_from_db()
    assert enterprise.status == Status.DRAFT
    owner_client.post(_edit(enterprise, "basics"), basics())
    owner_client.post(_edit(enterprise, "contacts"), contacts_post())
    review = owner_client.get(_edit(enterprise, "review"))
    assert review.context["missing"] == []
    response = owner_client.post(reverse("enterprises:submit", args=[enterprise.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:dashboard")
    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUBMITTED
    # Under review: the steps are closed until the decision.
    locked = owner_client.get(_edit(enterprise, "basics"))
    assert locked.status_code == 302 and locked["Location"] == reverse("enterprises:dashboard")


def test_other_users_cannot_see_or_edit_the_draft(client, django_user_model, enterprise) -> None:
    client.force_login(make_user(django_user_model, "intruder", role=ENTERPRISE))
    assert client.get(_edit(enterprise, "basics")).status_code == 404
    assert client.post(_edit(enterprise, "basics"), basics(name="x")).status_code == 404
    assert client.post(reverse("enterprises:submit", args=[enterprise.pk])).status_code == 404
    assert client.get(_edit(enterprise, "no-such-step")).status_code == 404
