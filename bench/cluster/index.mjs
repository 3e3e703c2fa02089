// bench/cluster: the file store under many processes, on the real disk.
//   npm run bench -- cluster            everything
//   node bench/cluster/index.mjs quick  smaller sizes (a smoke run)
// Prints tables and writes JSON to $BENCH_RESULTS (bench/results/cluster.json by default).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { taskRecordToJSON } from "@asyncz/core";
import { FileStore, taskFileName } from "@asyncz/file-store";
import { runClusterScenarios } from "./cluster-runs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("quick");
const results = { machine: machine(), load: [], churn: [], cluster: [], takeover: null };
const scratch = mkdtempSync(join(tmpdir(), "asyncz-bench-cluster-"));

function machine() {
  let cpu = "unknown";
  try {
    cpu = execFileSync("sh", ["-c", "nproc; uptime"], { encoding: "utf8" }).replace(/\s+/g, " ");
  } catch {}
  return { node: process.version, cpu, at: new Date().toISOString() };
}

function child(script, args, { parse = true } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--expose-gc", join(here, script), ...args.map(String)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (chunk) => {
      out += chunk;
    });
    proc.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
      else resolve(parse ? JSON.parse(out) : out);
    });
  });
}

function record(id, nextMs, args = []) {
  return {
    id,
    name: id,
    fn: "job",
    args,
    trigger: { type: "interval", version: 1, seconds: 60 },
    executor: "default",
    mistriggerGraceTime: 60,
    coalesce: true,
    maxInstances: 1,
    nextRunTime: nextMs === null ? null : new Date(nextMs),
  };
}

/** Writes n task files directly (the fastest way to prepare a big store). */
function prepare(directory, n, nextMs) {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  for (let i = 0; i < n; i++) {
    const rec = record(`task-${i}`, nextMs + i, [i]);
    writeFileSync(
      join(directory, taskFileName(rec.id)),
      `${JSON.stringify(taskRecordToJSON(rec), null, 2)}\n`,
    );
  }
}

function table(title, rows) {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  console.log(line(keys));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(keys.map((k) => r[k])));
}

const fmt = (x, d = 1) => (x === null || x === undefined ? "-" : Number(x).toFixed(d));

try {
  // The scheduler across processes first: the big directories made for the start-up figures
  // leave the disk busy (ext4 journal) for a while after they are removed.
  await runClusterScenarios({ scratch, quick, results, table, fmt });

  // Start-up: load time and memory of one process, idle CPU at the largest size.
  for (const n of quick ? [1_000, 10_000] : [10_000, 100_000]) {
    const dir = join(scratch, `load-${n}`);
    prepare(dir, n, Date.now() + 86_400_000);
    const idleMs = n >= 100_000 || quick ? 10_000 : 0;
    const runs = [];
    for (let i = 0; i < 3; i++)
      runs.push(await child("load-worker.mjs", [dir, i === 0 ? idleMs : 0]));
    const loads = runs.map((r) => r.loadMs).sort((a, b) => a - b);
    results.load.push({
      tasks: n,
      loadMs: loads,
      rssMB: runs[0].rssMB,
      heapMB: runs[0].heapMB,
      idleCpuPct: runs[0].idleCpuPct,
      dueQueryMs: runs[0].dueQueryMs,
    });
    rmSync(dir, { recursive: true, force: true });
  }
  table(
    "Store start-up (one process; load = median of 3)",
    results.load.map((r) => ({
      tasks: r.tasks,
      "load ms (min/med/max)": `${fmt(r.loadMs[0], 0)}/${fmt(r.loadMs[1], 0)}/${fmt(r.loadMs[2], 0)}`,
      "RSS MB": fmt(r.rssMB, 0),
      "heap MB": fmt(r.heapMB, 0),
      "idle CPU %": fmt(r.idleCpuPct, 2),
      "getDueTasks ms": fmt(r.dueQueryMs, 2),
    })),
  );

  // Raw store throughput: claim every run, the winner advances (no scheduler, no timers).
  for (const workers of [1, 2, 4]) {
    const tasks = quick ? 200 : 1000;
    const rounds = quick ? 2 : 5;
    const dir = join(scratch, `churn-${workers}`);
    const seed = new FileStore({ directory: dir });
    await seed.start({
      alias: "default",
      owner: "seed",
      lockPath: undefined,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        child() {
          return this;
        },
      },
      emit() {},
    });
    for (let i = 0; i < tasks; i++) await seed.addTask(record(`churn-${i}`, 1_900_000_000_000));
    await seed.shutdown();
    const startAt = Date.now() + 1500;
    const runs = await Promise.all(
      Array.from({ length: workers }, () =>
        child("churn-worker.mjs", [dir, tasks, rounds, startAt]),
      ),
    );
    const wallMs = Math.max(...runs.map((r) => r.wallMs));
    const won = runs.reduce((n, r) => n + r.won, 0);
    results.churn.push({
      workers,
      runs: tasks * rounds,
      won,
      duplicates: won - tasks * rounds,
      runsPerSec: (won / wallMs) * 1000,
      cpuMsPerRun: runs.reduce((n, r) => n + r.cpuMs, 0) / won,
    });
    rmSync(dir, { recursive: true, force: true });
  }
  table(
    "Raw store throughput: every process claims every run, the winner advances (compare-and-set)",
    results.churn.map((r) => ({
      workers: r.workers,
      runs: r.runs,
      won: r.won,
      duplicates: r.duplicates,
      "runs/s": fmt(r.runsPerSec, 0),
      "CPU ms per run (all processes)": fmt(r.cpuMsPerRun, 3),
    })),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const out = process.env.BENCH_RESULTS ?? join(here, "..", "results", "cluster.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nJSON: ${out}`);
