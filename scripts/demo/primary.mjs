// The demo's cluster primary: forks the workers, collects what they report, kills the lifecycle
// holder with SIGKILL halfway, stops the rest gracefully, and judges the runs.
import cluster from "node:cluster";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ledger } from "./ledger.mjs";
import { clock, LineView, LiveView } from "./view.mjs";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 4_000;

/**
 * Runs the demo.
 *
 * @param {{ durationS: number, workers: number, json: boolean }} options - parsed options
 * @returns {Promise<number>} the exit code: 0 when the verdict holds
 */
export async function runPrimary(options) {
  const directory = mkdtempSync(join(tmpdir(), "asyncz-demo-"));
  // Run times start on a whole second, far enough ahead for every worker to boot and register.
  const startMs = Math.ceil((Date.now() + 3000) / 1000) * 1000;
  const endMs = startMs + (options.durationS - 1) * 1000;
  // Half a second off the run times, so no report is in flight when the holder dies.
  const killAtMs = startMs + Math.floor(options.durationS / 2) * 1000 + 500;
  const ledger = new Ledger();
  const state = {
    directory,
    startMs,
    durationS: options.durationS,
    killAtMs,
    ledger,
    workers: [],
    liveCounts: () => liveCounts(ledger, startMs),
  };
  const view =
    !options.json && process.stdout.isTTY
      ? new LiveView(process.stdout)
      : new LineView(options.json ? process.stderr : process.stdout);
  const note = (text) => view.event(state, { type: "note", text });

  cluster.setupPrimary({
    exec: fileURLToPath(new URL("./worker.mjs", import.meta.url)),
    silent: true,
  });
  let stopping = false;
  let killed = null;

  const allReady = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`workers not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    for (let index = 1; index <= options.workers; index += 1) {
      const worker = cluster.fork({
        DEMO_DIR: directory,
        DEMO_START_MS: String(startMs),
        DEMO_WORKER: String(index),
      });
      const record = {
        exit: null,
        index,
        pid: worker.process.pid,
        status: "starting",
        runs: 0,
        lastRun: null,
        health: null,
        worker,
      };
      state.workers.push(record);
      // Worker output is diagnostics: it goes to stderr, so stdout stays the view or the verdict.
      worker.process.stdout?.pipe(process.stderr);
      worker.process.stderr?.pipe(process.stderr);
      worker.on("message", (message) => {
        switch (message.type) {
          case "ready":
            record.status = "running";
            if (state.workers.every((w) => w.status !== "starting")) {
              clearTimeout(timer);
              resolve();
            }
            break;
          case "run": {
            const count = ledger.addRun(message);
            record.runs += 1;
            record.lastRun = `${message.taskId} @ ${clock(message.scheduledMs)}`;
            view.event(state, { ...message, count });
            break;
          }
          case "holder":
            ledger.addHolderTick(message);
            view.event(state, message);
            break;
          case "missed":
            ledger.addMissed(message);
            view.event(state, message);
            break;
          case "health":
            record.health = message.health;
            break;
          default:
        }
      });
      worker.on("exit", (code, signal) => {
        record.exit = { code, signal };
        if (record.status === "killed") return;
        const wasStarting = record.status === "starting";
        if (record.status !== "forced") record.status = stopping ? "stopped" : "crashed";
        if (!stopping)
          note(`worker ${index} (pid ${record.pid}) exited unexpectedly (${signal ?? code})`);
        if (wasStarting) reject(new Error(`worker ${index} exited before it was ready`));
      });
    }
  });

  const redraw = setInterval(() => view.render(state), 200);
  const cleanup = () => {
    clearInterval(redraw);
    for (const w of state.workers)
      if (w.worker.isConnected() || !w.worker.isDead()) w.worker.process.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    view.close();
    cleanup();
    process.stderr.write("\ninterrupted\n");
    process.exit(130);
  });

  try {
    await allReady;
    note(`${options.workers} workers ready; first runs at ${clock(startMs)}`);

    await sleepUntil(killAtMs);
    const holderPid = ledger.holder;
    const victim =
      state.workers.find((w) => w.pid === holderPid && w.status === "running") ?? state.workers[0];
    victim.status = "killed";
    victim.worker.process.kill("SIGKILL");
    killed = { pid: victim.pid, atMs: Date.now() };
    note(`SIGKILL -> worker ${victim.index} (pid ${victim.pid}), the lifecycle holder`);

    await sleepUntil(endMs + 1000);
    stopping = true;
    note("stopping: the shutdown message to every worker (graceful shutdown)");
    await stopWorkers(state.workers.filter((w) => w.status === "running"));
    const late = reconcile(ledger, join(directory, "runs"));
    if (late > 0) note(`${late} run(s) found in the journals whose IPC report never arrived`);
  } finally {
    view.render(state);
    cleanup();
    view.close();
  }

  const verdict = ledger.verdict({
    fromMs: startMs,
    toMs: endMs,
    killedAtMs: killed?.atMs ?? null,
    killedPid: killed?.pid ?? null,
  });
  // Survivors stopped by the shutdown message: a graceful stop exits 0 within the 1.5 s budget.
  const survivors = state.workers.filter((w) => w.status !== "killed");
  const gracefulStops = survivors.filter(
    (w) => w.status === "stopped" && w.exit?.code === 0,
  ).length;
  const ok =
    gracefulStops === survivors.length &&
    verdict.duplicates === 0 &&
    verdict.missed === 0 &&
    verdict.unexpected === 0 &&
    verdict.holderOverlaps === 0 &&
    verdict.takeoverMs !== null;
  const summary = {
    workers: options.workers,
    runs: verdict.runs,
    duplicates: verdict.duplicates,
    missed: verdict.missed,
    takeoverMs: verdict.takeoverMs,
    expected: verdict.expected,
    unexpected: verdict.unexpected,
    reportedMissed: verdict.reportedMissed,
    holderOverlaps: verdict.holderOverlaps,
    latenessP50Ms: verdict.latenessP50Ms,
    latenessMaxMs: verdict.latenessMaxMs,
    killedPid: killed?.pid ?? null,
    gracefulStops,
    survivors: survivors.length,
    ok,
  };
  const out = options.json ? process.stderr : process.stdout;
  out.write(
    [
      "",
      `verdict: ${ok ? "PASS" : "FAIL"}`,
      `  runs executed   ${verdict.runs} of ${verdict.expected} scheduled (${options.durationS} s, ${options.workers} workers)`,
      `  duplicates      ${verdict.duplicates}`,
      `  missed          ${verdict.missed}${verdict.missedRuns.length > 0 ? `  (${verdict.missedRuns.slice(0, 5).join(", ")})` : ""}`,
      `  takeover        ${verdict.takeoverMs === null ? "none observed" : `${verdict.takeoverMs} ms after SIGKILL of pid ${killed?.pid}, by pid ${verdict.newHolder}`}`,
      `  holder overlap  ${verdict.holderOverlaps} (holder ticks after another worker took the lock)`,
      `  lateness        p50 ${verdict.latenessP50Ms} ms, max ${verdict.latenessMaxMs} ms (start minus scheduled time)`,
      `  graceful stops  ${gracefulStops} of ${survivors.length} survivors (shutdown message, exit 0)`,
      "",
    ].join("\n"),
  );
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return ok ? 0 : 1;
}

/**
 * Adds the runs the workers journalled but never reported over IPC (a worker killed right after a
 * run started).
 *
 * @returns how many runs were added
 */
function reconcile(ledger, journals) {
  let added = 0;
  const reported = new Set(ledger.runs.map((r) => `${r.taskId}@${r.scheduledMs}@${r.pid}`));
  let files = [];
  try {
    files = readdirSync(journals);
  } catch {
    return 0;
  }
  for (const file of files) {
    for (const line of readFileSync(join(journals, file), "utf8").split("\n")) {
      // A worker killed mid-write leaves at most one partial last line.
      let run;
      try {
        run = JSON.parse(line);
      } catch {
        continue;
      }
      if (reported.has(`${run.taskId}@${run.scheduledMs}@${run.pid}`)) continue;
      ledger.addRun(run);
      added += 1;
    }
  }
  return added;
}

function liveCounts(ledger, startMs) {
  const v = ledger.verdict({
    fromMs: startMs,
    toMs: Date.now() - 1000,
    killedAtMs: null,
    killedPid: null,
  });
  return { runs: v.runs, duplicates: v.duplicates, missed: v.missed };
}

function sleepUntil(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));
}

async function stopWorkers(records) {
  await Promise.all(
    records.map(
      (record) =>
        new Promise((resolve) => {
          if (record.worker.isDead()) return resolve();
          const timer = setTimeout(() => {
            record.status = "forced";
            record.worker.process.kill("SIGKILL");
          }, STOP_TIMEOUT_MS);
          record.worker.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          // pm2's message; the graceful-shutdown helper handles it like SIGINT.
          record.worker.send("shutdown");
        }),
    ),
  );
}
