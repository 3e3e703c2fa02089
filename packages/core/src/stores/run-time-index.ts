/**
 * An indexed binary min-heap of tasks by (next run time, id): O(log n) insert, update and remove,
 * the earliest in O(1), and the due ones in O(k log k) without touching the rest. Paused tasks are
 * not in the heap. This is what lets the memory store hold 100k tasks with no O(n) work per pass.
 */

/** One entry; `pos` is its index in the heap array, or -1 when not in the heap (paused). */
export interface IndexEntry<T> {
  ms: number;
  readonly id: string;
  value: T;
  pos: number;
}

function before<T>(a: IndexEntry<T>, b: IndexEntry<T>): boolean {
  return a.ms < b.ms || (a.ms === b.ms && a.id < b.id);
}

/** Comparator of the store ordering: time ascending, paused (`NaN`) last, ties by id. */
export function compareEntries<T>(a: IndexEntry<T>, b: IndexEntry<T>): number {
  const ap = a.pos < 0;
  const bp = b.pos < 0;
  if (ap !== bp) return ap ? 1 : -1;
  if (!ap && a.ms !== b.ms) return a.ms - b.ms;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** {@link compareEntries} for entries that are all in the heap (the due ones): no paused case. */
function compareScheduled<T>(a: IndexEntry<T>, b: IndexEntry<T>): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The heap. Entries are owned by the caller (the store keeps them in its id map). */
export class RunTimeIndex<T> {
  readonly #heap: IndexEntry<T>[] = [];

  /** Number of scheduled (unpaused) entries. */
  get size(): number {
    return this.#heap.length;
  }

  /** @returns the earliest entry, or `undefined` when none is scheduled */
  peek(): IndexEntry<T> | undefined {
    return this.#heap[0];
  }

  /**
   * Inserts, moves or removes `entry` so that it is ordered by `ms` (`null` = paused: removed).
   *
   * @param entry - the entry
   * @param ms - its new run time in epoch milliseconds, or `null`
   */
  set(entry: IndexEntry<T>, ms: number | null): void {
    if (ms === null) {
      this.remove(entry);
      return;
    }
    const old = entry.ms;
    entry.ms = ms;
    if (entry.pos < 0) {
      entry.pos = this.#heap.length;
      this.#heap.push(entry);
      this.#up(entry.pos);
    } else if (ms < old) this.#up(entry.pos);
    else if (ms > old) this.#down(entry.pos);
  }

  /** @param entry - removed from the heap if present */
  remove(entry: IndexEntry<T>): void {
    const pos = entry.pos;
    if (pos < 0) return;
    entry.pos = -1;
    const last = this.#heap.pop();
    if (last === undefined || last === entry) return;
    this.#heap[pos] = last;
    last.pos = pos;
    this.#up(pos);
    this.#down(last.pos);
  }

  /** Empties the heap. */
  clear(): void {
    for (const entry of this.#heap) entry.pos = -1;
    this.#heap.length = 0;
  }

  /**
   * @param ms - the current instant in epoch milliseconds
   * @param limit - at most this many
   * @returns the entries with `ms <= now`, earliest first (ties by id)
   */
  due(ms: number, limit: number): IndexEntry<T>[] {
    const heap = this.#heap;
    const out: IndexEntry<T>[] = [];
    // Subtrees whose root is not due hold nothing due (heap property), so this visits O(k) nodes.
    const stack: number[] = [];
    if (heap.length > 0) stack.push(0);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const entry = heap[i];
      if (entry === undefined || entry.ms > ms) continue;
      out.push(entry);
      stack.push(2 * i + 1, 2 * i + 2);
    }
    out.sort(compareScheduled);
    if (out.length > limit) out.length = limit;
    return out;
  }

  #up(start: number): void {
    const heap = this.#heap;
    let i = start;
    const entry = heap[i];
    if (entry === undefined) return;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || !before(entry, parent)) break;
      heap[i] = parent;
      parent.pos = i;
      i = parentIndex;
    }
    heap[i] = entry;
    entry.pos = i;
  }

  #down(start: number): void {
    const heap = this.#heap;
    const n = heap.length;
    let i = start;
    const entry = heap[i];
    if (entry === undefined) return;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const left = heap[l] as IndexEntry<T>;
      const right = heap[l + 1];
      const child = right !== undefined && before(right, left) ? right : left;
      const c = child === left ? l : l + 1;
      if (!before(child, entry)) break;
      heap[i] = child;
      child.pos = i;
      i = c;
    }
    heap[i] = entry;
    entry.pos = i;
  }
}
