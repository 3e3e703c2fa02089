#!/usr/bin/env python3
"""Generates oracle vectors for the cron trigger from APScheduler 3.9 (asyncz's parent).

    apt-get install -y python3-apscheduler        # APScheduler 3.9.1 on Debian bookworm
    /usr/bin/python3 scripts/generate-apscheduler-vectors.py > test/fixtures/vectors/apscheduler-cron.json

Each case is a random combination of asyncz cron fields (seeded, so the file is reproducible),
a zone, a start instant, and the next fire times APScheduler computes, chained the way the
scheduler chains them (previous = last fire, now = last fire). Sequences stop before any DST
transition: the DST policy of SPEC §7 deliberately differs from APScheduler's, and is tested
separately. Each sequence is bounded by an end date so impossible combinations terminate.
"""
import json
import random
import sys
from datetime import datetime, timedelta

import apscheduler
import pytz
from apscheduler.triggers.cron import CronTrigger

POOLS = {
    "year": ["*", "2026", "2026-2030", "2027/2", "2025,2028", "*/3"],
    "month": ["*", "1", "6-8", "*/3", "2-11/4", "jan", "mar-may", "jun,dec", "2/5", "feb"],
    "day": ["*", "1", "15", "31", "29", "1-7", "*/10", "5/10", "last", "1st fri", "3rd mon",
            "last sun", "5th wed", "2nd sat,last", "10-20/3", "30"],
    "week": ["*", "1", "10-20", "*/4", "53", "2,40"],
    "day_of_week": ["*", "0", "mon-fri", "sat,sun", "*/2", "tue-thu", "6", "4", "wed"],
    "hour": ["*", "0", "8", "*/6", "9-17", "22-23", "*/5", "1,13", "3/7"],
    "minute": ["*", "0", "30", "*/15", "5/20", "0-10/5", "59", "7,37"],
    "second": ["*", "0", "30", "*/20", "45-59/7", "5"],
}
# Field weights: week is rare in real use and makes many combinations impossible.
WEIGHTS = {"year": 1, "month": 3, "day": 4, "week": 1, "day_of_week": 4, "hour": 5, "minute": 5, "second": 2}
ZONES = ["UTC", "Asia/Tokyo", "Asia/Kolkata", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
CAMEL = {"day_of_week": "dayOfWeek"}


def pick_fields(rng):
    names = list(POOLS)
    count = rng.randint(1, 5)
    chosen = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights=[WEIGHTS[n] for n in names])[0])
    return {name: rng.choice(POOLS[name][1:] if rng.random() < 0.85 else POOLS[name]) for name in names if name in chosen}


def main():
    rng = random.Random(20261129)
    cases = []
    attempts = 0
    while len(cases) < 600 and attempts < 5000:
        attempts += 1
        fields = pick_fields(rng)
        zone_name = rng.choice(ZONES)
        zone = pytz.timezone(zone_name)
        start = datetime(2026, 1, 1, tzinfo=pytz.utc) + timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
        start = start.replace(microsecond=rng.choice([0, 0, 250000]))
        use_start_at = rng.random() < 0.2
        start_at = start + timedelta(days=rng.randint(0, 60)) if use_start_at else None
        end_at = start + timedelta(days=15 * 366)
        kwargs = dict(fields, timezone=zone, end_date=end_at.astimezone(zone))
        if start_at is not None:
            kwargs["start_date"] = start_at.astimezone(zone)
        trigger = CronTrigger(**kwargs)
        local_start = start.astimezone(zone)
        offset = local_start.utcoffset()
        fires = []
        previous = None
        now = local_start
        crossed = False
        for _ in range(8):
            fire = trigger.get_next_fire_time(previous, now)
            if fire is None:
                break
            if fire.utcoffset() != offset or zone.normalize(fire).utcoffset() != offset:
                crossed = True
                break
            # Stop at any DST change between the start and this fire as well.
            probe = local_start
            while probe < fire and not crossed:
                probe = min(fire, probe + timedelta(hours=6))
                if zone.normalize(probe.astimezone(zone)).utcoffset() != offset:
                    crossed = True
            if crossed:
                break
            fires.append(fire.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
            previous = fire
            now = fire
        if not fires and crossed:
            continue
        case = {
            "fields": {CAMEL.get(k, k): v for k, v in fields.items()},
            "timezone": zone_name,
            "now": start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start.microsecond // 1000:03d}Z",
            "endAt": end_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{end_at.microsecond // 1000:03d}Z",
            "fires": fires,
            "complete": not crossed,
        }
        if start_at is not None:
            case["startAt"] = start_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start_at.microsecond // 1000:03d}Z"
        cases.append(case)
    json.dump(
        {
            "generator": "scripts/generate-apscheduler-vectors.py",
            "oracle": f"APScheduler {apscheduler.__version__} (pytz {pytz.__version__})",
            "cases": cases,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
