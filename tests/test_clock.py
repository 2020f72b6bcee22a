"""The portal keeps one clock: China's day from a UTC server, and no other call reads the time."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

from portal import clock

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = re.compile(
    r"\b(date\.today\(|datetime\.now\(|datetime\.utcnow\(|datetime\.today\(|time\.time\(|time\.localtime\(|time\.gmtime\(|"
    r"time\.strftime\(|time\.ctime\(|datetime\.fromtimestamp\()"
)


def test_no_module_but_the_clock_reads_the_time() -> None:
    offenders = []
    for folder in ("portal", "bench", "tests"):  # a test reading the server's date fails from 16:00 to 24:00 UTC
        for path in (ROOT / folder).rglob("*.py"):
            if path in (ROOT / "portal" / "clock.py", Path(__file__).resolve()):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if FORBIDDEN.search(line.split("#", 1)[0]):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@time_machine.travel(datetime(2027, 1, 1, 15, 59, 59, tzinfo=UTC), tick=False)
def test_before_midnight_in_china_the_day_is_still_the_old_one() -> None:
    assert clock.today() == date(2027, 1, 1)
    assert clock.utcnow() == datetime(2027, 1, 1, 15, 59, 59)


@time_machine.travel(datetime(2027, 1, 1, 16, 0, 0, tzinfo=UTC), tick=False)
def test_at_16_utc_china_has_started_the_next_day() -> None:
    assert clock.today() == date(2027, 1, 2)
    assert clock.local_now().hour == 0
    assert clock.now().date() == date(2027, 1, 1)


@time_machine.travel(datetime(2027, 1, 1, 16, 0, 0, tzinfo=UTC), tick=False)
def test_the_zone_is_configurable() -> None:
    try:
        clock.configure("UTC")
        assert clock.today() == date(2027, 1, 1)
    finally:
        clock.configure(clock.DEFAULT_ZONE)
    assert clock.today() == date(2027, 1, 2)


def test_stored_timestamps_are_shown_in_the_zone() -> None:
    assert clock.to_local(datetime(2027, 1, 1, 16, 30)).strftime("%Y-%m-%d %H:%M") == "2027-01-02 00:30"


def test_now_is_aware_utc() -> None:
    assert clock.now().tzinfo is UTC
    assert clock.utcnow().tzinfo is None


def test_an_aware_timestamp_keeps_its_own_zone_when_shown_in_the_portals() -> None:
    tokyo = datetime(2027, 1, 1, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 01:00 UTC
    assert clock.to_local(tokyo).strftime("%Y-%m-%d %H:%M %z") == "2027-01-01 09:00 +0800"


def test_a_naive_timestamp_is_utc_whatever_the_servers_zone(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert clock.to_local(datetime(2027, 1, 1, 16, 30)).strftime("%Y-%m-%d %H:%M") == "2027-01-02 00:30"
    finally:
        monkeypatch.undo()
        time.tzset()
