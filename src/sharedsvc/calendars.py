"""Working-day arithmetic for UK statutory clocks.

Many statutory and guidance time limits that councils and NHS partners work to
are counted in *working days* rather than calendar days. For example, Working
Together to Safeguard Children 2023 says a children's social care assessment
should conclude within 45 working days of the referral. A working day is a
Monday to Friday that is not a bank or public holiday.

Bank holidays are not the same across the United Kingdom. Schedule 1 to the
Banking and Financial Dealings Act 1971 gives England and Wales, Scotland and
Northern Ireland different lists. Royal proclamations add one-off days (the
State Funeral of Queen Elizabeth II on 19 September 2022, the Coronation on
8 May 2023) and move days that fall on a weekend to a weekday "substitute day".
Christmas Day and Good Friday are common-law holidays in England, Wales and
Northern Ireland. The St Andrew's Day Bank Holiday (Scotland) Act 2007 adds
30 November in Scotland. England and Wales share one list. The dates come from
the ``holidays`` package's public-holiday category for ``GB`` and the nation's
subdivision code. That category includes substitute days and proclaimed
one-off days.

The ``holidays`` package only knows bank holidays for a fixed range of years
(1872 to 2100 in version 0.109). Outside that range this module raises
ValueError rather than treating every weekday as a working day. A one-off
bank holiday proclaimed after the installed package was released is not
known until the package is upgraded.

Clocks count days in UK local time (``Europe/London``, which Northern Ireland
also uses). Use :func:`local_date` to turn a timezone-aware timestamp into the
calendar day on which a clock starts.
"""

from __future__ import annotations

import calendar
import threading
from bisect import bisect_right
from collections.abc import Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "LONDON",
    "Nation",
    "WorkingDayCalendar",
    "add_calendar_days",
    "add_calendar_months",
    "calendar_for",
    "local_date",
]

LONDON: Final = ZoneInfo("Europe/London")
"""UK civil time. Statutory clocks count days in this zone, in all four nations."""


class Nation(StrEnum):
    """A UK jurisdiction that has its own list of bank holidays.

    England and Wales share one list. Scotland and Northern Ireland each have
    their own (Banking and Financial Dealings Act 1971, Schedule 1).
    """

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


# Subdivision codes used by ``holidays.country_holidays("GB", subdiv=...)``.
# England ("ENG") and Wales ("WLS") have identical bank holidays.
_SUBDIVISIONS: Final[Mapping[Nation, str]] = MappingProxyType(
    {
        Nation.ENGLAND_AND_WALES: "ENG",
        Nation.SCOTLAND: "SCT",
        Nation.NORTHERN_IRELAND: "NIR",
    }
)

# Holidays are loaded from the ``holidays`` package in blocks of this many
# years. One package object per block keeps the cost of a cold lookup far
# into the future small.
_BLOCK_YEARS: Final = 16


def _coerce_nation(nation: Nation | str) -> Nation:
    if isinstance(nation, Nation):
        return nation
    try:
        return Nation(nation)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in Nation)
        raise ValueError(f"unknown nation {nation!r}; expected one of {allowed}") from None


def _require_date(value: object, name: str) -> date:
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a date, not a datetime; use local_date() to get the UK calendar day"
        )
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def _weekday_of_ordinal(ordinal: int) -> int:
    # date.fromordinal(1) (1 January of year 1) was a Monday, weekday 0.
    return (ordinal + 6) % 7


class _Year(NamedTuple):
    # Every bank holiday of the year (including any on a weekend), by date.
    names: Mapping[date, str]
    # Ordinals of the bank holidays that fall on a Monday to Friday.
    closed: frozenset[int]
    # Ordinals of the year's working days, in ascending order.
    working: tuple[int, ...]


