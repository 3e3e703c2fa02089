export { AsynczError, describeValue, InvalidArgumentError } from "./errors.js";
export type { Trigger, TriggerJSON } from "./triggers/trigger.js";
