/**
 * Per-member change journals: the authoritative way a process learns what other processes changed.
 *
 * @remarks
 * Every member appends one line per change it makes to its own file in `members/` (only the owner
 * writes it, so appends need no locking, even on NFS). Lines are a task file name (that file was
 * written or removed), `*` (everything may have changed), `+<claim name>` (a run about to be
 * claimed), `><encoded id>@<ms|end>` (the runs claimed before were handed over, the task advanced
 * to that time), `.` (closed cleanly), or an in-place advance (see {@link advanceLine}), which
 * tells readers the file's new content without their reading it. Other members poll the
 * journals' sizes and read only the new bytes, so staying current costs O(changes), not O(tasks),
 * and works where `fs.watch` delivers nothing (network filesystems). A journal is truncated when it
 * grows past a limit; a reader that finds it shorter than its offset starts over at 0 and asks for a
 * full reconcile, because it may have missed lines.
 */
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { errnoCode } from "./errors.js";
import type { FileStamp } from "./task-files.js";

/** Suffix of a journal file in `members/`. */
export const JOURNAL_SUFFIX = ".journal";

/** The append side, owned by one member. */
export class JournalWriter {
  /** The journal file. */
  readonly path: string;
  readonly #maxBytes: number;
  #fd: number | undefined;
  #size: number;
  #soon: string[] = [];
  readonly #carry: () => readonly string[];
  #flushQueued = false;

  /**
   * @param path - the journal file (created or truncated)
   * @param fileMode - permission bits
   * @param maxBytes - truncate when the journal grows past this size
   * @param carry - lines that must survive a truncation (the intents of runs this member won and
   *   has not handed over yet): written first into the truncated journal
   * @defaultValue carry - none
   */
  constructor(
    path: string,
    fileMode: number,
    maxBytes: number,
    carry: () => readonly string[] = () => [],
  ) {
    this.path = path;
    this.#maxBytes = maxBytes;
    this.#carry = carry;
    this.#fd = openSync(path, "w", fileMode);
    this.#size = 0;
  }

  /**
   * Appends lines (each must be free of newlines).
   *
   * @param lines - the lines
   */
  append(...lines: string[]): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    if (this.#soon.length > 0) {
      lines = [...this.#soon, ...lines];
      this.#soon = [];
    }
    if (lines.length === 0) return;
    if (this.#size > this.#maxBytes) {
      ftruncateSync(fd, 0);
      this.#size = 0;
      // A survivor reaping this journal must still see the claims this member has not handed over.
      lines = [...this.#carry(), ...lines];
    }
    const text = `${lines.join("\n")}\n`;
    this.#size += writeSync(fd, text, this.#size);
  }

  /**
   * Appends lines with the next {@link JournalWriter.append}, or at the next event-loop turn,
   * whichever comes first (order is kept): during a burst of runs the lines of one advance and the
   * next claim's intent go out in one write.
   *
   * @param lines - the lines
   */
  appendSoon(...lines: string[]): void {
    if (this.#fd === undefined || lines.length === 0) return;
    this.#soon.push(...lines);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setImmediate(() => {
      this.#flushQueued = false;
      this.append();
    });
  }

