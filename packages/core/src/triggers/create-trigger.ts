import {
  InvalidTriggerArgumentError,
  InvalidTriggerJSONError,
  UnknownTriggerTypeError,
} from "../errors.js";
import { AndTrigger } from "./and-trigger.js";
import type { CombiningTriggerOptions } from "./combining-trigger.js";
import { CronTrigger, type CronTriggerOptions } from "./cron/cron-trigger.js";
import { DateTrigger, type DateTriggerOptions } from "./date-trigger.js";
import { IntervalTrigger, type IntervalTriggerOptions } from "./interval-trigger.js";
import { OrTrigger } from "./or-trigger.js";
import { ShutdownTrigger } from "./shutdown-trigger.js";
import type { Trigger } from "./trigger.js";
import type { TriggerClock } from "./trigger-options.js";

/** The aliases {@link createTrigger} and {@link triggerFromJSON} know. */
export const TRIGGER_ALIASES = ["date", "interval", "cron", "and", "or", "shutdown"] as const;

/** One of {@link TRIGGER_ALIASES}. */
export type TriggerAlias = (typeof TRIGGER_ALIASES)[number];

function isAlias(value: unknown): value is TriggerAlias {
  return typeof value === "string" && (TRIGGER_ALIASES as readonly string[]).includes(value);
}

/**
 * Builds a trigger from its alias and arguments, as `addTask(fn, { trigger: "cron", hour: 8 })`
 * and `task.reschedule({ trigger: "interval", minutes: 5 })` do.
 *
 * @param alias - `"date"`, `"interval"`, `"cron"`, `"and"`, `"or"` or `"shutdown"`
 * @param args - the trigger's arguments (see each trigger's options type)
 * @param clock - construction instant for defaults ("one interval from now", "run now")
 * @returns the trigger
 * @throws UnknownTriggerTypeError for an unknown alias; UnknownTriggerArgumentError naming an
 *   unknown argument; InvalidTriggerArgumentError / InvalidCronExpressionError /
 *   UnknownTimezoneError for bad values
 */
export function createTrigger(
  alias: string,
  args: Record<string, unknown> = {},
  clock?: TriggerClock,
): Trigger {
  if (!isAlias(alias)) throw new UnknownTriggerTypeError(alias, TRIGGER_ALIASES);
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new InvalidTriggerArgumentError("args", args, "expected an object of trigger arguments");
  }
  switch (alias) {
    case "date":
      return new DateTrigger(args as DateTriggerOptions, clock);
    case "interval":
      return new IntervalTrigger(args as IntervalTriggerOptions, clock);
    case "cron":
      return new CronTrigger(args as CronTriggerOptions);
    case "and":
      return new AndTrigger(args as unknown as CombiningTriggerOptions);
    case "or":
      return new OrTrigger(args as unknown as CombiningTriggerOptions);
    case "shutdown":
      return new ShutdownTrigger(args as Record<string, never>);
  }
}

/**
 * Reads back a trigger written by its `toJSON()` (the form a store persists).
 *
 * @param json - the persisted value: `{ type, version, ...fields }`
 * @returns the trigger
 * @throws UnknownTriggerTypeError for an unknown `type`; InvalidTriggerJSONError for a value that
 *   is not an object or has an unknown `version`; the constructors' errors for bad fields
 */
export function triggerFromJSON(json: unknown): Trigger {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidTriggerJSONError(
      "trigger",
      json,
      "expected a JSON object with type and version",
    );
  }
  const type: unknown = (json as { type?: unknown }).type;
  if (!isAlias(type)) throw new UnknownTriggerTypeError(type, TRIGGER_ALIASES);
  switch (type) {
    case "date":
      return DateTrigger.fromJSON(json);
    case "interval":
      return IntervalTrigger.fromJSON(json);
    case "cron":
      return CronTrigger.fromJSON(json);
    case "and":
      return AndTrigger.fromJSON(json, triggerFromJSON);
    case "or":
      return OrTrigger.fromJSON(json, triggerFromJSON);
    case "shutdown":
      return ShutdownTrigger.fromJSON(json);
  }
}
