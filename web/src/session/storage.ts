/**
 * Where wfv keeps anything in the browser: keys beginning with "wfv" (the token in
 * sessionStorage, drafts kept offline), so sign-out can find and remove every one of them.
 */
export const STORAGE_PREFIX = "wfv";
export const TOKEN_KEY = `${STORAGE_PREFIX}.token`;

export function clearWfvStorage(): void {
  for (const storage of [globalThis.localStorage, globalThis.sessionStorage]) {
    if (!storage) continue;
    const ours: string[] = [];
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index);
      if (key?.startsWith(STORAGE_PREFIX)) ours.push(key);
    }
    for (const key of ours) storage.removeItem(key);
  }
}
