"""Shared pieces of the enterprise page tests: users, valid credit codes, posted steps, files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.functional import empty

from portal.accounts import roles
from portal.core import storage
from portal.enterprises import workflow
from portal.enterprises.models import Enterprise
from portal.enterprises.uscc import make_uscc, org_code_check_char

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def credit_code(n: int, area: str = "450103") -> str:
    body = f"MB{n:06d}"
    return make_uscc("91" + area + body + org_code_check_char(body))


def make_user(django_user_model, name: str, *, verified: bool = True, role: str | None = None):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-123456789")
    if verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def basics(n: int = 1, **overrides: Any) -> dict[str, Any]:
    data = {
        "uscc": credit_code(n),
        "name": f"广西测试{n}精密制造有限公司",
        "short_name": "测试精密",
        "legal_representative": "韦建国",
        "founded_on": "2012-05-18",
        "registered_capital": "3000",
        "staff_size": "100-299",
        "ownership": "private",
        "region": "450103",
        "address": "南宁市青秀区民族大道100号",
        "website": "https://example.com",
        "industries": ["D0101", "D02"],
        "description": "专注北斗导航终端研发。",
        "capabilities": "精密加工、电子装联",
        "capability_tags": "精密加工、北斗定位, 电子装联",
    }
    data.update(overrides)
    return data


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def qualification_post(document=None, **fields: Any) -> dict[str, Any]:
    data = {
        **management("qualifications", 1),
        "qualifications-0-type": "secrecy",
        "qualifications-0-number": "桂BM2024001",
        "qualifications-0-issuer": "广西壮族自治区国家保密局",
        "qualifications-0-level": "二级",
        "qualifications-0-valid_from": "2024-01-01",
        "qualifications-0-valid_until": "2029-12-31",
    }
    data.update({f"qualifications-0-{k}": v for k, v in fields.items()})
    if document is not None:
        data["qualifications-0-document"] = document
    return data


def pdf(name: str = "保密资格证书.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def contacts_post(**fields: Any) -> dict[str, Any]:
    data = {
        **management("contacts", 1),
        "contacts-0-name": "李明",
        "contacts-0-job_title": "市场部经理",
        "contacts-0-phone": "0771-5551234",
        "contacts-0-email": "liming@example.com",
    }
    data.update({f"contacts-0-{k}": v for k, v in fields.items()})
    return data


def full_snapshot(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A complete profile as the working copy stores it."""
    data = basics(n)
    data["capability_tags"] = ["精密加工", "北斗定位"]
    data["industries"] = ["D0101"]
    data.update(
        {
            "qualifications": [
                {
                    "type": "secrecy",
                    "number": "桂BM1",
                    "issuer": "保密局",
                    "level": "二级",
                    "valid_from": "2020-01-01",
                    "valid_until": "2021-01-01",
                    "document": "",
                },
                {
                    "type": "iso9001",
                    "number": "ISO-1",
                    "issuer": "认证中心",
                    "level": "",
                    "valid_from": "2024-01-01",
                    "valid_until": "2099-01-01",
                    "document": "",
                },
            ],
            "products": [{"name": "北斗定位终端", "description": "短报文"}],
            "technologies": [{"name": "RTK定位", "description": ""}],
            "patents": [
                {"number": "ZL2020", "title": "一种天线", "is_defense": True, "granted_on": None}
            ],
            "cases": [{"title": "某部通信保障", "client": "某部", "year": 2022, "description": ""}],
            "contacts": [
                {"name": "李明", "job_title": "经理", "phone": "0771-5551234", "email": ""}
            ],
        }
    )
    data.update(overrides)
    return data


def approved_enterprise(owner, reviewer, n: int = 1, **overrides: Any) -> Enterprise:
    """A profile that went through the real workflow to approval."""
    data = full_snapshot(n, **overrides)
    enterprise = workflow.create_enterprise(
        owner, uscc=data["uscc"], name=data["name"], region=data["region"]
    )
    workflow.save_draft(owner, enterprise, data)
    workflow.submit(owner, enterprise)
    workflow.approve(reviewer, enterprise)
    enterprise.refresh_from_db()
    return enterprise


def use_private_media(settings, tmp_path) -> Iterator:
    """Body of each module's ``private_media`` fixture: uploads go to a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    storage._storage._wrapped = empty
    yield tmp_path / "private"
    storage._storage._wrapped = empty


def big_pdf(megabytes: int = 11) -> SimpleUploadedFile:
    buffer = io.BytesIO(PDF_BYTES + b"0" * (megabytes * 1024 * 1024))
    return SimpleUploadedFile("big.pdf", buffer.getvalue(), content_type="application/pdf")


REVIEWER = roles.REVIEWER
ENTERPRISE = roles.ENTERPRISE
