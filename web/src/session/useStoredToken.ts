/**
 * The standalone app's token: in memory, and in this tab's sessionStorage so a reload keeps
 * it (never localStorage: it would outlive the tab). A host with its own sign-in has no use
 * for it; it gives WfvProvider a `getToken` of its own.
 */
import { useCallback, useState } from "react";

import { TOKEN_KEY } from "./storage";

export function useStoredToken(): [string | null, (token: string | null) => void] {
  const [token, setToken] = useState<string | null>(() => globalThis.sessionStorage?.getItem(TOKEN_KEY) ?? null);
  const store = useCallback((next: string | null) => {
    if (next) globalThis.sessionStorage?.setItem(TOKEN_KEY, next);
    else globalThis.sessionStorage?.removeItem(TOKEN_KEY);
    setToken(next);
  }, []);
  return [token, store];
}
