/**
 * Turns a store configuration into a store. `type: "file"` loads `@asyncz/file-store` with a
 * dynamic import, so core has no static dependency on it.
 */
import { AsynczError, InvalidArgumentError, UnknownAliasError } from "../errors.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { Store } from "../stores/store.js";
import type { StoreConfig } from "./scheduler-options.js";

/** Store types that can be given as `{ type }`. */
export const STORE_TYPES = ["memory", "file"] as const;

/**
 * @param value - anything
 * @returns whether it implements the store port
 */
export function isStore(value: unknown): value is Store {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Record<keyof Store, unknown>>;
  return (
    typeof candidate.start === "function" &&
    typeof candidate.addTask === "function" &&
    typeof candidate.claimRuns === "function" &&
    typeof candidate.getDueTasks === "function"
  );
}

/**
 * @param alias - the alias, for messages
 * @param config - an instance or `{ type, ...options }`
 * @returns whether tasks given to it must be referencable (known before the store is loaded)
 * @throws {@link InvalidArgumentError} / {@link UnknownAliasError} for a bad configuration
 */
export function isPersistentConfig(alias: string, config: Store | StoreConfig): boolean {
  if (isStore(config)) return config.persistent;
  if (typeof config !== "object" || config === null)
    throw new InvalidArgumentError(
      `stores.${alias}`,
      config,
      'must be a store instance or { type: "memory" | "file", ...options }',
    );
  const type = (config as { type?: unknown }).type;
  if (type === "memory") return false;
  if (type === "file") return true;
  throw new UnknownAliasError("store type", String(type), STORE_TYPES);
}

/**
 * @param alias - the alias, for messages
 * @param config - an instance (returned as is) or `{ type, ...options }`
 * @returns the store
 * @throws the store constructor's errors; an {@link AsynczError} when `@asyncz/file-store` is not
 *   installed
 */
export async function createStore(alias: string, config: Store | StoreConfig): Promise<Store> {
  if (isStore(config)) return config;
  isPersistentConfig(alias, config);
  const { type, ...options } = config as { type: string } & Record<string, unknown>;
  if (type === "memory") return new MemoryStore(options);
  // A variable specifier keeps bundlers and tsc from making the file store a static dependency.
  const specifier = "@asyncz/file-store";
  let module: {
    createStore?: (options: Record<string, unknown>) => Store;
    FileStore?: new (options: Record<string, unknown>) => Store;
  };
  try {
    module = (await import(specifier)) as typeof module;
  } catch (error) {
    throw new AsynczError(
      "STORE_MODULE_MISSING",
      `Invalid stores.${alias}.type = "file": the package @asyncz/file-store cannot be loaded; install it (npm install @asyncz/file-store)`,
      { cause: error },
    );
  }
  if (typeof module.createStore === "function") return module.createStore(options);
  if (typeof module.FileStore === "function") return new module.FileStore(options);
  throw new AsynczError(
    "STORE_MODULE_MISSING",
    `Invalid stores.${alias}.type = "file": the installed @asyncz/file-store exports neither createStore nor FileStore`,
  );
}
