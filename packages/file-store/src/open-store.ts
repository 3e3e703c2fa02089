/**
 * The state of a started {@link FileStore} and its periodic housekeeping: reaping dead members
 * (reporting their lost runs) and collecting old claim markers.
 */
import { randomBytes } from "node:crypto";
import { accessSync, appendFileSync, constants, mkdirSync, statSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { STORE_ERROR, STORE_QUARANTINED, type StoreContext, TASK_MISSED } from "@asyncz/core";
import { tryLockExclusive } from "@asyncz/locks";
import type { ChangeMonitor } from "./change-monitor.js";
import type { ClaimMarkers } from "./claim-markers.js";
import type { DirectoryView } from "./directory-view.js";
import { type CorruptTaskFileError, errnoCode, StoreDirectoryError } from "./errors.js";
import { TASK_FILE_SUFFIX } from "./file-names.js";
import { findLostRuns } from "./lost-runs.js";
import type { Membership } from "./membership.js";
import type { StoreLock } from "./store-lock.js";
import type { TaskFiles } from "./task-files.js";

/** How often (across all members) old claim markers are collected, in milliseconds. */
export const COLLECT_EVERY_MS = 10_000;
/** Lock file of the claim collector; its mtime is the time of the last collection. */
const COLLECT_LOCK = ".collect.lock";

/** Everything a started store holds. */
export interface OpenStore {
  readonly context: StoreContext;
  readonly directory: string;
  readonly files: TaskFiles;
  readonly membership: Membership;
  readonly lock: StoreLock;
  readonly claims: ClaimMarkers;
  readonly view: DirectoryView;
  monitor?: ChangeMonitor;
  timer?: NodeJS.Timeout;
  ticks: number;
}

/**
 * Finds members that died, reports every run each claimed and never advanced past as
 * `task_missed` (`reason: "lost"`), and removes their files. Only one survivor reaps a given
 * member (it holds the dead member's file lock meanwhile).
 *
 * @param s - the open store
 * @param pollIntervalMs - the poll period (a dead member's journal must have been quiet for two)
 */
export function reapDeadMembers(s: OpenStore, pollIntervalMs: number): void {
  const nowMs = Date.now();
  for (const dead of s.membership.findDead(2 * pollIntervalMs + 500, nowMs)) {
    try {
      for (const lost of findLostRuns(dead.journal, dead.encodedOwner, s.claims)) {
        const entry = s.view.index.getByName(`${lost.encodedId}${TASK_FILE_SUFFIX}`);
        const taskId = entry?.record.id ?? lost.taskId;
        if (taskId === undefined) continue;
        s.context.logger.warn(
          { taskId, runTime: new Date(lost.runTimeMs) },
          "run lost: its claimer died before starting it",
        );
        s.context.emit({
          code: TASK_MISSED,
          name: "task_missed",
          taskId,
          store: s.context.alias,
          scheduledRunTime: new Date(lost.runTimeMs),
          runId: randomBytes(16).toString("hex"),
          latenessMs: nowMs - lost.runTimeMs,
          reason: "lost",
        });
      }
    } finally {
      dead.finish();
    }
  }
}

/**
 * Collects claim markers older than the retention whose task has moved past them (or is gone).
 * One member collects at a time, at most once per {@link COLLECT_EVERY_MS} across all members.
 *
 * @param s - the open store
 * @param retentionMs - the claim retention
 * @param fileMode - permission bits of the collector's lock file
 * @returns how many markers were removed (0 when another member collected recently)
 */
export function collectClaims(s: OpenStore, retentionMs: number, fileMode: number): number {
  const lockPath = join(s.directory, COLLECT_LOCK);
  const lock = tryLockExclusive(lockPath, { fileMode });
  if (lock === undefined) return 0;
  try {
    const stat = statSync(lockPath);
    // A fresh lock file has size 0 and was never stamped by a collection: collect.
    if (stat.size > 0 && Date.now() - stat.mtimeMs < COLLECT_EVERY_MS * 0.9) return 0;
    const cutoff = Date.now() - retentionMs;
    const removed = s.claims.collect(cutoff, (encodedId, runTimeMs) => {
      const entry = s.view.index.getByName(`${encodedId}${TASK_FILE_SUFFIX}`);
      return entry === undefined || entry.nextMs === null || entry.nextMs > runTimeMs;
    });
    markCollected(lockPath);
    return removed;
  } finally {
    lock.release();
  }
}

function markCollected(lockPath: string): void {
  const now = new Date();
  utimesSync(lockPath, now, now);
  // Give the file a size once, so a later reader knows the mtime is a collection's.
  if (statSync(lockPath).size === 0) appendFileSync(lockPath, "collected\n");
}

/**
 * Creates the store directory if missing (never its parents) and checks that it is usable.
 *
 * @param directory - absolute path
 * @param mode - permission bits for a new directory
 * @throws {@link StoreDirectoryError} naming the problem
 */
export function ensureDirectory(directory: string, mode: number): void {
  try {
    mkdirSync(directory, { mode });
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT")
      throw new StoreDirectoryError(
        directory,
        `its parent ${JSON.stringify(dirname(directory))} does not exist`,
        { cause: error },
      );
    if (code !== "EEXIST")
      throw new StoreDirectoryError(directory, `it cannot be created (${code ?? String(error)})`, {
        cause: error,
      });
  }
  try {
    if (!statSync(directory).isDirectory())
      throw new StoreDirectoryError(directory, "it exists and is not a directory");
    accessSync(directory, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof StoreDirectoryError) throw error;
    throw new StoreDirectoryError(
      directory,
      `this process cannot read and write it (${errnoCode(error) ?? String(error)})`,
      { cause: error },
    );
  }
}

/**
 * Reports a task file that could not be read: a `warn` log line and a `store_quarantined` event
 * (or `store_error` when it was left in place, e.g. a newer format).
 *
 * @param s - the open store
 * @param error - what was wrong, and where the file went
 * @param quarantined - whether it was moved to `quarantine/`
 */
export function reportUnreadable(
  s: OpenStore,
  error: CorruptTaskFileError,
  quarantined: boolean,
): void {
  s.context.logger.warn({ err: error, path: error.path }, error.message);
  s.context.emit({
    code: quarantined ? STORE_QUARANTINED : STORE_ERROR,
    name: quarantined ? "store_quarantined" : "store_error",
    store: s.context.alias,
    message: error.message,
    error,
    path: error.path,
  });
}

/**
 * Reports a failure of the store's background work (the loop goes on): an `error` log line and a
 * `store_error` event.
 *
 * @param s - the open store
 * @param error - the failure
 * @param message - what was being done
 */
export function reportStoreError(s: OpenStore, error: unknown, message: string): void {
  s.context.logger.error({ err: error }, message);
  s.context.emit({
    code: STORE_ERROR,
    name: "store_error",
    store: s.context.alias,
    message,
    error,
  });
}
