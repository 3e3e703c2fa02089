/**
 * Raw file operations on the store directory: atomic writes, exclusive creates, reads that report
 * the file's identity, and quarantine. Every call is synchronous on purpose: each is a few tens of
 * microseconds on a local disk, a critical section made of them cannot interleave with other work
 * of this process, and they skip the libuv thread-pool hop that would cost more than the call.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { errnoCode } from "./errors.js";
import { TEMP_PREFIX, tempFileName } from "./file-names.js";
import { HeldFiles } from "./held-files.js";

/** Identity of a file's content as the store last saw it: a rename-over changes `ino`. */
export interface FileStamp {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly size: number;
}

/** A file read together with its stamp. */
export interface ReadFile extends FileStamp {
  readonly text: string;
}

/** Where quarantined files go, inside the store directory. */
export const QUARANTINE_DIR = "quarantine";

let readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * File operations on one directory.
 */
export class TaskFiles {
  /** The directory. */
  readonly directory: string;
  readonly #fileMode: number;
  readonly #durable: boolean;
  readonly #held: HeldFiles;

  /**
   * @param directory - an existing directory
   * @param fileMode - permission bits of new files
   * @param durable - fsync each file before renaming it into place
   */
  constructor(directory: string, fileMode: number, durable: boolean) {
    this.directory = directory;
    this.#fileMode = fileMode;
    this.#durable = durable;
    this.#held = new HeldFiles(directory);
  }

  /**
   * Writes `text` to `name` atomically: a temp file in the same directory, then `rename` (replace)
   * or `link` (exclusive: fails when `name` exists, and unlike `open(O_EXCL)` followed by a write
   * never exposes an empty file to a concurrent reader).
   *
   * @param name - final file name
   * @param text - the content
   * @param exclusive - fail instead of replacing an existing file
   * @returns the new file's stamp, or `undefined` when `exclusive` and the file exists
   * @throws the Node error of any other failure (the temp file is removed)
   */
  write(name: string, text: string, exclusive: boolean): FileStamp | undefined {
    const temp = join(this.directory, tempFileName(name));
    const target = join(this.directory, name);
    const fd = openSync(temp, "wx", this.#fileMode);
    let stamp: FileStamp;
    try {
      writeSync(fd, text);
      if (this.#durable) fsyncSync(fd);
      const stat = fstatSync(fd);
      stamp = { ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
    } catch (error) {
      closeSync(fd);
      safeUnlink(temp);
      throw error;
    }
    closeSync(fd);
    if (!exclusive) {
      try {
        renameSync(temp, target);
      } catch (error) {
        safeUnlink(temp);
        throw error;
      }
      return stamp;
    }
    try {
      linkSync(temp, target);
      return stamp;
    } catch (error) {
      if (errnoCode(error) === "EEXIST") return undefined;
      throw error;
    } finally {
      safeUnlink(temp);
    }
  }

  /**
   * Overwrites the end of a file in place (on a held descriptor, see {@link HeldFiles}), if it
   * still ends with `expected` (same length as `replacement`).
   *
   * @param name - file name
   * @param expected - the tail the file must end with
   * @param replacement - the new tail, same byte length
   * @param seen - when given, the file must still have this stamp (nobody changed it since)
   * @returns the file's new stamp, or `undefined` when the file is gone, changed, or ends otherwise
   */
  patchTail(
    name: string,
    expected: string,
    replacement: string,
    seen?: FileStamp,
  ): FileStamp | undefined {
    const length = Buffer.byteLength(expected);
    if (Buffer.byteLength(replacement) !== length) return undefined;
    const file = this.#held.open(name, seen?.ino);
    if (file === undefined) return undefined;
    const { fd, stat } = file;
    try {
      if (stat.size < length) return undefined;
      if (
        seen !== undefined &&
        (stat.ino !== seen.ino || stat.size !== seen.size || stat.mtimeMs !== seen.mtimeMs)
      )
        return undefined;
      const tail = Buffer.allocUnsafe(length);
      readSync(fd, tail, 0, length, stat.size - length);
      if (tail.toString("utf8") !== expected) return undefined;
      writeSync(fd, replacement, stat.size - length, "utf8");
      if (this.#durable) fsyncSync(fd);
      // The write moved the mtime (to the kernel's coarse clock, a few ms per tick); two in-place
      // writes to one task file within one tick would share it, which cannot happen for a task's
      // own advances (one per run) and is why readers re-read a file on every watch event anyway.
      const after = fstatSync(fd);
      return { ino: after.ino, mtimeMs: after.mtimeMs, size: after.size };
    } catch (error) {
      this.#held.drop(name);
      throw error;
    } finally {
      this.#held.release(file);
    }
  }

  /** Closes the descriptors held for in-place advances that were not used for a while. */
  sweep(): void {
    this.#held.sweep();
  }

  /** Closes the descriptors held for in-place advances. */
  close(): void {
    this.#held.close();
  }

  /**
   * @param name - file name
   * @returns the content and stamp, or `undefined` when the file does not exist
   * @throws the Node error of any other failure
   */
  read(name: string): ReadFile | undefined {
    let fd: number;
    try {
      fd = openSync(join(this.directory, name), "r");
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
    try {
      const stat = fstatSync(fd);
      // One reusable buffer: a task file is small, and this path runs for every file at load.
      if (readBuffer.length < stat.size + 1) readBuffer = Buffer.allocUnsafe(2 * stat.size + 1);
      let length = 0;
      for (;;) {
        const n = readSync(fd, readBuffer, length, readBuffer.length - length, length);
        if (n === 0) break;
        length += n;
        if (length === readBuffer.length) {
          const bigger = Buffer.allocUnsafe(2 * readBuffer.length);
          readBuffer.copy(bigger);
          readBuffer = bigger;
        }
      }
      const text = readBuffer.toString("utf8", 0, length);
      return { text, ino: stat.ino, mtimeMs: stat.mtimeMs, size: length };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * @param name - file name
   * @returns its stamp, or `undefined` when it does not exist
   */
  stat(name: string): FileStamp | undefined {
    try {
      const stat = statSync(join(this.directory, name));
      return { ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * @param name - file name
   * @returns true when this call removed it, false when it did not exist
   */
  remove(name: string): boolean {
    try {
      unlinkSync(join(this.directory, name));
      return true;
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return false;
      throw error;
    }
  }

  /** @returns the names of the directory's entries (files and folders) */
  list(): string[] {
    return readdirSync(this.directory);
  }

  /**
   * Moves a file into `quarantine/` under a name that keeps the original and adds the time, so a
   * file quarantined twice never overwrites the first copy.
   *
   * @param name - file name in the directory
   * @param now - the current instant
   * @returns the new path, or `undefined` when the file had already gone
   */
  quarantine(name: string, now: Date): string | undefined {
    const folder = join(this.directory, QUARANTINE_DIR);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[:.]/g, "-");
    const random = Math.random().toString(36).slice(2, 8);
    const target = join(folder, `${name}.${stamp}.${random}`);
    try {
      renameSync(join(this.directory, name), target);
      return target;
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * Removes temp files left behind by a process that died between writing and renaming.
   *
   * @param olderThanMs - only temp files last modified before this epoch time
   * @returns how many were removed
   */
  collectTempFiles(olderThanMs: number): number {
    let removed = 0;
    for (const name of this.list()) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const stamp = this.stat(name);
      if (stamp !== undefined && stamp.mtimeMs < olderThanMs && this.remove(name)) removed += 1;
    }
    return removed;
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or the directory went away: nothing of ours is left either way.
  }
}
