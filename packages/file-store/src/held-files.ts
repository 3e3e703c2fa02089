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
 * Descriptors held at most: the hot files of a process (with N processes sharing 1,000 tasks,
 * each advances about 1,000 / N), well under any descriptor limit; beyond it the least recently
 * used is closed.
 */
export const HELD_FILES = 256;

/** An open task file and its `fstat` just now. */
export interface HeldFile {
  readonly fd: number;
  readonly stat: Stats;
}

/** The held descriptors of one directory. */
export class HeldFiles {
  readonly #directory: string;
  readonly #limit: number;
  /** name → descriptor, least recently used first. */
  readonly #open = new Map<string, number>();

  /**
   * @param directory - the store directory
   * @param limit - most descriptors held
   * @defaultValue limit - {@link HELD_FILES}
   */
  constructor(directory: string, limit = HELD_FILES) {
    this.#directory = directory;
    this.#limit = limit;
  }

  /** Number of descriptors held. */
  get size(): number {
    return this.#open.size;
  }

  /**
   * The file `name`, opened for reading and writing: the held descriptor when it still has a link
   * and (when given) the expected inode, else a fresh one.
   *
   * @param name - a task file name
   * @param ino - the inode the caller expects (a held descriptor of another inode is replaced)
   * @returns the descriptor and its stat, or `undefined` when the file does not exist
   * @throws the Node error of any other failure
   */
  open(name: string, ino?: number): HeldFile | undefined {
    const held = this.#open.get(name);
    if (held !== undefined) {
      this.#open.delete(name);
      const stat = fstatSync(held);
      if (stat.nlink > 0 && (ino === undefined || stat.ino === ino)) {
        this.#open.set(name, held);
        return { fd: held, stat };
      }
      closeSync(held);
    }
    let fd: number;
    try {
      fd = openSync(join(this.#directory, name), "r+");
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
    const stat = fstatSync(fd);
    this.#open.set(name, fd);
    if (this.#open.size > this.#limit) {
      for (const [oldest, oldFd] of this.#open) {
        this.#open.delete(oldest);
        closeSync(oldFd);
        break;
      }
    }
    return { fd, stat };
  }

  /**
   * Closes the descriptor of `name` (after an error on it).
   *
   * @param name - a task file name
   */
  drop(name: string): void {
    const fd = this.#open.get(name);
    if (fd === undefined) return;
    this.#open.delete(name);
    closeSync(fd);
  }

  /** Closes every descriptor. */
  close(): void {
    for (const fd of this.#open.values()) closeSync(fd);
    this.#open.clear();
  }
}
