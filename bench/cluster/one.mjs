// One cluster scenario of bench/cluster, for quick measurements while working on the store.
//   node bench/cluster/one.mjs <workers> <tasks> <intervalSeconds> [durationMs]
//   SPREAD=1: run times spread evenly over the period instead of one burst per period.
//   LEAD_MS=<ms>: that much longer between registration and the first run.
//   SYNC_BEFORE_MS=<ms>: sync(1) that many ms before the first run (after registration).
// Prints one JSON line: runs/s, lateness (all and after the 5 s warm-up), CPU per worker (all,
// after 5 s, and after 30 s when the run is longer), duplicates and runs not executed.
// Profiling: WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p".
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  analyse,
  cpuPctFrom,
  runCluster,
} from "../../test/fixtures/file-store/cluster-harness.mjs";

const [workers = "4", tasks = "1000", interval = "1", durationMs = "20000"] = process.argv.slice(2);
const root = mkdtempSync(join(tmpdir(), "asyncz-bench-one-"));
const load0 = loadavg()[0];
const run = await runCluster({
  root,
  workers: Number(workers),
  tasks: Number(tasks),
  interval: Number(interval),
  durationMs: Number(durationMs),
  spread: process.env.SPREAD === "1",
  leadMs: Number(process.env.LEAD_MS ?? 0),
  beforeStart:
    process.env.SYNC_BEFORE_MS === undefined
      ? undefined
      : {
          msBefore: Number(process.env.SYNC_BEFORE_MS),
          run: () => execFileSync("sync"),
        },
});
const round1 = (c) => (c === undefined ? null : Math.round(c * 10) / 10);
const a = analyse(run, { tasks: Number(tasks), interval: Number(interval), settleMs: 5000 });
console.log(
  JSON.stringify({
    workers: Number(workers),
    tasks: Number(tasks),
    interval: Number(interval),
    runsPerSec: Math.round(a.executed / ((run.stoppedAt - run.startAt) / 1000)),
    steady: [a.steadyP50, a.steadyP99, a.steadyMax],
    all: [a.latenessP50, a.latenessP99],
    cpu: a.cpuPerWorker.map((c) => Math.round(c * 10) / 10),
    cpuAfter5s: a.warmCpuPerWorker.map(round1),
    cpuAfter30s: a.workerStats.map((s) => round1(cpuPctFrom(s, run.startAt + 30_000))),
    systemPct: a.workerStats.map((w) => Math.round((w.systemPct ?? 0) * 10) / 10),
    switches: a.workerStats.map((w) => `${w.voluntarySwitches}/${w.involuntarySwitches}`),
    duplicates: a.duplicates.length,
    missing: a.missing.length,
    expected: a.expected,
    load: [Math.round(load0 * 100) / 100, Math.round(loadavg()[0] * 100) / 100],
  }),
);
if (!process.env.KEEP) rmSync(root, { recursive: true, force: true });
else console.log(root);
