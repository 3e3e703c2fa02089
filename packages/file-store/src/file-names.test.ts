import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  claimFileName,
  decodeId,
  encodeId,
  isTaskFileName,
  MAX_ENCODED_LENGTH,
  parseClaimFileName,
  TASK_FILE_SUFFIX,
  taskFileName,
  tempFileName,
} from "./file-names.js";

describe("encodeId", () => {
  it("keeps generated ids and simple names readable", () => {
    expect(encodeId("0123456789abcdef0123456789abcdef")).toBe("0123456789abcdef0123456789abcdef");
    expect(encodeId("my-task_2")).toBe("my-task_2");
  });

  it("escapes separators, dots, upper case and non-ASCII", () => {
    expect(encodeId("../etc/passwd")).toBe("%2E%2E%2Fetc%2Fpasswd");
    expect(encodeId("My.Task")).toBe("%4Dy%2E%54ask");
    expect(encodeId("é")).toBe("%C3%A9");
    expect(encodeId("a\u0000b\\c:d")).toBe("a%00b%5Cc%3Ad");
  });

  it("keeps ids differing only in case apart (case-insensitive filesystems)", () => {
    expect(encodeId("Task").toLowerCase()).not.toBe(encodeId("task").toLowerCase());
  });

  it("caps long ids with a hash, and keeps different long ids apart", () => {
    const a = encodeId("x".repeat(500));
    const b = encodeId(`${"x".repeat(499)}y`);
    expect(a.length).toBeLessThanOrEqual(MAX_ENCODED_LENGTH + 20);
    expect(a).toMatch(/^x{100}~[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });

  it("never yields a name that leaves the directory, hides, or looks like a temp file", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: "binary" }), (id) => {
        const name = taskFileName(id);
        expect(name).not.toMatch(/[/\\\0]/);
        expect(name.startsWith(".")).toBe(false);
        expect(name.length).toBeLessThan(255);
        expect(isTaskFileName(name)).toBe(true);
      }),
    );
  });

  it("is injective on ids below the cap", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30, unit: "binary" }),
        fc.string({ maxLength: 30, unit: "binary" }),
        (a, b) => {
          fc.pre(a !== b);
          expect(encodeId(a)).not.toBe(encodeId(b));
        },
      ),
    );
  });
});

describe("decodeId", () => {
  it("gives back every id whose encoding was not cut short, and nothing for a hashed one", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30, unit: "grapheme" }), (id) => {
        const encoded = encodeId(id);
        expect(decodeId(encoded)).toBe(encoded.length <= MAX_ENCODED_LENGTH ? id : undefined);
      }),
    );
    expect(decodeId(encodeId("x".repeat(500)))).toBeUndefined();
    expect(decodeId("%ZZ")).toBeUndefined();
  });
});

describe("file name helpers", () => {
  it("recognises task files and ignores temp and hidden files", () => {
    expect(isTaskFileName(`abc${TASK_FILE_SUFFIX}`)).toBe(true);
    expect(isTaskFileName(tempFileName(`abc${TASK_FILE_SUFFIX}`))).toBe(false);
    expect(isTaskFileName(".lock")).toBe(false);
    expect(isTaskFileName("notes.txt")).toBe(false);
    expect(isTaskFileName(TASK_FILE_SUFFIX)).toBe(false);
  });

  it("round-trips claim names", () => {
    const name = claimFileName("Job@1", 1_900_000_000_123);
    expect(parseClaimFileName(name)).toEqual({
      encodedId: encodeId("Job@1"),
      runTimeMs: 1_900_000_000_123,
    });
    expect(parseClaimFileName("junk")).toBeUndefined();
    expect(parseClaimFileName("x@notanumber.claim")).toBeUndefined();
  });
});
