/** The file to require for bin/<name>.ts (or `source`) under `root`: its up-to-date build (see compiled-entry.js). */
export function compiledEntry(root: string, name: string, source?: string): Promise<string>;
/** Hash of the sources a build of `root` is made from. */
export function sourcesHash(root: string): string;