class WorkingDayCalendar:
    """Working days for one UK nation.

    A working day is a Monday to Friday that is not a bank holiday in that
    nation. Clocks use the usual statutory convention: the day of the trigger
    event is day 0, and day 1 is the next working day. For example, a 45
    working-day children's assessment (Working Together to Safeguard Children
    2023) that starts on Monday 1 December 2025 in England ends on Thursday
    5 February 2026. In Scotland it ends on Friday 6 February 2026, because
    2 January is a bank holiday there.

    Instances are safe to share between threads. Holidays are cached per year
    after the first lookup. Use :func:`calendar_for` to get a shared instance.
    """

    __slots__ = ("_lock", "_names", "_nation", "_subdivision", "_supported", "_years")

    def __init__(self, nation: Nation | str = Nation.ENGLAND_AND_WALES) -> None:
        self._nation = _coerce_nation(nation)
        self._subdivision = _SUBDIVISIONS[self._nation]
        probe = holidays.country_holidays("GB", subdiv=self._subdivision)
        first = max(MINYEAR, int(probe.start_year))
        last = min(MAXYEAR, int(probe.end_year))
        self._supported = range(first, last + 1)
        self._lock = threading.Lock()
        self._names: dict[int, Mapping[date, str]] = {}
        self._years: dict[int, _Year] = {}

    @property
    def nation(self) -> Nation:
        """The nation whose bank holidays this calendar uses."""
        return self._nation

    @property
    def supported_years(self) -> range:
        """The years whose bank holidays are known (from the ``holidays`` package).

        Any date outside these years raises ValueError.
        """
        return self._supported

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._nation.value!r})"

    # -- public API ---------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Return whether ``day`` is a Monday to Friday and not a bank holiday.

        Raises ValueError if ``day`` is outside :attr:`supported_years`.
        """
        closed = self._year(_require_date(day, "day").year).closed
        ordinal = day.toordinal()
        return _weekday_of_ordinal(ordinal) < 5 and ordinal not in closed

    def bank_holidays(self, year: int) -> Mapping[date, str]:
        """Return the bank holidays of ``year`` in this nation, by date, with names.

        The mapping is read-only and in date order. It lists the holiday itself
        even when it falls on a weekend (for example "Christmas Day" on Saturday
        25 December 2027), and the weekday that replaces it under a name ending
        "(observed)" (Monday 27 December 2027). It also includes one-off
        proclaimed days such as "State Funeral of Queen Elizabeth II"
        (19 September 2022).

        Raises ValueError if ``year`` is not in :attr:`supported_years`.
        """
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"year must be an int, got {type(year).__name__}")
        return self._year(year).names

    def add_working_days(self, start: date, days: int) -> date:
        """Return the date that is ``days`` working days after ``start``.

        ``start`` is day 0 and is never counted, even when it is itself a
        working day. Day 1 is the first working day after ``start``. The
        result for ``days >= 1`` is always a working day. ``days == 0`` returns
        ``start`` unchanged, even if it is a weekend or bank holiday.

        Raises ValueError if ``days`` is negative, or if ``start`` or the
        result is outside :attr:`supported_years`.
        """
        start = _require_date(start, "start")
        days = _require_count(days)
        year = start.year
        working = self._year(year).working
        if days == 0:
            return start
        index = bisect_right(working, start.toordinal())
        remaining = days
        while True:
            available = len(working) - index
            if remaining <= available:
                return date.fromordinal(working[index + remaining - 1])
            remaining -= available
            year += 1
            working = self._year(year).working
            index = 0

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days ``d`` with ``start < d <= end``.

        This is the inverse of :meth:`add_working_days`:
        ``working_days_between(s, add_working_days(s, n)) == n`` for every
        ``n >= 0``. It returns 0 when ``start == end``, and minus the count
        from ``end`` to ``start`` when ``end`` is before ``start``.
        """
        start = _require_date(start, "start")
        end = _require_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        first = self._year(start.year).working
        count = -bisect_right(first, start.toordinal())
        for year in range(start.year, end.year):
            count += len(self._year(year).working)
        count += bisect_right(self._year(end.year).working, end.toordinal())
        return count

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    # -- cache ---------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if year not in self._supported:
            raise ValueError(
                f"bank holidays are only known for {self._supported.start} to "
                f"{self._supported.stop - 1}, not {year}"
            )
        with self._lock:
            cached = self._years.get(year)
            if cached is None:
                cached = self._build_year(year)
                self._years[year] = cached
            return cached

    def _build_year(self, year: int) -> _Year:
        # Called with self._lock held.
        names = self._names.get(year)
        if names is None:
            self._load_block(year)
            names = self._names[year]
        closed = frozenset(
            day.toordinal() for day in names if _weekday_of_ordinal(day.toordinal()) < 5
        )
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        working = tuple(
            ordinal
            for ordinal in range(first, last + 1)
            if _weekday_of_ordinal(ordinal) < 5 and ordinal not in closed
        )
        return _Year(names=names, closed=closed, working=working)

    def _load_block(self, year: int) -> None:
        # Called with self._lock held.
        lowest, highest = self._supported.start, self._supported.stop - 1
        first = max(lowest, year - year % _BLOCK_YEARS)
        last = min(highest, year - year % _BLOCK_YEARS + _BLOCK_YEARS - 1)
        # One extra year either side, so that a substitute day that moves
        # across 1 January lands in the right year.
        span = range(max(lowest, first - 1), min(highest, last + 1) + 1)
        source = holidays.country_holidays("GB", subdiv=self._subdivision, years=span)
        found: list[tuple[date, str]] = []
        for day, name in source.items():
            if not isinstance(day, date):  # pragma: no cover - defensive
                raise TypeError(f"holidays package returned a non-date key {day!r}")
            found.append((day, str(name)))
        found.sort()
        buckets: dict[int, dict[date, str]] = {y: {} for y in range(first, last + 1)}
        for day, name in found:
            bucket = buckets.get(day.year)
            if bucket is not None:
                bucket[day] = name
        for block_year, bucket in buckets.items():
            self._names[block_year] = MappingProxyType(bucket)


