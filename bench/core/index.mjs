// bench/core: asyncz's in-process scheduler side by side with node-cron 4, node-schedule,
// croner 11, toad-scheduler and a single-timer binary-heap floor (floor.mjs), in one run.
// Every measurement runs in a fresh child process (measure.mjs), so heaps, timers and JIT state
// never mix between libraries. Run: `npm run bench -- core`, or
// `node --expose-gc bench/core/index.mjs [scheduler ...]` for a subset.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adapters } from "./adapters.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const schedulers = Object.keys(adapters).filter(
  (name) => wanted.length === 0 || wanted.includes(name),
);
const scenarios = ["add-interval", "add-cron", "bulk", "fire", "fire-warm"];
// 100k jobs of croner need about 8 GB; a common heap cap makes that an "out of memory" row
// instead of a machine swapping for minutes.
const HEAP_MB = 1536;

// Schedulers that have both intervals and cron get a second row with bulk and fire on cron.
const BOTH_KINDS = ["asyncz"];

function measure(name, scenario, kind = "interval") {
  const child = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      `--max-old-space-size=${HEAP_MB}`,
      join(here, "measure.mjs"),
      name,
      scenario,
      kind,
    ],
    { encoding: "utf8", timeout: 180_000, cwd: here },
  );
  const line = child.stdout.trim().split("\n").at(-1) ?? "";
  if (child.status === 0 && line.startsWith("{")) return JSON.parse(line);
  if (/heap out of memory|Allocation failed/i.test(child.stderr)) {
    return { error: `out of memory (heap capped at ${HEAP_MB} MB)` };
  }
  if (child.error?.code === "ETIMEDOUT") return { error: "> 180 s (timed out)" };
  return {
    error: `exit ${child.status ?? child.signal}: ${child.stderr.trim().split("\n").at(-1) ?? ""}`,
  };
}

const results = {};
for (const name of schedulers) {
  results[name] = {};
  for (const scenario of scenarios) {
    process.stderr.write(`${name} ${scenario}...\n`);
    results[name][scenario] = measure(name, scenario);
  }
  if (BOTH_KINDS.includes(name)) {
    const cronRow = {};
    for (const scenario of ["bulk", "fire"]) {
      process.stderr.write(`${name} ${scenario} (cron)...\n`);
      cronRow[scenario] = measure(name, scenario, "cron");
    }
    results[`${name}, cron`] = cronRow;
  }
}

const fixed = (value, digits = 1) => (typeof value === "number" ? value.toFixed(digits) : "—");
const kb = (bytes) => (typeof bytes === "number" ? `${(bytes / 1024).toFixed(2)} KB` : "—");
function cell(result, render) {
  if (result === undefined) return "—";
  if (result.error !== undefined)
    return result.error.startsWith("pending") ? "pending" : result.error;
  if (result.skipped !== undefined) return "n/a";
  return render(result);
}

const floor = results.floor;
const ratio = (value, base) =>
  typeof value === "number" && typeof base === "number" && base > 0
    ? ` (×${(value / base).toFixed(1)})`
    : "";
// The main thread's share (Linux only): the scheduler's own work on the event loop, without V8's
// background compiler and GC threads.
const mainThread = (x, base) =>
  typeof x.mainCpuUsPerExecution === "number"
    ? ` (main ${fixed(x.mainCpuUsPerExecution, 1)}${ratio(x.mainCpuUsPerExecution, base?.mainCpuUsPerExecution)})`
    : "";
// The mean over all measured adds, GC included, next to the median batch.
const meanOf = (x) =>
  typeof x.usPerAddMean === "number" ? ` (mean ${fixed(x.usPerAddMean, 2)})` : "";
const header = [
  "scheduler",
  "add interval µs",
  "bytes/job",
  "add cron µs",
  "bytes/job",
  "100k adds",
  "idle CPU, 100k",
  "CPU µs/run (main thread)",
  "lateness p50/p99 ms",
  "after 20 s: CPU µs/run, p50/p99 ms",
];
const rows = Object.keys(results).map((name) => {
  const r = results[name];
  return [
    name,
    cell(
      r["add-interval"],
      (x) =>
        fixed(x.usPerAdd, 2) + ratio(x.usPerAdd, floor?.["add-interval"]?.usPerAdd) + meanOf(x),
    ),
    cell(r["add-interval"], (x) => kb(x.bytesPerJob)),
    cell(r["add-cron"], (x) => fixed(x.usPerAdd, 2) + meanOf(x)),
    cell(r["add-cron"], (x) => kb(x.bytesPerJob)),
    cell(r.bulk, (x) => `${fixed(x.addMs, 0)} ms (${x.kind}, ${kb(x.bytesPerJob)}/job)`),
    r.bulk?.error !== undefined && !r.bulk.error.startsWith("pending")
      ? "—"
      : cell(r.bulk, (x) => `${fixed(x.idleCpuPercent, 2)} %`),
    cell(
      r.fire,
      (x) =>
        fixed(x.cpuUsPerExecution, 1) +
        ratio(x.cpuUsPerExecution, floor?.fire?.cpuUsPerExecution) +
        mainThread(x, floor?.fire),
    ),
    cell(
      r.fire,
      (x) =>
        `${fixed(x.latenessP50Ms, 1)} / ${fixed(x.latenessP99Ms, 1)} (${x.kind}, n=${x.executions})`,
    ),
    cell(
      r["fire-warm"],
      (x) =>
        `${fixed(x.cpuUsPerExecution, 1)}${ratio(x.cpuUsPerExecution, floor?.["fire-warm"]?.cpuUsPerExecution)}${mainThread(x, floor?.["fire-warm"])}; ${fixed(x.latenessP50Ms, 1)} / ${fixed(x.latenessP99Ms, 1)}`,
    ),
  ];
});
const table = [header, header.map(() => "---"), ...rows]
  .map((row) => `| ${row.join(" | ")} |`)
  .join("\n");
console.log(table);
console.log(
  "\nadd: median of 10 batches of 500 after 5,000 warm-up (interval 300 s / cron every 5 min), mean = all 5,000 adds, GC included; retained heap after GC." +
    "\n100k: interval 1 h or cron daily; idle CPU = process.cpuUsage over 3 s with nothing due." +
    "\nrun: 200 jobs due on every whole second for 10 s, seconds 2–12 of the process; CPU net of the idle process (process.cpuUsage, all threads);" +
    " main = the main thread alone (Linux schedstat), without V8's background JIT/GC threads; lateness = fire time past the second." +
    "\nafter 20 s: the same, measured after 20 s of firing (JIT and the heap settled, as in a long-running server)." +
    "\nTargets (issue #3): add ≤ 5 µs interval / ≤ 10 µs cron, ≤ 1 KB; 100k < 1 s; idle < 0.3 %;" +
    " ≤ 10 µs CPU per run; lateness p50 ≤ 3 ms, p99 ≤ 6 ms.",
);
if (process.env.BENCH_RESULTS) {
  writeFileSync(
    process.env.BENCH_RESULTS,
    `${JSON.stringify({ suite: "core", node: process.version, heapMb: HEAP_MB, results }, null, 2)}\n`,
  );
}
