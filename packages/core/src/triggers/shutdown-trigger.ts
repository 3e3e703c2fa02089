import type { SeekableTrigger } from "./seekable-trigger.js";
import type { TriggerJSON } from "./trigger.js";
import { argumentsOf, checkEnvelope, TRIGGER_JSON_VERSION } from "./trigger-json.js";
import { checkKnownArguments } from "./trigger-options.js";

/**
 * Never fires on a schedule: a task with this trigger is stored paused and runs once, in the
 * process that added it, when that process's scheduler shuts down (SPEC §4.6).
 */
export class ShutdownTrigger implements SeekableTrigger {
  /** The alias of this trigger. */
  readonly type = "shutdown";

  /**
   * @param options - takes no arguments; any key is rejected
   * @throws UnknownTriggerArgumentError for any argument
   */
  constructor(options: Record<string, never> = {}) {
    checkKnownArguments("shutdown", options, []);
  }

  /** @returns always `null`: the scheduler runs the task at shutdown instead */
  getNextTriggerTime(): Date | null {
    return null;
  }

  /** @returns always `null` */
  firstFireFrom(): number | null {
    return null;
  }

  /** @returns `{ type: "shutdown", version: 1 }` */
  toJSON(): TriggerJSON {
    return { type: this.type, version: TRIGGER_JSON_VERSION };
  }

  /** @returns `shutdown[]` */
  toString(): string {
    return "shutdown[]";
  }

  /**
   * @param json - the persisted form
   * @returns the trigger
   * @throws InvalidTriggerJSONError for a wrong type or version
   */
  static fromJSON(json: unknown): ShutdownTrigger {
    return new ShutdownTrigger(
      argumentsOf(checkEnvelope(json, "shutdown")) as Record<string, never>,
    );
  }
}