def _require_count(days: object) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, got {type(days).__name__}")
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    return days


def add_calendar_days(start: date, days: int) -> date:
    """Return ``start`` plus ``days`` calendar days.

    Use this for clocks that count calendar days rather than working days.
    Weekends and bank holidays count like any other day. ``days`` may be
    negative.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, got {type(days).__name__}")
    return _require_date(start, "start") + timedelta(days=days)


def add_calendar_months(start: date, months: int) -> date:
    """Return the same day ``months`` calendar months after ``start``.

    Where that month is shorter, the result is its last day (31 January plus one
    month is 28 or 29 February), the usual reading of "within N months" in
    guidance such as the Care and Support Statutory Guidance's 12-month review.
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, got {type(months).__name__}")
    start = _require_date(start, "start")
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


_CALENDARS: dict[Nation, WorkingDayCalendar] = {}
_CALENDARS_LOCK = threading.Lock()


def calendar_for(nation: Nation | str = Nation.ENGLAND_AND_WALES) -> WorkingDayCalendar:
    """Return the shared :class:`WorkingDayCalendar` for ``nation``.

    ``nation`` may be a :class:`Nation` or its string value, for example
    ``"scotland"``. Any other string raises ValueError, and the message lists
    the allowed values. Every call for the same nation returns the same
    instance, so its holiday cache is shared.
    """
    key = _coerce_nation(nation)
    with _CALENDARS_LOCK:
        calendar = _CALENDARS.get(key)
        if calendar is None:
            calendar = WorkingDayCalendar(key)
            _CALENDARS[key] = calendar
        return calendar


def local_date(at: datetime, tz: tzinfo = LONDON) -> date:
    """Return the calendar date of ``at`` in UK local time (or in ``tz``).

    Statutory clocks count days as they fall in the UK, so an event at
    23:30 UTC on 29 March 2026 (00:30 BST on 30 March) happened on 30 March.
    Northern Ireland also uses ``Europe/London``. Naive datetimes are refused
    because their day is ambiguous.
    """
    if not isinstance(at, datetime):
        raise TypeError(f"at must be a datetime, got {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return at.astimezone(tz).date()
