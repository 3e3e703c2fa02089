export { AsynczError, describeValue, InvalidArgumentError } from "./errors.js";
export type { Trigger, TriggerContext, TriggerJSON } from "./triggers/trigger.js";
