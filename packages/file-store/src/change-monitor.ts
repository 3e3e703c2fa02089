/**
 * Notices changes made by other processes, cheaply:
 *
 * - **hint**: `fs.watch` on the store directory (inotify / FSEvents / ReadDirectoryChangesW). It
 *   delivers a file name within about a millisecond on a local disk and costs nothing while idle.
 *   Temp files and hidden names are ignored. It sees nothing on network filesystems.
 * - **authority**, every `pollIntervalMs`: the new lines of the other members' journals (each
 *   names the task files its member changed), and the directory's mtime (a file added, removed or
 *   renamed by hand); a journal that was truncated behind our back triggers a full reconcile.
 *
 * Both feed the same sink: the names of the files to re-check. The cost of a tick is a few `stat`
 * calls plus O(changed files), independent of the number of tasks.
 */
import { type FSWatcher, statSync, watch } from "node:fs";
import { type AdvanceNote, JournalReader, parseAdvanceLine } from "./change-journal.js";
import { isTaskFileName } from "./file-names.js";

/** Shortest time between two passes over watcher events (ms), by default. */
export const FLUSH_GAP_MS = 3;

/**
 * The flush gap for a store whose members own their tasks for `ownerGraceMs`.
 *
 * @remarks
 * Without owners, every member races for every due run and must learn the others' advances at
 * once, or it tries (and loses) claims of runs already handled: 3 ms. With owners, a member needs
 * the others' advances only before the grace of their tasks ends, and in a burst of runs the work
 * of applying them (one line per run of every other member) competes for the CPU with its own
 * runs: at most one pass every 20 ms (and at most half the grace) lets its own runs go first.
 *
 * @param ownerGraceMs - the store's `ownerGraceMs` (0: no owners)
 * @returns milliseconds between passes over watcher events
 */
export function flushGapOf(ownerGraceMs: number): number {
  if (ownerGraceMs <= 0) return FLUSH_GAP_MS;
  return Math.max(FLUSH_GAP_MS, Math.min(20, ownerGraceMs / 2));
}

/**
 * Whether the watcher reports each write to a file as its own event (inotify: one `IN_MODIFY` per
 * write, merged only with an identical event not yet read), so that a file with no more events
 * than changes the process already knows of needs no `stat`. FSEvents and ReadDirectoryChangesW
 * merge events freely: there, every name is checked.
 */
const ONE_EVENT_PER_WRITE = process.platform === "linux";

/** Longest wait for a names listing after the directory's mtime moved, with a live watcher. */
const LIST_EVERY_MS = 10_000;

/** What the monitor tells its owner. */
export interface ChangeSink {
  /** These task files may have changed. */
  changed(names: Iterable<string>): void;
  /** Anything may have changed (a journal was truncated, `*` was logged, the directory moved). */
  changedAll(): void;
  /** The directory's entries changed (added/removed/renamed) and no watcher is known to work. */
  namesChanged(): void;
  /**
   * Another member journaled an in-place advance.
   *
   * @returns true when the view now holds that version (no need to read the file)
   */
  advanced(note: AdvanceNote): boolean;
  /** Another member closed its journal cleanly (`.`): it has left. */
  left(journal: string): void;
}

/** The monitor of one store directory. */
export class ChangeMonitor {
  readonly #directory: string;
  readonly #sink: ChangeSink;
  readonly #otherJournals: () => string[];
  readonly #flushGapMs: number;
  readonly #busy: (() => boolean) | undefined;
  /** When the oldest watcher event not yet handled arrived (epoch ms). */
  #pendingSince = 0;
  readonly #readers = new Map<string, JournalReader>();
  readonly #pending = new Set<string>();
  /**
   * Files whose latest change the journals (or this process's own write) described since the last
   * poll, with how many such changes.
   */
  readonly #explained = new Map<string, number>();
  /** Watcher events per file name since the last poll. */
  readonly #events = new Map<string, number>();
  /** Watcher names whose `stat` waits for the next poll (their change was journaled). */
  readonly #deferred = new Set<string>();
  #watcher: FSWatcher | undefined;
  #flushQueued = false;
  #flushedAt = 0;
  #dirMtimeMs = 0;
  #watcherEvents = 0;
  #dirDirty = false;
  #listedAt = 0;

