import { describe, expect, it } from "vitest";
import { FLUSH_GAP_MS, flushGapOf } from "./change-monitor.js";

describe("flushGapOf", () => {
  it("keeps the short gap without owners, and half the grace up to 20 ms with them", () => {
    expect(flushGapOf(0)).toBe(FLUSH_GAP_MS);
    expect(flushGapOf(4)).toBe(FLUSH_GAP_MS);
    expect(flushGapOf(30)).toBe(15);
    expect(flushGapOf(50)).toBe(20);
    expect(flushGapOf(10_000)).toBe(20);
  });
});
