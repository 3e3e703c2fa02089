/**
 * The factory the scheduler calls for `stores: { alias: { type: "file", ... } }`: core loads this
 * package lazily (`await import("@asyncz/file-store")`) and calls `createStore(options)`.
 */
import { FileStore } from "./file-store.js";
import type { FileStoreOptions } from "./file-store-options.js";

/**
 * @param options - `{ type: "file", directory, cleanupDirectory?, ... }` (`type` is ignored)
 * @returns a new, not yet started {@link FileStore}
 * @throws {@link FileStoreOptionError} naming a bad option
 */
export function createStore(options: FileStoreOptions & { readonly type?: string }): FileStore {
  const { type: _type, ...rest } = options;
  return new FileStore(rest);
}
