import { describe, expect, it } from "vitest";
import { DateTrigger } from "./date-trigger.js";

describe("DateTrigger", () => {
  it("fires once at runAt, even when it is past", () => {
    const trigger = new DateTrigger({ runAt: "2026-03-01T08:00:00Z" });
    expect(trigger.getNextTriggerTime(null, new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-03-01T08:00:00.000Z",
    );
    expect(trigger.getNextTriggerTime(null, new Date("2027-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-03-01T08:00:00.000Z",
    );
    expect(
      trigger.getNextTriggerTime(
        new Date("2026-03-01T08:00:00Z"),
        new Date("2026-03-01T08:00:00Z"),
      ),
    ).toBeNull();
  });

  it("reads a wall time in its zone, else the context's zone, else UTC", () => {
    expect(
      new DateTrigger({ runAt: "2026-03-01 08:00", timezone: "Europe/Berlin" })
        .getNextTriggerTime(null, new Date(0))
        ?.toISOString(),
    ).toBe("2026-03-01T07:00:00.000Z");
    const trigger = new DateTrigger({ runAt: "2026-03-01 08:00" });
    expect(
      trigger.getNextTriggerTime(null, new Date(0), { timezone: "Asia/Tokyo" })?.toISOString(),
    ).toBe("2026-02-28T23:00:00.000Z");
    expect(trigger.getNextTriggerTime(null, new Date(0))?.toISOString()).toBe(
      "2026-03-01T08:00:00.000Z",
    );
  });

  it("defaults to the construction time", () => {
    const now = new Date("2026-05-05T05:05:05.005Z");
    expect(new DateTrigger({}, { now }).getNextTriggerTime(null, now)?.toISOString()).toBe(
      now.toISOString(),
    );
  });

  it("prints and round-trips", () => {
    expect(String(new DateTrigger({ runAt: new Date("2026-03-01T08:00:00Z") }))).toBe(
      "date[2026-03-01 08:00:00 UTC]",
    );
    expect(
      String(
        new DateTrigger({ runAt: new Date("2026-03-01T08:00:00Z"), timezone: "Europe/Berlin" }),
      ),
    ).toBe("date[2026-03-01 09:00:00 Europe/Berlin]");
    expect(String(new DateTrigger({ runAt: "2026-03-01T08:00" }))).toBe(
      "date[2026-03-01 08:00:00]",
    );
    const trigger = new DateTrigger({ runAt: "2026-03-01T08:00", timezone: "Asia/Tokyo" });
    expect(
      DateTrigger.fromJSON(JSON.parse(JSON.stringify(trigger))).getNextTriggerTime(
        null,
        new Date(0),
      ),
    ).toEqual(trigger.getNextTriggerTime(null, new Date(0)));
  });

  it("rejects bad dates", () => {
    expect(() => new DateTrigger({ runAt: "2026-02-29T00:00:00Z" })).toThrow(
      /runAt = "2026-02-29T00:00:00Z": no such date/,
    );
    expect(() => new DateTrigger({ runAt: new Date(Number.NaN) })).toThrow(/runAt = Invalid Date/);
  });
});
