/**
 * Functions by reference (SPEC §4.5). A persistent store saves a function as a string: either a
 * name under which every process registered it, or a module reference `"./jobs.js:checkStatus"`.
 */
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  FunctionNameConflictError,
  InvalidArgumentError,
  ModuleReferenceError,
  TaskNotReferencableError,
} from "../errors.js";
import type { TaskFunction } from "../executors/executor.js";

/** A resolved reference: the function, and where another thread or process can load it from. */
export interface ResolvedFunction {
  readonly fn: TaskFunction;
  readonly moduleRef: { readonly url: string; readonly exportName: string } | null;
}

/** Prefix of the process-local names given to anonymous functions in non-persistent stores. */
const LOCAL_PREFIX = "#local/";

/**
 * @param reference - a function reference
 * @returns whether it is a module reference (`"<module>:<export>"`)
 */
export function isModuleReference(reference: string): boolean {
  return !reference.startsWith(LOCAL_PREFIX) && reference.lastIndexOf(":") > 0;
}

/**
 * Names ↔ functions for one scheduler, plus a cache of resolved module references.
 */
export class FunctionRegistry {
  readonly #byName = new Map<string, TaskFunction>();
  readonly #byFunction = new Map<TaskFunction, string>();
  readonly #resolved = new Map<string, ResolvedFunction>();
  readonly #baseDirectory: string;

  /** @param baseDirectory - what relative module references are resolved against */
  constructor(baseDirectory: string) {
    this.#baseDirectory = baseDirectory;
  }

  /**
   * Registers `fn` under `name`. Registering the same function again is harmless.
   *
   * @param name - a non-empty name without `:` (a colon marks a module reference)
   * @param fn - the function
   * @throws {@link FunctionNameConflictError} when a different function has that name
   * @throws {@link InvalidArgumentError} for a bad name or a non-function
   */
  register(name: string, fn: TaskFunction): void {
    if (typeof name !== "string" || name.length === 0 || name.includes(":") || name.startsWith("#"))
      throw new InvalidArgumentError(
        "name",
        name,
        "must be a non-empty string without ':' that does not start with '#'",
      );
    if (typeof fn !== "function") throw new InvalidArgumentError("fn", fn, "must be a function");
    const existing = this.#byName.get(name);
    if (existing === fn) return;
    if (existing !== undefined) throw new FunctionNameConflictError(name);
    this.#byName.set(name, fn);
    if (!this.#byFunction.has(fn)) this.#byFunction.set(fn, name);
    this.#resolved.set(name, { fn, moduleRef: null });
  }

  /**
   * The reference under which `fn` is stored, registering it by its name when needed.
   *
   * @param fn - the function given to `addTask`
   * @param persistent - whether the target store is persistent
   * @param store - the store alias (for the error message)
   * @param taskId - the task's id: an anonymous function in a non-persistent store is kept under
   *   a process-local name derived from it (one map entry, dropped with {@link FunctionRegistry.release})
   * @returns the reference to store
   * @throws {@link TaskNotReferencableError} for an anonymous function and a persistent store
   * @throws {@link FunctionNameConflictError} when another function already has its name
   */
  referenceFor(fn: TaskFunction, persistent: boolean, store: string, taskId: string): string {
    const known = this.#byFunction.get(fn);
    if (known !== undefined) return known;
    if (fn.name !== "" && !fn.name.includes(":")) {
      this.register(fn.name, fn);
      return fn.name;
    }
    if (persistent) throw new TaskNotReferencableError(fn, store);
    const local = LOCAL_PREFIX + taskId;
    this.#resolved.set(local, { fn, moduleRef: null });
    return local;
  }

  /**
   * Forgets the process-local function of a deleted task (registered names stay).
   *
   * @param reference - the task's stored reference
   */
  release(reference: string): void {
    if (reference.startsWith(LOCAL_PREFIX)) this.#resolved.delete(reference);
  }

  /** Forgets every process-local function (after removing all tasks). */
  releaseAll(): void {
    for (const reference of this.#resolved.keys())
      if (reference.startsWith(LOCAL_PREFIX)) this.#resolved.delete(reference);
  }

  /**
   * @param reference - a stored reference
   * @returns the resolved function if it is already known (no I/O), else `undefined`
   */
  cached(reference: string): ResolvedFunction | undefined {
    return this.#resolved.get(reference);
  }

  /**
   * Resolves a reference: a registered name, or a module reference imported on first use.
   *
   * @param reference - the stored reference
   * @returns the function and its module location
   * @throws {@link ModuleReferenceError} when it does not resolve to a function
   */
  async resolve(reference: string): Promise<ResolvedFunction> {
    const hit = this.#resolved.get(reference);
    if (hit !== undefined) return hit;
    if (!isModuleReference(reference))
      throw new ModuleReferenceError(
        reference,
        'no function is registered under this name in this process; call scheduler.registerFunction(name, fn) (or addTask(fn)) in every process, or use a module reference such as "./jobs.js:checkStatus"',
      );
    const colon = reference.lastIndexOf(":");
    const specifier = reference.slice(0, colon);
    const exportPath = reference.slice(colon + 1);
    if (exportPath.length === 0)
      throw new ModuleReferenceError(reference, "the export name after ':' is empty");
    const url = this.#moduleUrl(reference, specifier);
    let namespace: unknown;
    try {
      namespace = await import(url);
    } catch (error) {
      throw new ModuleReferenceError(reference, `the module ${url} cannot be imported`, {
        cause: error,
      });
    }
    let value: unknown = namespace;
    for (const part of exportPath.split(".")) {
      value =
        value !== null && (typeof value === "object" || typeof value === "function")
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (typeof value !== "function")
      throw new ModuleReferenceError(
        reference,
        `the module ${url} has no function export ${JSON.stringify(exportPath)}`,
      );
    const resolved: ResolvedFunction = {
      fn: value as TaskFunction,
      moduleRef: { url, exportName: exportPath },
    };
    this.#resolved.set(reference, resolved);
    return resolved;
  }

  #moduleUrl(reference: string, specifier: string): string {
    if (specifier.startsWith("file:")) return specifier;
    if (specifier.startsWith(".") || isAbsolute(specifier))
      return pathToFileURL(resolve(this.#baseDirectory, specifier)).href;
    try {
      const require = createRequire(join(this.#baseDirectory, "asyncz-resolve.js"));
      return pathToFileURL(require.resolve(specifier)).href;
    } catch (error) {
      throw new ModuleReferenceError(
        reference,
        `the package ${JSON.stringify(specifier)} cannot be found from ${this.#baseDirectory}`,
        { cause: error },
      );
    }
  }
}
