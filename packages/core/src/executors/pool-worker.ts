/**
 * Entry module of the `"pool"` executor's worker threads (loaded by piscina, never imported by
 * applications). Each run brings a MessagePort on which the submitting thread posts `"abort"`.
 */
import type { MessagePort } from "node:worker_threads";
import { type RemoteOutcome, type RemoteRunMessage, settleRemote } from "./remote-run.js";

/** A run as piscina hands it to the worker. */
export interface PoolTask {
  readonly message: RemoteRunMessage;
  readonly port: MessagePort;
}

/**
 * Runs one task in this worker thread.
 *
 * @param task - the run and its abort port
 * @returns the run's outcome (never rejects, so errors keep their name and properties)
 */
export async function runPoolTask(task: PoolTask): Promise<RemoteOutcome> {
  const controller = new AbortController();
  task.port.on("message", (reason: unknown) => controller.abort(reason));
  try {
    return await settleRemote(task.message, controller.signal);
  } finally {
    task.port.close();
  }
}
