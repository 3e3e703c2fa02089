/**
 * One configured store, as the scheduler tracks it: its configuration, the instance once created,
 * whether it is persistent, and its loop state.
 */
import { SchedulerNotRunningError } from "../errors.js";
import type { Store } from "../stores/store.js";
import { checkNonEmptyString } from "../tasks/task-fields.js";
import type { StoreConfig } from "./scheduler-options.js";
import { isPersistentConfig, isStore } from "./store-factory.js";

/** A store alias with its configuration and state. */
export interface StoreSlot {
  readonly alias: string;
  readonly config: Store | StoreConfig;
  /** The instance; created at start for `{ type }` configurations. */
  store: Store | undefined;
  /** Known before the store is created (from its `type`). */
  readonly persistent: boolean;
  unwatch: (() => void) | undefined;
  /** After a failed call, the store is left alone until this instant. */
  retryAtMs: number;
  /** A change hint is waiting to be answered. */
  changeQueued: boolean;
}

/**
 * @param alias - the store alias
 * @param config - an instance or `{ type, ...options }`
 * @returns a slot (the instance itself when one was given)
 * @throws InvalidArgumentError / UnknownAliasError for a bad alias or configuration
 */
export function makeStoreSlot(alias: string, config: Store | StoreConfig): StoreSlot {
  checkNonEmptyString("store alias", alias);
  return {
    alias,
    config,
    store: isStore(config) ? config : undefined,
    persistent: isPersistentConfig(alias, config),
    unwatch: undefined,
    retryAtMs: 0,
    changeQueued: false,
  };
}

/**
 * @param slot - a slot
 * @returns its store instance
 * @throws {@link SchedulerNotRunningError} when the store is not created yet (scheduler stopped)
 */
export function storeOf(slot: StoreSlot): Store {
  if (slot.store === undefined) throw new SchedulerNotRunningError(`store "${slot.alias}"`);
  return slot.store;
}
