// Runs N worker processes of one library with the same jobs and analyses what they recorded.
// Every worker program follows the protocol of test/fixtures/file-store/cluster-worker.mjs: it
// writes <outDir>/<pid>.ready once its jobs are registered and it is running, appends one line
// "<job id> <scheduled ms> <pid> <start ms>" to <outDir>/<pid>.runs per run it starts, and exits
// on SIGTERM. CPU is read from /proc for the measured window only (first scheduled second to
// SIGTERM), for the workers (all their threads) and for the server's process tree.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { readRuns, startReadyProcess } from "../../test/fixtures/file-store/cluster-harness.mjs";
import { cpuBetween, treeCpu } from "./servers.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first part of the window that the "after warm-up" figures leave out, by default. */
export const WARMUP_MS = 5000;

/** A peer's worker: the cluster harness's start-and-wait-for-ready, with a longer allowance. */
function startWorker({ script, argv, outDir, env }) {
  return startReadyProcess({ script, args: argv, outDir, env, readyTimeoutMs: 60_000 });
}

/**
 * @param {object} o
 * @param {string} o.root - scratch folder for this scenario (records in root/out)
 * @param {string} o.script - the worker program
 * @param {(ctx: { outDir: string, startAt: number, mode: "fresh"|"join", index: number }) => unknown[]} o.argv
 * @param {number} o.workers
 * @param {number} o.tasks
 * @param {number} o.durationMs - from the first scheduled second to SIGTERM
 * @param {number} [o.serverPid] - root of the server's process tree (its CPU is measured)
 * @param {Record<string,string>} [o.env] - added to every worker's environment
 * @param {number} [o.warmupMs] - CPU is also measured from this long after the first run
 */
