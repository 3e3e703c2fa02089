/**
 * Open descriptors of the task files this process advances in place, kept between runs.
 *
 * @remarks
 * An in-place advance is a few system calls on an open file (check its stamp, read the tail,
 * write the tail, read the new stamp). Opening and closing the file by path around them cost as
 * much again (measured here: 13–16 µs per advance with open and close, 7–8 µs on a held
 * descriptor). A held descriptor follows the inode, not the name: a file replaced by a rename
 * (an update) or removed has no link left (`nlink` 0), and one whose inode is not the one the
 * caller expects is dropped, so a write never lands in a file that is no longer the task's.
 */
import { closeSync, fstatSync, openSync, type Stats } from "node:fs";
import { join } from "node:path";
import { errnoCode } from "./errors.js";

/**
 * Descriptors held at most: the hot files of a process (a process that runs 1,000 tasks a second
 * advances 1,000 files), well under any descriptor limit Node runs with (it raises the soft limit
 * to the hard one at start; the hard limit is 4,096 or more on current systems).
 */
export const HELD_FILES = 1024;

/** A held descriptor unused for this long is closed (its task may be gone or run elsewhere now). */
export const HELD_IDLE_MS = 60_000;

/** An open task file and its `fstat` just now. */
export interface HeldFile {
  readonly fd: number;
  readonly stat: Stats;
  /** Not held: the caller closes it after use ({@link HeldFiles.release}). */
  readonly transient: boolean;
}

interface Held {
  readonly fd: number;
  usedAtMs: number;
}

/** The held descriptors of one directory. */
export class HeldFiles {
  readonly #directory: string;
  readonly #limit: number;
  readonly #now: () => number;
  /** name → descriptor, least recently used first. */
  readonly #open = new Map<string, Held>();

  /**
   * @param directory - the store directory
   * @param limit - most descriptors held
   * @param now - the clock (epoch ms)
   * @defaultValue limit - {@link HELD_FILES}
   * @defaultValue now - `Date.now`
   */
  constructor(directory: string, limit = HELD_FILES, now: () => number = Date.now) {
    this.#directory = directory;
    this.#limit = limit;
    this.#now = now;
  }

  /** Number of descriptors held. */
  get size(): number {
    return this.#open.size;
  }

  /**
   * The file `name`, opened for reading and writing: the held descriptor when it still has a link
   * and (when given) the expected inode, else a fresh one. A fresh one is held if there is room
   * (or the least recently used one has been idle for {@link HELD_IDLE_MS}); otherwise it is
   * transient. (Evicting the least recently used one instead would miss every time for a process
   * that cycles through more files than the limit: it would open, evict and close on every call.)
   *
   * @param name - a task file name
   * @param ino - the inode the caller expects (a held descriptor of another inode is replaced)
   * @returns the descriptor and its stat, or `undefined` when the file does not exist
   * @throws the Node error of any other failure
   */
  open(name: string, ino?: number): HeldFile | undefined {
    const nowMs = this.#now();
    const held = this.#open.get(name);
    if (held !== undefined) {
      this.#open.delete(name);
      const stat = fstatSync(held.fd);
      if (stat.nlink > 0 && (ino === undefined || stat.ino === ino)) {
        held.usedAtMs = nowMs;
        this.#open.set(name, held);
        return { fd: held.fd, stat, transient: false };
      }
      closeSync(held.fd);
    }
    let fd: number;
    try {
      fd = openSync(join(this.#directory, name), "r+");
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
    const stat = fstatSync(fd);
    if (this.#open.size >= this.#limit) this.sweep(nowMs - HELD_IDLE_MS, 1);
    if (this.#open.size >= this.#limit) return { fd, stat, transient: true };
    this.#open.set(name, { fd, usedAtMs: nowMs });
    return { fd, stat, transient: false };
  }

  /**
   * Done with a file from {@link HeldFiles.open}: closes it if it was transient.
   *
   * @param file - what `open` returned
   */
  release(file: HeldFile): void {
    if (file.transient) closeSync(file.fd);
  }

  /**
   * Closes the descriptors unused since `idleBeforeMs`.
   *
   * @param idleBeforeMs - epoch ms
   * @param most - close at most this many
   * @defaultValue idleBeforeMs - {@link HELD_IDLE_MS} ago
   * @defaultValue most - all of them
   */
  sweep(idleBeforeMs = this.#now() - HELD_IDLE_MS, most = Number.POSITIVE_INFINITY): void {
    let closed = 0;
    for (const [name, held] of this.#open) {
      // Least recently used first: the first recent one ends the sweep.
      if (held.usedAtMs >= idleBeforeMs || closed >= most) return;
      this.#open.delete(name);
      closeSync(held.fd);
      closed += 1;
    }
  }

  /**
   * Closes the descriptor of `name` (after an error on it).
   *
   * @param name - a task file name
   */
  drop(name: string): void {
    const held = this.#open.get(name);
    if (held === undefined) return;
    this.#open.delete(name);
    closeSync(held.fd);
  }

  /** Closes every descriptor. */
  close(): void {
    for (const held of this.#open.values()) closeSync(held.fd);
    this.#open.clear();
  }
}
