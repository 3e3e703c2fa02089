// Store-level races between real processes on a real directory (no scheduler involved).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";

const worker = fileURLToPath(new URL("../fixtures/file-store/store-worker.mjs", import.meta.url));

interface WorkerResult {
  pid: number;
  owner: string;
  won?: string[];
  added?: string[];
  conflicts?: number;
  written?: number;
  scans?: number;
  lookups?: number;
  events: Array<{
    name: string;
    path?: string;
    taskId?: string;
    reason?: string;
    scheduledRunTime?: number;
  }>;
}

function run(
  mode: string,
  directory: string,
  out: string,
  startAt: number,
  args: number[],
  env: Record<string, string> = {},
) {
  return new Promise<WorkerResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [worker, mode, directory, out, String(startAt), ...args.map(String)],
      {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, ...env },
      },
    );
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code !== 0) reject(new Error(`${mode} worker exited with ${code ?? signal}`));
      else resolve(JSON.parse(readFileSync(out, "utf8")) as WorkerResult);
    });
  });
}

function setup() {
  const root = scratchDir("asyncz-fs-int-");
  return { root, directory: join(root, "store") };
}

describe("file store across 4 processes", () => {
  it("awards every (task, run time) claim to exactly one process", async () => {
    const { root, directory } = setup();
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        run("claims", directory, join(root, `out-${i}.json`), startAt, [40, 25]),
      ),
    );
    const all = results.flatMap((r) => r.won ?? []);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(40 * 25);
    // The race was real: more than one process won something.
    expect(results.filter((r) => (r.won ?? []).length > 0).length).toBeGreaterThan(1);
  });

  it("lets exactly one of 4 concurrent adds of one id succeed, for each of 50 ids", async () => {
    const { root, directory } = setup();
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        run("add-same", directory, join(root, `out-${i}.json`), startAt, [50]),
      ),
    );
    const added = results.flatMap((r) => r.added ?? []);
    expect(added.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `same-${i}`).sort());
    expect(results.reduce((n, r) => n + (r.conflicts ?? 0), 0)).toBe(150);
    // Each file holds the winner's write, whole.
    for (let i = 0; i < 50; i++) {
      const file = JSON.parse(readFileSync(join(directory, `same-${i}.task.json`), "utf8"));
      const winner = results.find((r) => r.added?.includes(`same-${i}`));
      expect(file.name).toBe(winner?.owner);
    }
  });

  it("never loses a task that is being created while other processes read (the asyncz race)", async () => {
    const { root, directory } = setup();
    const startAt = Date.now() + 1500;
    const [writer, ...readers] = await Promise.all([
      run("writer", directory, join(root, "writer.json"), startAt, [3000]),
      ...[1, 2, 3].map((i) =>
        run("reader", directory, join(root, `r${i}.json`), startAt, [2000], {
          WAIT_FOR: join(root, "writer.json"),
        }),
      ),
    ]);
    expect(writer.written).toBe(3000);
    const files = readdirSync(directory).filter((name) => name.endsWith(".task.json"));
    expect(files).toHaveLength(3000);
    expect(existsSync(join(directory, "quarantine"))).toBe(false);
    for (const reader of readers) {
      expect(reader.events.filter((e) => e.name === "store_quarantined")).toEqual([]);
      expect(reader.scans).toBeGreaterThan(5);
      expect((reader as WorkerResult & { seen: number }).seen).toBe(3000);
    }
  });
});

describe("file store: dead members and unreadable files", () => {
  function waitForFile(path: string, timeoutMs: number) {
    return new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const timer = setInterval(() => {
        if (existsSync(path)) {
          clearInterval(timer);
          resolve();
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error(`${path} did not appear`));
        }
      }, 20);
    });
  }

  it("reports the unstarted runs of a SIGKILLed claimer as lost, once, from a survivor", async () => {
    const { root, directory } = setup();
    const hangOut = join(root, "hang.json");
    const child = spawn(
      process.execPath,
      [worker, "claim-and-hang", directory, hangOut, "0", "0"],
      {
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    await waitForFile(`${hangOut}.ready`, 20_000);
    const observers = [1, 2].map((i) =>
      run("observe", directory, join(root, `obs-${i}.json`), 0, [4000]),
    );
    child.kill("SIGKILL");
    const results = await Promise.all(observers);
    const lost = results.flatMap(
      (r) =>
        r.events.filter((e) => e.name === "task_missed") as Array<{
          taskId: string;
          reason: string;
          scheduledRunTime: number;
        }>,
    );
    // Exactly the two unstarted runs, reported by exactly one survivor; the started run (advanced)
    // and the submitted one (not advanced yet) are not.
    expect(lost.map((e) => `${e.taskId}@${e.scheduledRunTime}:${e.reason}`).sort()).toEqual([
      "unstarted@1900000000000:lost",
      "unstarted@1900000001000:lost",
    ]);
    expect(results.filter((r) => r.events.some((e) => e.name === "task_missed"))).toHaveLength(1);
    // The dead member's files were reaped (the observers' own files stay until someone reaps them).
    const members = readdirSync(join(directory, "members"));
    expect(members.some((n) => n.includes(String(child.pid)))).toBe(false);
  });

  it("reports nothing lost when the claimer shut down cleanly", async () => {
    const { root, directory } = setup();
    await run("claim-and-hang", directory, join(root, "clean.json"), 0, [1]);
    const result = await run("observe", directory, join(root, "obs.json"), 0, [2500]);
    expect(result.events.filter((e) => e.name === "task_missed")).toEqual([]);
  });

  it("quarantines a corrupt and a truncated file once while 4 processes open the store", async () => {
    const { root, directory } = setup();
    await run("writer", directory, join(root, "seed.json"), 0, [20]);
    const { truncateSync, utimesSync, writeFileSync } = await import("node:fs");
    const truncated = join(directory, "new-3.task.json");
    truncateSync(truncated, 50);
    const corrupt = join(directory, "new-7.task.json");
    writeFileSync(corrupt, "{{{{ this is not json");
    const past = new Date(Date.now() - 60_000);
    for (const path of [truncated, corrupt]) utimesSync(path, past, past);
    const startAt = Date.now() + 1000;
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => run("observe", directory, join(root, `q-${i}.json`), startAt, [500])),
    );
    for (const r of results) {
      const tasks = (r as WorkerResult & { tasks: string[] }).tasks;
      expect(tasks).toHaveLength(18);
      expect(tasks).not.toContain("new-3");
      expect(tasks).not.toContain("new-7");
    }
    const reports = results.flatMap((r) => r.events.filter((e) => e.name === "store_quarantined"));
    expect(reports).toHaveLength(2);
    const quarantined = readdirSync(join(directory, "quarantine"));
    expect(quarantined).toHaveLength(2);
    expect(
      readFileSync(
        join(directory, "quarantine", quarantined.find((n) => n.startsWith("new-7")) ?? ""),
        "utf8",
      ),
    ).toBe("{{{{ this is not json");
  });
});
