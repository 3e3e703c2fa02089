/**
 * The in-memory index of one process: every task of the directory, and a min-heap of the unpaused
 * ones keyed by (when this process should look at them, id), so that finding the due tasks costs
 * O(k log k) for k due tasks however many tasks are not due, and the next wake-up is the heap's top.
 *
 * With several live members, each task has an owner (see {@link ownerIndex}); the others key it
 * `graceMs` after its run time, so normally only its owner wakes for it, claims it and advances it,
 * and the others take over only when the owner is late (busy, blocked, or dead and not yet noticed).
 *
 * Updates never search the heap: a changed task gets a fresh heap node and its old node goes stale
 * (it is recognised by identity and skipped); stale nodes are dropped from the top lazily and the
 * heap is rebuilt when they outnumber the live ones.
 */
import type { TaskRecord } from "@asyncz/core";
import type { FileStamp } from "./task-files.js";
import { ownerIndex } from "./task-owner.js";

/** One indexed task. Entries are immutable: a change replaces the entry. */
export interface IndexEntry {
  readonly record: TaskRecord;
  /** `record.nextRunTime` in epoch ms, or `null` when paused. */
  readonly nextMs: number | null;
  /** The file it was read from or written to. */
  readonly name: string;
  /** The file's identity when it was read or written (to skip re-reading an unchanged file). */
  readonly stamp: FileStamp;
  /**
   * The content is known without a read since the file last had `stamp`: this process wrote it,
   * or its writer journaled exactly what it changed. A `stat` showing `stamp` then proves the
   * content even within the kernel's coarse timestamp tick (see the directory view).
   */
  readonly vouched?: boolean;
  /**
   * When set, the entry counts as due only from this instant (ms): another process won its run at
   * `nextMs` and is expected to advance it; a changed file replaces the entry and clears this.
   */
  readonly wakeMs?: number;
}

interface HeapNode {
  readonly key: number;
  /**
   * `entry.record.id`, copied: records come in many shapes (read from files, written, advanced),
   * so reading the id through the record in the heap's hot loops was a megamorphic property load.
   */
  readonly id: string;
  readonly entry: IndexEntry;
}

/**
 * @param a - heap node
 * @param b - heap node
 * @returns true when `a` orders before `b`: earlier run time, then smaller id (code-unit order)
 */
function before(a: HeapNode, b: HeapNode): boolean {
  if (a.key !== b.key) return a.key < b.key;
  return a.id < b.id;
}

/** This process's share of the tasks (see {@link TaskIndex.share}). */
interface Share {
  readonly index: number;
  readonly count: number;
  readonly graceMs: number;
}

/**
 * Orders entries as the store port requires: by next run time, ties by id, paused last.
 *
 * @param a - entry
 * @param b - entry
 * @returns negative, zero or positive
 */
export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  if (a.nextMs !== b.nextMs) {
    if (a.nextMs === null) return 1;
    if (b.nextMs === null) return -1;
    return a.nextMs - b.nextMs;
  }
  const x = a.record.id;
  const y = b.record.id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The index. */
export class TaskIndex {
  readonly #byId = new Map<string, IndexEntry>();
  readonly #idByName = new Map<string, string>();
  #heap: HeapNode[] = [];
  #share: Share = { index: 0, count: 1, graceMs: 0 };

  /** Number of tasks. */
  get size(): number {
    return this.#byId.size;
  }

  /**
   * @param id - task id
   * @returns its entry, if indexed
   */
  get(id: string): IndexEntry | undefined {
    return this.#byId.get(id);
  }

  /**
   * @param name - task file name
   * @returns the entry read from that file, if any
   */
  getByName(name: string): IndexEntry | undefined {
    const id = this.#idByName.get(name);
    return id === undefined ? undefined : this.#byId.get(id);
  }

  /**
   * Sets this process's share: its position among the live members and how long it leaves the
   * other members' due tasks to them. Re-keys every task when the share changed (a member joined
   * or left: rare, O(n)).
   *
   * @param index - this member's position among the live members (0-based)
   * @param count - the number of live members; 1 (or an index out of range) means every task is
   *   this process's own
   * @param graceMs - how long after a task's run time a member that does not own it looks at it;
   *   0 turns ownership off
   * @returns true when the share changed (the next wake-up may have moved)
   */
  share(index: number, count: number, graceMs: number): boolean {
    const valid = count > 1 && graceMs > 0 && index >= 0 && index < count;
    const next: Share = valid ? { index, count, graceMs } : { index: 0, count: 1, graceMs: 0 };
    const old = this.#share;
    if (old.index === next.index && old.count === next.count && old.graceMs === next.graceMs)
      return false;
    this.#share = next;
    this.#rebuild();
    return true;
  }

