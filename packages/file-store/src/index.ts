/** Package version, exported so the package has a public surface before the store lands. */
export const FILE_STORE_PACKAGE = "@asyncz/file-store";
