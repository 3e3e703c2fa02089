import { InvalidTriggerJSONError } from "../errors.js";
import type { TriggerJSON } from "./trigger.js";

/** The JSON format version every built-in trigger writes. */
export const TRIGGER_JSON_VERSION = 1;

/**
 * Checks the envelope of a persisted trigger of a known type.
 *
 * @param json - the persisted value
 * @param type - the expected alias
 * @returns the value as a record
 * @throws InvalidTriggerJSONError when it is not an object of that type and a known version
 */
export function checkEnvelope(json: unknown, type: string): TriggerJSON {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidTriggerJSONError(
      "trigger",
      json,
      "expected a JSON object with type and version",
    );
  }
  const record = json as TriggerJSON;
  if (record.type !== type) {
    throw new InvalidTriggerJSONError("type", record.type, `expected "${type}"`);
  }
  if (record.version !== TRIGGER_JSON_VERSION) {
    throw new InvalidTriggerJSONError(
      "version",
      record.version,
      `unsupported ${type} trigger format version (this build reads version ${TRIGGER_JSON_VERSION})`,
    );
  }
  return record;
}

/**
 * Copies the trigger arguments of a persisted trigger (everything but `type` and `version`),
 * dropping `null`s, which JSON uses for "not set".
 *
 * @param json - a checked envelope
 * @returns the arguments, ready for the trigger's constructor
 */
export function argumentsOf(json: TriggerJSON): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (key !== "type" && key !== "version" && value !== null && value !== undefined)
      args[key] = value;
  }
  return args;
}
