import { statSync } from "node:fs";
import { join } from "node:path";
import { makeTestRecord, scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { type AdvanceNote, advanceLine, parseAdvanceLine } from "./change-journal.js";
import { DirectoryView } from "./directory-view.js";
import { taskFileName } from "./file-names.js";
import { serializeTask, tailFor } from "./task-document.js";
import { type FileStamp, TaskFiles } from "./task-files.js";

const BASE = Date.UTC(2030, 0, 1);
/** A directory with task "t" due at BASE, and a view that loaded it; the clock is fixed. */
async function setup(nowMs = BASE) {
  const dir = scratchDir("asyncz-view-");
  const files = new TaskFiles(dir, 0o600, false);
  const name = taskFileName("t");
  files.write(name, serializeTask(makeTestRecord("t", BASE)), true);
  const view = new DirectoryView(
    files,
    () => {},
    () => nowMs,
  );
  await view.load();
  return { dir, files, view, name };
}

/** Advances the file in place as another process would, and returns its journal note. */
function advanceAsPeer(files: TaskFiles, name: string, fromMs: number, toMs: number): AdvanceNote {
  const before = stampOf(files, name);
  const after = files.patchTail(name, tailFor(new Date(fromMs)), tailFor(new Date(toMs)), before);
  if (after === undefined) throw new Error("the in-place advance failed");
  return { name, fromMs, toMs, before, after };
}

function stampOf(files: TaskFiles, name: string): FileStamp {
  const stamp = files.stat(name);
  if (stamp === undefined) throw new Error(`${name} is missing`);
  return stamp;
}

describe("advance journal lines", () => {
  it("round-trip, and anything else is not an advance", () => {
    const note: AdvanceNote = {
      name: taskFileName("t"),
      fromMs: BASE,
      toMs: BASE + 1000,
      before: { ino: 42, size: 700, mtimeMs: 1_900_000_000_123.375 },
      after: { ino: 42, size: 700, mtimeMs: 1_900_000_000_124.25 },
    };
    expect(parseAdvanceLine(advanceLine(note))).toEqual(note);
    expect(parseAdvanceLine(taskFileName("t"))).toBeUndefined();
    expect(parseAdvanceLine("~t.task.json 1 2 3")).toBeUndefined();
    expect(parseAdvanceLine("~t.task.json 1 2 3 4 5 x")).toBeUndefined();
    expect(parseAdvanceLine("~t.task.json 1 2 3 4 5 6 7")).toBeUndefined();
    expect(parseAdvanceLine("~t.task.json 1 2  4 5 6")).toBeUndefined();
    expect(parseAdvanceLine("~t.task.json 1 2 3 4 5 6 ")).toBeUndefined();
    expect(parseAdvanceLine("~t.task.json")).toBeUndefined();
    expect(parseAdvanceLine("+t.task.json 1 2 3 4 5 6")).toBeUndefined();
  });
});

describe("DirectoryView.applyAdvance", () => {
  it("applies a peer's advance of the version it holds, without reading the file", async () => {
    const { files, view, name } = await setup();
    const note = advanceAsPeer(files, name, BASE, BASE + 1000);
    expect(view.applyAdvance(note)).toBe("applied");
    const entry = view.index.getByName(name);
    expect(entry?.nextMs).toBe(BASE + 1000);
    expect(entry?.record.nextRunTime).toEqual(new Date(BASE + 1000));
    expect(entry?.stamp).toEqual(note.after);
    expect(entry?.vouched).toBe(true);
    // The file's stamp is the one the note gave: a refresh finds nothing to read, even within the
    // kernel's timestamp tick (the view's clock says the write happened just now).
    expect(view.refresh(name)).toBe(false);
  });

  it("re-checks the file when it holds another version than the one the writer replaced", async () => {
    const { files, view, name } = await setup();
    const first = advanceAsPeer(files, name, BASE, BASE + 1000);
    const second = advanceAsPeer(files, name, BASE + 1000, BASE + 2000);
    // The first line was missed (e.g. the journal was truncated): the second does not fit.
    expect(view.applyAdvance(second)).toBe("unknown");
    expect(view.index.getByName(name)?.nextMs).toBe(BASE);
    expect(first.toMs).toBe(BASE + 1000);
    // A read brings the view in line; then the same note is already known.
    expect(view.refresh(name)).toBe(true);
    expect(view.index.getByName(name)?.nextMs).toBe(BASE + 2000);
    expect(view.applyAdvance(second)).toBe("known");
    expect(view.applyAdvance({ ...second, name: taskFileName("gone") })).toBe("unknown");
  });

  it("keeps reading a changed file whose change nobody vouched for within the timestamp tick", async () => {
    const { files, view, name } = await setup(Date.now());
    advanceAsPeer(files, name, BASE, BASE + 1000);
    // No journal line applied: the stamp changed, so the file is read.
    expect(view.refresh(name)).toBe(true);
    expect(view.index.getByName(name)?.nextMs).toBe(BASE + 1000);
    expect(view.index.getByName(name)?.vouched).not.toBe(true);
    expect(statSync(join(files.directory, name)).size).toBe(view.index.getByName(name)?.stamp.size);
  });
});
