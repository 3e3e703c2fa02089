// The seed's Option 1 example (SPEC §2) across 4 processes sharing one file store: the lifecycle
// tick runs once per scheduled time in the whole cluster, each process's shutdown task runs in that
// process, the lockPath template is honoured, and cleanupDirectory removes the directory only
// after the last process stopped.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scratchDir } from "@asyncz/core/test-kit";
import { expect, it } from "vitest";

const worker = fileURLToPath(new URL("../fixtures/file-store/option1-worker.mjs", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(directory: string, outDir: string, lockDir: string) {
  const child = spawn(process.execPath, [worker, directory, outDir, lockDir], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!existsSync(join(outDir, `${child.pid}.ready`))) {
    if (child.exitCode !== null) throw new Error(`option1 worker exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("option1 worker did not start");
    await sleep(20);
  }
  return { child, exited };
}

it("runs the Option 1 example in 4 processes: one tick per time, shutdown per process, last one cleans up", async () => {
  const root = scratchDir("asyncz-option1-");
  const directory = join(root, "store");
  const outDir = join(root, "out");
  mkdirSync(outDir);
  const workers: Array<{ child: ChildProcess; exited: Promise<number | null> }> = [];
  for (let i = 0; i < 4; i++) workers.push(await start(directory, outDir, root));
  const allStarted = Date.now();
  await sleep(6000);
  // Stop them one by one: the directory must survive until the last one is gone.
  for (const [i, w] of workers.entries()) {
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    if (i < workers.length - 1) expect(existsSync(directory)).toBe(true);
  }
  expect(existsSync(directory)).toBe(false);

  const ticks: number[] = [];
  for (const w of workers) {
    const lines = readFileSync(join(outDir, `${w.child.pid}.log`), "utf8")
      .trim()
      .split("\n");
    // Setup first and cleanup last, in this process: its shutdown task ran here, not in a sibling.
    expect(lines[0]).toBe("setup");
    expect(lines.at(-1)).toBe("cleanup");
    expect(lines.filter((line) => line === "cleanup")).toHaveLength(1);
    for (const line of lines) if (line.startsWith("tick ")) ticks.push(Number(line.slice(5)));
  }
  // Each scheduled tick ran once in the whole cluster, and ticks kept coming once all had started.
  expect(new Set(ticks).size).toBe(ticks.length);
  const settled = ticks.filter((t) => t > allStarted + 1500).sort((a, b) => a - b);
  expect(settled.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < settled.length; i++)
    expect((settled[i] as number) - (settled[i - 1] as number)).toBe(1000);
  // The lockPath template was expanded ({pgrp}, {store}) and the lock file is kept.
  expect(readdirSync(root).some((name) => /^asyncz_\d+_default\.lock$/.test(name))).toBe(true);
}, 90_000);
