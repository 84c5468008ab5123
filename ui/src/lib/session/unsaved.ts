// Typing that has not reached Rust yet (a draft note's last second) must be saved before the
// session locks or ends, because afterwards Rust refuses every save. A screen with such typing
// registers how to save it; locking and signing out save everything registered first, for at
// most a few seconds, so a hung save never keeps the screen open.

type SaveNow = () => Promise<boolean>;

const registered = new Set<SaveNow>();

/** Registers a way to save unsaved typing; returns the function that unregisters it. */
export function saveBeforeLeaving(saveNow: SaveNow): () => void {
  registered.add(saveNow);
  return () => registered.delete(saveNow);
}

export const SAVE_LIMIT_MS = 3_000;

/**
 * Starts every registered save at once (each posts its command before this returns) and
 * resolves when all have finished or the limit has passed, with whether all of them saved.
 */
export function saveEverythingUnsaved(limitMs: number = SAVE_LIMIT_MS): Promise<boolean> {
  if (registered.size === 0) {
    return Promise.resolve(true);
  }
  const saves = [...registered].map((saveNow) => saveNow().catch(() => false));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), limitMs);
  });
  const all = Promise.all(saves).then((results) => results.every(Boolean));
  return Promise.race([all, limit]).finally(() => clearTimeout(timer));
}
