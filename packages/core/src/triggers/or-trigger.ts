import {
  CombiningTrigger,
  type CombiningTriggerOptions,
  combiningFromJSON,
} from "./combining-trigger.js";
import { firstFireFrom } from "./seekable-trigger.js";
import type { Trigger, TriggerContext } from "./trigger.js";

/**
 * Fires whenever any child fires: the union of the children's fire times. Unlike asyncz, an `or`
 * of date triggers fires at every date, because children are asked for their first fire time
 * after the previous one rather than being told "you already fired".
 */
export class OrTrigger extends CombiningTrigger {
  /**
   * @param options - `{ triggers, jitter }`
   * @throws InvalidTriggerArgumentError; UnknownTriggerArgumentError
   */
  constructor(options: CombiningTriggerOptions) {
    super("or", options);
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns the earliest child fire time `>= from`, or `null` when every child is finished
   */
  override firstFireFrom(from: number, context?: TriggerContext): number | null {
    let best: number | null = null;
    for (const child of this.triggers) {
      const next = firstFireFrom(child, from, context);
      if (next !== null && (best === null || next < best)) best = next;
    }
    return best;
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
