/** The file to require for bin/<name>.ts (or `source`) under `root`: its up-to-date build (see compiled-entry.js). */
export function compiledEntry(root: string, name: string, source?: string): Promise<string>;
/** Hash of the sources a build of `root` is made from. */
export function sourcesHash(root: string): string;
/** Runs a build compiledEntry returned, with a V8 code cache beside it (see compiled-entry.js); returns its exports. */
export function runCompiled(file: string, argv?: readonly string[]): unknown;
