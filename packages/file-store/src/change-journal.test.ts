import { appendFileSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { JournalReader } from "./change-journal.js";

function journal(): string {
  const dir = scratchDir("asyncz-journal-");
  const path = join(dir, "m.journal");
  writeFileSync(path, "old\n");
  return path;
}

describe("JournalReader", () => {
  it("reads only the new lines, keeps an unfinished line for later, from the end if asked", () => {
    const path = journal();
    const reader = new JournalReader(path, true);
    expect(reader.poll()).toEqual({ lines: [], reset: false });
    appendFileSync(path, "a\nb");
    expect(reader.poll()).toEqual({ lines: ["a"], reset: false });
    appendFileSync(path, "c\n");
    expect(reader.poll()).toEqual({ lines: ["bc"], reset: false });
    reader.close();
    expect(new JournalReader(path, false).readAll()).toEqual(["old", "a", "bc"]);
  });

  it("starts over (reset) when its writer truncated the journal, on the descriptor it holds", () => {
    const path = journal();
    const reader = new JournalReader(path, true);
    appendFileSync(path, "a\n");
    reader.poll();
    truncateSync(path, 0);
    appendFileSync(path, "x\n");
    expect(reader.poll()).toEqual({ lines: ["x"], reset: true });
    reader.close();
  });

  it("follows a journal removed and created again (a new file), and says when it is gone", () => {
    const path = journal();
    const reader = new JournalReader(path, true);
    expect(reader.poll()?.lines).toEqual([]);
    unlinkSync(path);
    expect(reader.poll()).toBeUndefined();
    writeFileSync(path, "new\n");
    expect(reader.poll()).toEqual({ lines: ["new"], reset: true });
    unlinkSync(path);
    writeFileSync(path, "newer, and longer than before\n");
    expect(reader.poll()).toEqual({ lines: ["newer, and longer than before"], reset: true });
    reader.close();
  });
});
