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
import { ChangeMonitor, flushGapOf } from "./change-monitor.js";
import { ClaimMarkers } from "./claim-markers.js";
import { DirectoryView } from "./directory-view.js";
import { StoreDirectoryError } from "./errors.js";
import { encodeId, TASK_FILE_SUFFIX, taskFileName } from "./file-names.js";
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
import { RunHandover } from "./run-handover.js";
import { StoreLock } from "./store-lock.js";
import { serializeTask } from "./task-document.js";
import { TaskFiles } from "./task-files.js";

const JOURNAL_MAX_BYTES = 4 * 1024 * 1024;
/** A process that claimed a run this recently is in the middle of a burst of its own runs. */
const BUSY_MS = 5;
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
  /** Claims and advances (the run path). */
  readonly #runs: RunHandover;

  /**
   * @param options - directory and tuning; see {@link FileStoreOptions}
   * @throws {@link FileStoreOptionError} naming a bad option
   */
  constructor(options: FileStoreOptions) {
    this.#options = resolveFileStoreOptions(options);
    this.#runs = new RunHandover(() => this.#require(), this.#options.claimRetentionMs);
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
      this.#runs.pendingIntents(),
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
        left: (journal) => {
          if (membership.left(journal)) this.#applyShare(started);
        },
        advanced: (note) => {
          const outcome = view.applyAdvance(note);
          if (outcome === "applied") this.#notify();
          return outcome !== "unknown";
        },
      },
      () => membership.otherJournals(),
      flushGapOf(options.ownerGraceMs),
      // With owners, the others' advances are needed only before their grace is over: while this
      // process is claiming its own burst of due runs, they wait (see ChangeMonitor).
      options.ownerGraceMs > 0 ? () => this.#runs.claimedWithin(BUSY_MS) : undefined,
    );
    this.#started = started;
    started.monitor.start(options.watch, (error) =>
      context.logger.warn({ err: error, directory }, "fs.watch failed; polling only"),
    );
    files.collectTempFiles(Date.now() - 60_000);
    await view.load();
    this.#applyShare(started);
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
    started.files.close();
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
    return this.#runs.claim(taskId, runTimes, owner);
  }

  /** @inheritDoc */
  async advanceTask(id: string, from: Date, to: Date | null): Promise<boolean> {
    return this.#runs.advance(id, from, to);
  }

  /** @inheritDoc */
  runsSubmitted(taskId: string, runTimes: readonly Date[]): void {
    if (this.#started !== undefined) this.#runs.submitted(taskId, runTimes);
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
      this.#applyShare(s);
      if (
        s.ticks % Math.max(1, Math.round(COLLECT_EVERY_MS / this.#options.pollIntervalMs)) ===
        0
      ) {
        collectClaims(s, this.#options.claimRetentionMs, this.#options.fileMode);
        s.files.sweep();
      }
    } catch (error) {
      this.#report(error, "the periodic check failed");
    }
  }

  /**
   * Hands the index this process's share of the tasks, from the member list that the poll and the
   * reaping just refreshed (a member joined, left or died: the tasks are shared out again).
   */
  #applyShare(s: OpenStore): void {
    const hint = s.membership.spreadHint();
    if (s.view.index.share(hint?.index ?? 0, hint?.count ?? 1, this.#options.ownerGraceMs))
      this.#notify();
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
