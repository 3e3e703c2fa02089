import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { closeSync, openSync, statSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { LockPathError } from "./errors.js";
import { lockFd, openLockFile } from "./os-lock.js";

/** What {@link probeLockSupport} found for a directory. */
export interface LockSupportReport {
  /** The directory probed. */
  readonly directory: string;
  /** An exclusive OS lock held here keeps a second process out, and its release lets it in. */
  readonly osLocks: boolean;
  /** Two descriptors in one process exclude each other (OFD / flock semantics, not POSIX). */
  readonly osLocksInProcess: boolean;
  /** `open(..., "wx")` (O_CREAT|O_EXCL) gives exactly one winner; claim files rely on it. */
  readonly exclusiveCreate: boolean;
  /** `"os"` when OS locks work in both respects, else `"mkdir"`. */
  readonly recommendedStrategy: "os" | "mkdir";
  /** Human-readable findings, empty when everything works. */
  readonly problems: readonly string[];
}

/**
 * Checks, for a directory, whether OS-level locks and exclusive create work there — for a
 * `doctor` command, or before choosing a lock strategy on an unfamiliar (network) filesystem.
 * The cross-process check spawns two short-lived Node processes (about 50 ms each); the probe's
 * own scratch files have unique names and are removed afterwards.
 *
 * @param directory - the directory to probe (it must exist and be writable)
 * @returns the findings
 * @throws {@link LockPathError} when the directory does not exist or is not writable
 */
export async function probeLockSupport(directory: string): Promise<LockSupportReport> {
  assertWritableDirectory(directory);
  const problems: string[] = [];
  const scratch = join(directory, `.asyncz-lock-probe-${process.pid}-${randomUUID()}`);
  const exclusiveCreate = probeExclusiveCreate(`${scratch}.claim`, problems);
  let osLocks = false;
  let osLocksInProcess = false;
  const lockPath = `${scratch}.lock`;
  let first: number | undefined;
  let second: number | undefined;
  try {
    first = openLockFile(lockPath).fd;
    second = openLockFile(lockPath).fd;
    if (!lockFd(lockPath, first, "exclusive")) {
      problems.push("an unlocked file refused an exclusive OS lock");
    } else {
      osLocksInProcess = !lockFd(lockPath, second, "exclusive");
      if (!osLocksInProcess) {
        problems.push("two descriptors in one process both got the exclusive lock");
      }
      const whileHeld = await tryLockInChild(lockPath);
      closeSync(first);
      first = undefined;
      if (osLocksInProcess) {
        closeSync(second);
        second = undefined;
      }
      const afterRelease = await tryLockInChild(lockPath);
      osLocks = whileHeld === "held" && afterRelease === "locked";
      if (!osLocks) {
        problems.push(
          `another process saw the lock as ${whileHeld} while held and ${afterRelease} after release`,
        );
      }
    }
  } catch (error) {
    problems.push(`OS locks failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (first !== undefined) closeSync(first);
    if (second !== undefined) closeSync(second);
    // A private scratch file that no other process knows of, so removing it is safe.
    removeQuietly(lockPath);
  }
  return {
    directory,
    osLocks,
    osLocksInProcess,
    exclusiveCreate,
    recommendedStrategy: osLocks && osLocksInProcess ? "os" : "mkdir",
    problems,
  };
}

function assertWritableDirectory(directory: string): void {
  try {
    if (!statSync(directory).isDirectory()) {
      throw new LockPathError(directory, directory, "is not a directory");
    }
  } catch (error) {
    if (error instanceof LockPathError) throw error;
    throw new LockPathError(directory, directory, "does not exist", { cause: error });
  }
}

function probeExclusiveCreate(path: string, problems: string[]): boolean {
  let winners = 0;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      closeSync(openSync(path, "wx"));
      winners += 1;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") {
        problems.push(`exclusive create failed: ${String(error)}`);
        removeQuietly(path);
        return false;
      }
    }
  }
  removeQuietly(path);
  if (winners !== 1) problems.push(`exclusive create let ${winners} creators in, not 1`);
  return winners === 1;
}

type ChildResult = "locked" | "held" | "error";

function tryLockInChild(path: string): Promise<ChildResult> {
  const modulePath = createRequire(import.meta.url).resolve("fs-native-extensions");
  const script = `
    const fs = require("node:fs");
    const native = require(${JSON.stringify(modulePath)});
    const fd = fs.openSync(process.argv[1], fs.constants.O_RDWR);
    let locked;
    try { locked = native.tryLock(fd, { shared: false }); }
    catch (e) { locked = !["EAGAIN", "EACCES", "EBUSY"].includes(e.code) ? null : false; }
    process.stdout.write(locked === null ? "error" : locked ? "locked" : "held");`;
  return new Promise((resolve) => {
    execFile(process.execPath, ["-e", script, path], { timeout: 10_000 }, (error, stdout) => {
      const out = String(stdout).trim();
      resolve(error === null && (out === "locked" || out === "held") ? out : "error");
    });
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone or never created.
  }
}
