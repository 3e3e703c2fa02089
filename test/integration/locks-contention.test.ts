import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnFixture } from "../fixtures/locks/children.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-locks-contend-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface Section {
  readonly owner: string;
  readonly start: bigint;
  readonly end: bigint;
}

describe.each(["try", "wait"] as const)("4 processes x 2 workers contending (%s)", (mode) => {
  it("never hold the lock together, across thousands of acquisitions", async () => {
    const lockPath = join(directory, "contended.lock");
    const counterPath = join(directory, "counter");
    writeFileSync(counterPath, "0");
    const children = [0, 1, 2, 3].map((index) =>
      spawnFixture("contend.mjs", [
        lockPath,
        counterPath,
        join(directory, `sections-${index}.txt`),
        "600",
        mode,
      ]),
    );
    const codes = await Promise.all(children.map((child) => child.exited));
    expect(codes).toEqual([0, 0, 0, 0]);

    const sections: Section[] = [];
    const perProcess: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const text = readFileSync(join(directory, `sections-${index}.txt`), "utf8").trim();
      const rows = text === "" ? [] : text.split("\n");
      perProcess.push(rows.length);
      for (const row of rows) {
        const [pid, worker, start, end] = row.split(" ");
        sections.push({
          owner: `${pid}/${worker}`,
          start: BigInt(start ?? ""),
          end: BigInt(end ?? ""),
        });
      }
    }
    sections.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const overlaps: string[] = [];
    for (let i = 1; i < sections.length; i += 1) {
      const previous = sections[i - 1];
      const current = sections[i];
      if (previous && current && current.start < previous.end) {
        overlaps.push(
          `${previous.owner} [${previous.start}, ${previous.end}] / ${current.owner} [${current.start}, ...]`,
        );
      }
    }
    expect(overlaps).toEqual([]);
    // The shared counter saw every section: no read-modify-write was lost to an overlap.
    expect(Number(readFileSync(counterPath, "utf8"))).toBe(sections.length);
    expect(perProcess).toEqual([600, 600, 600, 600]);
    expect(new Set(sections.map((s) => s.owner)).size).toBeGreaterThan(4);
  });
});
