import { closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
import { advanceLine, JournalWriter } from "./change-journal.js";
import { ChangeMonitor, FLUSH_GAP_MS, flushGapOf } from "./change-monitor.js";

describe("flushGapOf", () => {
  it("keeps the short gap without owners, and half the grace up to 20 ms with them", () => {
    expect(flushGapOf(0)).toBe(FLUSH_GAP_MS);
    expect(flushGapOf(4)).toBe(FLUSH_GAP_MS);
    expect(flushGapOf(30)).toBe(15);
    expect(flushGapOf(50)).toBe(20);
    expect(flushGapOf(10_000)).toBe(20);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ChangeMonitor", () => {
  it("re-checks a file the watcher saw change more often than the journals explain, at the next poll", async () => {
    const dir = scratchDir("asyncz-monitor-");
    const name = "a.task.json";
    const file = join(dir, name);
    writeFileSync(file, "0123456789");
    mkdirSync(join(dir, "members"));
    const peer = new JournalWriter(join(dir, "members", "peer.journal"), 0o600, 1_000_000);
    const changed: string[] = [];
    const monitor = new ChangeMonitor(
      dir,
      {
        changed: (names) => changed.push(...names),
        changedAll: () => changed.push("*"),
        namesChanged: () => {},
        // The view holds what the peer journaled (as after applying its advance line).
        advanced: () => true,
        left: () => {},
      },
      () => [peer.path],
    );
    monitor.start(true, (error) => {
      throw error;
    });
    /** One in-place write of the file: one watcher event. */
    const writeInPlace = (text: string) => {
      const fd = openSync(file, "r+");
      writeSync(fd, text, 0);
      closeSync(fd);
    };
    /** A peer's in-place advance: the write, then its journal line. */
    const peerAdvance = (text: string) => {
      const before = statSync(file);
      writeInPlace(text);
      const after = statSync(file);
      peer.append(
        advanceLine({
          name,
          fromMs: 1,
          toMs: 2,
          before: { ino: before.ino, size: before.size, mtimeMs: before.mtimeMs },
          after: { ino: after.ino, size: after.size, mtimeMs: after.mtimeMs },
        }),
      );
    };
    try {
      // A journaled advance and its one event: the view already holds the content.
      peerAdvance("1");
      await sleep(100);
      monitor.poll();
      // (FSEvents and ReadDirectoryChangesW merge events: there every deferred name is checked.)
      expect(changed.includes(name)).toBe(process.platform !== "linux");
      changed.length = 0;
      // The same, plus a hand edit a moment later: one event more than the journal explains.
      // (Two writes before this process reads the first event are one event: inotify merges an
      // event with an identical one not yet read. Such a hand edit is seen at the file's next
      // change; see the README.)
      peerAdvance("2");
      await sleep(30);
      writeInPlace("3");
      await sleep(100);
      monitor.poll();
      expect(changed).toContain(name);
    } finally {
      monitor.stop();
      peer.close();
    }
  });
});
