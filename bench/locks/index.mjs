// Lock benchmark: acquire/release cycles per second (ours vs raw mkdir+rmdir vs proper-lockfile,
// on the real disk and on tmpfs), and takeover latency after the holder is SIGKILLed.
// Run with `npm run bench -- locks`. Prints tables; writes JSON to $BENCH_RESULTS.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FileLockProtected } from "@asyncz/locks";

const require = createRequire(import.meta.url);
const lockfile = require("proper-lockfile");
const here = dirname(fileURLToPath(import.meta.url));
const CYCLE_SECONDS = Number(process.env.LOCKS_BENCH_SECONDS ?? 1);
const TAKEOVER_TRIALS = Number(process.env.LOCKS_BENCH_TRIALS ?? 20);
const PLF_TAKEOVER_TRIALS = Number(process.env.LOCKS_BENCH_PLF_TRIALS ?? 5);

function rate(fn) {
  for (let i = 0; i < 200; i += 1) fn();
  let cycles = 0;
  const start = performance.now();
  const end = start + CYCLE_SECONDS * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i += 1) fn();
    cycles += 100;
  }
  return cycles / ((performance.now() - start) / 1000);
}

async function asyncRate(fn) {
  for (let i = 0; i < 50; i += 1) await fn();
  let cycles = 0;
  const start = performance.now();
  const end = start + CYCLE_SECONDS * 1000;
  while (performance.now() < end) {
    await fn();
    cycles += 1;
  }
  return cycles / ((performance.now() - start) / 1000);
}

async function cycleRows(label, base) {
  const dir = mkdtempSync(join(base, "asyncz-bench-locks-"));
  const ours = new FileLockProtected(join(dir, "ours.lock"));
  const oursMkdir = new FileLockProtected(join(dir, "ours-mkdir.lock"), { strategy: "mkdir" });
  const raw = join(dir, "raw.lock");
  const plfPath = join(dir, "plf");
  const plfOptions = { realpath: false, stale: 10_000, onCompromised: () => {} };
  const rows = [
    {
      name: "ours os: protected(false) + release",
      rate: rate(() => ours.protected(false).release()),
    },
    {
      name: "ours os: await protected(true) + release",
      rate: await asyncRate(async () => (await ours.protected(true)).release()),
    },
    {
      name: "raw mkdirSync + rmdirSync",
      rate: rate(() => {
        mkdirSync(raw);
        rmdirSync(raw);
      }),
    },
    {
      name: "proper-lockfile lockSync + release",
      rate: rate(() => lockfile.lockSync(plfPath, plfOptions)()),
    },
    {
      name: "proper-lockfile await lock + release",
      rate: await asyncRate(async () => (await lockfile.lock(plfPath, plfOptions))()),
    },
    {
      name: "ours mkdir: protected(false) + release",
      rate: rate(() => oursMkdir.protected(false).release()),
    },
  ];
  rmSync(dir, { recursive: true, force: true });
  const plf = rows.find((row) => row.name.startsWith("proper-lockfile lockSync"))?.rate ?? 1;
  return rows.map((row) => ({
    where: label,
    name: row.name,
    cyclesPerSecond: Math.round(row.rate),
    vsProperLockfileSync: Number((row.rate / plf).toFixed(1)),
  }));
}

function launch(args) {
  const child = spawn(process.execPath, [join(here, "child.mjs"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const seen = [];
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    out += chunk;
    for (const wake of seen.splice(0)) wake();
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const line = (prefix) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = out.split("\n").find((text) => text.startsWith(prefix));
        if (found) resolve(found);
        else if (child.exitCode !== null) reject(new Error(`child exited before "${prefix}"`));
        else seen.push(check);
      };
      check();
      void exited.then(check);
    });
  return { child, line, exited };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function takeover(holdMode, waitMode, trials, base) {
  const dir = mkdtempSync(join(base, "asyncz-bench-takeover-"));
  const samples = [];
  for (let trial = 0; trial < trials; trial += 1) {
    const lockPath = join(dir, `t${trial}.lock`);
    writeFileSync(lockPath, "");
    const holder = launch([holdMode, lockPath]);
    await holder.line("acquired");
    const waiter = launch([waitMode, lockPath]);
    await waiter.line("waiting");
    // Let the waiter settle into its steady polling interval before the kill.
    await sleep(150);
    const killedAt = process.hrtime.bigint();
    holder.child.kill("SIGKILL");
    const acquired = await waiter.line("acquired");
    samples.push(Number(BigInt(acquired.split(" ")[1]) - killedAt) / 1e6);
    await Promise.all([holder.exited, waiter.exited]);
  }
  rmSync(dir, { recursive: true, force: true });
  samples.sort((a, b) => a - b);
  const pick = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return {
    name: `${holdMode} -> ${waitMode}`,
    trials,
    p50Ms: Number(pick(0.5).toFixed(2)),
    p99Ms: Number(pick(0.99).toFixed(2)),
    maxMs: Number(samples[samples.length - 1].toFixed(2)),
  };
}

const disk = tmpdir();
const cycles = await cycleRows(`disk (${disk})`, disk);
if (existsSync("/dev/shm")) cycles.push(...(await cycleRows("tmpfs (/dev/shm)", "/dev/shm")));
console.log("\nAcquire/release cycles per second (single process, uncontended)");
console.table(cycles);

const takeovers = [
  await takeover("hold-ours", "wait-ours", TAKEOVER_TRIALS, disk),
  await takeover("hold-ours", "wait-native", TAKEOVER_TRIALS, disk),
  await takeover("hold-plf", "wait-plf", PLF_TAKEOVER_TRIALS, disk),
];
console.log("\nTakeover latency after SIGKILL of the holder (waiter already waiting)");
console.table(takeovers);

if (process.env.BENCH_RESULTS) {
  writeFileSync(
    process.env.BENCH_RESULTS,
    JSON.stringify({ suite: "locks", node: process.version, cycles, takeovers }, null, 2),
  );
}
