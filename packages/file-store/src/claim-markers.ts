/**
 * Run claims: one immutable marker file per (task id, run time) in `claims/`, created with
 * `open(O_CREAT | O_EXCL)`. The kernel lets exactly one `open` create a given name, so exactly one
 * caller in any process wins a run, whatever the store lock does (SPEC §4.1). Markers are never
 * rewritten; they are collected once older than the retention window and behind the task's stored
 * next run time.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { errnoCode } from "./errors.js";
import { claimFileName, parseClaimFileName } from "./file-names.js";

/** Name of the claims folder inside the store directory. */
export const CLAIMS_DIR = "claims";

/** What a claim marker holds (written right after the exclusive create). */
export interface ClaimContent {
  readonly owner: string;
  readonly taskId: string;
  readonly runTime: string;
  readonly claimedAt: string;
}

/** The claims folder of one store. */
export class ClaimMarkers {
  /** The `claims/` folder. */
  readonly directory: string;
  readonly #fileMode: number;

  /**
   * @param storeDirectory - the store directory (the folder is created inside it)
   * @param fileMode - permission bits of marker files
   */
  constructor(storeDirectory: string, fileMode: number) {
    this.directory = join(storeDirectory, CLAIMS_DIR);
    this.#fileMode = fileMode;
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
  }

  /**
   * Tries to claim one run.
   *
   * @param taskId - task id
   * @param runTimeMs - run time, epoch ms
   * @param owner - the claimer
   * @param nowMs - the current instant (recorded in the marker)
   * @returns the marker's name when this call won, `undefined` when the run was already claimed
   * @throws the Node error of any other failure
   */
  claim(taskId: string, runTimeMs: number, owner: string, nowMs: number): string | undefined {
    const name = claimFileName(taskId, runTimeMs);
    return this.create(name, taskId, runTimeMs, owner, nowMs);
  }

  /**
   * @param name - a marker name
   * @returns true when the marker exists (the run was claimed); one `stat`, no write
   */
  exists(name: string): boolean {
    try {
      statSync(join(this.directory, name));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Creates the marker `name` exclusively.
   *
   * @param name - the marker name for (taskId, runTimeMs)
   * @param taskId - task id
   * @param runTimeMs - run time, epoch ms
   * @param owner - the claimer
   * @param nowMs - the current instant (recorded in the marker)
   * @returns `name` when this call won, `undefined` when the run was already claimed
   */
  create(
    name: string,
    taskId: string,
    runTimeMs: number,
    owner: string,
    nowMs: number,
  ): string | undefined {
    let fd: number;
    try {
      fd = openSync(join(this.directory, name), "wx", this.#fileMode);
    } catch (error) {
      const code = errnoCode(error);
      if (code === "EEXIST") return undefined;
      if (code === "ENOENT") {
        // The folder was removed by hand (or by a cleanup); recreate it and try once more.
        mkdirSync(this.directory, { recursive: true, mode: 0o700 });
        return this.create(name, taskId, runTimeMs, owner, nowMs);
      }
      throw error;
    }
    try {
      const content: ClaimContent = {
        owner,
        taskId,
        runTime: new Date(runTimeMs).toISOString(),
        claimedAt: new Date(nowMs).toISOString(),
      };
      writeSync(fd, JSON.stringify(content));
    } finally {
      closeSync(fd);
    }
    return name;
  }

  /**
   * @param name - a marker name
   * @returns its content, or `undefined` when it is missing or not yet (or never) written
   */
  read(name: string): ClaimContent | undefined {
    try {
      const value: unknown = JSON.parse(readFileSync(join(this.directory, name), "utf8"));
      if (typeof value === "object" && value !== null && "owner" in value && "taskId" in value)
        return value as ClaimContent;
      return undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * @param name - a marker name
   * @returns its content; `"empty"` when it exists but holds no (complete) content; `"missing"`
   */
  inspect(name: string): ClaimContent | "empty" | "missing" {
    let text: string;
    try {
      text = readFileSync(join(this.directory, name), "utf8");
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return "missing";
      throw error;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === "object" && value !== null && "owner" in value && "taskId" in value)
        return value as ClaimContent;
    } catch {
      // Cut short by a crash between create and write.
    }
    return "empty";
  }

  /**
   * Removes markers that can no longer matter.
   *
   * @param cutoffMs - only markers whose run time is before this instant
   * @param isBehind - tells whether the task's stored next run time has moved past a run time (or
   *   the task is gone); called with the encoded task id
   * @returns how many markers were removed
   */
  collect(cutoffMs: number, isBehind: (encodedId: string, runTimeMs: number) => boolean): number {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const parsed = parseClaimFileName(name);
      if (parsed === undefined || parsed.runTimeMs >= cutoffMs) continue;
      if (!isBehind(parsed.encodedId, parsed.runTimeMs)) continue;
      try {
        unlinkSync(join(this.directory, name));
        removed += 1;
      } catch {
        // Another member collected it first.
      }
    }
    return removed;
  }
}
