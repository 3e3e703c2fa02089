/**
 * Entry module of the `"processpool"` executor's child processes (forked by the executor, never
 * imported by applications). It runs one task at a time, as the parent sends them over IPC.
 */
import { type RemoteOutcome, type RemoteRunMessage, settleRemote } from "./remote-run.js";

/** Messages from the parent. */
export type ParentMessage =
  | { readonly type: "run"; readonly run: RemoteRunMessage }
  | { readonly type: "abort"; readonly runId: string; readonly reason: string };

/** Messages to the parent. */
export type ChildMessage = {
  readonly type: "done";
  readonly runId: string;
  readonly outcome: RemoteOutcome;
};

const controllers = new Map<string, AbortController>();

/**
 * Handles one message from the parent.
 *
 * @param message - a run to start or a run to abort
 */
async function onMessage(message: ParentMessage): Promise<void> {
  if (message.type === "abort") {
    controllers.get(message.runId)?.abort(message.reason);
    return;
  }
  const controller = new AbortController();
  controllers.set(message.run.runId, controller);
  const outcome = await settleRemote(message.run, controller.signal);
  controllers.delete(message.run.runId);
  const reply: ChildMessage = { type: "done", runId: message.run.runId, outcome };
  process.send?.(reply);
}

if (process.send !== undefined) {
  process.on("message", (message: ParentMessage) => {
    void onMessage(message);
  });
  // The parent is gone (or let this child go when idle): nobody is left to report to.
  process.on("disconnect", () => process.exit(0));
}
