// What the demo shows: a live terminal view when stdout is a terminal, plain lines otherwise
// (pipes, CI logs, --json mode where they go to stderr).
import { LIFECYCLE, SHARED_TASKS } from "./plan.mjs";

/** @param {number} ms - epoch ms @returns {string} local wall time with milliseconds */
export function clock(ms) {
  const d = new Date(ms);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function workerName(state, pid) {
  const w = state.workers.find((x) => x.pid === pid);
  return w === undefined ? `pid ${pid}` : `worker ${w.index} (pid ${pid})`;
}

/** Plain lines, one per fact, for logs and pipes. */
export class LineView {
  #out;
  /** @param {NodeJS.WritableStream} out - where the lines go */
  constructor(out) {
    this.#out = out;
  }
  /** @param {string} text - one line */
  line(text) {
    this.#out.write(`${text}\n`);
  }
  /** Called for every fact the primary learns; see primary.mjs for the kinds. */
  event(state, fact) {
    switch (fact.type) {
      case "run":
        this.line(
          `${clock(fact.startedMs)} ${workerName(state, fact.pid)} ran ${fact.taskId} ` +
            `scheduled ${clock(fact.scheduledMs)} (+${fact.startedMs - fact.scheduledMs} ms)` +
            (fact.count > 1 ? `  DUPLICATE #${fact.count}` : ""),
        );
        break;
      case "holder":
        if (fact.acquired)
          this.line(`${clock(fact.atMs)} ${workerName(state, fact.pid)} holds the lifecycle lock`);
        break;
      case "missed":
        this.line(
          `${clock(Date.now())} MISSED ${fact.taskId} scheduled ${clock(fact.scheduledMs)} (${fact.reason})`,
        );
        break;
      default:
        if (fact.text !== undefined) this.line(`${clock(Date.now())} ${fact.text}`);
    }
  }
  /** Nothing to redraw in plain mode. */
  render() {}
  /** Stops the view. */
  close() {}
}

/** A redrawn terminal screen: workers, tasks, the lifecycle holder, recent runs, counts. */
export class LiveView {
  #out;
  #recent = [];
  #notes = [];
  #lines = 0;
  /** @param {NodeJS.WriteStream} out - a TTY */
  constructor(out) {
    this.#out = out;
    this.#out.write("\x1b[?25l");
  }
  event(state, fact) {
    if (fact.type === "run") {
      this.#recent.push(fact);
      if (this.#recent.length > 8) this.#recent.shift();
    } else if (fact.type === "holder" && fact.acquired) {
      this.#notes.push(
        `${clock(fact.atMs)} ${workerName(state, fact.pid)} took the lifecycle lock`,
      );
    } else if (fact.type === "missed") {
      this.#notes.push(`${clock(Date.now())} MISSED ${fact.taskId} @ ${clock(fact.scheduledMs)}`);
    } else if (fact.text !== undefined) {
      this.#notes.push(`${clock(Date.now())} ${fact.text}`);
    }
    if (this.#notes.length > 6) this.#notes.shift();
  }
  line(text) {
    this.#notes.push(text);
  }
  /** Redraws the screen from the primary's state. */
  render(state) {
    const now = Date.now();
    const bold = (s) => `\x1b[1m${s}\x1b[22m`;
    const dim = (s) => `\x1b[2m${s}\x1b[22m`;
    const elapsed = Math.max(0, (now - state.startMs) / 1000).toFixed(1);
    const rows = [
      bold(`asyncz cluster demo: ${state.workers.length} workers, one file store, no server`),
      dim(`store ${state.directory}`),
      now < state.startMs
        ? `starting: first runs at ${clock(state.startMs)}`
        : `t+${elapsed} s of ${state.durationS} s; SIGKILL of the lifecycle holder at t+${((state.killAtMs - state.startMs) / 1000).toFixed(1)} s`,
      "",
      bold("worker  pid      state     runs  last run                    next wake      loop p99"),
    ];
    for (const w of state.workers) {
      // A dead worker's last health report is history, not state.
      const h = w.status === "running" ? w.health : null;
      rows.push(
        `${String(w.index).padEnd(8)}${String(w.pid ?? "-").padEnd(9)}${w.status.padEnd(10)}` +
          `${String(w.runs).padStart(4)}  ${(w.lastRun ?? "-").padEnd(28)}` +
          `${(h?.nextWake ? clock(Date.parse(h.nextWake)) : "-").padEnd(15)}` +
          `${h?.eventLoopDelayP99Ms === undefined ? "-" : `${h.eventLoopDelayP99Ms.toFixed(1)} ms`}`,
      );
    }
    rows.push("", bold("task            trigger                  runs  next run"));
    for (const task of SHARED_TASKS) {
      const next = Math.max(state.startMs, Math.ceil((now + 1) / task.periodMs) * task.periodMs);
      rows.push(
        `${task.id.padEnd(16)}${task.label.padEnd(25)}${String(state.ledger.countFor(task.id)).padStart(4)}  ${clock(next)}`,
      );
    }
    const holder = state.ledger.holder;
    rows.push(
      `${LIFECYCLE.id.padEnd(16)}${"interval 1 s, per worker".padEnd(25)}      holder: ${holder === null ? "none yet" : workerName(state, holder)}`,
      "",
      bold("recent runs"),
    );
    for (const r of this.#recent) {
      rows.push(
        `  ${clock(r.scheduledMs)}  ${r.taskId.padEnd(10)} by ${workerName(state, r.pid).padEnd(22)} started +${r.startedMs - r.scheduledMs} ms`,
      );
    }
    rows.push("", bold("events"), ...this.#notes.map((n) => `  ${n}`));
    const v = state.liveCounts();
    rows.push("", `runs ${v.runs}   duplicates ${v.duplicates}   missed so far ${v.missed}`);
    const clear = this.#lines > 0 ? `\x1b[${this.#lines}A\x1b[J` : "";
    this.#out.write(`${clear}${rows.map((r) => `\x1b[2K${r}`).join("\n")}\n`);
    this.#lines = rows.length;
  }
  close() {
    this.#out.write("\x1b[?25h");
  }
}
