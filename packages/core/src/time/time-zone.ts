import { UnknownTimezoneError } from "../errors.js";

declare const timeZoneBrand: unique symbol;

/**
 * An IANA time zone name that this runtime's `Intl` accepts (`"Europe/Berlin"`, `"UTC"`, ...).
 * Only {@link toTimeZone} makes one, so holding a `TimeZone` means the name was validated.
 */
export type TimeZone = string & { readonly [timeZoneBrand]: true };

/** The zone used when neither a trigger nor the scheduler names one. Never the host's zone. */
export const UTC = "UTC" as TimeZone;

const validated = new Map<string, TimeZone>([["UTC", UTC]]);

/**
 * Validates a time zone name.
 *
 * @param name - an IANA zone name (case as `Intl` accepts it)
 * @param field - the option that carried the name, for the error message
 * @defaultValue field `"timezone"`
 * @returns the same name, branded as a validated {@link TimeZone}
 * @throws UnknownTimezoneError when the name is not a string or not a zone `Intl` knows
 */
export function toTimeZone(name: unknown, field = "timezone"): TimeZone {
  if (typeof name !== "string" || name.length === 0) throw new UnknownTimezoneError(field, name);
  const known = validated.get(name);
  if (known !== undefined) return known;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    throw new UnknownTimezoneError(field, name);
  }
  const zone = name as TimeZone;
  validated.set(name, zone);
  return zone;
}

/**
 * Whether a zone is UTC under another spelling: such zones skip every `Intl` call.
 *
 * @param zone - a validated zone
 * @returns true for `UTC`, `Etc/UTC`, `GMT`, `Etc/GMT`, `Etc/Zulu`, ...
 */
export function isUtcZone(zone: TimeZone): boolean {
  if (zone === UTC) return true;
  return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone === "UTC";
}
