/**
 * Per-member change journals: the authoritative way a process learns what other processes changed.
 *
 * @remarks
 * Every member appends one line per change it makes to its own file in `members/` (only the owner
 * writes it, so appends need no locking, even on NFS). Lines are a task file name (that file was
 * written or removed), `*` (everything may have changed), or `+<claim name>` (a run claimed) and
 * `=<claim name>` (that claimed task's next run time was persisted). Other members poll the
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

/** Suffix of a journal file in `members/`. */
export const JOURNAL_SUFFIX = ".journal";

/** The append side, owned by one member. */
export class JournalWriter {
  /** The journal file. */
  readonly path: string;
  readonly #maxBytes: number;
  #fd: number | undefined;
  #size: number;

  /**
   * @param path - the journal file (created or truncated)
   * @param fileMode - permission bits
   * @param maxBytes - truncate when the journal grows past this size
   */
  constructor(path: string, fileMode: number, maxBytes: number) {
    this.path = path;
    this.#maxBytes = maxBytes;
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
    if (fd === undefined || lines.length === 0) return;
    if (this.#size > this.#maxBytes) {
      ftruncateSync(fd, 0);
      this.#size = 0;
    }
    const text = `${lines.join("\n")}\n`;
    this.#size += writeSync(fd, text, this.#size);
  }

  /** Closes the journal (the file stays, for readers that have not caught up). */
  close(): void {
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

/** The read side: follows one other member's journal. */
export class JournalReader {
  /** The journal file. */
  readonly path: string;
  #offset: number;
  #ino: number | undefined;
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
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
    try {
      const stat = fstatSync(fd);
      let reset = false;
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
    } finally {
      closeSync(fd);
    }
  }

  /** @returns everything in the journal from the start (for the member that reaps a dead one) */
  readAll(): string[] {
    const reader = new JournalReader(this.path, false);
    return reader.poll()?.lines ?? [];
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
