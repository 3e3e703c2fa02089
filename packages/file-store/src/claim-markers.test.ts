import { existsSync, linkSync, readdirSync, rmSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { CLAIMANT_PREFIX, ClaimMarkers } from "./claim-markers.js";
import { encodeId } from "./file-names.js";

function markers(linksPerClaimant?: number) {
  const dir = scratchDir("asyncz-claims-");
  return new ClaimMarkers(dir, 0o600, linksPerClaimant);
}

const claimants = (claims: ClaimMarkers) =>
  readdirSync(claims.directory).filter((name) => name.startsWith(CLAIMANT_PREFIX));
const markerNames = (claims: ClaimMarkers) =>
  readdirSync(claims.directory).filter((name) => !name.startsWith("."));

describe("ClaimMarkers", () => {
  it("lets the first claim of a run win and records its owner", () => {
    const claims = markers();
    const name = claims.claim("t", 1000, "a");
    expect(name).toBeDefined();
    expect(claims.claim("t", 1000, "b")).toBeUndefined();
    expect(claims.read(name ?? "")).toMatchObject({ owner: "a" });
    expect(claims.inspect(name ?? "")).toMatchObject({ owner: "a" });
    expect(claims.inspect("t@2000.claim")).toBe("missing");
  });

  it("makes a marker a hard link to the owner's claimant file, one per owner", () => {
    const claims = markers();
    claims.claim("t", 1000, "a");
    claims.claim("t", 2000, "a");
    claims.claim("t", 3000, "b");
    expect(claimants(claims)).toHaveLength(2);
    expect(statSync(join(claims.directory, "t@1000.claim")).ino).toBe(
      statSync(join(claims.directory, "t@2000.claim")).ino,
    );
    expect(statSync(join(claims.directory, "t@1000.claim")).nlink).toBe(3);
    expect(claims.read("t@3000.claim")).toMatchObject({ owner: "b" });
  });

  it("starts a new claimant file after the link budget, and markers keep their owner", () => {
    const claims = markers(3);
    for (let ms = 1; ms <= 7; ms++) expect(claims.claim("t", ms, "a")).toBeDefined();
    // 7 links at 3 per claimant: the third claimant is current, the first two were removed.
    expect(claimants(claims)).toHaveLength(1);
    expect(markerNames(claims)).toHaveLength(7);
    for (let ms = 1; ms <= 7; ms++)
      expect(claims.read(`t@${ms}.claim`)).toMatchObject({ owner: "a" });
  });

  it("recovers when its claimant file or the whole folder is removed", () => {
    const claims = markers();
    claims.claim("t", 1, "a");
    for (const name of claimants(claims)) unlinkSync(join(claims.directory, name));
    expect(claims.claim("t", 2, "a")).toBeDefined();
    expect(claims.claim("t", 2, "b")).toBeUndefined();
    rmSync(claims.directory, { recursive: true });
    expect(claims.claim("t", 3, "a")).toBeDefined();
    expect(claims.read("t@3.claim")).toMatchObject({ owner: "a" });
  });

  it("removes its claimant files on close; the markers stay readable", () => {
    const claims = markers();
    claims.claim("t", 1, "a");
    claims.close();
    expect(claimants(claims)).toEqual([]);
    expect(claims.read("t@1.claim")).toMatchObject({ owner: "a" });
  });

  it("collects only markers past the cutoff whose task moved past them", () => {
    const claims = markers();
    for (const ms of [1000, 2000, 3000, 9000]) claims.claim("t", ms, "a");
    claims.claim("other", 1000, "a");
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
    expect(markerNames(claims).sort()).toEqual(
      [`${encodeId("other")}@1000.claim`, "t@3000.claim", "t@9000.claim"].sort(),
    );
    // A collected run could be claimed again; the store prevents it by refusing runs older than
    // half the retention whose task moved past them (tested in file-store.test.ts).
  });

  it("collects a dead process's claimant file once nothing links to it and it is old", () => {
    const claims = markers();
    const other = new ClaimMarkers(join(claims.directory, ".."), 0o600);
    other.claim("t", 1000, "dead");
    const [dead] = claimants(other);
    const path = join(claims.directory, dead ?? "");
    // Still linked by a marker: kept, however old.
    claims.collect(Date.now() + 60_000, () => false);
    expect(existsSync(path)).toBe(true);
    // The marker collected: unlinked and older than the cutoff → removed; a live one is kept.
    claims.claim("t", 2000, "alive");
    claims.collect(Date.now() + 60_000, () => true);
    expect(existsSync(path)).toBe(false);
    expect(claimants(claims)).toHaveLength(1);
    // Newer than the cutoff: kept.
    other.claim("t", 3000, "dead");
    claims.collect(Date.now() + 60_000, () => false);
    claims.collect(0, () => true);
    expect(claimants(claims)).toHaveLength(2);
  });

  it("never lets two links of one name succeed (the kernel's exclusive create)", () => {
    const claims = markers();
    claims.claim("t", 1, "a");
    const [claimant] = claimants(claims);
    expect(() =>
      linkSync(join(claims.directory, claimant ?? ""), join(claims.directory, "t@1.claim")),
    ).toThrow(/EEXIST/);
  });
});