  /** Closes the journal (the file stays, for readers that have not caught up). */
  close(): void {
    this.append();
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a poll of one journal found. */
export interface JournalDelta {
  /** Complete new lines. */
  readonly lines: string[];
  /** The journal was truncated or replaced since the last poll: lines may have been missed. */
  readonly reset: boolean;
}

/**
 * The read side: follows one other member's journal.
 *
 * @remarks
 * The reader keeps the journal open between polls: a poll is one `fstat` and, when the journal
 * grew, one `read` (opening and closing it every time cost two more system calls and a path
 * look-up, for each journal, at every pass over watcher events). A journal truncated by its writer
 * keeps its inode and shows a smaller size; a journal removed (reaped) or replaced by a new file
 * shows no links left, and the path is opened again.
 */
export class JournalReader {
  /** The journal file. */
  readonly path: string;
  #offset: number;
  #ino: number | undefined;
  #fd: number | undefined;
  #gone = false;
  #partial = "";

  /**
   * @param path - the journal file
   * @param fromEnd - start at the current end (a reader that just loaded the whole store does not
   *   need the history)
   */
  constructor(path: string, fromEnd: boolean) {
    this.path = path;
    this.#offset = 0;
    if (fromEnd) {
      try {
        const stat = statSync(path);
        this.#offset = stat.size;
        this.#ino = stat.ino;
      } catch {
        // Missing: start from 0 when it appears.
      }
    }
  }

  /**
   * Reads the lines appended since the last poll.
   *
   * @returns the new lines, or `undefined` when the journal no longer exists
   */
  poll(): JournalDelta | undefined {
    let fd = this.#fd;
    let stat = fd === undefined ? undefined : fstatSync(fd);
    if (fd === undefined || stat === undefined || stat.nlink === 0) {
      this.close();
      try {
        fd = openSync(this.path, "r");
      } catch (error) {
        if (errnoCode(error) !== "ENOENT") throw error;
        // Gone: a journal that appears again under this name is a new file (its inode number
        // may well be reused), read from its start.
        if (this.#ino !== undefined || this.#offset > 0) this.#gone = true;
        return undefined;
      }
      this.#fd = fd;
      stat = fstatSync(fd);
    }
    let reset = this.#gone;
    if (reset) {
      this.#gone = false;
      this.#offset = 0;
      this.#partial = "";
    }
    if (stat.size < this.#offset || (this.#ino !== undefined && stat.ino !== this.#ino)) {
      this.#offset = 0;
      this.#partial = "";
      reset = true;
    }
    this.#ino = stat.ino;
    if (stat.size === this.#offset) return { lines: [], reset };
    const buffer = Buffer.allocUnsafe(stat.size - this.#offset);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, this.#offset + read);
      if (n === 0) break;
      read += n;
    }
    this.#offset += read;
    const text = this.#partial + buffer.toString("utf8", 0, read);
    const lines = text.split("\n");
    // The last piece is an unfinished line (or "" after a final newline): keep it for next time.
    this.#partial = lines.pop() ?? "";
    return { lines, reset };
  }

  /** Closes the journal's descriptor (a later poll opens it again). */
  close(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  /** @returns everything in the journal from the start (for the member that reaps a dead one) */
  readAll(): string[] {
    const reader = new JournalReader(this.path, false);
    try {
      return reader.poll()?.lines ?? [];
    } finally {
      reader.close();
    }
  }
}

/**
 * @param membersDir - the `members/` folder
 * @param encodedOwner - the member's encoded owner id
 * @returns its journal's path
 */
export function journalPath(membersDir: string, encodedOwner: string): string {
  return join(membersDir, `${encodedOwner}${JOURNAL_SUFFIX}`);
}

/** An in-place advance of one task file, as journaled by the process that wrote it. */
export interface AdvanceNote {
  /** The task file. */
  readonly name: string;
  /** The next run time the writer replaced (epoch ms). */
  readonly fromMs: number;
  /** The next run time it wrote (epoch ms). */
  readonly toMs: number;
  /** The file's identity the writer checked before writing. */
  readonly before: FileStamp;
  /** The file's identity right after the write. */
  readonly after: FileStamp;
}

/**
 * @param note - the advance
 * @returns its journal line: `~<name> <from> <to> <ino> <size> <mtime before> <mtime after>` (an
 *   in-place advance keeps the inode and the size)
 */
export function advanceLine(note: AdvanceNote): string {
  const { name, fromMs, toMs, before, after } = note;
  return `~${name} ${fromMs} ${toMs} ${before.ino} ${before.size} ${before.mtimeMs} ${after.mtimeMs}`;
}

/**
 * @param line - a journal line
 * @returns the advance it describes, or `undefined` when it is not a (well-formed) advance line
 */
export function parseAdvanceLine(line: string): AdvanceNote | undefined {
  // Every process reads one of these per run of every other process: parsed in place, without
  // the arrays of split/map (6 µs a line before, most of a reader's cost per peer run).
  if (line.charCodeAt(0) !== 0x7e) return undefined;
  let at = line.indexOf(" ", 1);
  if (at < 0) return undefined;
  const name = line.slice(1, at);
  const numbers = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 6; i++) {
    const space = line.indexOf(" ", at + 1);
    // Six fields exactly: a space before each, none after the last.
    const end = i < 5 ? space : space < 0 ? line.length : -1;
    if (end < 0 || end === at + 1) return undefined;
    const n = Number(line.slice(at + 1, end));
    if (!Number.isFinite(n)) return undefined;
    numbers[i] = n;
    at = end;
  }
  const [fromMs, toMs, ino, size, mtimeBefore, mtimeAfter] = numbers as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    name,
    fromMs,
    toMs,
    before: { ino, size, mtimeMs: mtimeBefore },
    after: { ino, size, mtimeMs: mtimeAfter },
  };
}
