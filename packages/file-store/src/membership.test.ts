import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { JOURNAL_SUFFIX } from "./change-journal.js";
import { Membership } from "./membership.js";

const joined: Membership[] = [];
afterEach(() => {
  for (const m of joined.splice(0)) m.leave(false);
});

async function member(directory: string, owner: string): Promise<Membership> {
  const m = new Membership(directory, owner);
  await m.join(0o600, 1 << 20, () => undefined);
  joined.push(m);
  return m;
}

function directory(): string {
  return scratchDir("asyncz-members-");
}

describe("Membership.spreadHint", () => {
  it("is unknown until the members folder is listed, then gives the position by owner id", async () => {
    const dir = directory();
    const b = await member(dir, "b");
    const a = await member(dir, "a");
    const c = await member(dir, "c");
    expect(b.spreadHint()).toBeUndefined();
    for (const m of [a, b, c]) m.otherJournals();
    expect([a, b, c].map((m) => m.spreadHint())).toEqual([
      { index: 0, count: 3 },
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ]);
  });

  it("follows members joining at the next listing and leaving at the next look for the dead", async () => {
    const dir = directory();
    const a = await member(dir, "a");
    const b = await member(dir, "b");
    b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 1, count: 2 });
    a.leave(false);
    joined.splice(joined.indexOf(a), 1);
    // A member that left keeps its file (with its journal) until a survivor reaps it; it stops
    // counting once findDead sees its lock gone, before the quiet window lets it be reaped.
    b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 1, count: 2 });
    expect(b.findDead(60_000, Date.now())).toEqual([]);
    expect(b.spreadHint()).toEqual({ index: 0, count: 1 });
    await member(dir, "0");
    b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 1, count: 2 });
  });

  it("leaves out a member whose lock is gone (dead, not yet reaped) once findDead has seen it", async () => {
    const dir = directory();
    const b = await member(dir, "b");
    // A member file nobody holds a lock on: its process died.
    writeFileSync(join(b.membersDir, "a.member"), "");
    b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 1, count: 2 });
    // Its journal is "recent" (quiet window not over), so it is not reaped yet, but it is dead.
    writeFileSync(join(b.membersDir, "a.journal"), "");
    expect(b.findDead(60_000, Date.now())).toEqual([]);
    expect(b.spreadHint()).toEqual({ index: 0, count: 1 });
    b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 0, count: 1 });
  });

  it("is unknown when this member's own file is gone", async () => {
    const dir = directory();
    const a = await member(dir, "a");
    a.otherJournals();
    expect(a.spreadHint()).toEqual({ index: 0, count: 1 });
    rmSync(a.membersDir, { recursive: true, force: true });
    a.otherJournals();
    expect(a.spreadHint()).toBeUndefined();
  });

  it("leaves out a member whose journal ended with its close mark, at once, until it is reaped", async () => {
    const dir = directory();
    const a = await member(dir, "a");
    const b = await member(dir, "b");
    const c = await member(dir, "c");
    const journals = b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 1, count: 3 });
    const aJournal = journals.find((path) => path.endsWith(`a${JOURNAL_SUFFIX}`)) as string;
    expect(b.left(aJournal)).toBe(true);
    expect(b.left(aJournal)).toBe(false);
    expect(b.spreadHint()).toEqual({ index: 0, count: 2 });
    // Still left out at the next listing (its file is still there), and not a journal: no change.
    b.otherJournals();
    expect(b.spreadHint()).toEqual({ index: 0, count: 2 });
    expect(b.left(join(dir, "members", "x.member"))).toBe(false);
    expect(c.spreadHint()).toBeUndefined();
    a.leave(false);
    joined.splice(joined.indexOf(a), 1);
  });
});
