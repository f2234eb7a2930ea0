"""The field spec agrees with the models, and the modules that read it follow its order."""

from __future__ import annotations

import pytest
from django.db import models

from portal.enterprises.api.serializers import EnterprisePatchSerializer
from portal.enterprises.fields import (
    COLUMNS,
    LIST_NAMES,
    LISTS,
    PROFILE,
    PROFILE_BY_NAME,
    PROFILE_FIELDS,
    SEARCH_LIST_COLUMNS,
    SEARCH_PROFILE_COLUMNS,
    SEARCH_TEXT_FIELDS,
    Kind,
    profile_list,
)
from portal.enterprises.forms import CompanyForm
from portal.enterprises.forms.items import (
    CaseForm,
    ContactForm,
    PatentForm,
    ProductForm,
    TechnologyForm,
)
from portal.enterprises.forms.qualifications import QualificationForm
from portal.enterprises.importing import rows
from portal.enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, ProductFactory

#: The model field classes each kind may be stored in.
STORAGE = {
    Kind.TEXT: (models.CharField, models.TextField),
    Kind.URL: (models.URLField,),
    Kind.EMAIL: (models.EmailField,),
    Kind.CHOICE: (models.CharField,),
    Kind.FK: (models.ForeignKey,),
    Kind.CODES: (models.ManyToManyField,),
    Kind.TAGS: (models.JSONField,),
    Kind.DECIMAL: (models.DecimalField,),
    Kind.DATE: (models.DateField,),
    Kind.INTEGER: (models.IntegerField,),
    Kind.BOOLEAN: (models.BooleanField,),
    Kind.FILE: (models.FileField,),
}


def test_every_profile_field_is_a_model_field_of_its_kind() -> None:
    for spec in PROFILE:
        model_field = Enterprise._meta.get_field(spec.name)
        assert isinstance(model_field, STORAGE[spec.kind]), spec.name
    for spec in LISTS:
        for item_field in spec.fields:
            model_field = spec.model._meta.get_field(item_field.name)
            assert isinstance(model_field, STORAGE[item_field.kind]), (spec.name, item_field.name)


def test_choice_fields_have_model_choices() -> None:
    for spec in PROFILE:
        if spec.kind is Kind.CHOICE:
            assert Enterprise._meta.get_field(spec.name).choices, spec.name


def test_the_wizard_forms_follow_the_spec() -> None:
    assert list(CompanyForm.base_fields) == [spec.name for spec in PROFILE if spec.in_form]
    forms = {
        "products": ProductForm,
        "technologies": TechnologyForm,
        "patents": PatentForm,
        "cases": CaseForm,
        "contacts": ContactForm,
    }
    for name, form in forms.items():
        assert list(form.base_fields) == list(profile_list(name).field_names), name
    qualification = list(QualificationForm.base_fields)
    assert qualification == [*profile_list("qualifications").field_names, "existing_document"]


def test_the_patch_serializer_follows_the_spec() -> None:
    fields = list(EnterprisePatchSerializer().fields)
    assert fields == [spec.name for spec in PROFILE if spec.in_serializer] + list(LIST_NAMES)
    assert "uscc" not in fields


def test_columns_are_unambiguous_and_name_what_they_carry() -> None:
    spellings = [spelling for column in COLUMNS for spelling in (column.header, *column.aliases)]
    assert len(spellings) == len(set(spellings))
    assert len({column.position for column in COLUMNS}) == len(COLUMNS)
    list_columns = {column.key for spec in LISTS for column in spec.columns}
    for column in COLUMNS:
        assert column.key in PROFILE_FIELDS or column.key in list_columns, column.key


def test_search_text_fields_are_text_among_the_search_columns() -> None:
    for name, fields in SEARCH_TEXT_FIELDS.items():
        assert set(fields) <= set(SEARCH_LIST_COLUMNS[name])
        assert fields, name
    assert SEARCH_TEXT_FIELDS == {
        "products": ("name", "description"),
        "technologies": ("name", "description"),
    }


@pytest.mark.django_db
def test_search_columns_read_back_from_the_database() -> None:
    enterprise = EnterpriseFactory()
    ProductFactory(enterprise=enterprise, name="北斗定位终端", description="短报文")
    (row,) = Enterprise.objects.filter(pk=enterprise.pk).values(*SEARCH_PROFILE_COLUMNS)
    assert row["uscc"] == enterprise.uscc
    assert row["region_id"] == enterprise.region_id
    for name, columns in SEARCH_LIST_COLUMNS.items():
        rows = profile_list(name).model.objects.filter(enterprise=enterprise)
        assert all(set(columns) <= set(item) for item in rows.values(*columns)), name
    products = profile_list("products").model.objects.filter(enterprise=enterprise)
    assert list(products.values(*SEARCH_TEXT_FIELDS["products"])) == [
        {"name": "北斗定位终端", "description": "短报文"}
    ]


def test_no_column_but_text_is_read_as_plain_text() -> None:
    plain = rows.parser_for("address")
    for column in COLUMNS:
        spec = PROFILE_BY_NAME.get(column.key)
        if spec is None or spec.kind is not Kind.TEXT:
            assert rows.parser_for(column.key) is not plain, column.key
    assert rows.parser_for("founded_on") is not rows.parser_for("website")
