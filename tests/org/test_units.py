"""Administrative units loaded from vietnam-provinces: Bến Tre 2013 (three levels) and today's
Vĩnh Long (two levels), with successor links."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.org.models import AdminUnit, UnitLevel
from danvan.org.selectors import units_under
from danvan.org.units import REFORM_2025, load_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> dict[str, int]:
    return load_units()


def test_ben_tre_has_its_nine_district_level_units(units: dict[str, int]) -> None:
    ben_tre = AdminUnit.objects.get(level=UnitLevel.PROVINCE, code="83")
    districts = AdminUnit.objects.filter(parent=ben_tre, level=UnitLevel.DISTRICT)
    assert districts.count() == 9
    assert set(districts.values_list("name", flat=True)) >= {
        "Thành phố Bến Tre",
        "Huyện Châu Thành",
        "Huyện Ba Tri",
    }
    assert ben_tre.valid_to == REFORM_2025
    communes = units_under(ben_tre).filter(level=UnitLevel.COMMUNE)
    assert communes.count() == 148  # the package's list just before 1/7/2025
    assert all(c.path.startswith(ben_tre.path) for c in communes)


def test_vinh_long_today_has_two_levels_and_succeeds_ben_tre(units: dict[str, int]) -> None:
    vinh_long = AdminUnit.objects.get(level=UnitLevel.PROVINCE, code="86", valid_from=REFORM_2025)
    assert vinh_long.is_current
    assert AdminUnit.objects.filter(parent=vinh_long, level=UnitLevel.COMMUNE).count() == 124
    assert not AdminUnit.objects.filter(parent=vinh_long, level=UnitLevel.DISTRICT).exists()
    ben_tre = AdminUnit.objects.get(level=UnitLevel.PROVINCE, code="83")
    assert list(ben_tre.successors.all()) == [vinh_long]
    assert ben_tre in vinh_long.predecessors.all()


def test_every_old_commune_of_ben_tre_has_a_successor_commune(units: dict[str, int]) -> None:
    old = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, valid_to=REFORM_2025).prefetch_related(
        "successors"
    )
    assert old.count() == 148
    for commune in old:
        successors = list(commune.successors.all())
        assert successors, commune.name
        assert all(s.valid_from == REFORM_2025 and s.level == UnitLevel.COMMUNE for s in successors)
    phu_khuong = AdminUnit.objects.get(level=UnitLevel.COMMUNE, code="28756", valid_to=REFORM_2025)
    assert [s.name for s in phu_khuong.successors.all()] == ["Phường Phú Khương"]


def test_units_valid_on_a_date(units: dict[str, int]) -> None:
    in_2013 = AdminUnit.objects.valid_on(date(2013, 11, 26)).filter(level=UnitLevel.PROVINCE)
    assert set(in_2013.values_list("code", flat=True)) == {"83", "84", "86"}
    assert in_2013.filter(valid_from=REFORM_2025).count() == 0
    today = AdminUnit.objects.valid_on(date(2026, 11, 28)).filter(level=UnitLevel.PROVINCE)
    assert [u.name for u in today] == ["Tỉnh Vĩnh Long"]


def test_loading_twice_changes_nothing(units: dict[str, int]) -> None:
    before = AdminUnit.objects.count()
    assert load_units() == units
    assert AdminUnit.objects.count() == before
