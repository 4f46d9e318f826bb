"""Load administrative units from the maintained ``vietnam-provinces`` package.

Two structures are loaded, with successor links from the old to the new:

- Bến Tre as the plan of 2013 knew it: the province, its 9 district-level units and their
  communes (the package's legacy list: the units as they stood just before 1 July 2025, after the
  mergers of 2019-2020 — 148 communes instead of the 164 of 2013);
- today's Vĩnh Long (from 1 July 2025, two levels): the province and its 124 communes and wards.

The load is idempotent: units are matched on (level, code, valid_from).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from vietnam_provinces import Province, Ward
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import Province as LegacyProvince
from vietnam_provinces.legacy import Ward as LegacyWard

from danvan.org.models import AdminUnit, UnitLevel

REFORM_2025 = date(2025, 7, 1)
BEN_TRE_LEGACY = 83
VINH_LONG_NEW = 86
# The old provinces that merged into today's Vĩnh Long.
MERGED_INTO_VINH_LONG = (83, 84, 86)  # Bến Tre, Trà Vinh, Vĩnh Long (legacy codes)


def _upsert(
    *,
    code: int | str,
    name: str,
    kind: str,
    level: str,
    parent: AdminUnit | None,
    valid_from: date | None,
    valid_to: date | None,
) -> AdminUnit:
    unit, _ = AdminUnit.objects.update_or_create(
        level=level,
        code=str(int(code)).zfill(
            2 if level == UnitLevel.PROVINCE else 3 if level == UnitLevel.DISTRICT else 5
        ),
        valid_from=valid_from,
        defaults={"name": name, "kind": kind, "parent": parent, "valid_to": valid_to},
    )
    path = f"{parent.path if parent else '/'}{unit.pk}/"
    if unit.path != path:
        unit.path = path
        unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def load_units() -> dict[str, int]:
    """Create or update the units; return how many of each kind are in the database."""
    # Bến Tre, three levels, until 30/06/2025.
    legacy_provinces: dict[int, AdminUnit] = {}
    for code in MERGED_INTO_VINH_LONG:
        lp = LegacyProvince.from_code(code)  # type: ignore[arg-type]
        legacy_provinces[code] = _upsert(
            code=lp.code,
            name=lp.name,
            kind=lp.division_type,
            level=UnitLevel.PROVINCE,
            parent=None,
            valid_from=None,
            valid_to=REFORM_2025,
        )
    ben_tre = legacy_provinces[BEN_TRE_LEGACY]
    districts: dict[int, AdminUnit] = {}
    for d in LegacyDistrict.iter_by_province(BEN_TRE_LEGACY):  # type: ignore[arg-type]
        districts[int(d.code)] = _upsert(
            code=d.code,
            name=d.name,
            kind=d.division_type,
            level=UnitLevel.DISTRICT,
            parent=ben_tre,
            valid_from=None,
            valid_to=REFORM_2025,
        )
    legacy_wards: dict[int, AdminUnit] = {}
    for lw in LegacyWard.iter_by_province(BEN_TRE_LEGACY):  # type: ignore[arg-type]
        legacy_wards[int(lw.code)] = _upsert(
            code=lw.code,
            name=lw.name,
            kind=lw.division_type,
            level=UnitLevel.COMMUNE,
            parent=districts[int(lw.district_code)],
            valid_from=None,
            valid_to=REFORM_2025,
        )

    # Vĩnh Long, two levels, from 01/07/2025.
    np = Province.from_code(VINH_LONG_NEW)  # type: ignore[arg-type]
    vinh_long = _upsert(
        code=np.code,
        name=np.name,
        kind=np.division_type,
        level=UnitLevel.PROVINCE,
        parent=None,
        valid_from=REFORM_2025,
        valid_to=None,
    )
    for old in legacy_provinces.values():
        old.successors.add(vinh_long)
    for w in Ward.iter_by_province(VINH_LONG_NEW):  # type: ignore[arg-type]
        new = _upsert(
            code=w.code,
            name=w.name,
            kind=w.division_type,
            level=UnitLevel.COMMUNE,
            parent=vinh_long,
            valid_from=REFORM_2025,
            valid_to=None,
        )
        for source in w.get_legacy_sources():
            old_unit = legacy_wards.get(int(source.code))
            if old_unit is not None:
                old_unit.successors.add(new)
                # The district is succeeded by every new commune its communes went to.
                if old_unit.parent is not None:
                    old_unit.parent.successors.add(new)
    return {
        "province": AdminUnit.objects.filter(level=UnitLevel.PROVINCE).count(),
        "district": AdminUnit.objects.filter(level=UnitLevel.DISTRICT).count(),
        "commune": AdminUnit.objects.filter(level=UnitLevel.COMMUNE).count(),
    }
