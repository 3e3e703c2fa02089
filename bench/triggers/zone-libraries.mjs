// One-off measurement that chose the time module's implementation (issue #2: "pick the
// implementation by measurement"). luxon and temporal-polyfill are not dependencies, so run it with
//   npm run build && npm i --no-save luxon@3.7.2 temporal-polyfill@0.3.2 && node bench/triggers/zone-libraries.mjs
// It imports the time module's internals from the built package on purpose.
import { DateTime } from "luxon";
import { Temporal } from "temporal-polyfill";

const core = await import("../../packages/core/dist/time/zone-offset.js");
const wt = await import("../../packages/core/dist/time/wall-time.js");
const { toTimeZone } = await import("../../packages/core/dist/time/time-zone.js");
const zoneName = "America/New_York";
const zone = toTimeZone(zoneName);
const N = 100000;
const base = Date.UTC(2026, 0, 1);
// instants spread over one year with a step of 317 s (like a scheduler walking forward)
const inst = Array.from({ length: N }, (_, i) => base + i * 317_000);
function bench(name, fn) {
  for (let i = 0; i < 2000; i++) fn(inst[i]);
  const s = performance.now();
  let x = 0;
  for (const t of inst) x += fn(t) ? 1 : 0;
  const ns = ((performance.now() - s) * 1e6) / N;
  console.log(`| ${name} | ${ns.toFixed(0)} |`);
  return x;
}
const fmt = new Intl.DateTimeFormat("en-US", {
  timeZone: zoneName,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});
console.log("| operation (America/New_York, 100k instants over 2026) | ns/op |\n| --- | ---: |");
bench("Intl formatToParts (uncached offset)", (t) => fmt.formatToParts(t).length);
bench("asyncz offsetAt (Intl, cached per UTC day)", (t) => core.offsetAt(zone, t) + 1);
bench(
  "luxon DateTime.fromMillis(t, { zone }).offset",
  (t) => DateTime.fromMillis(t, { zone: zoneName }).offset + 1,
);
bench(
  "temporal-polyfill Instant → ZonedDateTime offset",
  (t) =>
    Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(zoneName).offsetNanoseconds + 1,
);
bench("asyncz wall → instant (resolveWall)", (t) => wt.resolveWall(t, zone).first);
bench("luxon DateTime.fromObject(wall, { zone })", (t) => {
  const d = new Date(t);
  return DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    },
    { zone: zoneName },
  ).toMillis();
});
bench("temporal-polyfill PlainDateTime → ZonedDateTime", (t) => {
  const d = new Date(t);
  return Temporal.PlainDateTime.from({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  }).toZonedDateTime(zoneName).epochMilliseconds;
});
// gap behaviour: 2026-03-08 02:30 New York
console.log(
  "gap 02:30 → luxon",
  DateTime.fromObject({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, { zone: zoneName })
    .toUTC()
    .toISO(),
  "temporal",
  Temporal.PlainDateTime.from("2026-03-08T02:30").toZonedDateTime(zoneName).toInstant().toString(),
  "asyncz",
  new Date(wt.resolveWall(Date.UTC(2026, 2, 8, 2, 30), zone).first).toISOString(),
);
