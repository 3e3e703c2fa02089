/**
 * Finds the runs a dead member claimed and never got to: claims (`+` lines of its journal) not
 * covered by a later advance of the same task (`>` lines), unless the journal ends with the
 * clean-close mark (`.`), which a member writes only after its scheduler stopped.
 */
import { JournalReader } from "./change-journal.js";
import type { ClaimMarkers } from "./claim-markers.js";
import { parseClaimFileName } from "./file-names.js";

/** A run claimed by a dead member and never advanced past. */
export interface LostRun {
  readonly encodedId: string;
  readonly runTimeMs: number;
  /** The task id, from the claim marker (`undefined` if the marker is gone or unreadable). */
  readonly taskId: string | undefined;
}

/**
 * @param journal - the dead member's journal file
 * @param claims - the claims folder (to read the task id from a marker)
 * @returns the lost runs, oldest first
 */
export function findLostRuns(journal: string, claims: ClaimMarkers): LostRun[] {
  const lines = new JournalReader(journal, false).readAll();
  if (lines.at(-1) === ".") return [];
  const claimed: Array<{ name: string; encodedId: string; runTimeMs: number }> = [];
  const covered = new Map<string, number>();
  for (const line of lines) {
    if (line.startsWith("+")) {
      const parsed = parseClaimFileName(line.slice(1));
      if (parsed !== undefined) claimed.push({ name: line.slice(1), ...parsed });
    } else if (line.startsWith(">")) {
      const at = line.lastIndexOf("@");
      const encodedId = line.slice(1, at);
      const to = line.slice(at + 1);
      const ms = to === "end" ? Number.POSITIVE_INFINITY : Number(to);
      if (at > 1 && !Number.isNaN(ms))
        covered.set(encodedId, Math.max(covered.get(encodedId) ?? 0, ms));
    }
  }
  return claimed
    .filter((claim) => claim.runTimeMs >= (covered.get(claim.encodedId) ?? 0))
    .sort((a, b) => a.runTimeMs - b.runTimeMs)
    .map((claim) => ({
      encodedId: claim.encodedId,
      runTimeMs: claim.runTimeMs,
      taskId: claims.read(claim.name)?.taskId,
    }));
}
