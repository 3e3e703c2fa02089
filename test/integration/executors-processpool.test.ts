// What only the "processpool" executor does, with real child processes: crash details of a child
// that exits or is killed, children really gone after shutdown or idling, and children that do
// not outlive a SIGKILLed parent. The behaviour it shares with the thread pool is tested for both
// in executors-remote.test.ts.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { ProcessPoolExecutor } from "@asyncz/core";
import { afterEach, describe, expect, it } from "vitest";
import { request } from "./support/remote-runs.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const executors: ProcessPoolExecutor[] = [];
function make(
  options: ConstructorParameters<typeof ProcessPoolExecutor>[0] = {},
): ProcessPoolExecutor {
  const executor = new ProcessPoolExecutor(options);
  executors.push(executor);
  return executor;
}
afterEach(async () => {
  await Promise.all(executors.splice(0).map((executor) => executor.shutdown(false)));
});

describe("processpool executor (child processes only)", () => {
  it("runs in a live child process", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const { pid } = (await executor.run(request("whoAmI"))) as { pid: number };
    expect(pid).not.toBe(process.pid);
    expect(isAlive(pid)).toBe(true);
  });

  it("reports how a child died: exit code, or the signal that killed it", async () => {
    const executor = make({ maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const exited = await executor.run(request("exitMidRun", [3])).catch((e: unknown) => e);
    expect(exited).toMatchObject({ code: "EXECUTOR_WORKER_CRASHED", exitCode: 3, signal: null });
    const killed = await executor.run(request("killSelf")).catch((e: unknown) => e);
    expect(killed).toMatchObject({
      code: "EXECUTOR_WORKER_CRASHED",
      exitCode: null,
      signal: "SIGKILL",
    });
    await expect(executor.run(request("add", [1, 2]))).resolves.toBe(3);
  });

  it("shutdown(false) ends the child process itself", async () => {
    const executor = make({ abortGraceMs: 5000 });
    await executor.start({ alias: "default" });
    const { pid } = (await executor.run(request("whoAmI"))) as { pid: number };
    await executor.shutdown(false);
    await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
  });

  it("an idled-out child process exits", async () => {
    const executor = make({ idleTimeoutMs: 50 });
    await executor.start({ alias: "default" });
    const { pid } = (await executor.run(request("whoAmI"))) as { pid: number };
    await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
  });

  it("children exit when their parent process is SIGKILLed", async () => {
    const parent = spawn(
      process.execPath,
      [fileURLToPath(new URL("../fixtures/executors/pool-parent.mjs", import.meta.url))],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const [line] = (await once(parent.stdout, "data")) as [Buffer];
    const { childPid } = JSON.parse(line.toString()) as { childPid: number };
    expect(isAlive(childPid)).toBe(true);
    parent.kill("SIGKILL");
    await once(parent, "exit");
    // Generous bound: the child notices the closed IPC channel and exits.
    await expect.poll(() => isAlive(childPid), { timeout: 10_000 }).toBe(false);
  });
});
