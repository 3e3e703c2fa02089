/**
 * Who is using the store directory, with OS locks that the kernel drops when a process dies.
 *
 * @remarks
 * - `.members.lock`: every live member holds a shared lock on it. A member that leaves with
 *   `cleanupDirectory` releases its shared lock and tries the exclusive one: only the last member
 *   gets it, and it keeps it while it removes the directory, so a process joining at that moment
 *   waits and then finds (and recreates) an empty directory instead of losing its files.
 * - `members/<owner>.member`: each member holds a shared lock on its own file for as long as it
 *   lives. Another member that can take the exclusive lock on that file knows the owner is dead,
 *   and holding that exclusive lock makes it the only one that reaps the dead member's journal.
 */
import { mkdirSync, readdirSync, rmSync, statSync, unlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { isLocked, lockShared, type OsLock, tryLockExclusive, tryLockShared } from "@asyncz/locks";
import { JOURNAL_SUFFIX, JournalWriter, journalPath } from "./change-journal.js";
import { errnoCode } from "./errors.js";

/** Name of the members folder inside the store directory. */
export const MEMBERS_DIR = "members";
/** The file every live member holds a shared lock on. */
export const MEMBERS_LOCK = ".members.lock";
const MEMBER_SUFFIX = ".member";

/** A member found dead, locked exclusively by the caller until {@link DeadMember.finish}. */
export interface DeadMember {
  /** The dead member's encoded owner id. */
  readonly encodedOwner: string;
  /** Its journal. */
  readonly journal: string;
  /** Deletes the dead member's files and drops the reaping lock. */
  finish(): void;
}

/** This process's membership of one store directory. */
export class Membership {
  /** The store directory. */
  readonly directory: string;
  /** The `members/` folder. */
  readonly membersDir: string;
  /** This member's encoded owner id. */
  readonly encodedOwner: string;
  #storeLock: OsLock | undefined;
  #selfLock: OsLock | undefined;
  #journal: JournalWriter | undefined;
  /** Members found unlocked (dead, not yet reaped) by the last {@link Membership.findDead}. */
  #unlocked = new Set<string>();
  /** Members whose journal ends with the clean-close mark (gone, not yet reaped). */
  readonly #left = new Set<string>();
  /** The last listing of the members folder. */
  #names: readonly string[] = [];
  /** The last member listing's answer for {@link Membership.spreadHint}. */
  #spread: { readonly index: number; readonly count: number } | undefined;

  /**
   * @param directory - the store directory (must exist)
   * @param encodedOwner - this member's owner id, encoded as a file name
   */
  constructor(directory: string, encodedOwner: string) {
    this.directory = directory;
    this.membersDir = join(directory, MEMBERS_DIR);
    this.encodedOwner = encodedOwner;
  }

  /** This member's journal (after {@link Membership.join}). */
  get journal(): JournalWriter | undefined {
    return this.#journal;
  }

  /**
   * Joins: shared lock on `.members.lock` (waiting while a last member cleans up), then the
   * member file and the journal.
   *
   * @param fileMode - permission bits of new files
   * @param journalMaxBytes - journal truncation threshold
   * @param ensureDirectory - recreates the directory (called again if a cleanup removed it)
   * @param carry - journal lines that must survive a truncation (see {@link JournalWriter})
   * @throws the lock library's errors when OS locks are not available
   */
  async join(
    fileMode: number,
    journalMaxBytes: number,
    ensureDirectory: () => void,
    carry?: () => readonly string[],
  ): Promise<void> {
    const lockPath = join(this.directory, MEMBERS_LOCK);
    for (;;) {
      ensureDirectory();
      const lock =
        tryLockShared(lockPath, { fileMode }) ?? (await lockShared(lockPath, { fileMode }));
      // A last member may have removed the directory between our open and our lock: then the
      // lock is on a deleted inode and protects nothing; start over on the new directory.
      if (sameFile(lockPath, lock)) {
        this.#storeLock = lock;
        break;
      }
      lock.release();
    }
    mkdirSync(this.membersDir, { recursive: true, mode: 0o700 });
    const self = tryLockShared(join(this.membersDir, `${this.encodedOwner}${MEMBER_SUFFIX}`), {
      fileMode,
    });
    if (self === undefined) throw new Error(`member file of ${this.encodedOwner} is locked`);
    this.#selfLock = self;
    this.#journal = new JournalWriter(
      journalPath(this.membersDir, this.encodedOwner),
      fileMode,
      journalMaxBytes,
      carry,
    );
  }

  /**
   * This member's position among the live members (sorted by encoded owner id), from the last
   * listing of the members folder: {@link Membership.otherJournals} (every poll) refreshes it and
   * {@link Membership.findDead} drops members whose lock is gone. Costs no system call.
   *
   * @returns `{ index, count }`, or `undefined` before the first listing or when this member's
   *   own file is missing
   */
  spreadHint(): { readonly index: number; readonly count: number } | undefined {
    return this.#spread;
  }

  /** @returns the journals of the other members (live or not yet reaped) */
  otherJournals(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.membersDir);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") {
        this.#spread = undefined;
        return [];
      }
      throw error;
    }
    this.#updateSpread(names);
    const own = `${this.encodedOwner}${JOURNAL_SUFFIX}`;
    return names
      .filter((name) => name.endsWith(JOURNAL_SUFFIX) && name !== own)
      .map((name) => join(this.membersDir, name));
  }

  /**
   * Finds members whose process died, and locks each so that no other member reaps it too.
   *
   * @param quietMs - only journals not written for this long (so live readers have caught up)
   * @param nowMs - the current instant
   * @returns the dead members this caller now reaps
   */
  findDead(quietMs: number, nowMs: number): DeadMember[] {
    let names: string[];
    try {
      names = readdirSync(this.membersDir);
    } catch {
      return [];
    }
    const dead: DeadMember[] = [];
    const unlocked = new Set<string>();
    for (const name of names) {
      if (!name.endsWith(MEMBER_SUFFIX)) continue;
      const encodedOwner = name.slice(0, -MEMBER_SUFFIX.length);
      if (encodedOwner === this.encodedOwner) continue;
      const path = join(this.membersDir, name);
      if (isLocked(path)) continue;
      unlocked.add(name);
      const journal = journalPath(this.membersDir, encodedOwner);
      const mtime = mtimeOf(journal);
      if (mtime !== undefined && nowMs - mtime < quietMs) continue;
      const lock = tryLockExclusive(path);
      if (lock === undefined) continue;
      dead.push({
        encodedOwner,
        journal,
        finish: () => {
          removeQuietly(journal);
          removeQuietly(path);
          lock.release();
        },
      });
    }
    this.#unlocked = unlocked;
    this.#updateSpread(names);
    return dead;
  }

  /**
   * A member's journal ended with the clean-close mark: it has left, and no longer counts among
   * the live members (its tasks are shared out at once, not when it is reaped about a second later).
   *
   * @param journal - the path of the member's journal
   * @returns true when this changed the live members
   */
  left(journal: string): boolean {
    const name = basename(journal);
    if (!name.endsWith(JOURNAL_SUFFIX)) return false;
    const member = `${name.slice(0, -JOURNAL_SUFFIX.length)}${MEMBER_SUFFIX}`;
    if (member === `${this.encodedOwner}${MEMBER_SUFFIX}` || this.#left.has(member)) return false;
    this.#left.add(member);
    this.#updateSpread(this.#names);
    return true;
  }

  /** @param names - a listing of the members folder */
  #updateSpread(names: readonly string[]): void {
    this.#names = names;
    // A member that left and was reaped since is forgotten.
    for (const member of this.#left) if (!names.includes(member)) this.#left.delete(member);
    const own = `${this.encodedOwner}${MEMBER_SUFFIX}`;
    const live = names
      .filter(
        (name) =>
          name.endsWith(MEMBER_SUFFIX) && !this.#unlocked.has(name) && !this.#left.has(name),
      )
      .sort();
    const index = live.indexOf(own);
    const previous = this.#spread;
    if (index < 0) this.#spread = undefined;
    else if (previous === undefined || previous.index !== index || previous.count !== live.length)
      this.#spread = { index, count: live.length };
  }

  /**
   * Leaves: closes the journal (appending the clean-close mark), drops the member lock, and
   * with `cleanup` removes the directory when this was the last member.
   *
   * @param cleanup - remove the store directory if no other member is left
   * @returns true when the directory was removed
   */
  leave(cleanup: boolean): boolean {
    this.#journal?.append(".");
    this.#journal?.close();
    this.#journal = undefined;
    this.#selfLock?.release();
    this.#selfLock = undefined;
    this.#storeLock?.release();
    this.#storeLock = undefined;
    if (!cleanup) return false;
    const last = tryLockExclusive(join(this.directory, MEMBERS_LOCK));
    if (last === undefined) return false;
    try {
      rmSync(this.directory, { recursive: true, force: true });
      return true;
    } finally {
      last.release();
    }
  }
}

function sameFile(path: string, lock: OsLock): boolean {
  try {
    statSync(path);
    return lock.held;
  } catch {
    return false;
  }
}

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already reaped by someone else.
  }
}
