/**
 * The scheduler's stores and executors by alias: configuration, starting and stopping them with
 * the scheduler, adding and removing them while it runs.
 */
import { DuplicateAliasError, UnknownAliasError } from "../errors.js";
import {
  EXECUTOR_ADDED,
  EXECUTOR_REMOVED,
  STORE_ADDED,
  STORE_REMOVED,
} from "../events/event-codes.js";
import type { EventDispatcher } from "../events/event-dispatcher.js";
import { createExecutor, type ExecutorConfig } from "../executors/create-executor.js";
import type { Executor } from "../executors/executor.js";
import type { Store } from "../stores/store.js";
import { checkNonEmptyString } from "../tasks/task-fields.js";
import type { Logger } from "./logger.js";
import type { SchedulerEmitter } from "./scheduler-emitter.js";
import type { StoreConfig } from "./scheduler-options.js";
import type { SchedulingLoop } from "./scheduling-loop.js";
import { createStore } from "./store-factory.js";
import { makeStoreSlot, type StoreSlot } from "./store-slots.js";

/** What the components need from their scheduler. */
export interface ComponentsHost {
  readonly owner: string;
  readonly lockPath: string | undefined;
  readonly events: EventDispatcher;
  readonly emitter: SchedulerEmitter;
  readonly loop: () => SchedulingLoop;
  logger(): Logger;
  /** Whether the scheduler is started (running or paused). */
  started(): boolean;
}

/** Stores and executors by alias. */
export class SchedulerComponents {
  readonly stores = new Map<string, StoreSlot>();
  readonly executors = new Map<string, Executor>();
  readonly #started = new Set<string>();
  readonly #host: ComponentsHost;
  #announced = false;

  /**
   * @param host - the scheduler
   * @param stores - configured stores (a memory store `default` is added when missing)
   * @param executors - configured executors (an asyncio `default` is added when missing)
   */
  constructor(
    host: ComponentsHost,
    stores: Readonly<Record<string, Store | StoreConfig>> | undefined,
    executors: Readonly<Record<string, ExecutorConfig>> | undefined,
  ) {
    this.#host = host;
    for (const [alias, config] of Object.entries(stores ?? { default: { type: "memory" } }))
      this.stores.set(alias, makeStoreSlot(alias, config));
    if (!this.stores.has("default"))
      this.stores.set("default", makeStoreSlot("default", { type: "memory" }));
    for (const [alias, config] of Object.entries(executors ?? { default: "asyncio" }))
      this.executors.set(alias, createExecutor(config));
    if (!this.executors.has("default")) this.executors.set("default", createExecutor("asyncio"));
  }

  /** Whether any store keeps its tasks across restarts. */
  get persistent(): boolean {
    for (const slot of this.stores.values()) if (slot.persistent) return true;
    return false;
  }

  /**
   * Starts every executor and store; the first time, announces each (`executor_added`,
   * `store_added`).
   */
  async startAll(): Promise<void> {
    const announce = !this.#announced;
    for (const [alias, executor] of this.executors) {
      await executor.start({ alias });
      this.#started.add(alias);
      if (announce) this.#host.emitter.alias(EXECUTOR_ADDED, "executor_added", alias);
    }
    for (const slot of this.stores.values()) {
      await this.#startStore(slot);
      if (announce) this.#host.emitter.alias(STORE_ADDED, "store_added", slot.alias);
    }
    this.#announced = true;
  }

