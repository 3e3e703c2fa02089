/**
 * Finds the runs a dead member claimed and never got to: claims (`+` lines of its journal, written
 * just before each claim attempt) whose marker names the dead member (or is empty: it died between
 * creating and writing it — markers of earlier versions only), not covered by a later hand-over
 * of the same task (`>` lines: written when the scheduler says it submitted the runs it won, or
 * with the task's advance),
 * unless the journal ends with the clean-close mark (`.`), which a member writes only after its
 * scheduler stopped.
 */
import { JournalReader } from "./change-journal.js";
import type { ClaimMarkers } from "./claim-markers.js";
import { decodeId, encodeId, parseClaimFileName } from "./file-names.js";

/** A run claimed by a dead member and never advanced past. */
export interface LostRun {
  readonly encodedId: string;
  readonly runTimeMs: number;
  /** The task id, decoded from the marker name (`undefined` when the name holds a hash). */
  readonly taskId: string | undefined;
}

/**
 * @param journal - the dead member's journal file
 * @param claims - the claims folder (to read the task id from a marker)
 * @returns the lost runs, oldest first
 */
export function findLostRuns(
  journal: string,
  encodedOwner: string,
  claims: ClaimMarkers,
): LostRun[] {
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
  const lost: LostRun[] = [];
  const seen = new Set<string>();
  for (const claim of claimed.sort((a, b) => a.runTimeMs - b.runTimeMs)) {
    if (seen.has(claim.name) || claim.runTimeMs < (covered.get(claim.encodedId) ?? 0)) continue;
    seen.add(claim.name);
    // A `+` line is an intent: the run is the dead member's only if its marker exists and names
    // it — or is empty: a marker of an earlier version whose writer died between create and write.
    const marker = claims.inspect(claim.name);
    if (marker === "missing") continue;
    if (marker !== "empty" && encodeId(marker.owner) !== encodedOwner) continue;
    lost.push({
      encodedId: claim.encodedId,
      runTimeMs: claim.runTimeMs,
      // Markers are links to the claimant's file and name only the owner: the id is in the name.
      taskId: (marker === "empty" ? undefined : marker.taskId) ?? decodeId(claim.encodedId),
    });
  }
  return lost;
}
