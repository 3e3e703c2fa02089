export { createStore } from "./create-store.js";
export {
  CorruptTaskFileError,
  FileStoreOptionError,
  StoreDirectoryError,
  StoreLockError,
} from "./errors.js";
export { encodeId, taskFileName } from "./file-names.js";
export { FileStore } from "./file-store.js";
export type { FileStoreOptions } from "./file-store-options.js";
