export {
  InvalidLockOptionError,
  LockError,
  LockPathError,
  LockTimeoutError,
  LockUnsupportedError,
  UnknownPlaceholderError,
} from "./errors.js";
export {
  FileLockProtected,
  type FileLockProtectedOptions,
  FileProtectedLock,
  type LockStrategy,
} from "./file-lock-protected.js";
export type { LockGuard, LockProtected } from "./lock-guard.js";
export {
  expandLockPath,
  LOCK_PATH_PLACEHOLDERS,
  type LockPathValues,
} from "./lock-path-template.js";
export { LockCompromisedError } from "./mkdir-lock-guard.js";
export { NullLockProtected } from "./null-lock-protected.js";
export {
  isLocked,
  type LockMode,
  lockExclusive,
  lockShared,
  OsLock,
  type OsLockOptions,
  tryLockExclusive,
  tryLockShared,
} from "./os-lock.js";
export { type LockSupportReport, probeLockSupport } from "./probe-lock-support.js";
export { processGroupId } from "./process-group.js";
export type { LockWaitOptions } from "./wait-options.js";
