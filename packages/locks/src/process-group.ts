import { readFileSync } from "node:fs";

/**
 * Returns the process group id of the current process without spawning a process.
 *
 * On Linux it reads field 5 of `/proc/self/stat`. The second field (the command name) is in
 * parentheses and may itself contain spaces or `)`, so the line is split after its *last* `)`.
 * Node has no `getpgrp()`, and spawning `ps` on every lock construction would cost milliseconds.
 *
 * Elsewhere (macOS, Windows, or a Linux without `/proc`) it falls back to `process.ppid`: the
 * workers of one `cluster` primary, or of one pm2 daemon, share their parent just as they share
 * their process group, which is the property lock templates rely on.
 *
 * @returns the process group id, or the parent process id where the group id cannot be read
 */
export function processGroupId(): number {
  const fromProc = readProcStatGroup();
  return fromProc ?? process.ppid;
}

function readProcStatGroup(): number | undefined {
  if (process.platform !== "linux" && process.platform !== "android") return undefined;
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  return parseProcStatGroup(stat);
}

/**
 * Extracts the process group id (field 5) from the text of a `/proc/<pid>/stat` file.
 *
 * @param stat - the whole content of a `/proc/<pid>/stat` file
 * @returns the process group id, or `undefined` when the text is not in the expected format
 */
export function parseProcStatGroup(stat: string): number | undefined {
  const end = stat.lastIndexOf(")");
  if (end < 0) return undefined;
  // After ") " come: state (field 3), ppid (4), pgrp (5).
  const fields = stat
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  const pgrp = Number(fields[2]);
  return Number.isSafeInteger(pgrp) && pgrp >= 0 ? pgrp : undefined;
}
