/** @returns what the lifecycle did, in order */
export declare function main(): Promise<string[]>;