  /** Undoes a start that failed half-way, so that a later `start()` begins from scratch. */
  async rollBack(): Promise<void> {
    const logger = this.#host.logger();
    for (const slot of this.stores.values()) {
      if (slot.unwatch === undefined) continue;
      slot.unwatch();
      slot.unwatch = undefined;
      await slot.store?.shutdown().catch((error: unknown) => {
        logger.error({ err: error, store: slot.alias }, "Error closing store after a failed start");
      });
    }
    for (const alias of this.#started)
      await this.executors
        .get(alias)
        ?.shutdown(false)
        .catch((error: unknown) => {
          logger.error({ err: error, executor: alias }, "Error shutting down executor");
        });
    this.#started.clear();
  }

  /** Stops listening to the stores' change hints. */
  unwatchAll(): void {
    for (const slot of this.stores.values()) {
      slot.unwatch?.();
      slot.unwatch = undefined;
    }
  }

  /**
   * Shuts every started executor down; errors are logged.
   *
   * @param wait - let running runs finish
   */
  async shutdownExecutors(wait: boolean): Promise<void> {
    for (const alias of this.#started) {
      try {
        await this.executors.get(alias)?.shutdown(wait);
      } catch (error) {
        this.#host.logger().error({ err: error, executor: alias }, "Error shutting down executor");
      }
    }
    this.#started.clear();
  }

  /** Shuts every store down; errors are logged. */
  async shutdownStores(): Promise<void> {
    for (const slot of this.stores.values()) {
      try {
        await slot.store?.shutdown();
      } catch (error) {
        this.#host.logger().error({ err: error, store: slot.alias }, "Error shutting down store");
      }
    }
  }

  /**
   * @param store - an instance or `{ type, ...options }`
   * @param alias - its alias
   * @throws {@link DuplicateAliasError} when the alias is taken
   */
  async addStore(store: Store | StoreConfig, alias: string): Promise<void> {
    checkNonEmptyString("alias", alias);
    if (this.stores.has(alias)) throw new DuplicateAliasError("store", alias);
    const slot = makeStoreSlot(alias, store);
    this.stores.set(alias, slot);
    if (this.#host.started()) {
      try {
        await this.#startStore(slot);
      } catch (error) {
        this.stores.delete(alias);
        throw error;
      }
    }
    this.#host.emitter.alias(STORE_ADDED, "store_added", alias);
  }

  /**
   * @param alias - its alias
   * @throws {@link UnknownAliasError} when there is no such store
   */
  async removeStore(alias: string): Promise<void> {
    const slot = this.slot(alias);
    this.stores.delete(alias);
    slot.unwatch?.();
    if (this.#host.started()) await slot.store?.shutdown();
    this.#host.emitter.alias(STORE_REMOVED, "store_removed", alias);
  }

  /**
   * @param executor - an instance, an alias or `{ type, ...options }`
   * @param alias - its alias
   * @throws {@link DuplicateAliasError} when the alias is taken; `ExecutorConfigError`
   */
  async addExecutor(executor: ExecutorConfig, alias: string): Promise<void> {
    checkNonEmptyString("alias", alias);
    if (this.executors.has(alias)) throw new DuplicateAliasError("executor", alias);
    const instance = createExecutor(executor);
    this.executors.set(alias, instance);
    if (this.#host.started()) {
      await instance.start({ alias });
      this.#started.add(alias);
    }
    this.#host.emitter.alias(EXECUTOR_ADDED, "executor_added", alias);
  }

  /**
   * @param alias - its alias
   * @throws {@link UnknownAliasError} when there is no such executor
   */
  async removeExecutor(alias: string): Promise<void> {
    const executor = this.executors.get(alias);
    if (executor === undefined)
      throw new UnknownAliasError("executor", alias, [...this.executors.keys()]);
    this.executors.delete(alias);
    if (this.#started.delete(alias)) await executor.shutdown(true);
    this.#host.emitter.alias(EXECUTOR_REMOVED, "executor_removed", alias);
  }

  /**
   * @param alias - a store alias
   * @returns its slot
   * @throws {@link UnknownAliasError} when there is no such store
   */
  slot(alias: string): StoreSlot {
    const slot = this.stores.get(alias);
    if (slot === undefined) throw new UnknownAliasError("store", alias, [...this.stores.keys()]);
    return slot;
  }

  /**
   * @param store - one alias, or `undefined` for all
   * @returns the slots
   */
  select(store: string | undefined): StoreSlot[] {
    return store === undefined ? [...this.stores.values()] : [this.slot(store)];
  }

  async #startStore(slot: StoreSlot): Promise<void> {
    slot.store ??= await createStore(slot.alias, slot.config);
    const store = slot.store;
    const host = this.#host;
    await store.start({
      alias: slot.alias,
      owner: host.owner,
      lockPath: host.lockPath?.replaceAll("{store}", slot.alias),
      logger: host.logger().child({ store: slot.alias }),
      emit: (event) => host.events.dispatch(event),
    });
    slot.retryAtMs = 0;
    slot.unwatch = store.watch(() => host.loop().storeChanged(slot));
  }
}
