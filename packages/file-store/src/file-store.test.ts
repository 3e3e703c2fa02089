import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { type AsynczEvent, type StoreContext, silentLogger } from "@asyncz/core";
import { makeTestRecord, scratchDir } from "@asyncz/core/test-kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FileStoreOptionError, StoreDirectoryError, StoreLockError } from "./errors.js";
import { taskFileName } from "./file-names.js";
import { FileStore } from "./file-store.js";
import { ownerIndex } from "./task-owner.js";

const BASE = Date.UTC(2030, 0, 1);
const stores: FileStore[] = [];

function root(): string {
  return scratchDir("asyncz-fs-unit-");
}

function context(
  events: AsynczEvent[] = [],
  owner = "unit-owner",
  lockPath?: string,
): StoreContext {
  return { alias: "default", owner, lockPath, logger: silentLogger, emit: (e) => events.push(e) };
}

async function open(directory: string, events: AsynczEvent[] = [], owner = "unit-owner") {
  const store = new FileStore({ directory });
  stores.push(store);
  await store.start(context(events, owner));
  return store;
}

/** Makes a file look as if it was written long ago (it has settled: no writer is still busy). */
function age(path: string): void {
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(path, past, past);
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.shutdown();
});

describe("FileStore directory", () => {
  it("creates the directory with mode 0700 and writes readable JSON with a version", async () => {
    const dir = join(root(), "store");
    const store = await open(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    await store.addTask(makeTestRecord("job/1", BASE));
    const text = readFileSync(join(dir, taskFileName("job/1")), "utf8");
    expect(JSON.parse(text)).toMatchObject({
      version: 1,
      id: "job/1",
      nextRunTime: new Date(BASE).toISOString(),
    });
    expect(text).toContain('\n  "id": "job/1"');
  });

  it("rejects a directory whose parent is missing, naming it", async () => {
    const dir = join(root(), "missing", "store");
    const error = await new FileStore({ directory: dir }).start(context()).catch((e) => e);
    expect(error).toBeInstanceOf(StoreDirectoryError);
    expect(error.code).toBe("STORE_DIRECTORY");
    expect(error.message).toContain(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it("rejects a path that is a file", async () => {
    const file = join(root(), "file");
    writeFileSync(file, "x");
    await expect(new FileStore({ directory: file }).start(context())).rejects.toBeInstanceOf(
      StoreDirectoryError,
    );
  });

  it("rejects a lock path whose directory does not exist, at start", async () => {
    const dir = join(root(), "store");
    const lockPath = join(root(), "nope", "asyncz_{pgrp}.lock");
    const error = await new FileStore({ directory: dir })
      .start(context([], "o", lockPath))
      .catch((e) => e);
    expect(error).toBeInstanceOf(StoreLockError);
    expect(error.code).toBe("STORE_LOCK");
    expect(error.message).toContain("nope");
  });

  it("rejects bad options with a typed error naming the option", () => {
    expect(() => new FileStore({ directory: "" })).toThrow(FileStoreOptionError);
    expect(() => new FileStore({ directory: "/tmp/x", pollIntervalMs: 0 })).toThrow(
      /pollIntervalMs = 0/,
    );
    expect(() => new FileStore({ directory: "/tmp/x", directorytypo: 1 } as never)).toThrow(
      /directorytypo/,
    );
    expect(() => new FileStore({ directory: "/tmp/x", ownerGraceMs: -1 })).toThrow(
      /ownerGraceMs = -1/,
    );
    expect(() => new FileStore({ directory: "/tmp/x", ownerGraceMs: "50" as never })).toThrow(
      FileStoreOptionError,
    );
    expect(() => new FileStore({ directory: "/tmp/x", ownerGraceMs: 0 })).not.toThrow();
  });
});

describe("FileStore unreadable files", () => {
  it("quarantines corrupt, truncated and foreign files at load, reports them, and keeps the rest", async () => {
    const dir = join(root(), "store");
    const first = await open(dir);
    await first.addTask(makeTestRecord("good", BASE));
    await first.addTask(makeTestRecord("truncated", BASE));
    await first.shutdown();
    const truncatedPath = join(dir, taskFileName("truncated"));
    writeFileSync(truncatedPath, readFileSync(truncatedPath, "utf8").slice(0, 40));
    writeFileSync(join(dir, taskFileName("corrupt")), "\u0000\u0001 not json");
    writeFileSync(join(dir, taskFileName("foreign")), JSON.stringify({ hello: "world" }));
    writeFileSync(
      join(dir, taskFileName("elsewhere")),
      readFileSync(join(dir, taskFileName("good"))),
    );
    for (const id of ["truncated", "corrupt", "foreign", "elsewhere"])
      age(join(dir, taskFileName(id)));
    writeFileSync(join(dir, "README.txt"), "not a task file: ignored");

    const events: AsynczEvent[] = [];
    const store = await open(dir, events, "second");
    expect((await store.getAllTasks()).map((r) => r.id)).toEqual(["good"]);
    const quarantined = events.filter((e) => e.name === "store_quarantined");
    expect(quarantined).toHaveLength(4);
    const kept = readdirSync(join(dir, "quarantine"));
    expect(kept).toHaveLength(4);
    for (const id of ["truncated", "corrupt", "foreign", "elsewhere"])
      expect(kept.some((name) => name.startsWith(taskFileName(id)))).toBe(true);
    expect(existsSync(join(dir, "README.txt"))).toBe(true);
  });

  it("leaves a file of a newer format in place and reports it once", async () => {
    const dir = join(root(), "store");
    mkdirSync(dir);
    const path = join(dir, taskFileName("future"));
    writeFileSync(path, JSON.stringify({ version: 2, id: "future" }));
    age(path);
    const events: AsynczEvent[] = [];
    const store = await open(dir, events);
    expect(await store.getAllTasks()).toEqual([]);
    expect(existsSync(path)).toBe(true);
    expect(events.filter((e) => e.name === "store_error")).toHaveLength(1);
  });

  it("does not quarantine a file that was just written (it may still be being edited)", async () => {
    const dir = join(root(), "store");
    mkdirSync(dir);
    const path = join(dir, taskFileName("fresh"));
    writeFileSync(path, "{ half");
    const events: AsynczEvent[] = [];
    await open(dir, events);
    expect(existsSync(path)).toBe(true);
    expect(events).toEqual([]);
  });
});

describe("FileStore claims", () => {
  it("writes one marker per run, naming the owner", async () => {
    const dir = join(root(), "store");
    const store = await open(dir);
    const won = await store.claimRuns("t", [new Date(BASE), new Date(BASE + 1)], "me");
    expect(won).toHaveLength(2);
    // Markers are hard links to this process's (hidden) claimant file, which names the owner.
    const markers = readdirSync(join(dir, "claims")).filter((name) => !name.startsWith("."));
    expect(markers).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(dir, "claims", markers[0] as string), "utf8")).owner).toBe(
      "me",
    );
  });

  it("refuses a run older than half the retention once the stored task has moved past it", async () => {
    const dir = join(root(), "store");
    const store = await open(dir);
    const now = Date.now();
    await store.addTask(makeTestRecord("t", now + 60_000));
    expect(await store.claimRuns("t", [new Date(now - 3_600_000)], "me")).toEqual([]);
  });

  it("lets I/O callbacks run inside a long stretch of claims, not before the first claim of a stretch", async () => {
    const store = await open(join(root(), "store"));
    const t0 = Date.now();
    const clock = vi.spyOn(Date, "now");
    /** Claims `id` at `t0 + ms` and tells whether a callback queued just before ran meanwhile. */
    const claimYields = async (id: string, ms: number) => {
      clock.mockReturnValue(t0 + ms);
      let ran = false;
      setImmediate(() => {
        ran = true;
      });
      await store.claimRuns(id, [new Date(BASE)], "me");
      return ran;
    };
    try {
      // A stretch starts: the event loop has just run, no extra turn before the claim.
      expect(await claimYields("a", 0)).toBe(false);
      // Claims less than 4 ms apart are one stretch; from 4 ms after it began, a claim yields.
      expect(await claimYields("b", 3)).toBe(false);
      expect(await claimYields("c", 6)).toBe(true);
      expect(await claimYields("d", 8)).toBe(false);
      // A claim 4 ms or more after the last one starts a new stretch (another pass).
      expect(await claimYields("e", 20)).toBe(false);
    } finally {
      clock.mockRestore();
    }
  });
});

/** Members "a" and "b" of one new store directory, with task "t" due at BASE seen by both. */
async function twoMembersWithTask() {
  const dir = join(root(), "store");
  const a = await open(dir, [], "a");
  const b = await open(dir, [], "b");
  await a.addTask(makeTestRecord("t", BASE));
  expect((await b.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE));
  return { dir, a, b };
}

describe("FileStore runs another process handled", () => {
  it("skips runs the stored task has moved past, without looking for their markers", async () => {
    const { dir, a, b } = await twoMembersWithTask();
    expect(await a.claimRuns("t", [new Date(BASE)], "a")).toHaveLength(1);
    expect(await a.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(true);
    expect((await b.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE + 1000));
    // Even with the marker gone (say, collected), b does not claim the run a handled: the stored
    // task has moved past it. Its compare-and-set fails without the lock.
    for (const marker of readdirSync(join(dir, "claims")))
      if (!marker.startsWith(".")) rmSync(join(dir, "claims", marker));
    expect(await b.claimRuns("t", [new Date(BASE)], "b")).toEqual([]);
    expect(await b.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(false);
    // The next run is b's to win.
    expect(await b.claimRuns("t", [new Date(BASE + 1000)], "b")).toEqual([new Date(BASE + 1000)]);
  });
});

describe("FileStore claim collection", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("collects markers past the retention once their task moved past them, on its own timer", async () => {
    // The store's clock and its periodic check run on fake time (no real waiting); files are real.
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const now = Date.now();
    const dir = join(root(), "store");
    const store = new FileStore({ directory: dir, claimRetentionMs: 1000 });
    stores.push(store);
    await store.start(context([], "a"));
    // "moved" ran at now, "recent" will run in 10 s (both advanced past their run); "waiting" was
    // claimed at now and not advanced yet (its claimer may still be about to run it).
    await store.addTask(makeTestRecord("moved", now));
    await store.addTask(makeTestRecord("recent", now + 10_000));
    await store.addTask(makeTestRecord("waiting", now));
    expect(await store.claimRuns("moved", [new Date(now)], "a")).toHaveLength(1);
    expect(await store.claimRuns("recent", [new Date(now + 10_000)], "a")).toHaveLength(1);
    expect(await store.claimRuns("waiting", [new Date(now)], "a")).toHaveLength(1);
    expect(await store.advanceTask("moved", new Date(now), new Date(now + 60_000))).toBe(true);
    expect(await store.advanceTask("recent", new Date(now + 10_000), new Date(now + 70_000))).toBe(
      true,
    );
    const markers = () =>
      readdirSync(join(dir, "claims"))
        .filter((name) => !name.startsWith("."))
        .sort();
    expect(markers()).toHaveLength(3);
    // First collection round (every 10 s): "moved" is behind and older than the retention; the
    // run of "recent" is not yet older than the retention; "waiting" has not moved past its run.
    vi.advanceTimersByTime(10_100);
    expect(markers()).toEqual([`recent@${now + 10_000}.claim`, `waiting@${now}.claim`].sort());
    // Second round: "recent" goes too; "waiting" stays for as long as its task sits at that run.
    vi.advanceTimersByTime(10_000);
    expect(markers()).toEqual([`waiting@${now}.claim`]);
    // The claimant file stays while a marker links to it.
    const claimants = readdirSync(join(dir, "claims")).filter((n) => n.startsWith(".claimant-"));
    expect(claimants).toHaveLength(1);
    // A collected run cannot be claimed again: the stored task has moved past it.
    expect(await store.claimRuns("moved", [new Date(now)], "a")).toEqual([]);
    expect(markers()).toEqual([`waiting@${now}.claim`]);
  });
});

describe("FileStore cleanupDirectory", () => {
  it("removes the directory only when the last member leaves", async () => {
    const dir = join(root(), "store");
    const a = new FileStore({ directory: dir, cleanupDirectory: true });
    const b = new FileStore({ directory: dir, cleanupDirectory: true });
    await a.start(context([], "a"));
    await b.start(context([], "b"));
    await a.addTask(makeTestRecord("t", BASE));
    await a.shutdown();
    expect(existsSync(join(dir, taskFileName("t")))).toBe(true);
    await b.shutdown();
    expect(existsSync(dir)).toBe(false);
  });
});

describe("FileStore hand-over lines", () => {
  it("journals the runs the scheduler submitted before the first advance after them returns", async () => {
    const dir = join(root(), "store");
    const a = await open(dir, [], "a");
    await open(dir, [], "b");
    await a.addTask(makeTestRecord("t", BASE));
    await a.addTask(makeTestRecord("u", BASE));
    for (const id of ["t", "u"]) {
      expect(await a.claimRuns(id, [new Date(BASE)], "a")).toHaveLength(1);
      a.runsSubmitted(id, [new Date(BASE)]);
    }
    // Checked before this event-loop turn ends: the lines must not wait for it (a process killed
    // during its pass's advances would otherwise be said to have lost runs it started).
    expect(await a.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(true);
    const journals = readdirSync(join(dir, "members")).filter((n) => n.endsWith(".journal"));
    const lines = journals.flatMap((n) =>
      readFileSync(join(dir, "members", n), "utf8").split("\n"),
    );
    expect(lines.filter((line) => line.startsWith(">"))).toEqual([
      `>t@${BASE + 1}`,
      `>u@${BASE + 1}`,
    ]);
  });
});

describe("FileStore runs another process won and never advanced", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("leaves the advance to the winner for a while, then advances the task itself", async () => {
    const { a, b } = await twoMembersWithTask();
    // a wins the run and has not advanced the task yet (its pass is still claiming, or it died).
    expect(await a.claimRuns("t", [new Date(BASE)], "a")).toHaveLength(1);
    expect(await b.claimRuns("t", [new Date(BASE)], "b")).toEqual([]);
    // b parks the task and leaves the advance to a.
    expect(await b.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(false);
    expect((await a.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE));
    // The park is over and the run is still the current one: b advances the task.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 501);
    expect(await b.claimRuns("t", [new Date(BASE)], "b")).toEqual([]);
    expect(await b.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(true);
    expect((await a.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE + 1000));
    // The winner's late advance changes nothing; the next run is b's to win.
    expect(await a.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(false);
    expect(await b.claimRuns("t", [new Date(BASE + 1000)], "b")).toEqual([new Date(BASE + 1000)]);
  });
});

describe("FileStore advance", () => {
  it("advances in place and still falls back to a full rewrite for a reformatted file", async () => {
    const dir = join(root(), "store");
    const store = await open(dir);
    await store.addTask(makeTestRecord("t", BASE));
    const path = join(dir, taskFileName("t"));
    const ino = statSync(path).ino;
    expect(await store.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(true);
    expect(statSync(path).ino).toBe(ino);
    expect(JSON.parse(readFileSync(path, "utf8")).nextRunTime).toBe(
      new Date(BASE + 1000).toISOString(),
    );
    // Reformatted by hand (compact JSON, no check): the advance rewrites the file whole.
    const compact = JSON.parse(readFileSync(path, "utf8"));
    delete compact.nextRunCheck;
    writeFileSync(path, JSON.stringify(compact));
    expect(await store.advanceTask("t", new Date(BASE + 1000), new Date(BASE + 2000))).toBe(true);
    expect((await store.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE + 2000));
    expect(JSON.parse(readFileSync(path, "utf8")).nextRunTime).toBe(
      new Date(BASE + 2000).toISOString(),
    );
  });

  it("sees a peer's in-place advances at once through lookupTask", async () => {
    const dir = join(root(), "store");
    const a = await open(dir, [], "a");
    const b = await open(dir, [], "b");
    await a.addTask(makeTestRecord("t", BASE));
    expect((await b.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE));
    for (let i = 1; i <= 5; i++) {
      expect(
        await a.advanceTask("t", new Date(BASE + (i - 1) * 1000), new Date(BASE + i * 1000)),
      ).toBe(true);
      expect((await b.lookupTask("t"))?.nextRunTime).toEqual(new Date(BASE + i * 1000));
    }
  });

  it("sees a hand edit of the next run time in place, made just after an advance of the file", async () => {
    const { dir, a, b } = await twoMembersWithTask();
    expect(await b.getNextRunTime()).toEqual(new Date(BASE));
    let notified = 0;
    b.watch(() => {
      notified += 1;
    });
    // a advances the task in place (journaled: b applies it without reading the file)...
    expect(await a.advanceTask("t", new Date(BASE), new Date(BASE + 1000))).toBe(true);
    await vi.waitFor(async () => expect(await b.getNextRunTime()).toEqual(new Date(BASE + 1000)));
    // ...and a moment later someone moves the next run time by hand, in place (the check no
    // longer matches: two reads that agree make it an edit). b's index, not the disk, must show it.
    const path = join(dir, taskFileName("t"));
    const edited = new Date(BASE + 3_600_000);
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(new Date(BASE + 1000).toISOString(), edited.toISOString()),
    );
    const seenBy = notified;
    await vi.waitFor(async () => expect(await b.getNextRunTime()).toEqual(edited), {
      timeout: 1000,
    });
    expect(notified).toBeGreaterThan(seenBy);
  });
});

// The member list and what depends on it: each member's position, and the share of tasks it owns.
describe("FileStore members", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives each member its position among the live members after the periodic check", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const dir = join(root(), "store");
    const open2 = (owner: string) => open(dir, [], owner);
    const unstarted = new FileStore({ directory: dir });
    expect(unstarted.spreadHint()).toBeUndefined();
    const b = await open2("b");
    const a = await open2("a");
    vi.advanceTimersByTime(250);
    expect([a.spreadHint(), b.spreadHint()]).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
    await a.shutdown();
    // b drops a at its next check (a's journal ends with its close mark), before reaping it.
    vi.advanceTimersByTime(250);
    expect(b.spreadHint()).toEqual({ index: 0, count: 1 });
    expect(a.spreadHint()).toBeUndefined();
  });

  it("hands each member its own due tasks first and the others' after ownerGraceMs", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const dir = join(root(), "store");
    const open2 = (owner: string) => open(dir, [], owner);
    const a = await open2("a");
    const ids = Array.from({ length: 20 }, (_, i) => `t-${i}`);
    for (const id of ids) await a.addTask(makeTestRecord(id, BASE));
    const b = await open2("b");
    // Alone, a owned everything; after the periodic check each owns its share.
    vi.advanceTimersByTime(250);
    const dueIds = async (store: FileStore, ms: number) =>
      (await store.getDueTasks(new Date(ms))).map((r) => r.id);
    const ownA = ids.filter((id) => ownerIndex(id, 2) === 0).sort();
    const ownB = ids.filter((id) => ownerIndex(id, 2) === 1).sort();
    expect(ownA.length).toBeGreaterThan(0);
    expect(ownB.length).toBeGreaterThan(0);
    expect(await dueIds(a, BASE)).toEqual(ownA);
    expect(await dueIds(b, BASE)).toEqual(ownB);
    expect((await dueIds(a, BASE + 50)).sort()).toEqual([...ids].sort());
    // The stored next run times are untouched; only when each member looks differs.
    expect((await a.getAllTasks()).every((r) => r.nextRunTime?.getTime() === BASE)).toBe(true);
    expect((await b.getNextRunTime())?.getTime()).toBe(BASE);
    // b leaves: a owns everything again at its next check (b's journal ends with its close mark),
    // not only when it reaps b (every 4 checks).
    await b.shutdown();
    vi.advanceTimersByTime(250);
    expect(a.spreadHint()).toEqual({ index: 0, count: 1 });
    expect((await dueIds(a, BASE)).sort()).toEqual([...ids].sort());
  });

  it("with ownerGraceMs 0 every member looks at every due task at once", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const dir = join(root(), "store");
    const a = new FileStore({ directory: dir, ownerGraceMs: 0 });
    const b = new FileStore({ directory: dir, ownerGraceMs: 0 });
    stores.push(a, b);
    await a.start(context([], "a"));
    await b.start(context([], "b"));
    for (let i = 0; i < 10; i++) await a.addTask(makeTestRecord(`t-${i}`, BASE));
    vi.advanceTimersByTime(250);
    expect(a.spreadHint()?.count).toBe(2);
    expect(await a.getDueTasks(new Date(BASE))).toHaveLength(10);
    expect(await b.getDueTasks(new Date(BASE))).toHaveLength(10);
  });
});
