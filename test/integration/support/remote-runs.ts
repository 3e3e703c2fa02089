// Run requests and overlap measurement shared by the remote-executor integration tests.
import type { RunRequest, TaskFunction } from "@asyncz/core";

const TASKS = new URL("../../fixtures/executors/tasks.mjs", import.meta.url).href;
let counter = 0;

/**
 * @param exportName - a function exported by test/fixtures/executors/tasks.mjs
 * @param args - its arguments
 * @param signal - the scheduler's signal (a fresh one by default)
 * @returns a run request that references the function by module, with a unique run id
 */
export function request(
  exportName: string,
  args: unknown[] = [],
  signal?: AbortSignal,
): RunRequest {
  counter += 1;
  return {
    taskId: `task-${exportName}`,
    runId: counter.toString(16).padStart(32, "0"),
    scheduledRunTime: new Date("2026-03-01T08:00:00Z"),
    fn: function placeholder() {} as TaskFunction,
    moduleRef: { url: TASKS, exportName },
    args,
    signal: signal ?? new AbortController().signal,
  };
}

/** What the fixture's `occupy` returns: where it ran and when. */
export interface Occupied {
  pid: number;
  threadId: number;
  start: number;
  end: number;
}

/** @returns the largest number of runs whose [start, end) intervals overlap */
export function maxOverlap(runs: readonly Occupied[]): number {
  const edges: [number, number][] = runs.flatMap((run): [number, number][] => [
    [run.start, 1],
    [run.end, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let most = 0;
  for (const [, delta] of edges) {
    current += delta;
    most = Math.max(most, current);
  }
  return most;
}