  /**
   * @param directory - the store directory
   * @param sink - receives what changed
   * @param otherJournals - lists the other members' journal files
   * @param flushGapMs - shortest time between two passes over watcher events
   * @param busy - when given and true, a pass over watcher events waits (up to two gaps after the
   *   first event): this process is busy with its own due runs, which go first
   * @defaultValue flushGapMs - {@link FLUSH_GAP_MS}
   * @defaultValue busy - never busy
   */
  constructor(
    directory: string,
    sink: ChangeSink,
    otherJournals: () => string[],
    flushGapMs = FLUSH_GAP_MS,
    busy?: () => boolean,
  ) {
    this.#directory = directory;
    this.#sink = sink;
    this.#otherJournals = otherJournals;
    this.#flushGapMs = flushGapMs;
    this.#busy = busy;
  }

  /**
   * Starts following: journals from their current end (the caller loads the directory after this,
   * so nothing between is missed), then the watcher.
   *
   * @param useWatcher - start `fs.watch`
   * @param onWatcherError - told when the watcher fails (the poll carries on alone)
   */
  start(useWatcher: boolean, onWatcherError: (error: unknown) => void): void {
    for (const path of this.#otherJournals())
      this.#readers.set(path, new JournalReader(path, true));
    this.#dirMtimeMs = this.#directoryMtime();
    if (!useWatcher) return;
    try {
      this.#watcher = watch(this.#directory, { persistent: false }, (_event, name) => {
        this.#watcherEvents += 1;
        if (typeof name === "string" && isTaskFileName(name)) {
          this.#events.set(name, (this.#events.get(name) ?? 0) + 1);
          this.#queue(name);
        }
      });
      this.#watcher.on("error", (error) => {
        this.#watcher?.close();
        this.#watcher = undefined;
        onWatcherError(error);
      });
    } catch (error) {
      this.#watcher = undefined;
      onWatcherError(error);
    }
  }

  /**
   * This process has just advanced `name` in place (its view holds the written version): the
   * watcher's event for that write needs no `stat` in the middle of a burst of runs. Like a peer's
   * journaled advance, it is checked at the next poll instead, for a hand edit made at the same
   * moment.
   *
   * @param name - the task file written
   */
  wrote(name: string): void {
    this.#explain(name);
  }

  /** Whether `fs.watch` is running (it is stopped after an error; the poll then works alone). */
  get watching(): boolean {
    return this.#watcher !== undefined;
  }

  /** Stops the watcher and closes the journals. */
  stop(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    for (const reader of this.#readers.values()) reader.close();
    this.#readers.clear();
  }

  /**
   * The authoritative check: other members' journals and the directory's mtime.
   */
  poll(): void {
    const paths = new Set(this.#otherJournals());
    for (const path of paths)
      if (!this.#readers.has(path)) this.#readers.set(path, new JournalReader(path, false));
    const names = new Set<string>();
    const all = this.#readJournals(names, paths);
    const mtime = this.#directoryMtime();
    const dirChanged = mtime !== this.#dirMtimeMs;
    this.#dirMtimeMs = mtime;
    // The watcher names deferred since the last poll get their `stat` now (a hand edit that
    // coalesced with a journaled advance is seen here, within one poll interval) — on Linux only
    // those with more watcher events than known changes (a hand edit is one event more).
    for (const name of this.#deferred)
      if (!ONE_EVENT_PER_WRITE || (this.#events.get(name) ?? 0) > (this.#explained.get(name) ?? 0))
        names.add(name);
    this.#deferred.clear();
    this.#explained.clear();
    this.#events.clear();
    if (all) {
      this.#pending.clear();
      this.#sink.changedAll();
      return;
    }
    if (names.size > 0) this.#sink.changed(names);
    // Files added, removed or renamed (by anyone, also by hand) move the directory's mtime. With a
    // live watcher the names are already known, so listing is needed right away only where the
    // watcher is absent or saw nothing; otherwise (a network filesystem with local writers too)
    // at most every LIST_EVERY_MS. An unchanged mtime never costs a listing.
    if (dirChanged) this.#dirDirty = true;
    const now = Date.now();
    if (
      this.#dirDirty &&
      (this.#watcher === undefined ||
        this.#watcherEvents === 0 ||
        now - this.#listedAt >= LIST_EVERY_MS)
    ) {
      this.#dirDirty = false;
      this.#listedAt = now;
      this.#sink.namesChanged();
    }
    this.#watcherEvents = 0;
  }

  /**
   * Reads the new lines of the other members' journals: applies their in-place advances and
   * collects the other names to re-check.
   *
   * @param names - receives the task files to re-check
   * @param live - the journals that exist (a reader whose journal is gone and not listed here is
   *   dropped); `undefined` keeps every reader
   * @returns true when anything may have changed (re-check everything)
   */
  #readJournals(names: Set<string>, live: Set<string> | undefined): boolean {
    let all = false;
    for (const [path, reader] of this.#readers) {
      const delta = reader.poll();
      if (delta === undefined) {
        if (live !== undefined && !live.has(path)) {
          reader.close();
          this.#readers.delete(path);
        }
        continue;
      }
      if (delta.reset) all = true;
      for (const line of delta.lines) {
        if (line === "*") all = true;
        else if (line === ".") this.#sink.left(path);
        else if (isTaskFileName(line)) {
          this.#explained.delete(line);
          names.add(line);
        } else {
          const note = parseAdvanceLine(line);
          if (note === undefined) continue;
          if (this.#sink.advanced(note)) this.#explain(note.name);
          else {
            this.#explained.delete(note.name);
            names.add(note.name);
          }
        }
      }
    }
    return all;
  }

  #queue(name: string): void {
    this.#pending.add(name);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    this.#pendingSince = Date.now();
    // Coalesce a burst of events (a rename delivers two; a burst of runs in other processes
    // delivers one per run) into one pass, at most one pass per flush gap: each pass reads
    // every other member's journal.
    const wait = this.#flushedAt + this.#flushGapMs - Date.now();
    const flush = () => {
      const now = Date.now();
      if (this.#busy?.() === true && now - this.#pendingSince < 2 * this.#flushGapMs) {
        setTimeout(flush, this.#flushGapMs).unref();
        return;
      }
      this.#flushQueued = false;
      this.#flushedAt = now;
      if (this.#pending.size === 0) return;
      // Most events are other members' in-place advances, which their journals describe: apply
      // those first (one read per journal), so that the files they name need a `stat`, not a read.
      const names = new Set<string>();
      if (this.#readJournals(names, undefined)) {
        this.#pending.clear();
        this.#sink.changedAll();
        return;
      }
      // A watcher name whose change a journal has just described (the view holds that version)
      // needs no `stat` in the middle of a burst: in a cluster that is one per run of every other
      // member. It is checked at the next poll instead, for a hand edit made at the same moment.
      for (const pending of this.#pending) {
        if (this.#explained.has(pending) && !names.has(pending)) this.#deferred.add(pending);
        else names.add(pending);
      }
      this.#pending.clear();
      if (names.size > 0) this.#sink.changed(names);
    };
    if (wait > 0) setTimeout(flush, wait).unref();
    else setImmediate(flush);
  }

  #explain(name: string): void {
    this.#explained.set(name, (this.#explained.get(name) ?? 0) + 1);
  }

  #directoryMtime(): number {
    try {
      return statSync(this.#directory).mtimeMs;
    } catch {
      return 0;
    }
  }
}
