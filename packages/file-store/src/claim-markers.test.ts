import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClaimMarkers } from "./claim-markers.js";
import { encodeId } from "./file-names.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function markers() {
  const dir = mkdtempSync(join(tmpdir(), "asyncz-claims-"));
  dirs.push(dir);
  return new ClaimMarkers(dir, 0o600);
}

describe("ClaimMarkers", () => {
  it("lets the first claim of a run win and records its owner", () => {
    const claims = markers();
    const name = claims.claim("t", 1000, "a", 5000);
    expect(name).toBeDefined();
    expect(claims.claim("t", 1000, "b", 5000)).toBeUndefined();
    expect(claims.read(name ?? "")).toMatchObject({ owner: "a", taskId: "t" });
  });

  it("collects only markers past the cutoff whose task moved past them", () => {
    const claims = markers();
    for (const ms of [1000, 2000, 3000, 9000]) claims.claim("t", ms, "a", 0);
    claims.claim("other", 1000, "a", 0);
    // Task "t" is now at 2500; "other" still sits at 1000 (its claimer may not have advanced it).
    const next = new Map([
      [encodeId("t"), 2500],
      [encodeId("other"), 1000],
    ]);
    const removed = claims.collect(
      5000,
      (id, ms) => (next.get(id) ?? Number.POSITIVE_INFINITY) > ms,
    );
    expect(removed).toBe(2);
    expect(readdirSync(claims.directory).sort()).toEqual(
      [`${encodeId("other")}@1000.claim`, "t@3000.claim", "t@9000.claim"].sort(),
    );
    // A collected run could be claimed again; the store prevents it by refusing runs older than
    // half the retention whose task moved past them (tested in file-store.test.ts).
  });
});
