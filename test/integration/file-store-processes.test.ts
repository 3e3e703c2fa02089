// Store-level races between real processes on a real directory (no scheduler involved).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const worker = fileURLToPath(new URL("../fixtures/file-store/store-worker.mjs", import.meta.url));
const roots: string[] = [];

afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface WorkerResult {
  pid: number;
  owner: string;
  won?: string[];
  added?: string[];
  conflicts?: number;
  written?: number;
  scans?: number;
  lookups?: number;
  events: Array<{ name: string; path?: string }>;
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
  const root = mkdtempSync(join(tmpdir(), "asyncz-fs-int-"));
  roots.push(root);
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
