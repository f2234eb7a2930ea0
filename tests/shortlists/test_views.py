"""The shortlist pages: list and create (with validation), rename, delete with confirmation,
notes, removal, and the "加入候选名单" control on the directory and the profile page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from classification.tiers import Tier
from portal.accounts import roles
from portal.shortlists.models import MAX_ENTRIES, Shortlist, ShortlistEntry
from tests.factories import EnterpriseFactory, UserFactory

from .conftest import Cast, client_for

pytestmark = pytest.mark.django_db


def test_empty_state_for_a_new_officer() -> None:
    officer = UserFactory(roles=[roles.PROCUREMENT])
    response = client_for(officer).get(reverse("shortlists:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "empty-state" in page
    assert 'name="name"' in page  # the create form


def test_enterprise_user_sees_no_create_form() -> None:
    user = UserFactory(roles=[roles.ENTERPRISE])
    page = client_for(user).get(reverse("shortlists:index")).content.decode()
    assert "empty-state" in page and 'name="name"' not in page


def test_create_and_list(cast: Cast) -> None:
    client = client_for(cast.officer)
    response = client.post(reverse("shortlists:index"), {"name": "  雷达  配套 "})
    created = Shortlist.objects.get(owner=cast.officer, name="雷达 配套")
    assert response.status_code == 302
    assert response["Location"] == reverse("shortlists:detail", args=[created.pk])
    listing = client.get(reverse("shortlists:index")).content.decode()
    assert "雷达 配套" in listing and "北斗终端候选" in listing


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("北斗终端候选", "You already have a shortlist with this name."),
        (" 北斗终端候选 ", "You already have a shortlist with this name."),
        ("beidou 终端", "You already have a shortlist with this name."),  # vs "BeiDou 终端"
        ("名" * 101, "at most 100 characters"),
    ],
)
def test_create_validation(cast: Cast, name: str, message: str) -> None:
    client = client_for(cast.officer)
    client.cookies["django_language"] = "en"
    Shortlist.objects.create(owner=cast.officer, name="BeiDou 终端")
    before = Shortlist.objects.count()
    response = client.post(reverse("shortlists:index"), {"name": name}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Shortlist.objects.count() == before


def test_same_name_for_another_owner_is_fine(cast: Cast) -> None:
    client = client_for(cast.colleague)
    assert client.post(reverse("shortlists:index"), {"name": "北斗终端候选"}).status_code == 302


def test_rename(cast: Cast) -> None:
    client = client_for(cast.officer)
    url = reverse("shortlists:edit", args=[cast.shortlist.pk])
    assert client.get(url).status_code == 200
    other = Shortlist.objects.create(owner=cast.officer, name="另一个")
    clash = client.post(url, {"name": "另一个"})
    assert clash.status_code == 400
    assert client.post(url, {"name": "北斗终端候选（二期）", "description": "d"}).status_code == 302
    cast.shortlist.refresh_from_db()
    assert (cast.shortlist.name, cast.shortlist.description) == ("北斗终端候选（二期）", "d")
    assert other.name == "另一个"


def test_delete_asks_first(cast: Cast) -> None:
    client = client_for(cast.officer)
    url = reverse("shortlists:delete", args=[cast.shortlist.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "北斗终端候选" in confirm.content.decode()
    assert Shortlist.objects.filter(pk=cast.shortlist.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("shortlists:index")
    assert not Shortlist.objects.filter(pk=cast.shortlist.pk).exists()
    assert not ShortlistEntry.objects.filter(shortlist_id=cast.shortlist.pk).exists()


def test_edit_note_and_remove(cast: Cast) -> None:
    client = client_for(cast.officer)
    entry = cast.shortlist.entries.get(enterprise=cast.second)
    note = reverse("shortlists:note", args=[cast.shortlist.pk, entry.pk])
    response = client.post(note, {"note": "  需要补充资质  "}, follow=True)
    entry.refresh_from_db()
    assert entry.note == "需要补充资质"
    assert "需要补充资质" in response.content.decode()
    too_long = client.post(note, {"note": "长" * 2001})
    assert too_long.status_code == 302
    entry.refresh_from_db()
    assert entry.note == "需要补充资质"  # nothing lost
    remove = reverse("shortlists:remove", args=[cast.shortlist.pk, entry.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert list(cast.shortlist.entries.values_list("enterprise", flat=True)) == [cast.first.pk]


def test_add_to_an_existing_list_and_back(cast: Cast) -> None:
    third = EnterpriseFactory(name="桂林稀土新材料有限公司")
    client = client_for(cast.officer)
    back = "/suppliers/?q=%E7%A8%80%E5%9C%9F"  # 稀土, as the browser sends it
    response = client.post(
        reverse("shortlists:add"),
        {"enterprise": third.pk, "shortlist": cast.shortlist.pk, "next": back, "note": "稀土"},
    )
    # Back to the page, at the supplier's control: the reader's place in a long list.
    assert response.status_code == 302
    assert response["Location"] == f"{back}#shortlist-add-{third.pk}"
    assert cast.shortlist.entries.filter(enterprise=third, note="稀土").exists()
    shown = client.get(reverse("shortlists:index"))  # the message shows on the next page
    messages = [str(m) for m in shown.context["messages"]]
    assert any("桂林稀土新材料有限公司" in m and "北斗终端候选" in m for m in messages)
    again = client.post(
        reverse("shortlists:add"), {"enterprise": third.pk, "shortlist": cast.shortlist.pk}
    )
    assert again.status_code == 400
    assert cast.shortlist.entries.filter(enterprise=third).count() == 1


def test_add_to_a_new_list_and_an_unsafe_next_is_ignored(cast: Cast) -> None:
    client = client_for(cast.officer)
    response = client.post(
        reverse("shortlists:add"),
        {
            "enterprise": cast.first.pk,
            "shortlist": "new",
            "new_name": "新建的名单",
            "next": "https://evil.example/",
        },
    )
    created = Shortlist.objects.get(owner=cast.officer, name="新建的名单")
    assert response["Location"] == reverse("shortlists:detail", args=[created.pk])
    assert created.entries.get().enterprise == cast.first
    missing = client.post(
        reverse("shortlists:add"), {"enterprise": cast.first.pk, "shortlist": "new"}
    )
    assert missing.status_code == 400
    assert 'name="new_name"' in missing.content.decode()


def test_add_refuses_what_the_user_may_not_touch(cast: Cast) -> None:
    client = client_for(cast.officer)
    foreign = Shortlist.objects.create(owner=cast.outsider, name="别人的")
    response = client.post(
        reverse("shortlists:add"), {"enterprise": cast.first.pk, "shortlist": foreign.pk}
    )
    assert response.status_code == 400
    assert not foreign.entries.exists()
    hidden = EnterpriseFactory(name="定向单位", tier=Tier.TARGETED)
    response = client.post(
        reverse("shortlists:add"), {"enterprise": hidden.pk, "shortlist": cast.shortlist.pk}
    )
    assert response.status_code == 404
    assert not cast.shortlist.entries.filter(enterprise=hidden).exists()
    enterprise_user = UserFactory(roles=[roles.ENTERPRISE])
    response = client_for(enterprise_user).post(
        reverse("shortlists:add"),
        {"enterprise": cast.first.pk, "shortlist": "new", "new_name": "x"},
    )
    assert response.status_code == 404


def test_a_full_list_refuses_more(cast: Cast, monkeypatch) -> None:
    monkeypatch.setattr("portal.shortlists.changes.MAX_ENTRIES", 2)
    third = EnterpriseFactory()
    response = client_for(cast.officer).post(
        reverse("shortlists:add"), {"enterprise": third.pk, "shortlist": cast.shortlist.pk}
    )
    assert response.status_code == 400
    assert "at most 2" in response.content.decode() or "最多" in response.content.decode()
    assert cast.shortlist.entries.count() == 2
    assert MAX_ENTRIES == 200


def test_profile_page_offers_the_control_to_officers_only(cast: Cast) -> None:
    url = reverse("enterprises:profile", args=[cast.first.pk])
    page = client_for(cast.officer).get(url).content.decode()
    assert 'action="/shortlists/add/"' in page
    assert f'value="{cast.shortlist.pk}"' in page
    assert "北斗终端候选" in page  # already on it
    visitor = client_for(UserFactory(roles=[roles.ENTERPRISE])).get(url).content.decode()
    assert 'action="/shortlists/add/"' not in visitor
    assert 'action="/shortlists/add/"' not in client_for(None).get(url).content.decode()


@pytest.mark.engine
def test_directory_results_offer_the_control(cast: Cast, search_index) -> None:
    from search import indexing

    indexing.record("enterprises", [cast.first.pk, cast.second.pk])
    search_index()
    page = client_for(cast.officer).get("/suppliers/?q=北斗").content.decode()
    assert page.count('action="/shortlists/add/"') >= 1
    assert f'name="enterprise" value="{cast.first.pk}"' in page
    assert page.count("css/shortlists.css") == 1
