/**
 * What pool threads and child processes share: the message that describes a run, the way
 * errors travel back (structured clone keeps only `message` and `stack` of an Error, so the
 * name, code and other own properties are carried explicitly), and the function that loads a
 * module reference and calls it inside a rebuilt run context.
 */
import {
  ExecutorModuleLoadError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
} from "../errors.js";
import type { RunRequest } from "./executor.js";
import { callInContext, LazyRunContext } from "./run-context.js";

/** A run as sent to a worker thread or child process. */
export interface RemoteRunMessage {
  readonly taskId: string;
  readonly runId: string;
  /** Milliseconds since the epoch. */
  readonly scheduledRunTime: number;
  readonly url: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** An error as it crosses a thread or process boundary. */
/**
 * Builds the message a thread or child process runs, checking first what only the submitting side
 * can check, so the error names the task instead of surfacing later in the worker.
 *
 * @param executorType - the executor's alias, for the error message
 * @param request - the run
 * @returns the message to send
 * @throws ExecutorModuleRefRequiredError when the function has no module reference;
 *   ExecutorNotCloneableError when the arguments cannot be structured-cloned
 */
export function toRemoteRunMessage(executorType: string, request: RunRequest): RemoteRunMessage {
  if (request.moduleRef === null) {
    throw new ExecutorModuleRefRequiredError(executorType, request.taskId, request.fn.name);
  }
  try {
    structuredClone(request.args);
  } catch (error) {
    throw new ExecutorNotCloneableError(request.taskId, "args", error);
  }
  return {
    taskId: request.taskId,
    runId: request.runId,
    scheduledRunTime: request.scheduledRunTime.getTime(),
    url: request.moduleRef.url,
    exportName: request.moduleRef.exportName,
    args: request.args,
  };
}

export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties that could be cloned (`code`, `errno`, ...). */
  readonly props: Record<string, unknown>;
  /** Set when the thrown value was not an Error at all. */
  readonly thrown?: unknown;
}

/** How a run ended, as sent back from a worker. */
export type RemoteOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: RemoteError; readonly notCloneable?: boolean };

/**
 * Turns a thrown value into something structured clone carries faithfully.
 *
 * @param thrown - what the task threw
 * @returns its cloneable description
 */
export function serializeError(thrown: unknown): RemoteError {
  if (!(thrown instanceof Error)) {
    let clone: unknown;
    try {
      clone = structuredClone(thrown);
    } catch {
      clone = String(thrown);
    }
    return { name: "Error", message: String(thrown), stack: undefined, props: {}, thrown: clone };
  }
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(thrown)) {
    try {
      props[key] = structuredClone(value);
    } catch {
      // A property that cannot cross (a socket, a function) is dropped rather than failing the run.
    }
  }
  return { name: thrown.name, message: thrown.message, stack: thrown.stack, props };
}

/**
 * Rebuilds a thrown value on the submitting side.
 *
 * @param remote - its description
 * @returns an Error with the original name, message, stack and own properties (or the original
 *   non-Error value)
 */
export function deserializeError(remote: RemoteError): unknown {
  if ("thrown" in remote) return remote.thrown;
  const { url, exportName } = remote.props;
  // The executor's own typed error is rebuilt as its class, so callers can branch on instanceof.
  const error =
    remote.name === "ExecutorModuleLoadError" &&
    typeof url === "string" &&
    typeof exportName === "string"
      ? new ExecutorModuleLoadError(url, exportName, "")
      : new Error(remote.message);
  error.message = remote.message;
  error.name = remote.name;
  if (remote.stack !== undefined) error.stack = remote.stack;
  Object.assign(error, remote.props);
  return error;
}

const loaded = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Loads the run's function, then calls it inside a run context whose signal is `signal`.
 *
 * @param message - the run
 * @param signal - aborted when the submitting side asks the run to stop
 * @returns the function's awaited return value
 * @throws {@link ExecutorModuleLoadError} when the module cannot be imported or its export is
 *   not a function; otherwise whatever the function throws
 */
export async function runRemote(message: RemoteRunMessage, signal: AbortSignal): Promise<unknown> {
  let module = loaded.get(message.url);
  if (module === undefined) {
    module = import(message.url) as Promise<Record<string, unknown>>;
    loaded.set(message.url, module);
    // A failed import is not cached, so a module fixed on disk loads at the next run.
    module.catch(() => loaded.delete(message.url));
  }
  let fn: unknown;
  try {
    fn = await module;
    // Dotted export paths ("jobs.nightly") walk into objects, as the function registry does.
    for (const part of message.exportName.split(".")) {
      fn =
        fn !== null && (typeof fn === "object" || typeof fn === "function")
          ? (fn as Record<string, unknown>)[part]
          : undefined;
    }
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ExecutorModuleLoadError(
      message.url,
      message.exportName,
      `import failed: ${detail}`,
      cause,
    );
  }
  if (typeof fn !== "function") {
    throw new ExecutorModuleLoadError(
      message.url,
      message.exportName,
      `the module has no exported function named ${JSON.stringify(message.exportName)}`,
    );
  }
  const context = new LazyRunContext(
    message.taskId,
    new Date(message.scheduledRunTime),
    message.runId,
    [signal],
  );
  const call = fn as (...args: readonly unknown[]) => unknown;
  try {
    return await callInContext(context, call, message.args);
  } finally {
    context.dispose();
  }
}

/**
 * Runs a remote run to an outcome that can always be posted back: a return value that cannot be
 * cloned becomes a `notCloneable` failure instead of a failed `postMessage`.
 *
 * @param message - the run
 * @param signal - its abort signal
 * @returns the outcome
 */
export async function settleRemote(
  message: RemoteRunMessage,
  signal: AbortSignal,
): Promise<RemoteOutcome> {
  try {
    const value = await runRemote(message, signal);
    try {
      // Checked here so the failure names the task; the clone itself happens at postMessage.
      structuredClone(value);
    } catch (error) {
      return { ok: false, error: serializeError(error), notCloneable: true };
    }
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
