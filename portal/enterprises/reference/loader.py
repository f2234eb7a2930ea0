"""Write the JSON reference data into the tables (used by migrations, so it takes the models)."""

from __future__ import annotations

from .aliases import load_industries, load_qualification_types, load_regions


def load_reference_data(region_model, industry_model, qualification_type_model) -> None:
    """Upsert every region, industry and qualification type; parents before children."""
    for row in sorted(
        load_regions(), key=lambda r: ("province", "city", "county").index(r["level"])
    ):
        region_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent"]},
        )
    for row in sorted(load_industries(), key=lambda r: r["parent"] is not None):
        industry_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "parent_id": row["parent"],
                "gbt4754": row.get("gbt4754", []),
            },
        )
    for position, row in enumerate(load_qualification_types()):
        qualification_type_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "levels": row.get("levels", []),
                "sort_order": position,
            },
        )
