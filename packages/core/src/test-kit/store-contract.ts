/**
 * The store contract kit: one vitest suite that every {@link Store} must pass unchanged (memory,
 * file, and later Redis and PostgreSQL). Import it from `@asyncz/core/test-kit` inside a test file:
 *
 * ```ts
 * import { storeContract } from "@asyncz/core/test-kit";
 * storeContract("FileStore", () => new FileStore({ directory: mkdtempSync(...) }), {
 *   makePeer: (store) => new FileStore({ directory: store.directory }),
 * });
 * ```
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConflictIdError, TaskLookupError } from "../errors.js";
import type { AsynczEvent } from "../events/events.js";
import { silentLogger } from "../scheduler/logger.js";
import type { Store, StoreContext } from "../stores/store.js";
import type { TaskRecord } from "../stores/task-record.js";

/** Options of {@link storeContract}. */
export interface StoreContractOptions<S extends Store> {
  /**
   * Makes a second store over the same data, as another process would open it (file store: the
   * same directory). The kit starts it with another owner id.
   * @defaultValue the same instance (right for the memory store)
   */
  readonly makePeer?: (store: S) => Store | Promise<Store>;
  /** Called after each test, once both stores are shut down (e.g. to remove a directory). */
  readonly cleanup?: (store: S) => void | Promise<void>;
  /**
   * How long a peer's change may take to reach `watch` listeners, in milliseconds.
   * @defaultValue 2000
   */
  readonly watchTimeoutMs?: number;
}

/** A started store under test, with the events it emitted. */
interface Started<S extends Store> {
  readonly store: S;
  readonly peer: Store;
  readonly events: AsynczEvent[];
}

const BASE = Date.UTC(2030, 0, 1, 8, 0, 0);

/**
 * Builds a valid record for the kit's tests.
 *
 * @param id - task id
 * @param nextRunTime - epoch milliseconds, or `null` for paused
 * @param overrides - fields to change
 * @returns the record
 */
export function makeTestRecord(
  id: string,
  nextRunTime: number | null,
  overrides: Partial<TaskRecord> = {},
): TaskRecord {
  return {
    id,
    name: `task ${id}`,
    fn: "contractJob",
    args: [1, "two", { three: [3] }],
    trigger: { type: "interval", version: 1, seconds: 60 },
    executor: "default",
    mistriggerGraceTime: 60,
    coalesce: true,
    maxInstances: 1,
    nextRunTime: nextRunTime === null ? null : new Date(nextRunTime),
    ...overrides,
  };
}

function contextFor(owner: string, events: AsynczEvent[]): StoreContext {
  return {
    alias: "default",
    owner,
    lockPath: undefined,
    logger: silentLogger,
    emit: (event) => {
      events.push(event);
    },
  };
}

const ids = (records: readonly TaskRecord[]) => records.map((record) => record.id);

/**
 * Declares the contract suite for one store implementation.
 *
 * @param name - shown in the suite title
 * @param makeStore - makes a fresh, empty, not yet started store (called once per test)
 * @param options - peer factory, cleanup, watch timeout
 */
