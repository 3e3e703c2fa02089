import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Child, nowNs, spawnFixture } from "../fixtures/locks/children.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-locks-lifecycle-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface LifecycleEvent {
  readonly pid: number;
  readonly event: string;
  readonly at: bigint;
}

const TICK_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readEvents(paths: readonly string[]): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  for (const path of paths) {
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    for (const row of text.trim().split("\n")) {
      if (row === "") continue;
      const [pid, event, at] = row.split(" ");
      events.push({ pid: Number(pid), event: event ?? "", at: BigInt(at ?? "") });
    }
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** Whoever set up last and has not cleaned up: walking events in time order, never two. */
function activeHolders(events: readonly LifecycleEvent[]): {
  maxActive: number;
  holders: number[];
} {
  const active = new Set<number>();
  const holders: number[] = [];
  let maxActive = 0;
  for (const { pid, event } of events) {
    if (event === "setup") {
      active.add(pid);
      holders.push(pid);
    } else if (event === "cleanup" || event === "killed") {
      active.delete(pid);
    } else if (event === "work" && !active.has(pid)) {
      // Work outside a setup..cleanup span would be a broken election.
      return { maxActive: Number.POSITIVE_INFINITY, holders };
    }
    maxActive = Math.max(maxActive, active.size);
  }
  return { maxActive, holders };
}

describe("Option 2 lifecycle in 4 processes", () => {
  it("has one active holder at a time; a killed holder is replaced at the next tick", async () => {
    const paths = [0, 1, 2, 3].map((index) => join(directory, `events-${index}.txt`));
    const children: Child[] = paths.map((path) =>
      spawnFixture("lifecycle.mjs", [directory, path, String(TICK_MS)]),
    );
    await Promise.all(children.map((child) => child.line("started")));
    await sleep(600);

    const pidOf = (child: Child) => child.process.pid ?? -1;
    const first = readEvents(paths).filter((e) => e.event === "setup");
    expect(first).toHaveLength(1);
    const firstHolder = children.find((child) => pidOf(child) === first[0]?.pid);
    expect(firstHolder).toBeDefined();

    // SIGKILL the holder: no cleanup runs in it, the kernel drops its lock.
    const killedAt = nowNs();
    firstHolder?.process.kill("SIGKILL");
    await firstHolder?.exited;
    await sleep(600);
    const afterKill = readEvents(paths).filter((e) => e.event === "setup" && e.at > killedAt);
    expect(afterKill).toHaveLength(1);
    const secondPid = afterKill[0]?.pid;
    expect(secondPid).not.toBe(first[0]?.pid);
    const takeoverMs = Number((afterKill[0]?.at ?? 0n) - killedAt) / 1e6;
    // "At the next tick": every survivor ticks every 50 ms; allow for a loaded machine.
    expect(takeoverMs).toBeLessThan(TICK_MS * 5);

    // A graceful stop of the new holder: its shutdown path cleans up and the lock moves on.
    const secondHolder = children.find((child) => pidOf(child) === secondPid);
    secondHolder?.process.kill("SIGTERM");
    expect(await secondHolder?.exited).toBe(0);
    await sleep(400);

    for (const child of children) {
      if (child !== firstHolder && child !== secondHolder) child.process.kill("SIGTERM");
    }
    await Promise.all(children.map((child) => child.exited));

    const events = readEvents(paths);
    // The killed holder never cleaned up: mark where it died, so the walk below closes its span.
    const all = [...events, { pid: first[0]?.pid ?? -1, event: "killed", at: killedAt }].sort(
      (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0),
    );
    const { maxActive, holders } = activeHolders(all);
    expect(maxActive).toBe(1);
    // First holder, its replacement after SIGKILL, a third after the graceful stop; at the final
    // SIGTERM the last holder cleans up and a sibling may win one last tick before it exits.
    expect(holders.length).toBeGreaterThanOrEqual(3);
    expect(holders.slice(0, 2)).toEqual([first[0]?.pid, secondPid]);
    expect(new Set(holders.slice(0, 3)).size).toBe(3);
    // Work happened under every holder that held for a tick or more.
    expect(events.filter((e) => e.event === "work").length).toBeGreaterThan(10);
  });
});
