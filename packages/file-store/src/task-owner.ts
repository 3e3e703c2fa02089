/**
 * Which live member of a store directory handles a task first. Every member computes the same
 * answer from the task id and the sorted member list, without talking to the others.
 */

/**
 * A 32-bit FNV-1a hash of a task id (over its UTF-16 code units): cheap, stable across processes
 * and versions, and spreads ids that differ only in a counter (`task-1`, `task-2`, …) evenly.
 *
 * @param id - a task id
 * @returns an unsigned 32-bit hash
 */
export function taskIdHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * @param id - a task id
 * @param count - the number of live members (at least 1)
 * @returns the position (0-based, in the sorted member list) of the member that owns the task
 */
export function ownerIndex(id: string, count: number): number {
  return taskIdHash(id) % count;
}
