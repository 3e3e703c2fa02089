import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HeldFiles } from "./held-files.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(limit?: number) {
  const dir = mkdtempSync(join(tmpdir(), "asyncz-held-"));
  dirs.push(dir);
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

  it("closes the least recently used descriptor beyond its limit", () => {
    const { dir, held } = setup(2);
    for (const name of ["b.json", "c.json"]) writeFileSync(join(dir, name), name);
    const a = held.open("a.json");
    held.open("b.json");
    held.open("a.json");
    held.open("c.json");
    expect(held.size).toBe(2);
    // "b" was the least recently used: "a" keeps its descriptor.
    expect(held.open("a.json")?.fd).toBe(a?.fd);
    held.drop("a.json");
    expect(held.size).toBe(1);
    held.close();
  });
});
