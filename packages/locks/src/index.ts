/** Package version, exported so the package has a public surface before its locks land. */
export const LOCKS_PACKAGE = "@asyncz/locks";
