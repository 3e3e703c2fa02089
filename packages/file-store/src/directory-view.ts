/**
 * This process's view of the task files: the {@link TaskIndex} plus the code that brings it in line
 * with the directory, one file at a time (cheap: a `stat`, and a read only when the file changed)
 * or all at once (load and full reconcile). Unreadable files are quarantined here.
 */
import { join } from "node:path";
import type { TaskRecord } from "@asyncz/core";
import type { AdvanceNote } from "./change-journal.js";
import { CorruptTaskFileError } from "./errors.js";
import { isTaskFileName } from "./file-names.js";
import { isRecord, parseTask } from "./task-document.js";
import type { FileStamp, ReadFile, TaskFiles } from "./task-files.js";
import { type IndexEntry, TaskIndex } from "./task-index.js";

/** How the view reports a file it could not read. */
export type QuarantineReporter = (error: CorruptTaskFileError, quarantined: boolean) => void;

/** Longest kernel timestamp tick (coarse mtime clocks tick every 1–10 ms). */
const COARSE_TICK_MS = 20;

/** A file whose last change is younger than this may still be being written by hand. */
const SETTLE_MS = 1000;

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

/** The view. */
export class DirectoryView {
  /** The index (read it; change it only through this view). */
  readonly index = new TaskIndex();
  readonly #files: TaskFiles;
  readonly #report: QuarantineReporter;
  readonly #now: () => number;
  /** Unreadable files seen recently, kept to re-check once they settle. */
  readonly #unsettled = new Set<string>();
  /** Newer-format files already reported (reported once, left in place). */
  readonly #newer = new Set<string>();

  /**
   * @param files - file operations on the store directory
   * @param report - called for each unreadable file
   * @param now - the clock, epoch ms
   */
  constructor(files: TaskFiles, report: QuarantineReporter, now: () => number) {
    this.#files = files;
    this.#report = report;
    this.#now = now;
  }

  /** Names of unreadable files waiting to settle (re-check them on the next tick). */
  get unsettled(): ReadonlySet<string> {
    return this.#unsettled;
  }

  /**
   * Records what this process itself just wrote, without reading it back.
   *
   * @param record - the record written
   * @param name - its file
   * @param stamp - the written file's stamp
   */
  remember(record: TaskRecord, name: string, stamp: FileStamp): void {
    this.index.set(entryOf(record, name, stamp, true));
  }

  /**
   * Applies another process's journaled in-place advance without reading the file: only when this
   * view holds exactly the version the writer replaced (same stamp, same next run time), since an
   * in-place advance changes nothing but the next run time.
   *
   * @param note - the advance
   * @returns `"applied"`; `"known"` when the view already holds the written version; `"unknown"`
   *   when the view holds another version (re-check the file)
   */
  applyAdvance(note: AdvanceNote): "applied" | "known" | "unknown" {
    const current = this.index.getByName(note.name);
    if (current === undefined) return "unknown";
    if (sameStamp(current.stamp, note.after) && current.nextMs === note.toMs) {
      if (current.vouched !== true) this.index.set({ ...current, vouched: true });
      return "known";
    }
    if (!sameStamp(current.stamp, note.before) || current.nextMs !== note.fromMs) return "unknown";
    const record: TaskRecord = { ...current.record, nextRunTime: new Date(note.toMs) };
    this.index.set(entryOf(record, note.name, note.after, true));
    return "applied";
  }

