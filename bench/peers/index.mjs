// bench/peers: the cluster question for asyncz and its peers, side by side in one run.
// N = 4 worker processes of one library run the same jobs every second (100 jobs, and 1,000
// where the library can do it) for 20 s: runs/s, duplicates, misses, lateness, CPU per worker and
// per server. Servers (Redis, PostgreSQL) are started here on loopback in a temporary directory;
// a library whose server is not installed gets a "not run: <reason>" row.
//   npm run bench -- peers                        everything
//   node bench/peers/index.mjs quick              8 s per scenario (a smoke run)
//   node bench/peers/index.mjs bullmq croner 100  only these libraries / job counts
//   node bench/peers/index.mjs spread             run times spread evenly over the second (a
//                                                 steady stream; asyncz and BullMQ only)
//   node bench/peers/index.mjs duration=90 warmup=30   a 90 s window; the "after warm-up"
//                                                 lateness and CPU from 30 s on (default 20 / 5)
//   (library names: asyncz bullmq bullmq-hz100 agenda-postgres agenda-redis bree croner node-cron
//   node-schedule bree-in-process)
// Prints a table and writes JSON to $BENCH_RESULTS (bench/results/peers.json by default).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spreadOffsetMs } from "../../test/fixtures/file-store/cluster-harness.mjs";
import { analysePeer, WARMUP_MS as DEFAULT_WARMUP_MS, runPeerCluster } from "./harness.mjs";
import { startPostgres, startRedis } from "./servers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("quick");
// Job i due at offset i/n of every second instead of all at the whole second: each worker wakes
// for its runs one by one, the cost of a steady stream rather than of one burst per second.
const spread = args.includes("spread");
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
const seconds = (name) => {
  const arg = args.find((a) => a.startsWith(`${name}=`));
  return arg === undefined ? undefined : Number(arg.slice(name.length + 1)) * 1000;
};
const only = args.filter(
  (a) => a !== "quick" && a !== "spread" && !/^\d+$/.test(a) && !a.includes("="),
);
const WORKERS = 4;
const DURATION_MS = seconds("duration") ?? (quick ? 8000 : 20_000);
const WARMUP_MS = seconds("warmup") ?? DEFAULT_WARMUP_MS;
// Library settings a production user would choose for jobs due every second (see README).
const BULLMQ_CONCURRENCY = 100;
const AGENDA_PROCESS_EVERY_MS = 1000;
const AGENDA_MAX_CONCURRENCY = 200;

function version(name) {
  for (const base of [join(here, "..", "node_modules"), join(here, "..", "..", "node_modules")]) {
    const file = join(base, name, "package.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")).version;
  }
  return "?";
}

const worker = (name) => join(here, "workers", name);
const asyncz = {
  name: "asyncz",
  label: `asyncz ${version("@asyncz/core")} (file store)`,
  server: null,
  sizes: [100, 1000],
  spreads: true,
  env: spread ? { SPREAD: "1" } : undefined,
  script: fileURLToPath(
    new URL("../../test/fixtures/file-store/cluster-worker.mjs", import.meta.url),
  ),
  argv:
    ({ root, tasks }) =>
    (c) => [join(root, "store"), c.outDir, tasks, 1, c.startAt, c.mode],
};
/** The arguments every peer worker program starts with: records folder, jobs, interval, start, mode. */
const commonArgv = ({ tasks }, c) => [c.outDir, tasks, 1, c.startAt, c.mode];
/** agenda on one of its backends (`@agendajs/<backend>-backend`), its server started by the bench. */
const agenda = (backend) => ({
  name: `agenda-${backend}`,
  label: `agenda ${version("agenda")} + ${backend}-backend ${version(`@agendajs/${backend}-backend`)}`,
  server: backend,
  sizes: [100, 1000],
  script: worker("agenda-worker.mjs"),
  argv: (scenario) => (c) => [
    ...commonArgv(scenario, c),
    backend,
    scenario.server.url,
    AGENDA_PROCESS_EVERY_MS,
    AGENDA_MAX_CONCURRENCY,
  ],
});
/** BullMQ job schedulers on a Redis server started by the bench (`redis` or `redis-hz100`). */
const bullmq = (server, name, labelSuffix) => ({
  name,
  label: `BullMQ ${version("bullmq")} (job schedulers)${labelSuffix}`,
  server,
  sizes: [100, 1000],
  script: worker("bullmq-worker.mjs"),
  argv: (scenario) => (c) => [
    ...commonArgv(scenario, c),
    scenario.server.url,
    BULLMQ_CONCURRENCY,
    spread ? "spread" : "",
  ],
  spreads: true,
});
const libraries = [
  asyncz,
  bullmq("redis", "bullmq", ""),
  // The same with Redis's timer at 100 Hz: BullMQ's worker waits for the next delayed job with
  // a blocking Redis command whose timeout Redis notices on its timer (every 100 ms at hz 10).
  bullmq("redis-hz100", "bullmq-hz100", ", Redis hz 100"),
  agenda("postgres"),
  agenda("redis"),
  {
    name: "bree",
    label: `bree ${version("bree")} (a worker thread per run)`,
    server: null,
    // 10 jobs: 100 jobs a second would be 400 new worker threads a second across 4 workers,
    // which saturates this 2-core machine (a smoke run: load average 32, runs seconds late).
    sizes: [10],
    script: worker("bree-worker.mjs"),
    argv: (scenario) => (c) => commonArgv(scenario, c),
  },
  {
    name: "croner",
    label: `croner ${version("croner")} (baseline: no coordination)`,
    server: null,
    sizes: [100, 1000],
    script: worker("croner-worker.mjs"),
    argv: (scenario) => (c) => commonArgv(scenario, c),
  },
  {
    name: "node-cron",
    label: `node-cron ${version("node-cron")} (no coordination)`,
    server: null,
    sizes: [100],
    script: worker("node-cron-worker.mjs"),
    argv: (scenario) => (c) => commonArgv(scenario, c),
  },
  {
    name: "node-schedule",
    label: `node-schedule ${version("node-schedule")} (no coordination)`,
    server: null,
    sizes: [100],
    script: worker("node-schedule-worker.mjs"),
    argv: (scenario) => (c) => commonArgv(scenario, c),
  },
].filter(
  (lib) => (only.length === 0 || only.includes(lib.name)) && (!spread || lib.spreads === true),
);

