import { makeTestRecord } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { taskFileName } from "./file-names.js";
import { isRecord, parseTask, serializeTask, tailFor } from "./task-document.js";

const BASE = Date.UTC(2030, 0, 1, 8);

describe("task file format", () => {
  it("round-trips a record, with version 1 and the fixed tail last", () => {
    const record = makeTestRecord("a/b", BASE);
    const text = serializeTask(record);
    expect(JSON.parse(text).version).toBe(1);
    expect(text.endsWith(tailFor(record.nextRunTime))).toBe(true);
    expect(parseTask(text, taskFileName("a/b"))).toEqual(record);
  });

  it("gives paused and scheduled tasks tails of the same length (advance in place)", () => {
    expect(tailFor(null).length).toBe(tailFor(new Date(BASE)).length);
    const paused = serializeTask(makeTestRecord("p", null));
    expect(parseTask(paused, taskFileName("p"))).toEqual(makeTestRecord("p", null));
  });

  it("reports a check mismatch as possibly torn, and accepts it when asked (a hand edit)", () => {
    const text = serializeTask(makeTestRecord("x", BASE)).replace("2030-01-01T08", "2031-01-01T08");
    const first = parseTask(text, taskFileName("x"));
    expect(isRecord(first)).toBe(false);
    expect(first).toMatchObject({ torn: true });
    const accepted = parseTask(text, taskFileName("x"), true);
    expect(isRecord(accepted) && accepted.nextRunTime?.getUTCFullYear()).toBe(2031);
  });

  it("accepts a file without the check (written by hand or by another tool)", () => {
    const { version, ...rest } = JSON.parse(serializeTask(makeTestRecord("y", BASE)));
    delete rest.nextRunCheck;
    const text = JSON.stringify({ version, ...rest });
    expect(isRecord(parseTask(text, taskFileName("y")))).toBe(true);
  });

  it("rejects a file that names another id", () => {
    const text = serializeTask(makeTestRecord("one", BASE));
    expect(parseTask(text, taskFileName("two"))).toMatchObject({ newerVersion: false });
  });
});
