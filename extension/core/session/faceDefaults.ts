// Defaults that differ between the faces of the engine (core/session/runRecipe.ts).
/**
 * Where the faces differ, and why. The CLI is strace: one process, no source
 * lines unless asked (`-f`, `--source`). A debug session is for reading a
 * program in the editor: its children are part of it, and source lines are
 * what it shows.
 */
export const FACE_DEFAULTS = {
  cli: { followForks: false, source: false },
  debugAdapter: { followForks: true, source: true },
} as const;
