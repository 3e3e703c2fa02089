/**
 * `FileStore`: tasks in a shared directory, one JSON file per task, safe for many processes.
 * See the package README for the on-disk layout and the guarantees.
 */
import { join, resolve } from "node:path";
import {
  type AddRecordOptions,
  ConflictIdError,
  type Store,
  type StoreContext,
  type StoreSpreadHint,
  TaskLookupError,
  type TaskRecord,
} from "@asyncz/core";
import { advanceLine } from "./change-journal.js";
import { ChangeMonitor } from "./change-monitor.js";
import { ClaimMarkers } from "./claim-markers.js";
import { DirectoryView } from "./directory-view.js";
import { StoreDirectoryError } from "./errors.js";
import { claimFileName, encodeId, TASK_FILE_SUFFIX, taskFileName } from "./file-names.js";
import {
  type FileStoreOptions,
  type ResolvedFileStoreOptions,
  resolveFileStoreOptions,
} from "./file-store-options.js";
import { Membership } from "./membership.js";
import {
  COLLECT_EVERY_MS,
  collectClaims,
  ensureDirectory,
  type OpenStore,
  reapDeadMembers,
  reportStoreError,
  reportUnreadable,
} from "./open-store.js";
import { StoreLock } from "./store-lock.js";
import { serializeTask, tailFor } from "./task-document.js";
import { TaskFiles } from "./task-files.js";

const JOURNAL_MAX_BYTES = 4 * 1024 * 1024;
/** How long a task whose current run another process won waits for that process's advance. */
const PARK_MS = 500;
/** Longest stretch of claims (ms) before claimRuns lets I/O callbacks run. */
const YIELD_EVERY_MS = 4;
/** Ticks between looks for dead members. */
const REAP_EVERY_TICKS = 4;

/**
 * A persistent, shared store of tasks in a directory.
 *
 * @remarks
 * Every process sharing the directory keeps an in-memory index, kept current by `fs.watch` (hint)
 * and by polling the other processes' change journals (authority). Mutations are serialised by an
 * OS lock; each run is claimed with an exclusive-create marker (a hard link), so it executes at
 * most once even if the lock misbehaves.
 */
export class FileStore implements Store {
  /** Always `"file"`. */
  readonly type = "file";
  /** Always `true`: tasks outlive the process and are shared. */
  readonly persistent = true;
  readonly #options: ResolvedFileStoreOptions;
  readonly #listeners = new Set<() => void>();
  #started: OpenStore | undefined;
  #notifyQueued = false;
  /**
   * Tasks with runs won since their last advance (their advance journals a `>` line), with the
   * markers of those runs (re-journaled if the journal is truncated before the advance).
   */
  readonly #won = new Map<string, string[]>();
  /** When claimRuns last let I/O callbacks run (epoch ms). */
  #yieldedAtMs = 0;

  /**
   * @param options - directory and tuning; see {@link FileStoreOptions}
   * @throws {@link FileStoreOptionError} naming a bad option
   */
  constructor(options: FileStoreOptions) {
    this.#options = resolveFileStoreOptions(options);
  }

  /** The store directory, as given. */
  get directory(): string {
    return this.#options.directory;
  }

