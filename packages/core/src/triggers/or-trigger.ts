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

/**
 * Fires whenever any child fires: the union of the children's fire times. Unlike asyncz, an `or`
 * of date triggers fires at every date, because children are asked for their first fire time
 * after the previous one rather than being told "you already fired".
 */
export class OrTrigger implements SeekableTrigger {
  /** The alias of this trigger. */
  readonly type = "or";
  readonly #parts: CombiningParts;

  /**
   * @param options - `{ triggers, jitter }`
   * @throws InvalidTriggerArgumentError; UnknownTriggerArgumentError
   */
  constructor(options: CombiningTriggerOptions) {
    this.#parts = parseCombining("or", options);
  }

  /** The child triggers. */
  get triggers(): readonly Trigger[] {
    return this.#parts.triggers;
  }

  /**
   * @param previous - the previous (possibly jittered) fire time, or `null`
   * @param now - the current instant
   * @param context - zone and seed, passed to the children
   * @returns the earliest child fire time after `previous` (or at/after `now` the first time)
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
   * @returns the earliest child fire time `>= from`, or `null` when every child is finished
   */
  firstFireFrom(from: number, context?: TriggerContext): number | null {
    let best: number | null = null;
    for (const child of this.#parts.triggers) {
      const next = firstFireFrom(child, from, context);
      if (next !== null && (best === null || next < best)) best = next;
    }
    return best;
  }

  /** @returns `{ type: "or", version: 1, triggers: [...], jitter }` */
  toJSON(): TriggerJSON {
    return combiningToJSON(this.type, this.#parts);
  }

  /** @returns for example `or[cron[hour='8'], date[2026-03-01 08:00:00 UTC]]` */
  toString(): string {
    return `or[${this.#parts.triggers.map(String).join(", ")}]`;
  }

  /**
   * @param json - the persisted form
   * @param childFromJSON - reads one child (pass `triggerFromJSON`)
   * @returns the trigger
   * @throws InvalidTriggerJSONError
   */
  static fromJSON(json: unknown, childFromJSON: (child: unknown) => Trigger): OrTrigger {
    return new OrTrigger(combiningFromJSON(json, "or", childFromJSON));
  }
}