  /**
   * Brings one file's entry in line with the disk.
   *
   * @param name - a task file name
   * @returns true when the index changed
   */
  refresh(name: string): boolean {
    const current = this.index.getByName(name);
    const stamp = this.#files.stat(name);
    if (stamp === undefined) {
      this.#unsettled.delete(name);
      if (current === undefined) return false;
      this.index.delete(current.record.id);
      return true;
    }
    // An unchanged stamp proves an unchanged file only once the mtime is older than the kernel's
    // timestamp tick: on kernels with coarse timestamps two in-place writes within one tick share
    // an mtime (and an in-place advance keeps inode and size). A vouched entry is proven at once:
    // a second in-place advance within the tick is journaled by its writer, and that line is
    // applied when it is read (applyAdvance), so the view is never wrong for longer than a poll.
    if (
      current !== undefined &&
      sameStamp(current.stamp, stamp) &&
      (current.vouched === true || this.#now() - stamp.mtimeMs > COARSE_TICK_MS)
    )
      return false;
    return this.#read(name, current);
  }

  /**
   * Reads the file and applies it (the caller knows it changed, or holds the store lock).
   *
   * @param name - a task file name
   * @param current - its entry, if any
   * @returns true when the index changed
   */
  #read(name: string, current: IndexEntry | undefined): boolean {
    let file = this.#files.read(name);
    let parsed = file === undefined ? undefined : parseTask(file.text, name);
    // A check mismatch is a read that raced an in-place advance, or a hand edit: read again, and
    // accept the content once two reads agree.
    for (
      let attempt = 0;
      file !== undefined &&
      parsed !== undefined &&
      !isRecord(parsed) &&
      parsed.torn === true &&
      attempt < 3;
      attempt++
    ) {
      const again: ReadFile | undefined = this.#files.read(name);
      parsed =
        again === undefined ? undefined : parseTask(again.text, name, again.text === file.text);
      file = again;
    }
    if (file === undefined || parsed === undefined) {
      if (current === undefined) return false;
      this.index.delete(current.record.id);
      return true;
    }
    if (isRecord(parsed)) {
      this.#unsettled.delete(name);
      this.#newer.delete(name);
      this.index.set(entryOf(parsed, name, file));
      return true;
    }
    // An unreadable file drops out of the index either way: its old content is not the truth.
    if (current !== undefined) this.index.delete(current.record.id);
    const path = join(this.#files.directory, name);
    if (parsed.newerVersion) {
      if (!this.#newer.has(name)) {
        this.#newer.add(name);
        this.#report(
          new CorruptTaskFileError(
            path,
            `${parsed.reason} (left in place for a newer version)`,
            undefined,
            { cause: parsed.cause },
          ),
          false,
        );
      }
      return current !== undefined;
    }
    if (this.#now() - file.mtimeMs < SETTLE_MS) {
      // Possibly an editor writing in place: look again once it has settled.
      this.#unsettled.add(name);
      return current !== undefined;
    }
    this.#unsettled.delete(name);
    const moved = this.#files.quarantine(name, new Date(this.#now()));
    // Gone already: another process quarantined (and reported) it first.
    if (moved === undefined) return current !== undefined;
    this.#report(
      new CorruptTaskFileError(path, parsed.reason, moved, { cause: parsed.cause }),
      moved !== undefined,
    );
    return current !== undefined;
  }

  /**
   * Re-reads a file even if its stamp looks unchanged (inside the store lock, before a
   * compare-and-set).
   *
   * @param name - a task file name
   * @returns its entry after the read
   */
  reread(name: string): IndexEntry | undefined {
    this.#read(name, this.index.getByName(name));
    return this.index.getByName(name);
  }

  /**
   * Brings the whole index in line with the directory: new and removed names, and every file
   * whose stamp changed. O(tasks) `stat` calls; used at start, for `getAllTasks`, and when a
   * journal says lines may have been missed.
   *
   * @returns true when the index changed
   */
  reconcile(): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const name of this.#files.list()) {
      if (!isTaskFileName(name)) continue;
      seen.add(name);
      if (this.refresh(name)) changed = true;
    }
    for (const name of [...this.index.names()]) {
      if (seen.has(name)) continue;
      const entry = this.index.getByName(name);
      if (entry !== undefined) {
        this.index.delete(entry.record.id);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Reconciles only the names: entries whose file vanished and files not yet indexed (cheaper
   * than {@link DirectoryView.reconcile}: no `stat` of known files).
   *
   * @returns true when the index changed
   */
  reconcileNames(): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const name of this.#files.list()) {
      if (!isTaskFileName(name)) continue;
      seen.add(name);
      if (this.index.getByName(name) === undefined && this.refresh(name)) changed = true;
    }
    for (const name of [...this.index.names()]) {
      if (!seen.has(name) && this.refresh(name)) changed = true;
    }
    return changed;
  }

  /**
   * Loads every task file, yielding to the event loop every `chunk` files so a large store does
   * not freeze the process while it loads.
   *
   * @param chunk - files per slice
   */
  async load(chunk = 2000): Promise<void> {
    const names = this.#files.list().filter(isTaskFileName);
    // Loading into an empty index: no entry to compare with, skip the lookups.
    const empty = this.index.size === 0;
    for (let i = 0; i < names.length; i += chunk) {
      for (const name of names.slice(i, i + chunk))
        this.#read(name, empty ? undefined : this.index.getByName(name));
      if (i + chunk < names.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * @param record - a record
 * @param name - its file
 * @param stamp - the file's stamp
 * @returns the index entry
 */
function entryOf(record: TaskRecord, name: string, stamp: FileStamp, vouched = false): IndexEntry {
  const entry: IndexEntry = {
    record,
    nextMs: record.nextRunTime === null ? null : record.nextRunTime.getTime(),
    name,
    stamp: { ino: stamp.ino, mtimeMs: stamp.mtimeMs, size: stamp.size },
  };
  return vouched ? { ...entry, vouched } : entry;
}
