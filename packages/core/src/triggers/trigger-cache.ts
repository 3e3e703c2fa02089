/**
 * The process-wide link between a trigger's JSON form (as a store record carries it) and the live
 * trigger it came from or was read as, so that a record's trigger is parsed at most once, and
 * which triggers may have their JSON made late (on first read of the record instead of at add).
 */
import { AndTrigger } from "./and-trigger.js";
import { triggerFromJSON } from "./create-trigger.js";
import { CronTrigger } from "./cron/cron-trigger.js";
import { DateTrigger } from "./date-trigger.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { OrTrigger } from "./or-trigger.js";
import { ShutdownTrigger } from "./shutdown-trigger.js";
import type { Trigger, TriggerJSON } from "./trigger.js";

// Process-wide rather than per scheduler: triggers hold no mutable state (see `Trigger`), so two
// schedulers sharing one memory store may share the trigger objects of its records too.
const live = new WeakMap<object, Trigger>();

/**
 * @param trigger - a live trigger
 * @returns its JSON form (`trigger.toJSON()`), remembered as coming from `trigger`
 */
export function rememberedTriggerJSON(trigger: Trigger): TriggerJSON {
  const json = trigger.toJSON();
  live.set(json, trigger);
  return json;
}

/**
 * @param json - a trigger's JSON form, as a record carries it
 * @returns the live trigger it came from, else the trigger read from it (cached per JSON object)
 * @throws the trigger errors of `triggerFromJSON` for an unreadable trigger
 */
export function liveTriggerOf(json: TriggerJSON): Trigger {
  let trigger = live.get(json);
  if (trigger === undefined) {
    trigger = triggerFromJSON(json);
    live.set(json, trigger);
  }
  return trigger;
}

const PLAIN_TRIGGERS: ReadonlySet<unknown> = new Set<unknown>([
  IntervalTrigger,
  CronTrigger,
  DateTrigger,
  ShutdownTrigger,
]);

/**
 * Whether a trigger's JSON may be made later instead of now with the same result: true for the
 * built-in triggers (not subclasses), whose `toJSON()` is a pure function of immutable fields and
 * cannot throw, and for `and`/`or` of such triggers. A third-party trigger's `toJSON()` may fail or
 * depend on state, so it is still called when the task is added.
 *
 * @param trigger - a trigger
 * @returns whether `toJSON()` can be deferred
 */
export function hasPlainJSON(trigger: Trigger): boolean {
  const type = (trigger as object).constructor;
  if (PLAIN_TRIGGERS.has(type)) return true;
  if (type !== AndTrigger && type !== OrTrigger) return false;
  return (trigger as AndTrigger | OrTrigger).triggers.every(hasPlainJSON);
}
