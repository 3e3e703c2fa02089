export { flushAsync, ManualClock } from "./manual-clock.js";
export { scratchDir } from "./scratch-dir.js";
export type { StoreContractOptions } from "./store-contract.js";
export { makeTestRecord, storeContract } from "./store-contract.js";
