/**
 * Run claims: one immutable marker per (task id, run time) in `claims/`, created with `link(2)`:
 * a hard link to this process's claimant file (`.claimant-…`, which holds the owner). The kernel
 * lets exactly one `link` create a given name, so exactly one caller in any process wins a run,
 * whatever the store lock does (SPEC §4.1), and the marker's content (its owner) is complete the
 * instant it exists. A link allocates no inode: on ext4 an exclusive `open(O_CREAT)` of a new file
 * cost 100–900 µs of kernel CPU in bursts of 1,000 (inode allocation), a `link` 12 µs. `link` is
 * also the classic atomic exclusive create of NFS. Markers are never rewritten; they are collected
 * once older than the retention window and behind the task's stored next run time.
 */
import {
  closeSync,
  linkSync,
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
import { claimFileName, encodeId, parseClaimFileName } from "./file-names.js";

/** Name of the claims folder inside the store directory. */
export const CLAIMS_DIR = "claims";

/** Prefix of a claimant file in `claims/` (hidden: never taken for a marker). */
export const CLAIMANT_PREFIX = ".claimant-";

/**
 * Markers linked to one claimant file before a new one is started: well under the smallest
 * common per-inode link limit (ext4: 65,000).
 */
export const LINKS_PER_CLAIMANT = 20_000;

/** What a claim marker holds. */
export interface ClaimContent {
  readonly owner: string;
  /** Only in markers of earlier versions (a marker is now a link to its owner's claimant file). */
  readonly taskId?: string;
  /** Only in markers of earlier versions. */
  readonly runTime?: string;
  /** Only in markers of earlier versions. */
  readonly claimedAt?: string;
}

/** The claimant file an owner's markers currently link to. */
interface Claimant {
  path: string;
  links: number;
}

let claimantCounter = 0;

/** The claims folder of one store. */
export class ClaimMarkers {
  /** The `claims/` folder. */
  readonly directory: string;
  readonly #fileMode: number;
  readonly #linksPerClaimant: number;
  readonly #claimants = new Map<string, Claimant>();

  /**
   * @param storeDirectory - the store directory (the folder is created inside it)
   * @param fileMode - permission bits of claimant files
   * @param linksPerClaimant - markers per claimant file before a new one is started
   * @defaultValue linksPerClaimant {@link LINKS_PER_CLAIMANT}
   */
  constructor(storeDirectory: string, fileMode: number, linksPerClaimant = LINKS_PER_CLAIMANT) {
    this.directory = join(storeDirectory, CLAIMS_DIR);
    this.#fileMode = fileMode;
    this.#linksPerClaimant = linksPerClaimant;
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
  }

  /**
   * Tries to claim one run.
   *
   * @param taskId - task id
   * @param runTimeMs - run time, epoch ms
   * @param owner - the claimer
   * @returns the marker's name when this call won, `undefined` when the run was already claimed
   * @throws the Node error of any other failure
   */
  claim(taskId: string, runTimeMs: number, owner: string): string | undefined {
    return this.create(claimFileName(taskId, runTimeMs), owner);
  }

  /**
   * Creates the marker `name` exclusively: one `link` to the owner's claimant file.
   *
   * @param name - the marker name for (task id, run time)
   * @param owner - the claimer
   * @returns `name` when this call won, `undefined` when the run was already claimed
   * @throws the Node error of any other failure
   */
  create(name: string, owner: string): string | undefined {
    const target = join(this.directory, name);
    for (let attempt = 0; ; attempt++) {
      const claimant = this.#claimant(owner);
      try {
        linkSync(claimant.path, target);
        claimant.links += 1;
        return name;
      } catch (error) {
        const code = errnoCode(error);
        if (code === "EEXIST") return undefined;
        if (attempt > 0) throw error;
        // ENOENT: the folder or the claimant file was removed (by hand, a cleanup, or a collector
        // that took it for a dead process's); EMLINK: the claimant reached the file system's link
        // limit early. Start a new claimant (and folder) and try once more.
        if (code !== "ENOENT" && code !== "EMLINK") throw error;
        this.#retire(owner);
        mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      }
    }
  }

  /** Removes this process's claimant files (markers keep their content: they are links). */
  close(): void {
    for (const owner of [...this.#claimants.keys()]) this.#retire(owner);
  }

  #claimant(owner: string): Claimant {
    const current = this.#claimants.get(owner);
    if (current !== undefined && current.links < this.#linksPerClaimant) return current;
    if (current !== undefined) this.#retire(owner);
    claimantCounter += 1;
    const random = Math.random().toString(36).slice(2, 8);
    const path = join(
      this.directory,
      `${CLAIMANT_PREFIX}${encodeId(owner)}-${process.pid}-${claimantCounter}-${random}`,
    );
    const fd = openSync(path, "wx", this.#fileMode);
    try {
      writeSync(fd, JSON.stringify({ owner }));
    } finally {
      closeSync(fd);
    }
    const claimant = { path, links: 0 };
    this.#claimants.set(owner, claimant);
    return claimant;
  }

  #retire(owner: string): void {
    const claimant = this.#claimants.get(owner);
    this.#claimants.delete(owner);
    if (claimant === undefined) return;
    try {
      unlinkSync(claimant.path);
    } catch {
      // Already gone: nothing to do.
    }
  }

  /**
   * @param name - a marker name
   * @returns its content, or `undefined` when it is missing or not yet (or never) written
   */
  read(name: string): ClaimContent | undefined {
    try {
      const value: unknown = JSON.parse(readFileSync(join(this.directory, name), "utf8"));
      if (isClaimContent(value)) return value;
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
      if (isClaimContent(value)) return value;
    } catch {
      // A marker of an earlier version cut short by a crash between create and write.
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
    const claimants: string[] = [];
    for (const name of names) {
      if (name.startsWith(CLAIMANT_PREFIX)) {
        claimants.push(name);
        continue;
      }
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
    // After the markers: a claimant whose last marker was just collected goes in the same round.
    for (const name of claimants) this.#collectClaimant(name, cutoffMs);
    return removed;
  }

  /**
   * Removes a claimant file that no marker links to and that has not been linked since the
   * cutoff: its process is gone or idle (an idle one starts a new claimant when it next claims).
   */
  #collectClaimant(name: string, cutoffMs: number): void {
    for (const claimant of this.#claimants.values())
      if (claimant.path === join(this.directory, name)) return;
    try {
      const stat = statSync(join(this.directory, name));
      if (stat.nlink <= 1 && stat.ctimeMs < cutoffMs) unlinkSync(join(this.directory, name));
    } catch {
      // Gone already.
    }
  }
}

function isClaimContent(value: unknown): value is ClaimContent {
  return (
    typeof value === "object" &&
    value !== null &&
    "owner" in value &&
    typeof (value as { owner: unknown }).owner === "string"
  );
}
