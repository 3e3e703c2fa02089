// The README's quick starts, run as written against the built packages, so they cannot go stale.
// Blocks whose info string says `runnable=<name>` are programs; `file=<path>` blocks must equal
// that file of the repository.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

interface Block {
  lang: string;
  attributes: Map<string, string>;
  code: string;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  for (const match of markdown.matchAll(/^```(\S*)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const attributes = new Map<string, string>();
    for (const pair of (match[2] ?? "").trim().split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) attributes.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    found.push({ lang: match[1] ?? "", attributes, code: match[3] ?? "" });
  }
  return found;
}

function runnable(name: string): string {
  const block = blocks(readme).find((b) => b.attributes.get("runnable") === name);
  if (block === undefined) throw new Error(`README has no block marked runnable=${name}`);
  return block.code;
}

// The programs import @asyncz/* by name: they are written under the repository's node_modules,
// where Node resolves the workspace packages (their built dist), as an installed app would.
const workDir = join(root, "node_modules", ".cache", "asyncz-readme");
mkdirSync(workDir, { recursive: true });
const scratch = mkdtempSync(join(workDir, "run-"));
function program(name: string): string {
  const path = join(scratch, `${name}.mjs`);
  writeFileSync(path, runnable(name));
  return path;
}

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(join(tmpdir(), "asyncz-quickstart"), { recursive: true, force: true });
  rmSync(join(tmpdir(), "asyncz-pm2-quickstart"), { recursive: true, force: true });
});

interface Output {
  lines: string[];
  /** When each line arrived (epoch ms), index for index. */
  arrivals: number[];
  stderr: string;
}

function collect(child: ChildProcess): Output {
  const output: Output = { lines: [], arrivals: [], stderr: "" };
  let partial = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    output.lines.push(...parts);
    output.arrivals.push(...parts.map(() => Date.now()));
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  return output;
}

async function waitFor(what: string, predicate: () => boolean, detail: () => string) {
  const deadline = Date.now() + 30_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** `<word> <ISO time> by <pid>` lines → run time → pids that printed it. */
function runsByTime(lines: readonly string[], word: string): Map<string, number[]> {
  const runs = new Map<string, number[]>();
  for (const line of lines) {
    const match = new RegExp(`^${word} (\\S+) by (\\d+)$`).exec(line);
    if (match === null) continue;
    const pids = runs.get(match[1] ?? "") ?? [];
    pids.push(Number(match[2]));
    runs.set(match[1] ?? "", pids);
  }
  return runs;
}

describe("README", () => {
  it("states the two commands exactly", () => {
    expect(readme).toContain("```sh\nnpm ci && npm run demo\n```");
    expect(readme).toContain("```sh\nnpm ci && npm test\n```");
  });

  it("shows the pm2 example's ecosystem file as it is", () => {
    const fileBlocks = blocks(readme).filter((b) => b.attributes.has("file"));
    expect(fileBlocks.length).toBeGreaterThan(0);
    for (const block of fileBlocks) {
      const path = block.attributes.get("file") ?? "";
      expect(block.code, path).toBe(readFileSync(join(root, path), "utf8"));
    }
  });

  it("cluster quick start: 4 workers, one tick per second, ended by Ctrl-C", async () => {
    rmSync(join(tmpdir(), "asyncz-quickstart"), { recursive: true, force: true });
    // Its own process group, as a terminal would make it, so Ctrl-C reaches every worker.
    const child = spawn(process.execPath, [program("cluster")], {
      cwd: scratch,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = collect(child);
    const detail = () => `stdout:\n${output.lines.join("\n")}\nstderr:\n${output.stderr}`;
    const isStarted = (line: string) => /^worker \d+ started$/.test(line);
    const allStartedAt = () => output.arrivals[output.lines.findLastIndex(isStarted)] ?? 0;
    const ticksAfter = (at: number) =>
      [...runsByTime(output.lines, "tick").keys()].map(Date.parse).filter((t) => t > at);
    try {
      await waitFor("4 workers", () => output.lines.filter(isStarted).length === 4, detail);
      await waitFor(
        "4 ticks after every worker started",
        () => ticksAfter(allStartedAt()).length >= 4,
        detail,
      );
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGINT");
    }
    await exited(child);
    const ticks = runsByTime(output.lines, "tick");
    for (const [time, pids] of ticks)
      expect(pids, `${time} ran ${pids.length} times`).toHaveLength(1);
    for (const t of ticksAfter(0)) expect(t % 1000).toBe(0);
    // None skipped once every worker has registered the task. (Before that, a worker that
    // replaces the task after the others have started moves its next run time: see the notes.)
    const settled = ticksAfter(allStartedAt()).sort((a, b) => a - b);
    expect(((settled.at(-1) ?? 0) - (settled[0] ?? 0)) / 1000 + 1, detail()).toBe(settled.length);
    expect(output.stderr, detail()).not.toMatch(/Error/);
  });

  it("pm2 quick start: two copies of the app share the runs and stop gracefully on SIGINT", async () => {
    rmSync(join(tmpdir(), "asyncz-pm2-quickstart"), { recursive: true, force: true });
    const path = program("pm2-app");
    const children = [0, 1].map(() =>
      spawn(process.execPath, [path], { cwd: scratch, stdio: ["ignore", "pipe", "pipe"] }),
    );
    const outputs = children.map(collect);
    const lines = () => outputs.flatMap((o) => o.lines);
    const detail = () => outputs.map((o) => `${o.lines.join("\n")}\n${o.stderr}`).join("\n---\n");
    try {
      await waitFor("4 reports", () => runsByTime(lines(), "report").size >= 4, detail);
    } finally {
      for (const child of children) child.kill("SIGINT");
    }
    const exits = await Promise.all(children.map(exited));
    // installGracefulShutdown exits with 0 after a clean shutdown within its budget.
    expect(exits, detail()).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    const reports = runsByTime(lines(), "report");
    for (const [time, pids] of reports)
      expect(pids, `${time} ran ${pids.length} times`).toHaveLength(1);
  });
});