function uptime() {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return loadavg()
      .map((x) => x.toFixed(2))
      .join(", ");
  }
}

const results = {
  machine: {
    node: process.version,
    cores: Number(execFileSync("nproc", { encoding: "utf8" }).trim()),
    startedAt: new Date().toISOString(),
    uptimeAtStart: uptime(),
  },
  settings: {
    workers: WORKERS,
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    spread,
    bullmqConcurrency: BULLMQ_CONCURRENCY,
    agendaProcessEveryMs: AGENDA_PROCESS_EVERY_MS,
    agendaMaxConcurrency: AGENDA_MAX_CONCURRENCY,
  },
  servers: {},
  rows: [],
};
const scratch = mkdtempSync(join(tmpdir(), "asyncz-bench-peers-"));

async function startServer(kind) {
  if (kind === "redis") return startRedis();
  if (kind === "redis-hz100") return startRedis({ hz: 100 });
  if (kind === "postgres") return startPostgres();
  return null;
}

try {
  for (const lib of libraries) {
    for (const tasks of lib.sizes.filter((n) => sizes.length === 0 || sizes.includes(n))) {
      const base = {
        library: lib.name,
        label: lib.label,
        workers: WORKERS,
        jobs: tasks,
        targetRunsPerSec: tasks,
      };
      const server = await startServer(lib.server);
      if (server?.missing) {
        results.rows.push({ ...base, status: `not run: ${server.missing}` });
        console.error(`${lib.name} × ${tasks}: not run: ${server.missing}`);
        continue;
      }
      if (server) results.servers[lib.server.replace(/-.*/, "")] = server.version;
      const root = join(scratch, `${lib.name}-${tasks}`);
      mkdirSync(root, { recursive: true });
      const loadBefore = loadavg()[0];
      try {
        const run = await runPeerCluster({
          root,
          script: lib.script,
          argv: lib.argv({ root, tasks, server }),
          workers: WORKERS,
          tasks,
          durationMs: DURATION_MS,
          serverPid: server?.pid,
          env: lib.env,
          warmupMs: WARMUP_MS,
        });
        const a = analysePeer(run, {
          ids: Array.from({ length: tasks }, (_, i) => `t-${i}`),
          intervalS: 1,
          offsetMs: spread ? (i) => spreadOffsetMs(i, tasks, 1) : undefined,
          warmupMs: WARMUP_MS,
        });
        results.rows.push({
          ...base,
          status: "measured",
          ...a,
          cpuPerWorkerPct: run.cpuPerWorkerPct,
          serverCpuPct: run.serverCpuPct,
          cpuPerWorkerAfterWarmupPct: run.cpuPerWorkerAfterWarmupPct,
          serverCpuAfterWarmupPct: run.serverCpuAfterWarmupPct,
          serverKind: lib.server?.replace(/-.*/, "") ?? null,
          startAt: new Date(run.startAt).toISOString(),
          stoppedAt: new Date(run.stoppedAt).toISOString(),
          load1: [loadBefore, loadavg()[0]],
          exitCodes: run.codes,
        });
      } catch (error) {
        results.rows.push({ ...base, status: `failed: ${error.message}` });
        console.error(`${lib.name} × ${tasks}: failed: ${error.stack}`);
      } finally {
        await server?.stop();
        rmSync(root, { recursive: true, force: true });
      }
      const last = results.rows.at(-1);
      console.error(
        `${lib.name} × ${tasks}: ${last.status === "measured" ? `${last.distinctRuns} runs, ${last.extraExecutions} extra, ${last.missed} missed, p50/p99 ${last.steadyP50}/${last.steadyP99} ms` : last.status}`,
      );
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
// bree in one process, in bench/core's shape (add µs, bytes per job, CPU per run, lateness).
if (!spread && (only.length === 0 || only.includes("bree-in-process"))) {
  const child = spawnSync(process.execPath, ["--expose-gc", join(here, "bree-in-process.mjs")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    results.breeInProcess = JSON.parse(child.stdout.trim().split("\n").at(-1));
  } catch {
    results.breeInProcess = { error: `bree-in-process.mjs exited with ${child.status}` };
  }
}
results.machine.uptimeAtEnd = uptime();

const fmt = (x, d = 0) => (x === null || x === undefined ? "-" : Number(x).toFixed(d));
function table(rows) {
  const keys = Object.keys(rows[0]);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  console.log(line(keys));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(keys.map((k) => r[k])));
}

if (results.rows.length > 0) {
  console.log(
    `\n${WORKERS} worker processes, every job every second${spread ? " (run times spread over the second)" : ""}, ${DURATION_MS / 1000} s; runs = distinct (job, scheduled time); lateness = start - scheduled (ms)\n`,
  );
  table(
    results.rows.map((r) =>
      r.status !== "measured"
        ? {
            library: r.label,
            jobs: r.jobs,
            "runs/s (target)": "-",
            "executions/s": "-",
            "runs executed >1× (extra executions)": "-",
            "missed / expected": "-",
            [`lateness p50 / p99 / max (after ${WARMUP_MS / 1000} s)`]: r.status,
            "p50 / p99 (all)": "-",
            "share of executions %": "-",
            "CPU per worker %": "-",
            "server CPU %": "-",
            [`CPU per worker / server % (after ${WARMUP_MS / 1000} s)`]: "-",
          }
        : {
            library: r.label,
            jobs: r.jobs,
            "runs/s (target)": `${fmt(r.runsPerSec)} (${r.targetRunsPerSec})`,
            "executions/s": fmt(r.executionsPerSec),
            "runs executed >1× (extra executions)": `${r.duplicatedRuns} (${r.extraExecutions})`,
            "missed / expected": `${r.missed} / ${r.expected}`,
            [`lateness p50 / p99 / max (after ${WARMUP_MS / 1000} s)`]: `${fmt(r.steadyP50)} / ${fmt(r.steadyP99)} / ${fmt(r.steadyMax)}`,
            "p50 / p99 (all)": `${fmt(r.latenessP50)} / ${fmt(r.latenessP99)}`,
            "share of executions %": r.sharePct.map((c) => fmt(c, 0)).join(" "),
            "CPU per worker %": r.cpuPerWorkerPct.map((c) => fmt(c, 1)).join(" "),
            "server CPU %":
              r.serverCpuPct === null ? "none" : `${fmt(r.serverCpuPct, 1)} (${r.serverKind})`,
            [`CPU per worker / server % (after ${WARMUP_MS / 1000} s)`]: `${r.cpuPerWorkerAfterWarmupPct.map((c) => fmt(c, 1)).join(" ")} / ${r.serverCpuAfterWarmupPct === null ? "none" : fmt(r.serverCpuAfterWarmupPct, 1)}`,
          },
    ),
  );
}
const bree = results.breeInProcess;
if (bree?.add !== undefined) {
  console.log(
    `\nbree ${version("bree")} in one process (bench/core's shape; the run scenario with ${bree.run.jobs} jobs, not 200)\n`,
  );
  table([
    {
      "add a cron job (µs)": fmt(bree.add.usPerAdd, 1),
      "bytes per job": fmt(bree.add.bytesPerJob),
      "CPU µs per run": fmt(bree.run.cpuUsPerExecution),
      "runs in 10 s": bree.run.executions,
      "lateness p50 / p99 ms": `${fmt(bree.run.latenessP50Ms)} / ${fmt(bree.run.latenessP99Ms)}`,
    },
  ]);
} else if (bree !== undefined) console.log(`\nbree in one process: ${bree.error}`);
console.log(`\nload: ${results.machine.uptimeAtStart} → ${results.machine.uptimeAtEnd}`);

const out =
  process.env.BENCH_RESULTS ??
  join(here, "..", "results", spread ? "peers-spread.json" : "peers.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`JSON: ${out}`);
