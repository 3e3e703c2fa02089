// The pm2 example under the real pm2 (installed from npm into examples/pm2), in cluster mode with
// 4 workers, with a private PM2_HOME so the test never touches a user's daemon. It checks that
// every run happened exactly once across the 4 workers, through a `pm2 reload` that replaces all
// of them, and that every worker shut down gracefully on pm2's SIGINT, before the kill timeout.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const example = fileURLToPath(new URL("../../examples/pm2/", import.meta.url));
const pm2Bin = join(example, "node_modules", "pm2", "bin", "pm2");
const APP = "asyncz-pm2-example";

interface Fact {
  type: "run" | "ready" | "stopped";
  pid: number;
  instance: number;
  taskId?: string;
  scheduledMs?: number;
  trigger?: string;
  clean?: boolean;
  timedOut?: boolean;
  elapsedMs?: number;
  health?: {
    state: string;
    storeReachable: boolean;
    stores: { type: string; reachable: boolean }[];
  };
}

const home = mkdtempSync(join(tmpdir(), "asyncz-pm2-home-"));
const data = mkdtempSync(join(tmpdir(), "asyncz-pm2-data-"));
const runsFile = join(data, "runs.jsonl");
const env = {
  ...process.env,
  PM2_HOME: home,
  ASYNCZ_DIR: join(data, "tasks"),
  RUNS_FILE: runsFile,
  NO_COLOR: "1",
};

function pm2(...args: string[]) {
  const result = spawnSync(process.execPath, [pm2Bin, ...args], {
    cwd: example,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `pm2 ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function facts(): Fact[] {
  if (!existsSync(runsFile)) return [];
  return readFileSync(runsFile, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Fact);
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; records:\n${readFileSync(runsFile, "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => {
  // pm2 comes from npm into the example, pinned by its lock file; the asyncz packages are file:
  // links to this repository's built packages.
  if (!existsSync(pm2Bin) || !existsSync(join(example, "node_modules", "@asyncz", "core"))) {
    const npm = (...args: string[]) =>
      spawnSync("npm", [...args, "--no-audit", "--no-fund"], {
        cwd: example,
        encoding: "utf8",
        timeout: 170_000,
      });
    // `npm ci` installs exactly the lock file; when the linked workspace packages changed their
    // own dependencies since it was written, `npm install --no-save` resolves them without
    // rewriting the committed lock.
    let install = npm("ci");
    if (install.status !== 0) install = npm("install", "--no-save");
    if (install.status !== 0)
      throw new Error(`npm install in examples/pm2 failed:\n${install.stderr}`);
  }
}, 180_000);

afterAll(() => {
  // Always: the daemon must not outlive the test, whatever happened.
  spawnSync(process.execPath, [pm2Bin, "kill"], { env, encoding: "utf8", timeout: 30_000 });
  rmSync(home, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

describe("pm2 cluster mode (examples/pm2)", () => {
  it("runs each scheduled run once across 4 pm2 workers, through a clean pm2 reload", async () => {
    pm2("start", "ecosystem.config.cjs");
    await waitFor("4 workers ready", () => facts().filter((f) => f.type === "ready").length >= 4);
    const first = facts().filter((f) => f.type === "ready");
    expect(new Set(first.map((f) => f.instance))).toEqual(new Set([0, 1, 2, 3]));
    // Waits for work, not for wall time: a loaded machine starts the workers later.
    const ticksBy = (pids: Set<number>) =>
      facts().filter((f) => f.type === "run" && f.taskId === "tick" && pids.has(f.pid)).length;
    const originals = new Set(first.map((f) => f.pid));
    await waitFor("4 ticks before the reload", () => ticksBy(originals) >= 4);

    pm2("reload", APP);
    await waitFor(
      "4 replacement workers",
      () => facts().filter((f) => f.type === "ready").length >= 8,
    );
    const list = JSON.parse(pm2("jlist")) as {
      pid: number;
      pm2_env: { status: string; restart_time: number; exec_mode: string };
    }[];
    expect(list).toHaveLength(4);
    for (const p of list) {
      expect(p.pm2_env.status).toBe("online");
      expect(p.pm2_env.exec_mode).toBe("cluster_mode");
      expect(p.pm2_env.restart_time).toBe(1);
    }
    const replacements = new Set(
      facts()
        .filter((f) => f.type === "ready" && !originals.has(f.pid))
        .map((f) => f.pid),
    );
    await waitFor("3 ticks after the reload", () => ticksBy(replacements) >= 3);

    const stopAt = Date.now();
    pm2("delete", APP);
    await waitFor(
      "8 graceful shutdowns",
      () => facts().filter((f) => f.type === "stopped").length >= 8,
    );

    const all = facts();
    const ready = all.filter((f) => f.type === "ready");
    const stopped = all.filter((f) => f.type === "stopped");
    // 4 originals replaced by 4 new workers: 8 distinct processes, each stopped by pm2's SIGINT,
    // cleanly, within the 1.5 s budget (so never SIGKILLed at pm2's 1.6 s kill timeout).
    expect(new Set(ready.map((f) => f.pid)).size).toBe(8);
    // Each worker's scheduler.health() right after start: running, the file store reachable.
    for (const r of ready) {
      expect(r.health).toMatchObject({ state: "running", storeReachable: true });
      expect(r.health?.stores.map((st) => [st.type, st.reachable])).toEqual([["file", true]]);
    }
    expect(new Set(stopped.map((f) => f.pid))).toEqual(new Set(ready.map((f) => f.pid)));
    for (const s of stopped) {
      expect(s).toMatchObject({ trigger: "SIGINT", clean: true, timedOut: false });
      expect(s.elapsedMs).toBeLessThan(1500);
    }

    const runs = all.filter((f) => f.type === "run");
    const seen = new Map<string, number>();
    for (const r of runs) {
      const key = `${r.taskId}@${r.scheduledMs}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
    expect(duplicates).toEqual([]);
    // Nothing missed from the first tick until pm2 started deleting: every second has its tick,
    // every fifth second its report, through the reload.
    const ticks = runs.filter((r) => r.taskId === "tick").map((r) => r.scheduledMs ?? 0);
    const firstTick = Math.min(...ticks);
    const lastCounted = Math.floor((stopAt - 1000) / 1000) * 1000;
    const missing: string[] = [];
    for (let t = firstTick; t <= lastCounted; t += 1000) {
      if (!seen.has(`tick@${t}`)) missing.push(`tick@${new Date(t).toISOString()}`);
      if (t % 5000 === 0 && !seen.has(`report@${t}`))
        missing.push(`report@${new Date(t).toISOString()}`);
    }
    expect(missing).toEqual([]);
    // The window checked above covers runs of both generations of workers, through the reload.
    expect((lastCounted - firstTick) / 1000).toBeGreaterThanOrEqual(6);
    expect(ticksBy(originals)).toBeGreaterThanOrEqual(4);
    expect(ticksBy(replacements)).toBeGreaterThanOrEqual(3);
    // The runs were spread over the cluster, not pinned to instance 0.
    expect(new Set(runs.map((r) => r.pid)).size).toBeGreaterThan(1);
  });
});
