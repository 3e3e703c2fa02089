/**
 * Options of `AsyncIOScheduler`, their defaults, and their validation.
 */
import { InvalidArgumentError } from "../errors.js";
import type { ExecutorConfig } from "../executors/create-executor.js";
import type { MemoryStoreOptions } from "../stores/memory-store.js";
import type { Store } from "../stores/store.js";
import {
  checkCoalesce,
  checkGraceTime,
  checkKnownKeys,
  checkMaxInstances,
} from "../tasks/task-fields.js";
import { toTimeZone } from "../time/time-zone.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";

/** A store given as configuration: `{ type: "memory" }`, `{ type: "file", directory, ... }`. */
export type StoreConfig =
  | ({ readonly type: "memory" } & MemoryStoreOptions)
  | { readonly type: "file"; readonly directory: string; readonly [option: string]: unknown };

/** Defaults applied to tasks that do not set these fields. */
export interface TaskDefaults {
  /** @defaultValue 60 (seconds; `null` = run however late) */
  readonly mistriggerGraceTime?: number | null;
  /** @defaultValue true */
  readonly coalesce?: boolean;
  /** @defaultValue 1 */
  readonly maxInstances?: number;
}

/** Options of `new AsyncIOScheduler(options)` (SPEC §3.1). */
export interface SchedulerOptions {
  /** Store alias → instance or `{ type, ...options }`. @defaultValue `{ default: { type: "memory" } }` */
  readonly stores?: Readonly<Record<string, Store | StoreConfig>>;
  /** Executor alias → instance, alias or `{ type, ...options }`. @defaultValue `{ default: "asyncio" }` */
  readonly executors?: Readonly<Record<string, ExecutorConfig>>;
  /** @defaultValue `{ mistriggerGraceTime: 60, coalesce: true, maxInstances: 1 }` */
  readonly taskDefaults?: TaskDefaults;
  /** IANA zone for triggers without their own. @defaultValue the host's zone, read once at construction */
  readonly timezone?: string;
  /**
   * Template of the per-store inter-process lock path; `{store}` is expanded here, `{pgrp}` and
   * `{ppid}` by the lock. @defaultValue unset (a persistent store uses its own lock)
   */
  readonly lockPath?: string;
  /** Seconds to wait after a store error before retrying that store. @defaultValue 10 */
  readonly storeRetryInterval?: number;
  /**
   * Seconds after `start()` before the first run, so every worker can register its functions.
   * @defaultValue 0, or 1 when any store is persistent
   */
  readonly startupDelay?: number;
  /** Any pino-compatible logger. @defaultValue silent */
  readonly logger?: Logger;
  /** Directory that relative module references resolve against. @defaultValue `process.cwd()` */
  readonly baseDirectory?: string;
  /** Time source (tests inject a manual clock). @defaultValue the system clock */
  readonly clock?: Clock;
}

/** The options after defaults and validation. */
export interface ResolvedTaskDefaults {
  readonly mistriggerGraceTime: number | null;
  readonly coalesce: boolean;
  readonly maxInstances: number;
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  "stores",
  "executors",
  "taskDefaults",
  "timezone",
  "lockPath",
  "storeRetryInterval",
  "startupDelay",
  "logger",
  "baseDirectory",
  "clock",
]);

const DEFAULT_KEYS: ReadonlySet<string> = new Set([
  "mistriggerGraceTime",
  "coalesce",
  "maxInstances",
]);

/**
 * @param options - the options as given
 * @throws {@link InvalidArgumentError} naming an unknown option or a bad value
 */
export function checkSchedulerOptions(options: SchedulerOptions): void {
  if (typeof options !== "object" || options === null)
    throw new InvalidArgumentError("options", options, "must be an object");
  checkKnownKeys(options, OPTION_KEYS, "AsyncIOScheduler");
  for (const field of ["storeRetryInterval", "startupDelay"] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0))
      throw new InvalidArgumentError(field, value, "must be a number of seconds >= 0");
  }
  if (
    options.lockPath !== undefined &&
    (typeof options.lockPath !== "string" || options.lockPath === "")
  )
    throw new InvalidArgumentError(
      "lockPath",
      options.lockPath,
      "must be a non-empty path template",
    );
  if (options.baseDirectory !== undefined && typeof options.baseDirectory !== "string")
    throw new InvalidArgumentError(
      "baseDirectory",
      options.baseDirectory,
      "must be a directory path",
    );
  const logger = options.logger;
  if (logger !== undefined)
    for (const method of ["debug", "info", "warn", "error", "child"] as const)
      if (typeof (logger as unknown as Record<string, unknown>)?.[method] !== "function")
        throw new InvalidArgumentError(
          "logger",
          logger,
          `must be pino-compatible (no ${method}() method)`,
        );
  for (const [name, value] of [
    ["stores", options.stores],
    ["executors", options.executors],
  ] as const)
    if (
      value !== undefined &&
      (typeof value !== "object" || value === null || Array.isArray(value))
    )
      throw new InvalidArgumentError(
        name,
        value,
        "must be an object mapping aliases to configurations",
      );
}

/**
 * @param defaults - `taskDefaults` as given
 * @returns complete defaults
 * @throws {@link InvalidArgumentError} for an unknown key or a bad value
 */
export function resolveTaskDefaults(defaults: TaskDefaults | undefined): ResolvedTaskDefaults {
  if (defaults === undefined) return { mistriggerGraceTime: 60, coalesce: true, maxInstances: 1 };
  if (typeof defaults !== "object" || defaults === null)
    throw new InvalidArgumentError("taskDefaults", defaults, "must be an object");
  checkKnownKeys(defaults, DEFAULT_KEYS, "taskDefaults");
  return {
    mistriggerGraceTime:
      defaults.mistriggerGraceTime === undefined
        ? 60
        : checkGraceTime(defaults.mistriggerGraceTime),
    coalesce: defaults.coalesce === undefined ? true : checkCoalesce(defaults.coalesce),
    maxInstances:
      defaults.maxInstances === undefined ? 1 : checkMaxInstances(defaults.maxInstances),
  };
}

/**
 * The scheduler's zone: the option, or the host's zone read once, explicitly, so that trigger maths
 * never depends on the host's `TZ` implicitly afterwards.
 *
 * @param timezone - the option
 * @returns a valid IANA zone name
 * @throws UnknownTimezoneError for an unknown zone
 */
export function resolveTimezone(timezone: string | undefined): string {
  const name = timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  return toTimeZone(name, "timezone");
}
