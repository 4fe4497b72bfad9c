"""Tests for sharedsvc.calendars: UK working-day arithmetic.

Expected dates come from the published UK bank holiday lists (gov.uk), worked
by hand, and agree with the ``holidays`` package.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharedsvc.calendars import (
    LONDON,
    Nation,
    WorkingDayCalendar,
    add_calendar_days,
    calendar_for,
    local_date,
)

EW = calendar_for(Nation.ENGLAND_AND_WALES)
SCT = calendar_for(Nation.SCOTLAND)
NI = calendar_for(Nation.NORTHERN_IRELAND)

# Weekday bank holidays of 2025, from gov.uk/bank-holidays.
WEEKDAY_HOLIDAYS_2025 = {
    Nation.ENGLAND_AND_WALES: {
        date(2025, 1, 1),  # New Year's Day
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2025, 5, 5),  # Early May bank holiday
        date(2025, 5, 26),  # Spring bank holiday
        date(2025, 8, 25),  # Summer bank holiday (last Monday in August)
        date(2025, 12, 25),  # Christmas Day
        date(2025, 12, 26),  # Boxing Day
    },
    Nation.SCOTLAND: {
        date(2025, 1, 1),  # New Year's Day
        date(2025, 1, 2),  # 2nd January
        date(2025, 4, 18),  # Good Friday
        date(2025, 5, 5),  # Early May bank holiday
        date(2025, 5, 26),  # Spring bank holiday
        date(2025, 8, 4),  # Summer bank holiday (first Monday in August)
        date(2025, 12, 1),  # St Andrew's Day (substitute: 30 Nov was a Sunday)
        date(2025, 12, 25),  # Christmas Day
        date(2025, 12, 26),  # Boxing Day
    },
    Nation.NORTHERN_IRELAND: {
        date(2025, 1, 1),  # New Year's Day
        date(2025, 3, 17),  # St Patrick's Day
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2025, 5, 5),  # Early May bank holiday
        date(2025, 5, 26),  # Spring bank holiday
        date(2025, 7, 14),  # Battle of the Boyne (substitute: 12 Jul was a Saturday)
        date(2025, 8, 25),  # Summer bank holiday
        date(2025, 12, 25),  # Christmas Day
        date(2025, 12, 26),  # Boxing Day
    },
}


def weekday_holidays(calendar: WorkingDayCalendar, year: int) -> set[date]:
    return {day for day in calendar.bank_holidays(year) if day.weekday() < 5}


# -- which days are bank holidays ---------------------------------------------


@pytest.mark.parametrize("nation", list(Nation))
def test_weekday_bank_holidays_2025_match_gov_uk(nation: Nation) -> None:
    assert weekday_holidays(calendar_for(nation), 2025) == WEEKDAY_HOLIDAYS_2025[nation]


@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        (Nation.ENGLAND_AND_WALES, 261 - 8),
        (Nation.SCOTLAND, 261 - 9),
        (Nation.NORTHERN_IRELAND, 261 - 10),
    ],
)
def test_working_days_in_2025(nation: Nation, expected: int) -> None:
    # 2025 starts and ends on a Wednesday: 52 whole weeks plus one weekday.
    calendar = calendar_for(nation)
    assert calendar.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == expected


def test_england_and_wales_2026_weekday_bank_holidays() -> None:
    assert weekday_holidays(EW, 2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day (substitute: 26 Dec is a Saturday)
    }


def test_northern_ireland_2026_weekday_bank_holidays() -> None:
    assert weekday_holidays(NI, 2026) == {
        date(2026, 1, 1),
        date(2026, 3, 17),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 7, 13),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    }


def test_christmas_2025_england_and_wales() -> None:
    assert date(2025, 12, 25).weekday() == 3  # Thursday
    assert not EW.is_working_day(date(2025, 12, 25))
    assert not EW.is_working_day(date(2025, 12, 26))
    assert not EW.is_working_day(date(2026, 1, 1))
    assert EW.is_working_day(date(2025, 12, 24))
    assert EW.is_working_day(date(2026, 1, 2))
    names = EW.bank_holidays(2025)
    assert names[date(2025, 12, 25)] == "Christmas Day"
    assert names[date(2025, 12, 26)] == "Boxing Day"


def test_add_working_days_across_christmas_2025_england_and_wales() -> None:
    # Tue 23 Dec: day 1 Wed 24, then Thu 25 and Fri 26 are bank holidays and
    # 27-28 the weekend, so day 2 is Mon 29 and day 3 is Tue 30.
    assert EW.add_working_days(date(2025, 12, 23), 1) == date(2025, 12, 24)
    assert EW.add_working_days(date(2025, 12, 23), 2) == date(2025, 12, 29)
    assert EW.add_working_days(date(2025, 12, 23), 3) == date(2025, 12, 30)
    # Wed 31 Dec: Thu 1 Jan is a bank holiday, so day 1 is Fri 2 Jan.
    assert EW.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    assert EW.add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)
    # 29, 30, 31 December and 2 January.
    assert EW.working_days_between(date(2025, 12, 24), date(2026, 1, 2)) == 4


def test_scotland_2_january_2026() -> None:
    assert date(2026, 1, 2).weekday() == 4  # Friday
    assert not SCT.is_working_day(date(2026, 1, 2))
    assert EW.is_working_day(date(2026, 1, 2))
    assert NI.is_working_day(date(2026, 1, 2))
    assert SCT.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert SCT.working_days_between(date(2025, 12, 24), date(2026, 1, 2)) == 3


def test_easter_2026() -> None:
    for calendar in (EW, SCT, NI):
        assert not calendar.is_working_day(date(2026, 4, 3)), calendar  # Good Friday
    assert not EW.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not NI.is_working_day(date(2026, 4, 6))
    assert SCT.is_working_day(date(2026, 4, 6))  # not a bank holiday in Scotland
    assert date(2026, 4, 6) not in SCT.bank_holidays(2026)
    # Thursday 2 April 2026, one working day later:
    assert EW.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert SCT.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 6)


def test_st_andrews_day_substitute_2025() -> None:
    assert date(2025, 11, 30).weekday() == 6  # Sunday
    assert not SCT.is_working_day(date(2025, 12, 1))
    assert EW.is_working_day(date(2025, 12, 1))
    assert SCT.bank_holidays(2025)[date(2025, 12, 1)] == "Saint Andrew's Day (observed)"
    assert SCT.next_working_day(date(2025, 11, 28)) == date(2025, 12, 2)
    assert EW.next_working_day(date(2025, 11, 28)) == date(2025, 12, 1)


def test_summer_bank_holiday_differs_2026() -> None:
    # First Monday in August in Scotland, last Monday in England and Wales.
    assert not SCT.is_working_day(date(2026, 8, 3))
    assert SCT.is_working_day(date(2026, 8, 31))
    assert not EW.is_working_day(date(2026, 8, 31))
    assert EW.is_working_day(date(2026, 8, 3))
    assert NI.is_working_day(date(2026, 8, 3))
    assert not NI.is_working_day(date(2026, 8, 31))


def test_northern_ireland_days() -> None:
    assert date(2026, 3, 17).weekday() == 1  # Tuesday
    assert not NI.is_working_day(date(2026, 3, 17))
    assert EW.is_working_day(date(2026, 3, 17))
    assert SCT.is_working_day(date(2026, 3, 17))
    # Battle of the Boyne: 12 July 2026 is a Sunday, substitute Monday 13 July.
    assert date(2026, 7, 12).weekday() == 6
    assert not NI.is_working_day(date(2026, 7, 13))
    assert EW.is_working_day(date(2026, 7, 13))
    assert NI.next_working_day(date(2026, 7, 10)) == date(2026, 7, 14)
    assert EW.next_working_day(date(2026, 7, 10)) == date(2026, 7, 13)


def test_christmas_on_a_weekend_2027() -> None:
    assert date(2027, 12, 25).weekday() == 5  # Saturday
    for calendar in (EW, SCT, NI):
        names = calendar.bank_holidays(2027)
        assert names[date(2027, 12, 25)] == "Christmas Day"
        assert names[date(2027, 12, 26)] == "Boxing Day"
        assert names[date(2027, 12, 27)] == "Christmas Day (observed)"
        assert names[date(2027, 12, 28)] == "Boxing Day (observed)"
        assert not calendar.is_working_day(date(2027, 12, 27))
        assert not calendar.is_working_day(date(2027, 12, 28))
        assert calendar.next_working_day(date(2027, 12, 24)) == date(2027, 12, 29)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of Charles III"),
        (date(2022, 6, 3), "Platinum Jubilee of Elizabeth II"),
    ],
)
@pytest.mark.parametrize("nation", list(Nation))
def test_one_off_bank_holidays(nation: Nation, day: date, name: str) -> None:
    calendar = calendar_for(nation)
    assert calendar.bank_holidays(day.year)[day] == name
    assert not calendar.is_working_day(day)
    assert calendar.is_working_day(day + timedelta(days=7))


def test_platinum_jubilee_weekend_2022() -> None:
    # Spring bank holiday moved to Thursday 2 June; Friday 3 June added.
    assert EW.next_working_day(date(2022, 6, 1)) == date(2022, 6, 6)
    assert EW.is_working_day(date(2022, 5, 30))  # not the usual last Monday in May


def test_scotland_double_substitute_new_year_2022() -> None:
    # 1 and 2 January 2022 fell on a weekend: Scotland had Mon 3 and Tue 4 Jan.
    assert not SCT.is_working_day(date(2022, 1, 3))
    assert not SCT.is_working_day(date(2022, 1, 4))
    assert not EW.is_working_day(date(2022, 1, 3))
    assert EW.is_working_day(date(2022, 1, 4))


def test_bank_holidays_include_weekend_dates_and_are_sorted_and_read_only() -> None:
    names = EW.bank_holidays(2026)
    assert names[date(2026, 12, 26)] == "Boxing Day"  # a Saturday
    assert names[date(2026, 12, 28)] == "Boxing Day (observed)"
    assert list(names) == sorted(names)
    assert all(day.year == 2026 for day in names)
    with pytest.raises(TypeError):
        names[date(2026, 6, 1)] = "Made up"  # type: ignore[index]


def test_supported_years_come_from_the_holidays_package() -> None:
    # Bank Holidays Act 1871; the holidays package stops at 2100.
    assert EW.supported_years == range(1872, 2101)
    assert date(2100, 12, 27) in EW.bank_holidays(2100)
    assert date(1872, 12, 26) in EW.bank_holidays(1872)


@pytest.mark.parametrize("year", [0, 1871, 2101, 9999, 10_000])
def test_unknown_years_are_refused_not_treated_as_all_working(year: int) -> None:
    with pytest.raises(ValueError, match="only known for 1872 to 2100"):
        EW.bank_holidays(year)


def test_dates_outside_supported_years_are_refused() -> None:
    with pytest.raises(ValueError, match="only known for 1872 to 2100"):
        EW.is_working_day(date(2101, 12, 25))
    with pytest.raises(ValueError, match="only known for 1872 to 2100"):
        EW.is_working_day(date(2101, 12, 24))  # a Saturday: still refused
    with pytest.raises(ValueError, match="only known for 1872 to 2100"):
        EW.working_days_between(date(1871, 12, 1), date(1872, 1, 5))
    with pytest.raises(ValueError, match="only known for 1872 to 2100"):
        EW.add_working_days(date(2101, 1, 3), 0)
    # Friday 24 December 2100: Christmas and Boxing Day fall on the weekend,
    # so the substitute days are Monday 27 and Tuesday 28.
    assert EW.add_working_days(date(2100, 12, 24), 1) == date(2100, 12, 29)
    assert EW.add_working_days(date(2100, 12, 24), 3) == date(2100, 12, 31)
    with pytest.raises(ValueError, match="only known for 1872 to 2100"):
        EW.add_working_days(date(2100, 12, 24), 4)


def test_bank_holidays_rejects_non_int_years() -> None:
    with pytest.raises(TypeError):
        EW.bank_holidays("2026")  # type: ignore[arg-type]


def test_england_and_wales_share_one_list() -> None:
    # The calendar uses the package's England list; Wales must be identical.
    england = holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2041))
    wales = holidays.country_holidays("GB", subdiv="WLS", years=range(1990, 2041))
    assert dict(england) == dict(wales)


# -- 45 working-day children's assessment ------------------------------------


def test_45_working_day_assessment_across_christmas() -> None:
    # Referral Monday 1 December 2025.
    # England and Wales: Dec 2-5 (4), 8-12 (9), 15-19 (14), 22-24 (17),
    # 29-31 Dec and 2 Jan (21), then five weeks to Fri 30 Jan (41), and
    # Mon 2 to Thu 5 Feb (45).
    assert EW.add_working_days(date(2025, 12, 1), 45) == date(2026, 2, 5)
    # Scotland also closes on 2 January, so the clock ends a day later.
    assert SCT.add_working_days(date(2025, 12, 1), 45) == date(2026, 2, 6)
    # Referral Friday 28 November 2025: Mon 1 Dec is day 1 in England, but the
    # St Andrew's Day substitute in Scotland.
    assert EW.add_working_days(date(2025, 11, 28), 45) == date(2026, 2, 4)
    assert SCT.add_working_days(date(2025, 11, 28), 45) == date(2026, 2, 6)
    assert EW.working_days_between(date(2025, 12, 1), date(2026, 2, 5)) == 45
    assert SCT.working_days_between(date(2025, 12, 1), date(2026, 2, 5)) == 44


# -- semantics of the operations -----------------------------------------------


def test_start_day_is_never_counted() -> None:
    # Monday 12 January 2026 is a working day, but day 1 is Tuesday.
    assert EW.add_working_days(date(2026, 1, 12), 1) == date(2026, 1, 13)
    # From a Saturday, day 1 is the Monday.
    assert EW.add_working_days(date(2026, 1, 10), 1) == date(2026, 1, 12)
    assert EW.add_working_days(date(2026, 1, 10), 5) == date(2026, 1, 16)
    assert EW.add_working_days(date(2026, 1, 10), 6) == date(2026, 1, 19)


def test_zero_days_returns_start_even_on_a_holiday() -> None:
    assert EW.add_working_days(date(2025, 12, 25), 0) == date(2025, 12, 25)
    assert EW.add_working_days(date(2026, 1, 10), 0) == date(2026, 1, 10)


def test_negative_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        EW.add_working_days(date(2026, 1, 12), -1)


def test_non_int_days_are_rejected() -> None:
    with pytest.raises(TypeError):
        EW.add_working_days(date(2026, 1, 12), 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        EW.add_working_days(date(2026, 1, 12), True)


def test_datetimes_are_rejected_where_a_date_is_expected() -> None:
    at = datetime(2026, 1, 12, 9, 0, tzinfo=LONDON)
    with pytest.raises(TypeError, match="local_date"):
        EW.is_working_day(at)
    with pytest.raises(TypeError, match="local_date"):
        EW.add_working_days(at, 1)
    with pytest.raises(TypeError, match="local_date"):
        EW.working_days_between(date(2026, 1, 1), at)


def test_working_days_between_signs() -> None:
    assert EW.working_days_between(date(2026, 1, 12), date(2026, 1, 12)) == 0
    assert EW.working_days_between(date(2026, 1, 9), date(2026, 1, 12)) == 1
    assert EW.working_days_between(date(2026, 1, 12), date(2026, 1, 9)) == -1
    # Saturday to Sunday: no working day in between.
    assert EW.working_days_between(date(2026, 1, 10), date(2026, 1, 11)) == 0
    # Across several years.
    assert EW.working_days_between(date(2024, 12, 31), date(2026, 12, 31)) == 253 + 253
    assert EW.working_days_between(date(2026, 12, 31), date(2024, 12, 31)) == -506


def test_next_working_day() -> None:
    assert EW.next_working_day(date(2026, 1, 9)) == date(2026, 1, 12)  # Fri -> Mon
    assert EW.next_working_day(date(2026, 1, 12)) == date(2026, 1, 13)  # strictly after
    assert EW.next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)


def test_add_calendar_days() -> None:
    assert add_calendar_days(date(2025, 12, 23), 3) == date(2025, 12, 26)
    assert add_calendar_days(date(2026, 3, 1), -1) == date(2026, 2, 28)
    assert add_calendar_days(date(2026, 1, 1), 0) == date(2026, 1, 1)


def test_large_clock_is_fast_and_exact() -> None:
    calendar = WorkingDayCalendar(Nation.SCOTLAND)
    start = date(2025, 1, 1)
    result = calendar.add_working_days(start, 10_000)  # cold cache
    assert calendar.working_days_between(start, result) == 10_000
    assert calendar.is_working_day(result)
    assert reference_add(Nation.SCOTLAND, start, 10_000) == result
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        calendar.add_working_days(start, 10_000)
        timings.append(time.perf_counter() - began)
    assert min(timings) < 0.05


# -- calendar_for and the constructor ------------------------------------------


def test_calendar_for_caches_and_accepts_strings() -> None:
    assert calendar_for("scotland") is calendar_for(Nation.SCOTLAND)
    assert calendar_for() is calendar_for("england-and-wales")
    assert calendar_for("northern-ireland").nation is Nation.NORTHERN_IRELAND
    assert calendar_for(Nation.SCOTLAND) is not calendar_for(Nation.NORTHERN_IRELAND)


def test_calendar_for_rejects_unknown_nation() -> None:
    with pytest.raises(ValueError, match="unknown nation 'wales'") as info:
        calendar_for("wales")
    message = str(info.value)
    for nation in Nation:
        assert repr(nation.value) in message


def test_constructor_defaults_to_england_and_wales() -> None:
    calendar = WorkingDayCalendar()
    assert calendar.nation is Nation.ENGLAND_AND_WALES
    assert not calendar.is_working_day(date(2026, 4, 6))
    assert repr(calendar) == "WorkingDayCalendar('england-and-wales')"
    with pytest.raises(ValueError, match="unknown nation"):
        WorkingDayCalendar("england")


# -- local_date ------------------------------------------------------------------


def test_local_date_across_the_bst_change() -> None:
    utc = UTC
    # BST begins at 01:00 UTC on Sunday 29 March 2026.
    assert local_date(datetime(2026, 3, 29, 0, 30, tzinfo=utc)) == date(2026, 3, 29)
    assert local_date(datetime(2026, 3, 29, 23, 30, tzinfo=utc)) == date(2026, 3, 30)
    # In winter, UK local time is UTC.
    assert local_date(datetime(2026, 1, 15, 23, 30, tzinfo=utc)) == date(2026, 1, 15)
    # BST ends at 01:00 UTC on Sunday 25 October 2026.
    assert local_date(datetime(2026, 10, 24, 23, 30, tzinfo=utc)) == date(2026, 10, 25)
    assert local_date(datetime(2026, 10, 25, 23, 30, tzinfo=utc)) == date(2026, 10, 25)


def test_local_date_other_zones() -> None:
    new_york = ZoneInfo("America/New_York")
    # 23:30 EDT on 30 June is 04:30 BST on 1 July.
    assert local_date(datetime(2026, 6, 30, 23, 30, tzinfo=new_york)) == date(2026, 7, 1)
    assert local_date(datetime(2026, 6, 30, 23, 30, tzinfo=new_york), new_york) == date(2026, 6, 30)


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="datetime must be timezone-aware"):
        local_date(datetime(2026, 3, 29, 23, 30))


# -- properties ------------------------------------------------------------------

_SUBDIV = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
_REFERENCE: dict[Nation, set[date]] = {}


def reference_closed(nation: Nation) -> set[date]:
    """Every bank holiday 1999-2070, straight from the holidays package."""
    if nation not in _REFERENCE:
        source = holidays.country_holidays("GB", subdiv=_SUBDIV[nation], years=range(1999, 2071))
        _REFERENCE[nation] = set(source)
    return _REFERENCE[nation]


def reference_add(nation: Nation, start: date, days: int) -> date:
    """Step one calendar day at a time: slow but obviously right."""
    closed = reference_closed(nation)
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            days -= 1
    return day


starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=400)
nations = st.sampled_from(list(Nation))
properties = settings(deadline=None)


@properties
@given(nation=nations, start=starts, days=counts)
def test_property_matches_day_by_day_reference(nation: Nation, start: date, days: int) -> None:
    assert calendar_for(nation).add_working_days(start, days) == reference_add(nation, start, days)


@properties
@given(nation=nations, day=starts)
def test_property_is_working_day_matches_reference(nation: Nation, day: date) -> None:
    expected = day.weekday() < 5 and day not in reference_closed(nation)
    assert calendar_for(nation).is_working_day(day) is expected


@properties
@given(nation=nations, start=starts, days=counts)
def test_property_between_inverts_add(nation: Nation, start: date, days: int) -> None:
    calendar = calendar_for(nation)
    assert calendar.working_days_between(start, calendar.add_working_days(start, days)) == days


@properties
@given(nation=nations, start=starts, days=st.integers(min_value=1, max_value=400))
def test_property_result_is_a_working_day(nation: Nation, start: date, days: int) -> None:
    calendar = calendar_for(nation)
    result = calendar.add_working_days(start, days)
    assert calendar.is_working_day(result)
    assert result > start


@properties
@given(nation=nations, start=starts, days=counts)
def test_property_monotonic(nation: Nation, start: date, days: int) -> None:
    calendar = calendar_for(nation)
    assert calendar.add_working_days(start, days) < calendar.add_working_days(start, days + 1)


@properties
@given(nation=nations, start=starts, first=counts, second=counts)
def test_property_additive(nation: Nation, start: date, first: int, second: int) -> None:
    calendar = calendar_for(nation)
    assert calendar.add_working_days(start, first + second) == calendar.add_working_days(
        calendar.add_working_days(start, first), second
    )


@properties
@given(nation=nations, a=starts, b=starts)
def test_property_between_is_antisymmetric(nation: Nation, a: date, b: date) -> None:
    calendar = calendar_for(nation)
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)


@properties
@given(nation=nations, a=starts, b=starts)
def test_property_between_counts_working_days(nation: Nation, a: date, b: date) -> None:
    low, high = min(a, b), max(a, b)
    closed = reference_closed(nation)
    expected = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if (day := low + timedelta(days=offset)).weekday() < 5 and day not in closed
    )
    assert calendar_for(nation).working_days_between(low, high) == expected


@properties
@given(nation=nations, day=starts)
def test_property_next_working_day(nation: Nation, day: date) -> None:
    calendar = calendar_for(nation)
    result = calendar.next_working_day(day)
    assert calendar.is_working_day(result)
    assert calendar.working_days_between(day, result) == 1
    assert all(
        not calendar.is_working_day(day + timedelta(days=offset))
        for offset in range(1, (result - day).days)
    )