export async function runPeerCluster({
  root,
  script,
  argv,
  workers,
  tasks,
  durationMs,
  serverPid,
  env,
  warmupMs = WARMUP_MS,
}) {
  const outDir = join(root, "out");
  mkdirSync(outDir, { recursive: true });
  // Far enough ahead for every worker to start and register its jobs; on a whole second, so that
  // "every second" and "* * * * * *" schedules share the same slots.
  const startAt = Math.ceil((Date.now() + 8000 + workers * 500 + tasks * 5) / 1000) * 1000;
  const live = [];
  try {
    // The first worker registers the jobs; the others start together and register them again,
    // as the workers of a cluster or pm2 app would.
    live.push(
      await startWorker({
        script,
        outDir,
        env,
        argv: argv({ outDir, startAt, mode: "fresh", index: 0 }),
      }),
    );
    live.push(
      ...(await Promise.all(
        Array.from({ length: workers - 1 }, (_, k) =>
          startWorker({
            script,
            outDir,
            env,
            argv: argv({ outDir, startAt, mode: "join", index: k + 1 }),
          }),
        ),
      )),
    );
  } catch (error) {
    for (const w of live) w.child.kill("SIGKILL");
    throw error;
  }
  const lateStart = Date.now() - startAt;
  if (lateStart > 0) {
    for (const w of live) w.child.kill("SIGKILL");
    throw new Error(
      `${workers} workers registered ${tasks} jobs too slowly (${lateStart} ms after the first run)`,
    );
  }
  await sleep(startAt - Date.now());
  const cpu0 = live.map((w) => treeCpu(w.pid));
  const server0 = serverPid === undefined ? null : treeCpu(serverPid);
  const wall0 = performance.now();
  // Again after the warm-up that the lateness figures skip (JIT compilation of the run path).
  await sleep(Math.max(0, startAt + warmupMs - Date.now()));
  const cpuWarm = live.map((w) => treeCpu(w.pid));
  const serverWarm = serverPid === undefined ? null : treeCpu(serverPid);
  const wallWarm = performance.now();
  await sleep(startAt + durationMs - Date.now());
  const wall1 = performance.now();
  const wallMs = wall1 - wall0;
  const cpu1 = live.map((w) => treeCpu(w.pid));
  const server1 = serverPid === undefined ? null : treeCpu(serverPid);
  const stoppedAt = Date.now();
  for (const w of live) w.child.kill("SIGTERM");
  const codes = await Promise.all(
    live.map((w) =>
      Promise.race([
        w.exited,
        sleep(10_000).then(() => {
          w.child.kill("SIGKILL");
          return w.exited;
        }),
      ]),
    ),
  );
  return {
    outDir,
    startAt,
    stoppedAt,
    codes,
    cpuPerWorkerPct: live.map((_, i) => (cpuBetween(cpu0[i], cpu1[i]) / wallMs) * 100),
    serverCpuPct: server0 === null ? null : (cpuBetween(server0, server1) / wallMs) * 100,
    cpuPerWorkerAfterWarmupPct: live.map(
      (_, i) => (cpuBetween(cpuWarm[i], cpu1[i]) / (wall1 - wallWarm)) * 100,
    ),
    serverCpuAfterWarmupPct:
      serverWarm === null ? null : (cpuBetween(serverWarm, server1) / (wall1 - wallWarm)) * 100,
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Compares the records with the schedule: job ids[i] runs every intervalS seconds from
 * startAt + offsetMs(i). Runs scheduled from startAt to stoppedAt - settleMs are expected (a run
 * scheduled in the last settleMs may legitimately not have started yet).
 */
export function analysePeer(
  run,
  { ids, intervalS, offsetMs = () => 0, settleMs = 3000, warmupMs = WARMUP_MS },
) {
  const windowEnd = run.stoppedAt - settleMs;
  const seen = new Map();
  const perWorker = new Map();
  const lateness = [];
  const steady = [];
  for (const { taskId, scheduled, pid, started } of readRuns(run.outDir)) {
    if (scheduled < run.startAt || scheduled > windowEnd) continue;
    perWorker.set(pid, (perWorker.get(pid) ?? 0) + 1);
    const key = `${taskId}@${scheduled}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const late = started - scheduled;
    lateness.push(late);
    if (scheduled >= run.startAt + warmupMs) steady.push(late);
  }
  let expected = 0;
  let missed = 0;
  const offsetOf = new Map(ids.map((id, i) => [String(id), offsetMs(i)]));
  for (const [i, id] of ids.entries())
    for (let t = run.startAt + offsetMs(i); t <= windowEnd; t += intervalS * 1000) {
      expected += 1;
      if (!seen.has(`${id}@${t}`)) missed += 1;
    }
  let executions = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [key, count] of seen) {
    executions += count;
    if (count > 1) duplicated += 1;
    // A run at a time that is not on the schedule (a library that drifts off its slots).
    const [id, sched] = key.split("@");
    const offset = offsetOf.get(id);
    if (offset === undefined || (Number(sched) - run.startAt - offset) % (intervalS * 1000) !== 0)
      unexpected += 1;
  }
  lateness.sort((a, b) => a - b);
  steady.sort((a, b) => a - b);
  // The window holds this many scheduled runs per job (both ends included), one per interval.
  const windowS = (expected / Math.max(1, ids.length)) * intervalS;
  return {
    expected,
    distinctRuns: seen.size,
    executions,
    duplicatedRuns: duplicated,
    extraExecutions: executions - seen.size,
    missed,
    offSchedule: unexpected,
    runsPerSec: seen.size / windowS,
    // Share of the executions each worker did, largest first (an even spread is 25 % each of 4).
    sharePct: [...perWorker.values()]
      .sort((a, b) => b - a)
      .map((n) => (n / Math.max(1, executions)) * 100),
    executionsPerSec: executions / windowS,
    latenessP50: percentile(lateness, 50),
    latenessP99: percentile(lateness, 99),
    latenessMax: lateness.at(-1) ?? null,
    steadyP50: percentile(steady, 50),
    steadyP99: percentile(steady, 99),
    steadyMax: steady.at(-1) ?? null,
  };
}
