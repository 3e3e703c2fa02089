// Trigger benchmarks: next-fire computations per second for 20 crontab expressions, side by side
// with croner and cron-parser in the same run, plus the cost of building 10k CronTrigger objects.
// Run with `npm run bench -- triggers` (builds first; node runs with --expose-gc).
import { writeFileSync } from "node:fs";
import { CronTrigger } from "@asyncz/core";
import { CronExpressionParser } from "cron-parser";
import { Cron } from "croner";

const EXPRESSIONS = [
  "* * * * *",
  "*/5 * * * *",
  "0 * * * *",
  "0 0 * * *",
  "30 8 * * 1-5",
  "0 9-17 * * mon-fri",
  "*/15 9-17 * * 1-5",
  "0 0 1 * *",
  "0 0 L * *",
  "0 12 15 * *",
  "0 0 1 1 *",
  "0 0 29 2 *",
  "0 0 * * 0",
  "0 8 * * 5#3",
  "0 8 * * 1L",
  "0 0 13 * 5",
  "*/10 * * * * *",
  "0 0,30 8-18 * * 1-5",
  "5 4 * * sun",
  "0 22 * 1-3,6-8 2-4",
];
const START = new Date("2026-01-15T10:20:30Z");
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 250);

/** Calls `step` in batches until RUN_MS has passed; returns operations per second. */
function measure(step) {
  for (let index = 0; index < 2000; index += 1) step(); // warm-up
  let operations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < RUN_MS) {
    for (let index = 0; index < 200; index += 1) step();
    operations += 200;
    elapsed = performance.now() - started;
  }
  return (operations / elapsed) * 1000;
}

function chainOurs(expression, timezone) {
  const trigger = CronTrigger.fromCrontab(expression, timezone);
  let previous = START;
  let count = 0;
  return () => {
    const next = trigger.getNextTriggerTime(previous, previous);
    previous = next;
    if (++count % 500 === 0) previous = START; // stay in a realistic range of years
  };
}

function chainCroner(expression, timezone) {
  // croner is ~10x faster with `utcOffset: 0` than with `timezone: "UTC"` (no Intl per call), so
  // UTC rows give it that fastest equivalent mode.
  const cron = new Cron(expression, timezone === "UTC" ? { utcOffset: 0 } : { timezone });
  let previous = START;
  let count = 0;
  return () => {
    previous = cron.nextRun(previous);
    if (++count % 500 === 0) previous = START;
  };
}

function chainCronParser(expression, timezone) {
  let iterator = CronExpressionParser.parse(expression, { currentDate: START, tz: timezone });
  let count = 0;
  return () => {
    iterator.next();
    if (++count % 500 === 0)
      iterator = CronExpressionParser.parse(expression, { currentDate: START, tz: timezone });
  };
}

function nextFireTable(timezone, expressions) {
  const rows = [];
  for (const expression of expressions) {
    const ours = measure(chainOurs(expression, timezone));
    const croner = measure(chainCroner(expression, timezone));
    const cronParser = measure(chainCronParser(expression, timezone));
    rows.push({
      expression,
      timezone,
      ours,
      croner,
      cronParser,
      ratioToFaster: ours / Math.max(croner, cronParser),
    });
  }
  return rows;
}

function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Builds `count` objects with varied expressions; returns time and retained heap. */
function construction(count, build, offset = 0) {
  const expressions = Array.from({ length: count }, (_, position) => {
    const index = position + offset;
    return `${index % 60} ${(index >> 3) % 24} * * ${index % 7}`;
  });
  const before = heapUsed();
  const started = performance.now();
  const objects = expressions.map(build);
  const milliseconds = performance.now() - started;
  const bytes = heapUsed() - before;
  if (objects.length !== count) throw new Error("lost objects");
  return { count, milliseconds, megabytes: bytes / 1024 / 1024 };
}

const format = (value) => Math.round(value).toLocaleString("en-US");
const utcRows = nextFireTable("UTC", EXPRESSIONS);
const zonedRows = nextFireTable("Europe/Berlin", EXPRESSIONS.slice(0, 8));

console.log("next-fire computations per second (chained, one expression per row)\n");
console.log(
  "| expression | zone | asyncz | croner 11.0.1 | cron-parser 5.10.6 | asyncz / faster peer |",
);
console.log("| --- | --- | ---: | ---: | ---: | ---: |");
for (const row of [...utcRows, ...zonedRows]) {
  console.log(
    `| \`${row.expression}\` | ${row.timezone} | ${format(row.ours)} | ${format(row.croner)} | ${format(row.cronParser)} | ${row.ratioToFaster.toFixed(1)}x |`,
  );
}

// Warm all three up (JIT) on other expressions, so the measured build does not pay for compiling
// the libraries' parsers.
construction(2000, (expression) => CronTrigger.fromCrontab(expression), 20_000);
construction(2000, (expression) => new Cron(expression), 20_000);
construction(2000, (expression) => CronExpressionParser.parse(expression), 20_000);
const builds = {
  asyncz: construction(10_000, (expression) => CronTrigger.fromCrontab(expression)),
  croner: construction(10_000, (expression) => new Cron(expression)),
  cronParser: construction(10_000, (expression) => CronExpressionParser.parse(expression)),
};
console.log("\n10k objects with varied expressions: build time and retained heap\n");
console.log("| library | time (ms) | heap (MB) |");
console.log("| --- | ---: | ---: |");
for (const [name, result] of Object.entries(builds)) {
  console.log(`| ${name} | ${result.milliseconds.toFixed(1)} | ${result.megabytes.toFixed(1)} |`);
}
const slowest = Math.min(...utcRows.map((row) => row.ratioToFaster));
console.log(`\nslowest UTC ratio to the faster peer: ${slowest.toFixed(2)}x (target >= 1)`);
console.log(
  `10k CronTrigger: ${builds.asyncz.milliseconds.toFixed(1)} ms (target < 50), ${builds.asyncz.megabytes.toFixed(1)} MB (target < 20)`,
);

if (process.env.BENCH_RESULTS) {
  writeFileSync(
    process.env.BENCH_RESULTS,
    `${JSON.stringify({ suite: "triggers", node: process.version, runMs: RUN_MS, nextFire: [...utcRows, ...zonedRows], builds }, null, 2)}\n`,
  );
}
