import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { JournalWriter } from "./change-journal.js";
import { ClaimMarkers } from "./claim-markers.js";
import { claimFileName, encodeId } from "./file-names.js";
import { findLostRuns } from "./lost-runs.js";

function setup() {
  const dir = scratchDir("asyncz-lost-");
  return { dir, claims: new ClaimMarkers(dir, 0o600), journal: join(dir, "a.journal") };
}

describe("findLostRuns", () => {
  it("reports a dead member's claimed runs that no advance covered, by task id", () => {
    const { claims, journal } = setup();
    const writer = new JournalWriter(journal, 0o600, 1 << 20);
    for (const [id, ms] of [
      ["started", 1000],
      ["lost", 1000],
      ["other's", 1000],
    ] as const) {
      const marker = claimFileName(id, ms);
      writer.append(`+${marker}`);
      claims.create(marker, id === "other's" ? "b" : "a");
    }
    writer.append(`>${encodeId("started")}@2000`);
    writer.close();
    const lost = findLostRuns(journal, encodeId("a"), claims);
    expect(lost).toEqual([{ encodedId: encodeId("lost"), runTimeMs: 1000, taskId: "lost" }]);
  });

  it("still reports a run claimed before the journal was truncated (its intent is carried over)", () => {
    const { claims, journal } = setup();
    const held = new Set<string>();
    // A tiny limit: the second append truncates the journal.
    const writer = new JournalWriter(journal, 0o600, 10, () => [...held].map((m) => `+${m}`));
    const marker = claimFileName("claimed-early", 1000);
    writer.append(`+${marker}`);
    claims.create(marker, "a");
    held.add(marker);
    writer.append("some-task.task.json", "another-task.task.json");
    writer.append("a-third.task.json");
    // The early intent survived both truncations; nothing else from before them did.
    const text = readFileSync(journal, "utf8");
    expect(text.startsWith(`+${marker}\n`)).toBe(true);
    expect(text).not.toContain("some-task");
    writer.close();
    expect(findLostRuns(journal, encodeId("a"), claims)).toEqual([
      { encodedId: encodeId("claimed-early"), runTimeMs: 1000, taskId: "claimed-early" },
    ]);
    // Without the carry-over (the behaviour before), the claim would be forgotten.
    const forgetful = new JournalWriter(join(journal, "..", "b.journal"), 0o600, 10);
    const other = claimFileName("forgotten", 1000);
    forgetful.append(`+${other}`);
    claims.create(other, "b");
    forgetful.append("x.task.json", "y.task.json");
    forgetful.append("z.task.json");
    forgetful.close();
    expect(findLostRuns(join(journal, "..", "b.journal"), encodeId("b"), claims)).toEqual([]);
  });
});
