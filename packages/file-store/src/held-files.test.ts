import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { HELD_IDLE_MS, HeldFiles } from "./held-files.js";

function setup(limit?: number) {
  const dir = scratchDir("asyncz-held-");
  writeFileSync(join(dir, "a.json"), "one");
  return { dir, held: new HeldFiles(dir, limit) };
}

describe("HeldFiles", () => {
  it("keeps one descriptor per file between calls", () => {
    const { held } = setup();
    const first = held.open("a.json");
    const again = held.open("a.json", first?.stat.ino);
    expect(first).toBeDefined();
    expect(again?.fd).toBe(first?.fd);
    expect(held.size).toBe(1);
    held.close();
    expect(held.size).toBe(0);
  });

  it("opens the new file when the old one was replaced by a rename (an update)", () => {
    const { dir, held } = setup();
    const first = held.open("a.json");
    writeFileSync(join(dir, ".tmp"), "two");
    renameSync(join(dir, ".tmp"), join(dir, "a.json"));
    const again = held.open("a.json");
    expect(again?.stat.ino).not.toBe(first?.stat.ino);
    expect(again?.stat.size).toBe(3);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe("two");
    held.close();
  });

  it("answers undefined for a removed file, and reopens when the caller expects another inode", () => {
    const { dir, held } = setup();
    const first = held.open("a.json");
    expect(held.open("a.json", (first?.stat.ino ?? 0) + 1)?.stat.ino).toBe(first?.stat.ino);
    unlinkSync(join(dir, "a.json"));
    expect(held.open("a.json")).toBeUndefined();
    expect(held.size).toBe(0);
    expect(held.open("missing.json")).toBeUndefined();
  });

  it("holds no more than its limit: beyond it a file is opened for one use, unless one is idle", () => {
    let now = 1000;
    const dir = scratchDir("asyncz-held-");
    const held = new HeldFiles(dir, 2, () => now);
    for (const name of ["a.json", "b.json", "c.json"]) writeFileSync(join(dir, name), name);
    const a = held.open("a.json");
    held.open("b.json");
    const c = held.open("c.json");
    expect([a?.transient, c?.transient]).toEqual([false, true]);
    expect(held.size).toBe(2);
    if (c !== undefined) held.release(c);
    // A file cycled through with more files than the limit still hits for the held ones.
    expect(held.open("a.json")?.fd).toBe(a?.fd);
    // Once the least recently used one ("b") has been idle long enough, a new file takes its place.
    now += 30_000;
    held.open("a.json");
    now += HELD_IDLE_MS;
    expect(held.open("c.json")?.transient).toBe(false);
    expect(held.size).toBe(2);
    // The sweep closes whatever has been idle.
    now += HELD_IDLE_MS + 1;
    held.sweep();
    expect(held.size).toBe(0);
    held.drop("a.json");
    held.close();
  });
});