export function storeContract<S extends Store>(
  name: string,
  makeStore: () => S | Promise<S>,
  options: StoreContractOptions<S> = {},
): void {
  const opened: Array<{ store: S; peer: Store }> = [];
  const watchTimeout = options.watchTimeoutMs ?? 2000;

  async function open(): Promise<Started<S>> {
    const events: AsynczEvent[] = [];
    const store = await makeStore();
    await store.start(contextFor("contract-owner-a", events));
    const peer = options.makePeer === undefined ? store : await options.makePeer(store);
    if (peer !== store) await peer.start(contextFor("contract-owner-b", events));
    opened.push({ store, peer });
    return { store, peer, events };
  }

  describe(`Store contract: ${name}`, () => {
    afterEach(async () => {
      for (const { store, peer } of opened.splice(0)) {
        if (peer !== store) await peer.shutdown();
        await store.shutdown();
        await options.cleanup?.(store);
      }
    });

    describe("add and lookup", () => {
      it("returns an added task unchanged", async () => {
        const { store } = await open();
        const record = makeTestRecord("téstïd/ünïcode", BASE + 123);
        await store.addTask(record);
        expect(await store.lookupTask(record.id)).toEqual(record);
      });

      it("returns null for an unknown id", async () => {
        const { store } = await open();
        expect(await store.lookupTask("missing")).toBeNull();
      });

      it("keeps a paused task (nextRunTime null)", async () => {
        const { store } = await open();
        await store.addTask(makeTestRecord("paused", null));
        expect((await store.lookupTask("paused"))?.nextRunTime).toBeNull();
      });

      it("sees a task added through the peer", async () => {
        const { store, peer } = await open();
        await peer.addTask(makeTestRecord("from-peer", BASE));
        expect((await store.lookupTask("from-peer"))?.id).toBe("from-peer");
      });
    });

    describe("conflicts", () => {
      it("rejects a duplicate id with ConflictIdError and keeps the stored task", async () => {
        const { store } = await open();
        const first = makeTestRecord("dup", BASE);
        await store.addTask(first);
        const error = await store.addTask(makeTestRecord("dup", BASE + 5000)).catch((e) => e);
        expect(error).toBeInstanceOf(ConflictIdError);
        expect(error.code).toBe("CONFLICT_ID");
        expect(await store.lookupTask("dup")).toEqual(first);
      });

      it("replaces with replaceExisting", async () => {
        const { store } = await open();
        await store.addTask(makeTestRecord("dup", BASE));
        const second = makeTestRecord("dup", BASE + 5000, { name: "second" });
        await store.addTask(second, { replaceExisting: true });
        expect(await store.lookupTask("dup")).toEqual(second);
        expect(ids(await store.getAllTasks())).toEqual(["dup"]);
      });

      it("lets exactly one of many concurrent adds of one id succeed", async () => {
        const { store, peer } = await open();
        const attempts = Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? store : peer).addTask(makeTestRecord("race", BASE + i, { name: `n${i}` })),
        );
        const results = await Promise.allSettled(attempts);
        const fulfilled = results.filter((r) => r.status === "fulfilled");
        expect(fulfilled).toHaveLength(1);
        for (const r of results)
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictIdError);
        const winner = results.findIndex((r) => r.status === "fulfilled");
        expect((await store.lookupTask("race"))?.name).toBe(`n${winner}`);
      });
    });

    describe("update and delete", () => {
      it("replaces a task and re-sorts it", async () => {
        const { store } = await open();
        await store.addTask(makeTestRecord("a", BASE + 1000));
        await store.addTask(makeTestRecord("b", BASE + 2000));
        await store.updateTask(makeTestRecord("b", BASE, { name: "moved" }));
        expect(ids(await store.getAllTasks())).toEqual(["b", "a"]);
        expect((await store.lookupTask("b"))?.name).toBe("moved");
        await store.updateTask(makeTestRecord("b", null));
        expect(ids(await store.getAllTasks())).toEqual(["a", "b"]);
        expect(await store.getNextRunTime()).toEqual(new Date(BASE + 1000));
      });

      it("rejects updating an unknown id with TaskLookupError and adds nothing", async () => {
        const { store } = await open();
        await expect(store.updateTask(makeTestRecord("ghost", BASE))).rejects.toBeInstanceOf(
          TaskLookupError,
        );
        expect(await store.lookupTask("ghost")).toBeNull();
      });

      it("deletes a task, and rejects deleting an unknown id with TaskLookupError", async () => {
        const { store } = await open();
        await store.addTask(makeTestRecord("a", BASE));
        await store.addTask(makeTestRecord("b", BASE));
        await store.deleteTask("a");
        expect(await store.lookupTask("a")).toBeNull();
        expect(ids(await store.getAllTasks())).toEqual(["b"]);
        await expect(store.deleteTask("a")).rejects.toBeInstanceOf(TaskLookupError);
      });

      it("removes every task", async () => {
        const { store, peer } = await open();
        for (let i = 0; i < 5; i++) await store.addTask(makeTestRecord(`t${i}`, BASE + i));
        await store.addTask(makeTestRecord("p", null));
        await store.removeAllTasks();
        expect(await store.getAllTasks()).toEqual([]);
        expect(await peer.getAllTasks()).toEqual([]);
        expect(await store.getNextRunTime()).toBeNull();
      });
    });

    describe("ordering", () => {
      it("orders by next run time with millisecond precision, ties by id, paused last", async () => {
        const { store } = await open();
        const plan: Array<[string, number | null]> = [
          ["p2", null],
          ["c", BASE + 402],
          ["b", BASE + 401],
          ["z", BASE + 400],
          ["a", BASE + 400],
          ["p1", null],
          ["early", BASE - 60_000],
        ];
        for (const [id, time] of plan) await store.addTask(makeTestRecord(id, time));
        expect(ids(await store.getAllTasks())).toEqual(["early", "a", "z", "b", "c", "p1", "p2"]);
      });

      it("returns due tasks in order, none before the first, and honours the limit", async () => {
        const { store } = await open();
        for (let i = 0; i < 20; i++) await store.addTask(makeTestRecord(`t${i}`, BASE + i * 1000));
        await store.addTask(makeTestRecord("paused", null));
        expect(await store.getDueTasks(new Date(BASE - 1))).toEqual([]);
        expect(ids(await store.getDueTasks(new Date(BASE)))).toEqual(["t0"]);
        const due = await store.getDueTasks(new Date(BASE + 5500));
        expect(ids(due)).toEqual(["t0", "t1", "t2", "t3", "t4", "t5"]);
        expect(ids(await store.getDueTasks(new Date(BASE + 5500), 2))).toEqual(["t0", "t1"]);
        expect((await store.getDueTasks(new Date(BASE + 10 ** 9))).length).toBe(20);
      });

      it("gives the earliest unpaused next run time, or null", async () => {
        const { store } = await open();
        expect(await store.getNextRunTime()).toBeNull();
        await store.addTask(makeTestRecord("paused", null));
        expect(await store.getNextRunTime()).toBeNull();
        await store.addTask(makeTestRecord("late", BASE + 9000));
        await store.addTask(makeTestRecord("soon", BASE + 7));
        expect(await store.getNextRunTime()).toEqual(new Date(BASE + 7));
        await store.deleteTask("soon");
        expect(await store.getNextRunTime()).toEqual(new Date(BASE + 9000));
      });
    });

    describe("run claims", () => {
      it("gives each run time to the first claimer only", async () => {
        const { store, peer } = await open();
        await store.addTask(makeTestRecord("job", BASE));
        const times = [new Date(BASE), new Date(BASE + 60_000), new Date(BASE + 120_000)];
        expect(await store.claimRuns("job", times, "contract-owner-a")).toEqual(times);
        expect(await store.claimRuns("job", times, "contract-owner-a")).toEqual([]);
        expect(await peer.claimRuns("job", times, "contract-owner-b")).toEqual([]);
        const later = new Date(BASE + 180_000);
        expect(await peer.claimRuns("job", [times[2] as Date, later], "contract-owner-b")).toEqual([
          later,
        ]);
      });

      it("keeps claims of different tasks apart", async () => {
        const { store } = await open();
        const time = [new Date(BASE)];
        expect(await store.claimRuns("one", time, "contract-owner-a")).toEqual(time);
        expect(await store.claimRuns("two", time, "contract-owner-a")).toEqual(time);
      });

      it("awards every run time exactly once under concurrent overlapping claims", async () => {
        const { store, peer } = await open();
        await store.addTask(makeTestRecord("hot", BASE));
        const all = Array.from({ length: 12 }, (_, i) => new Date(BASE + i * 1000));
        const callers = Array.from({ length: 10 }, (_, i) => {
          const slice = all.filter((_, j) => (j + i) % 3 !== 0);
          const target = i % 2 === 0 ? store : peer;
          return target.claimRuns("hot", slice, `contract-owner-${i % 2 === 0 ? "a" : "b"}`);
        });
        const won = (await Promise.all(callers)).flat().map((d) => d.getTime());
        expect(new Set(won).size).toBe(won.length);
        expect([...won].sort((x, y) => x - y)).toEqual(all.map((d) => d.getTime()));
      });
    });

    describe("advance (compare-and-set)", () => {
      it("moves the next run time only from the expected value", async () => {
        const { store, peer } = await open();
        await store.addTask(makeTestRecord("job", BASE));
        const from = new Date(BASE);
        const to = new Date(BASE + 60_000);
        const results = await Promise.all([
          store.advanceTask("job", from, to),
          peer.advanceTask("job", from, to),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.lookupTask("job"))?.nextRunTime).toEqual(to);
        expect(await store.advanceTask("job", from, new Date(BASE + 999))).toBe(false);
        expect((await store.lookupTask("job"))?.nextRunTime).toEqual(to);
        expect(await store.getNextRunTime()).toEqual(to);
      });

      it("keeps a task that was rescheduled or paused meanwhile", async () => {
        const { store } = await open();
        await store.addTask(makeTestRecord("job", BASE));
        await store.updateTask(makeTestRecord("job", BASE + 5000, { name: "rescheduled" }));
        expect(await store.advanceTask("job", new Date(BASE), new Date(BASE + 60_000))).toBe(false);
        expect(await store.lookupTask("job")).toEqual(
          makeTestRecord("job", BASE + 5000, { name: "rescheduled" }),
        );
        await store.updateTask(makeTestRecord("job", null));
        expect(await store.advanceTask("job", new Date(BASE + 5000), null)).toBe(false);
        expect(await store.lookupTask("job")).not.toBeNull();
      });

      it("deletes a finished task (to = null) and keeps the other fields on advance", async () => {
        const { store } = await open();
        const record = makeTestRecord("job", BASE, { name: "keep me", args: [{ deep: [1, 2] }] });
        await store.addTask(record);
        await store.advanceTask("job", new Date(BASE), new Date(BASE + 1000));
        expect(await store.lookupTask("job")).toEqual({
          ...record,
          nextRunTime: new Date(BASE + 1000),
        });
        expect(await store.advanceTask("job", new Date(BASE + 1000), null)).toBe(true);
        expect(await store.lookupTask("job")).toBeNull();
        expect(await store.advanceTask("job", new Date(BASE + 1000), null)).toBe(false);
      });
    });

    describe("watch", () => {
      it("tells listeners about changes made through the peer, until unsubscribed", async () => {
        const { store, peer } = await open();
        const listener = vi.fn();
        const unwatch = store.watch(listener);
        await peer.addTask(makeTestRecord("w1", BASE));
        await vi.waitFor(() => expect(listener).toHaveBeenCalled(), {
          timeout: watchTimeout,
          interval: 10,
        });
        unwatch();
        // Let any notification already in flight drain before counting.
        await new Promise((resolve) => setTimeout(resolve, Math.min(watchTimeout, 300)));
        listener.mockClear();
        await peer.addTask(makeTestRecord("w2", BASE));
        await new Promise((resolve) => setTimeout(resolve, Math.min(watchTimeout, 300)));
        expect(listener).not.toHaveBeenCalled();
      });
    });
  });
}
