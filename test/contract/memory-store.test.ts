import { MemoryStore } from "@asyncz/core";
import { storeContract } from "@asyncz/core/test-kit";

storeContract("MemoryStore", () => new MemoryStore());

// Two schedulers of one process may share one instance; the peer is then the same object, and the
// suite also runs with a short claim retention to show collection never re-awards a live claim.
storeContract("MemoryStore (claimRetentionMs: 0)", () => new MemoryStore({ claimRetentionMs: 0 }));