  /**
   * Opens the directory (creating it with `directoryMode` if missing), joins the members, loads
   * every task file, and starts watching.
   *
   * @param context - alias, owner, lock path, logger, event sink
   * @throws {@link StoreDirectoryError} when the parent is missing or the directory is unusable
   * @throws the lock library's `LockPathError` when the lock path's directory does not exist
   */
  async start(context: StoreContext): Promise<void> {
    if (this.#started !== undefined) return;
    const options = this.#options;
    const directory = resolve(options.directory);
    const ensure = () => ensureDirectory(directory, options.directoryMode);
    ensure();
    const files = new TaskFiles(directory, options.fileMode, options.durable);
    const membership = new Membership(directory, encodeId(context.owner));
    await membership.join(options.fileMode, JOURNAL_MAX_BYTES, ensure, () =>
      [...this.#won.values()].flat().map((marker) => `+${marker}`),
    );
    const lock = new StoreLock(
      context.lockPath ?? join(directory, ".lock"),
      options.fileMode,
      options.lockTimeoutMs,
    );
    try {
      lock.probe();
    } catch (error) {
      membership.leave(false);
      throw error;
    }
    const claims = new ClaimMarkers(directory, options.fileMode);
    const view = new DirectoryView(
      files,
      (error, quarantined) => {
        if (this.#started !== undefined) reportUnreadable(this.#started, error, quarantined);
      },
      Date.now,
    );
    const started: OpenStore = {
      context,
      directory,
      files,
      membership,
      lock,
      claims,
      view,
      ticks: 0,
    };
    started.monitor = new ChangeMonitor(
      directory,
      {
        changed: (names) => this.#applyChanges(names),
        changedAll: () => this.#applyAll(),
        namesChanged: () => {
          if (view.reconcileNames()) this.#notify();
        },
        advanced: (note) => {
          const outcome = view.applyAdvance(note);
          if (outcome === "applied") this.#notify();
          return outcome !== "unknown";
        },
      },
      () => membership.otherJournals(),
    );
    this.#started = started;
    started.monitor.start(options.watch, (error) =>
      context.logger.warn({ err: error, directory }, "fs.watch failed; polling only"),
    );
    files.collectTempFiles(Date.now() - 60_000);
    await view.load();
    started.timer = setInterval(() => this.#tick(), options.pollIntervalMs);
    started.timer.unref();
  }

  /**
   * Stops watching and leaves; with `cleanupDirectory`, the last member removes the directory.
   */
  async shutdown(): Promise<void> {
    const started = this.#started;
    if (started === undefined) return;
    this.#started = undefined;
    clearInterval(started.timer);
    started.monitor?.stop();
    started.claims.close();
    started.membership.leave(this.#options.cleanupDirectory);
  }

  /** @inheritDoc */
  async addTask(record: TaskRecord, options?: AddRecordOptions): Promise<void> {
    const s = this.#require();
    const name = taskFileName(record.id);
    const text = serializeTask(record);
    const replace = options?.replaceExisting === true;
    await s.lock.run(() => {
      // Every worker of a cluster registers the same tasks at start: most adds conflict. Answer
      // those from one `stat` instead of writing a temp file first (a new file costs an inode,
      // which costs up to ~1 ms of kernel CPU on a busy ext4). The exclusive link below stays the
      // authority for the adds that get past this check.
      if (!replace && s.files.stat(name) !== undefined) {
        s.view.refresh(name);
        throw new ConflictIdError(record.id, s.context.alias);
      }
      const stamp = s.files.write(name, text, !replace);
      if (stamp === undefined) {
        s.view.refresh(name);
        throw new ConflictIdError(record.id, s.context.alias);
      }
      s.view.remember(record, name, stamp);
      s.membership.journal?.append(name);
    });
  }

  /** @inheritDoc */
  async updateTask(record: TaskRecord): Promise<void> {
    const s = this.#require();
    const name = taskFileName(record.id);
    const text = serializeTask(record);
    await s.lock.run(() => {
      if (s.files.stat(name) === undefined) {
        s.view.refresh(name);
        throw new TaskLookupError(record.id, s.context.alias);
      }
      const stamp = s.files.write(name, text, false) as NonNullable<ReturnType<TaskFiles["write"]>>;
      s.view.remember(record, name, stamp);
      s.membership.journal?.append(name);
    });
  }

  /** @inheritDoc */
  async deleteTask(id: string): Promise<void> {
    const s = this.#require();
    const name = taskFileName(id);
    await s.lock.run(() => {
      const removed = s.files.remove(name);
      s.view.refresh(name);
      if (!removed) throw new TaskLookupError(id, s.context.alias);
      s.membership.journal?.append(name);
    });
  }

  /** @inheritDoc */
  async removeAllTasks(): Promise<void> {
    const s = this.#require();
    await s.lock.run(() => {
      for (const name of s.files.list())
        if (name.endsWith(TASK_FILE_SUFFIX) && !name.startsWith(".")) s.files.remove(name);
      s.view.reconcile();
      s.membership.journal?.append("*");
    });
  }

  /** @inheritDoc */
  async lookupTask(id: string): Promise<TaskRecord | null> {
    const s = this.#require();
    s.view.refresh(taskFileName(id));
    const entry = s.view.index.get(id);
    return entry?.record ?? null;
  }

  /** @inheritDoc */
  async getAllTasks(): Promise<TaskRecord[]> {
    const s = this.#require();
    if (s.view.reconcile()) this.#notify();
    return s.view.index.all().map((entry) => entry.record);
  }

  /** @inheritDoc */
  async getDueTasks(now: Date, limit?: number): Promise<TaskRecord[]> {
    const s = this.#require();
    const nowMs = now.getTime();
    let due = s.view.index.due(nowMs, limit);
    // Without a live watcher (network filesystems), check the due files against the disk (one
    // stat each) before anyone runs them; with one, changes reach the index within a millisecond,
    // and claiming and advancing look at the file again anyway.
    if (!(s.monitor?.watching ?? false)) {
      let changed = false;
      for (const entry of due) if (s.view.refresh(entry.name)) changed = true;
      if (changed) due = s.view.index.due(nowMs, limit);
    }
    return due.map((entry) => entry.record);
  }

  /** @inheritDoc */
  async getNextRunTime(): Promise<Date | null> {
    const ms = this.#require().view.index.nextMs();
    return ms === null ? null : new Date(ms);
  }

  /** @inheritDoc */
  async claimRuns(taskId: string, runTimes: readonly Date[], owner: string): Promise<Date[]> {
    let s = this.#require();
    let nowMs = Date.now();
    // The scheduler's pass over a burst of due tasks runs as one chain of promise callbacks, so
    // nothing of the other processes reaches the index until it ends. Every few milliseconds, let
    // I/O callbacks run: the other processes' advances are applied (from their journals, without
    // reads), and their runs are then skipped below without touching the disk.
    if (nowMs - this.#yieldedAtMs >= YIELD_EVERY_MS) {
      this.#yieldedAtMs = nowMs;
      await new Promise((resolve) => setImmediate(resolve));
      s = this.#require();
      nowMs = Date.now();
    }
    const name = taskFileName(taskId);
    const known = s.view.index.getByName(name);
    const candidates: Array<{ time: Date; ms: number }> = [];
    for (const time of runTimes) {
      const ms = time.getTime();
      // The stored next run time has moved past this run: it was claimed and handed over already
      // (a process advances a task only after claiming its runs), or the task was rescheduled.
      if (known?.nextMs != null && known.nextMs > ms) continue;
      // A view this old may predate the collection of this run's marker: ask the disk whether the
      // task has moved past it (then the run was already handled).
      if (ms < nowMs - this.#options.claimRetentionMs / 2) {
        const entry = s.view.reread(name);
        if (entry === undefined || entry.nextMs === null || entry.nextMs > ms) continue;
      }
      candidates.push({ time, ms });
    }
    // Journal the intent before creating the markers: if this process dies right after winning a
    // run, the survivor that reaps this journal knows the run was its and reports it lost. (No
    // `lstat` of the marker first: in a folder of thousands of markers the look-up costs as much
    // as the `link` that answers the same question; runs other processes handled are mostly
    // skipped above, from the index.)
    const entry = known;
    let lostCurrent = false;
    const open = candidates.map(({ time, ms }) => ({
      time,
      ms,
      marker: claimFileName(taskId, ms),
    }));
    s.membership.journal?.append(...open.map((c) => `+${c.marker}`));
    const won: Date[] = [];
    const wonMarkers: string[] = [];
    for (const { time, ms, marker } of open) {
      if (s.claims.create(marker, owner) !== undefined) {
        won.push(time);
        wonMarkers.push(marker);
      } else if (entry !== undefined && ms === entry.nextMs) lostCurrent = true;
    }
    if (won.length > 0) {
      const held = this.#won.get(taskId);
      if (held === undefined) this.#won.set(taskId, wonMarkers);
      else held.push(...wonMarkers);
    }
    // Another process won the run the task is waiting on and will advance it; until its write
    // arrives (normally within a millisecond), this process parks the task instead of treating it
    // as due again and again. If the winner dies first, the task wakes after PARK_MS.
    else if (lostCurrent && entry !== undefined)
      s.view.index.set({ ...entry, wakeMs: nowMs + PARK_MS });
    return won;
  }

  /** @inheritDoc */
  async advanceTask(id: string, from: Date, to: Date | null): Promise<boolean> {
    const s = this.#require();
    const name = taskFileName(id);
    const fromMs = from.getTime();
    // Runs this process won and now hands over: the `>` line tells a survivor they were started.
    const covered = this.#won.delete(id)
      ? [`>${encodeId(id)}@${to === null ? "end" : to.getTime()}`]
      : [];
    // A process that lost the run and parked the task leaves the advance to the winner (no I/O).
    // Otherwise, for a loser, once the winner's write is visible (one stat) the stored value is no
    // longer `from` and the answer is false without the lock; the winner needs no stat here
    // (patchTail checks the file's stamp itself).
    const known = s.view.index.getByName(name);
    if (known?.wakeMs !== undefined && known.wakeMs > Date.now()) {
      s.membership.journal?.append(...covered);
      return false;
    }
    // Another process's advance already reached the index: this one cannot apply (stored values
    // only move forward, except by an update, which a compare-and-set may well lose to).
    if (covered.length === 0 && known?.nextMs != null && known.nextMs > fromMs) return false;
    if (covered.length === 0) s.view.refresh(name);
    const seen = s.view.index.getByName(name);
    if (seen === undefined || seen.nextMs !== fromMs) {
      s.membership.journal?.append(...covered);
      return false;
    }
    // The hot path, without the store lock: the file is still the version this process last saw
    // (same inode, size and mtime), and its tail holds `from` exactly when the stored value is
    // `from` (an in-place advance the stamp cannot see shows in the tail) — compare and overwrite.
    // Two processes that pass the check at once saw the same version, whose trigger gives them the
    // same `to` (next run times are a pure function of the record), so both write the same bytes.
    // A rename (update, replace, delete) racing this write wins, as if it came just after.
    if (to !== null) {
      const stamp = s.files.patchTail(name, tailFor(from), tailFor(to), seen.stamp);
      if (stamp !== undefined) {
        s.view.remember({ ...seen.record, nextRunTime: to }, name, stamp);
        // The journal says exactly what changed, so the other members need not read the file.
        const note = { name, fromMs, toMs: to.getTime(), before: seen.stamp, after: stamp };
        s.membership.journal?.appendSoon(advanceLine(note), ...covered);
        return true;
      }
    }
    // The runs were handed to the executor before this call: say so before waiting for the lock.
    s.membership.journal?.append(...covered);
    const changed = await s.lock.run(() => {
      const entry = s.view.reread(name);
      if (entry === undefined || entry.nextMs !== fromMs) return false;
      if (to === null) {
        s.files.remove(name);
        s.view.refresh(name);
        return true;
      }
      const record: TaskRecord = { ...entry.record, nextRunTime: to };
      const stamp = s.files.write(name, serializeTask(record), false);
      if (stamp !== undefined) s.view.remember(record, name, stamp);
      return true;
    });
    if (changed) s.membership.journal?.append(name);
    return changed;
  }

  /**
   * This process's position among the live members of the directory (sorted by owner id), so
   * the processes walk a burst of due tasks from evenly spaced points. Answered from memory: the
   * member list is refreshed by the periodic check (every `pollIntervalMs`), dead members are
   * dropped when found (every 4 checks).
   *
   * @returns `{ index, count }`, or `undefined` when not started or not yet known
   */
  spreadHint(): StoreSpreadHint | undefined {
    return this.#started?.membership.spreadHint();
  }

  /** @inheritDoc */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #require(): OpenStore {
    const started = this.#started;
    if (started === undefined)
      throw new StoreDirectoryError(
        this.#options.directory,
        "the store is not started (call start() first)",
      );
    return started;
  }

  #applyChanges(names: Iterable<string>): void {
    const s = this.#started;
    if (s === undefined) return;
    let changed = false;
    try {
      for (const name of names) if (s.view.refresh(name)) changed = true;
    } catch (error) {
      this.#report(error, "could not re-read changed task files");
    }
    if (changed) this.#notify();
  }

  #applyAll(): void {
    const s = this.#started;
    if (s === undefined) return;
    try {
      if (s.view.reconcile()) this.#notify();
    } catch (error) {
      this.#report(error, "could not reconcile the task directory");
    }
  }

  #tick(): void {
    const s = this.#started;
    if (s === undefined) return;
    s.ticks += 1;
    try {
      s.monitor?.poll();
      if (s.view.unsettled.size > 0) this.#applyChanges([...s.view.unsettled]);
      if (s.ticks % REAP_EVERY_TICKS === 0) reapDeadMembers(s, this.#options.pollIntervalMs);
      if (s.ticks % Math.max(1, Math.round(COLLECT_EVERY_MS / this.#options.pollIntervalMs)) === 0)
        collectClaims(s, this.#options.claimRetentionMs, this.#options.fileMode);
    } catch (error) {
      this.#report(error, "the periodic check failed");
    }
  }

  #report(error: unknown, message: string): void {
    if (this.#started !== undefined) reportStoreError(this.#started, error, message);
  }

  #notify(): void {
    if (this.#listeners.size === 0 || this.#notifyQueued) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      for (const listener of [...this.#listeners]) {
        try {
          listener();
        } catch {
          // A listener's failure is the listener's; the store carries on.
        }
      }
    });
  }
}
