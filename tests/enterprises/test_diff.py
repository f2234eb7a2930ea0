"""The reviewer's diff: changed fields, added and removed list rows, first submissions."""

from __future__ import annotations

from portal.enterprises.diff import diff_snapshots
from portal.enterprises.snapshots import LISTS, PROFILE_FIELDS, empty_snapshot

BASE = {
    **empty_snapshot(uscc="91450103MA0000001X", name="南宁北斗有限公司", region="450103"),
    "industries": ["D0101"],
    "description": "北斗终端。",
    "products": [{"name": "北斗终端", "description": ""}],
    "contacts": [{"name": "李明", "job_title": "", "phone": "0771-1", "email": ""}],
}


def test_identical_snapshots_have_no_diff() -> None:
    diff = diff_snapshots(BASE, dict(BASE))
    assert not diff and diff.changed_names() == []


def test_changed_fields_keep_before_and_after() -> None:
    after = {**BASE, "name": "南宁北斗科技有限公司", "region": "450203", "website": "https://a.cn"}
    diff = diff_snapshots(BASE, after)
    changes = {change.name: (change.before, change.after) for change in diff.fields}
    assert changes == {
        "name": ("南宁北斗有限公司", "南宁北斗科技有限公司"),
        "region": ("450103", "450203"),
        "website": ("", "https://a.cn"),
    }
    assert diff.lists == []
    # Fields come in the profile's display order.
    assert [c.name for c in diff.fields] == [n for n in PROFILE_FIELDS if n in changes]


def test_blank_and_none_and_list_order_are_not_changes() -> None:
    after = {**BASE, "website": None, "founded_on": "", "industries": ["D0101"]}
    assert not diff_snapshots(BASE, after)
    reordered = {**BASE, "industries": ["D0201", "D0101"]}
    before = {**BASE, "industries": ["D0101", "D0201"]}
    assert not diff_snapshots(before, reordered)


def test_list_rows_added_and_removed() -> None:
    after = {
        **BASE,
        "products": [
            {"name": "北斗终端", "description": ""},
            {"name": "短报文模块", "description": "北斗三号"},
        ],
        "contacts": [{"name": "李明", "job_title": "", "phone": "0771-2", "email": ""}],
    }
    diff = diff_snapshots(BASE, after)
    lists = {change.name: change for change in diff.lists}
    assert set(lists) == {"products", "contacts"}
    assert lists["products"].added == [{"name": "短报文模块", "description": "北斗三号"}]
    assert lists["products"].removed == []
    # A changed row reads as one removed and one added row.
    assert lists["contacts"].removed == [BASE["contacts"][0]]
    assert lists["contacts"].added[0]["phone"] == "0771-2"
    assert diff.changed_names() == ["products", "contacts"]


def test_first_submission_shows_everything_as_new() -> None:
    diff = diff_snapshots(None, BASE)
    names = {change.name for change in diff.fields}
    assert {"uscc", "name", "region", "industries", "description"} <= names
    assert all(change.before is None for change in diff.fields)
    assert {change.name for change in diff.lists} == {"products", "contacts"}
    assert all(not change.removed for change in diff.lists)
    assert set(diff.changed_names()) <= set(PROFILE_FIELDS) | set(LISTS)


def _marked(runs) -> list[str]:
    return [run.text for run in runs if run.changed]


def test_one_added_sentence_is_marked_alone() -> None:
    from portal.enterprises.diff import char_diff

    before = "公司专注北斗高精度定位终端研发。产品覆盖测绘与交通。"
    added = "已通过武器装备质量管理体系认证。"
    after = "公司专注北斗高精度定位终端研发。" + added + "产品覆盖测绘与交通。"
    old, new = char_diff(before, after)
    assert _marked(old) == []
    assert _marked(new) == [added]
    assert "".join(run.text for run in old) == before
    assert "".join(run.text for run in new) == after


def test_a_changed_word_is_marked_on_both_sides() -> None:
    from portal.enterprises.diff import char_diff

    old, new = char_diff("南宁北斗有限公司", "南宁北斗科技有限公司")
    assert _marked(old) == [] and _marked(new) == ["科技"]
    old, new = char_diff("员工 120 人，年产值 3 亿元。", "员工 150 人，年产值 3 亿元。")
    # Character level: of 120 -> 150 only the digit that changed is marked.
    assert _marked(old) == ["2"] and _marked(new) == ["5"]


def test_unrelated_texts_are_one_deletion_and_one_insertion() -> None:
    from portal.enterprises.diff import char_diff

    old, new = char_diff("北斗导航终端研发制造", "石墨烯导热膜批量供应")
    assert _marked(old) == ["北斗导航终端研发制造"]
    assert _marked(new) == ["石墨烯导热膜批量供应"]


def test_the_review_rows_carry_the_runs() -> None:
    from portal.enterprises.admin_views.display import diff_rows

    class Labels:
        def field_label(self, name):
            return name

        def value(self, name, value):
            return value or "—"

    after = {**BASE, "description": "北斗终端。面向东盟市场。"}
    [change], _tables = diff_rows(diff_snapshots(BASE, after), Labels())
    assert _marked(change.before_runs) == []
    assert _marked(change.after_runs) == ["面向东盟市场。"]
    first = {**BASE, "description": ""}
    [change], _tables = diff_rows(diff_snapshots(first, BASE), Labels())
    assert change.before_runs == [] and _marked(change.after_runs) == ["北斗终端。"]
