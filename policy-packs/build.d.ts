/** Types of policy-packs/build.js (plain JavaScript so that `npm ci` runs it without a TypeScript loader). */
export declare const PACKS: readonly string[];
export declare function sourceHash(): string;
export declare function bundle(pack: string, hash: string): string;
export declare function stalePacks(hash?: string): string[];
export declare function buildPacks(options?: { force?: boolean }): string[];
export declare function entryPath(pack: string): string;
