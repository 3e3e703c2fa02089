import { describe, expect, it } from "vitest";
import { ownerIndex, taskIdHash } from "./task-owner.js";

describe("taskIdHash", () => {
  it("is 32-bit FNV-1a (the reference vectors), the same in every process", () => {
    expect(taskIdHash("")).toBe(0x811c9dc5);
    expect(taskIdHash("a")).toBe(0xe40c292c);
    expect(taskIdHash("foobar")).toBe(0xbf9cf968);
  });
});

describe("ownerIndex", () => {
  it("shares ids that differ only in a counter evenly among the members", () => {
    for (const count of [2, 3, 4, 7]) {
      const shares = new Array<number>(count).fill(0);
      for (let i = 0; i < 1000; i++) {
        const owner = ownerIndex(`t-${i}`, count);
        expect(owner).toBeGreaterThanOrEqual(0);
        expect(owner).toBeLessThan(count);
        shares[owner] = (shares[owner] ?? 0) + 1;
      }
      for (const share of shares) {
        expect(share).toBeGreaterThan((1000 / count) * 0.8);
        expect(share).toBeLessThan((1000 / count) * 1.2);
      }
    }
  });

  it("gives every id to the only member", () => {
    expect(ownerIndex("anything", 1)).toBe(0);
  });
});
