import {
  CombiningTrigger,
  type CombiningTriggerOptions,
  combiningFromJSON,
} from "./combining-trigger.js";
import { firstFireFrom } from "./seekable-trigger.js";
import type { Trigger, TriggerContext } from "./trigger.js";

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
export class AndTrigger extends CombiningTrigger {
  /**
   * @param options - `{ triggers, jitter }`
   * @throws InvalidTriggerArgumentError; UnknownTriggerArgumentError
   */
  constructor(options: CombiningTriggerOptions) {
    super("and", options);
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns the first common fire time `>= from`, or `null` (see the class remarks)
   */
  override firstFireFrom(from: number, context?: TriggerContext): number | null {
    const limit = from + AND_TRIGGER_HORIZON_MS;
    let at = from;
    for (let round = 0; round < AND_TRIGGER_MAX_ROUNDS && at <= limit; round += 1) {
      let latest = at;
      let agreed = true;
      for (const child of this.triggers) {
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