  /**
   * Adds or replaces the entry of `entry.record.id`.
   *
   * @param entry - the new entry
   */
  set(entry: IndexEntry): void {
    const id = entry.record.id;
    const old = this.#byId.get(id);
    if (old !== undefined && old.name !== entry.name) this.#idByName.delete(old.name);
    this.#byId.set(id, entry);
    this.#idByName.set(entry.name, id);
    const key = this.#keyOf(entry, id);
    if (key !== null) this.#push({ key, id, entry });
    this.#maybeCompact();
  }

  /**
   * @param id - task id
   * @returns the removed entry, if there was one
   */
  delete(id: string): IndexEntry | undefined {
    const old = this.#byId.get(id);
    if (old === undefined) return undefined;
    this.#byId.delete(id);
    this.#idByName.delete(old.name);
    this.#maybeCompact();
    return old;
  }

  /** Removes every entry. */
  clear(): void {
    this.#byId.clear();
    this.#idByName.clear();
    this.#heap = [];
  }

  /** @returns every entry's file name */
  names(): IterableIterator<string> {
    return this.#idByName.keys();
  }

  /**
   * @param nowMs - the current instant, epoch ms
   * @param limit - at most this many (the earliest)
   * @returns the entries this process should look at by `nowMs` (their key has come), in port
   *   order; visits only due heap nodes
   */
  due(nowMs: number, limit = Number.POSITIVE_INFINITY): IndexEntry[] {
    const found: IndexEntry[] = [];
    const heap = this.#heap;
    const stack: number[] = heap.length > 0 ? [0] : [];
    for (let i = stack.pop(); i !== undefined; i = stack.pop()) {
      const node = heap[i];
      if (node === undefined || node.key > nowMs) continue;
      if (this.#live(node)) found.push(node.entry);
      stack.push(2 * i + 1, 2 * i + 2);
    }
    found.sort(compareEntries);
    return found.length > limit ? found.slice(0, limit) : found;
  }

  /**
   * @returns the earliest wake-up of any unpaused task: `nextMs`, later while parked (`wakeMs`)
   *   or owned by another live member (`nextMs + graceMs`)
   */
  nextMs(): number | null {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined) return null;
      if (this.#live(top)) return top.key;
      this.#pop();
    }
  }

  /** @returns every entry in port order */
  all(): IndexEntry[] {
    return [...this.#byId.values()].sort(compareEntries);
  }

  #live(node: HeapNode): boolean {
    return this.#byId.get(node.id) === node.entry;
  }

  /**
   * @param entry - an entry
   * @param id - its task id
   * @returns its heap key: when it next needs this process's attention, or `null` when paused
   */
  #keyOf(entry: IndexEntry, id: string): number | null {
    if (entry.nextMs === null) return null;
    let key = entry.wakeMs === undefined ? entry.nextMs : Math.max(entry.nextMs, entry.wakeMs);
    const share = this.#share;
    if (share.count > 1 && ownerIndex(id, share.count) !== share.index) key += share.graceMs;
    return key;
  }

  #maybeCompact(): void {
    if (this.#heap.length > 2 * this.#byId.size + 64) this.#rebuild();
  }

  #rebuild(): void {
    const nodes: HeapNode[] = [];
    for (const entry of this.#byId.values()) {
      const id = entry.record.id;
      const key = this.#keyOf(entry, id);
      if (key !== null) nodes.push({ key, id, entry });
    }
    this.#heap = nodes;
    for (let i = (nodes.length >> 1) - 1; i >= 0; i -= 1) this.#siftDown(i);
  }

  #push(node: HeapNode): void {
    const heap = this.#heap;
    heap.push(node);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p === undefined || !before(node, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = node;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    this.#siftDown(0);
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const node = heap[start];
    if (node === undefined) return;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left] as HeapNode;
      const r = heap[right];
      const child = r !== undefined && before(r, l) ? right : left;
      const c = heap[child] as HeapNode;
      if (!before(c, node)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = node;
  }
}
