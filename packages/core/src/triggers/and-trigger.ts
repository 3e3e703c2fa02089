import {
  type CombiningParts,
  type CombiningTriggerOptions,
  combiningFromJSON,
  combiningToJSON,
  parseCombining,
} from "./combining-trigger.js";
import { applyJitter, unjitter } from "./jitter.js";
import { firstFireFrom, type SeekableTrigger } from "./seekable-trigger.js";
import type { Trigger, TriggerContext, TriggerJSON } from "./trigger.js";

/** Most rounds of "ask every child, move to the latest answer" before giving up. */
export const AND_TRIGGER_MAX_ROUNDS = 10_000;
/** How far past the search start an `and` looks for an agreement: 10 years (ms). */
export const AND_TRIGGER_HORIZON_MS = 10 * 366 * 86_400_000;

/**
 * Fires when every child fires at the same instant. Unlike asyncz (which loops forever once its
 * children disagree), the search is bounded: it gives up and returns `null` (finished) when the
 * children do not agree within {@link AND_TRIGGER_MAX_ROUNDS} rounds or
 * {@link AND_TRIGGER_HORIZON_MS} after the search start.
 */
export class AndTrigger implements SeekableTrigger {
  /** The alias of this trigger. */
  readonly type = "and";
  readonly #parts: CombiningParts;

  /**
   * @param options - `{ triggers, jitter }`
   * @throws InvalidTriggerArgumentError; UnknownTriggerArgumentError
   */
  constructor(options: CombiningTriggerOptions) {
    this.#parts = parseCombining("and", options);
  }

  /** The child triggers. */
  get triggers(): readonly Trigger[] {
    return this.#parts.triggers;
  }

  /**
   * @param previous - the previous (possibly jittered) fire time, or `null`
   * @param now - the current instant
   * @param context - zone and seed, passed to the children
   * @returns the first instant after `previous` (or at/after `now`) at which all children fire,
   *   or `null` when they never agree within the search bounds
   * @throws UnknownTimezoneError when `context.timezone` is not a known zone
   */
  getNextTriggerTime(previous: Date | null, now: Date, context?: TriggerContext): Date | null {
    const seed = context?.seed ?? "";
    const jitter = this.#parts.jitter;
    const from =
      previous === null
        ? now.getTime()
        : unjitter(previous.getTime(), jitter, seed, Number.POSITIVE_INFINITY, (at) =>
            this.firstFireFrom(at, context),
          ) + 1;
    const next = this.firstFireFrom(from, context);
    return next === null
      ? null
      : new Date(applyJitter(next, jitter, seed, Number.POSITIVE_INFINITY));
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns the first common fire time `>= from`, or `null` (see the class remarks)
   */
  firstFireFrom(from: number, context?: TriggerContext): number | null {
    const limit = from + AND_TRIGGER_HORIZON_MS;
    let at = from;
    for (let round = 0; round < AND_TRIGGER_MAX_ROUNDS && at <= limit; round += 1) {
      let latest = at;
      let agreed = true;
      for (const child of this.#parts.triggers) {
        const next = firstFireFrom(child, at, context);
        if (next === null) return null;
        if (next !== at) agreed = false;
        if (next > latest) latest = next;
      }
      if (agreed) return at;
      at = latest;
    }
    return null;
  }

  /** @returns `{ type: "and", version: 1, triggers: [...], jitter }` */
  toJSON(): TriggerJSON {
    return combiningToJSON(this.type, this.#parts);
  }

  /** @returns for example `and[cron[day='1-7'], cron[dayOfWeek='mon']]` */
  toString(): string {
    return `and[${this.#parts.triggers.map(String).join(", ")}]`;
  }

  /**
   * @param json - the persisted form
   * @param childFromJSON - reads one child (pass `triggerFromJSON`)
   * @returns the trigger
   * @throws InvalidTriggerJSONError
   */
  static fromJSON(json: unknown, childFromJSON: (child: unknown) => Trigger): AndTrigger {
    return new AndTrigger(combiningFromJSON(json, "and", childFromJSON));
  }
}
