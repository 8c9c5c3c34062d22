/**
 * The one wrapper a host puts around wfv's components: it holds the QueryClient and the API
 * client. After sign-out it renders nothing (no data of the last user stays on screen); a
 * host that signs someone in again mounts a new provider, e.g. keyed on the user's id.
 * Any API answer 401 (the token expired or was revoked) signs out the same way, once, and
 * tells the host through `onUnauthorized` so it can say why.
 */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { setNonce } from "get-nonce";
import { type ReactNode, useCallback, useMemo, useRef, useState } from "react";

import { createApi } from "../api/client";
import { clearWfvStorage } from "../session/storage";

import { WfvContext, type WfvContextValue } from "./context";
import { createQueryClient } from "./queryClient";

export interface WfvProviderProps {
  /** Where wfv is, such as `https://wfv.example.com` (the API is under `/api/v1`); "" for the page's own origin. */
  baseUrl: string;
  /** The bearer token of the person signed in; called before every request. */
  getToken: () => string | Promise<string>;
  /** Called after sign-out has cleared wfv's data: the host forgets its token there. */
  onSignOut?: () => void;
  /**
   * Called once when an API answer is 401, after the provider has signed out because of it
   * (as `useSession().signOut` does, `onSignOut` included): the host says the session ended
   * and asks for a new sign-in.
   */
  onUnauthorized?: () => void;
  /** Tests answer from recorded answers; a host may add headers or logging. */
  fetch?: (request: Request) => Promise<Response>;
  /** A QueryClient of the host's, if it wants to share one (sign-out clears it). */
  queryClient?: QueryClient;
  /**
   * The nonce of the page's Content-Security-Policy, for a policy without `'unsafe-inline'`
   * styles: the editor (CodeMirror) and the dialogs (their scroll lock) insert `<style>`
   * elements, which carry it. The standalone app reads the one the service gives its page.
   */
  cspNonce?: string;
  children: ReactNode;
}

export function WfvProvider({ baseUrl, getToken, onSignOut, onUnauthorized, fetch, queryClient, cspNonce, children }: WfvProviderProps) {
  const [ownClient] = useState(createQueryClient);
  // Radix's scroll lock reads it from get-nonce's one global, when it inserts its style.
  if (cspNonce) setNonce(cspNonce);
  const client = queryClient ?? ownClient;
  const [signedOut, setSignedOut] = useState(false);
  // The latest token provider and sign-out hook, without rebuilding the client when a host
  // passes a new arrow function on each render.
  const tokenRef = useRef(getToken);
  tokenRef.current = getToken;
  const signOutRef = useRef(onSignOut);
  signOutRef.current = onSignOut;
  const unauthorizedRef = useRef(onUnauthorized);
  unauthorizedRef.current = onUnauthorized;
  // Several queries in flight may all answer 401: the first one signs out, the rest are late.
  const endedRef = useRef(false);
  const endRef = useRef<(unauthorized: boolean) => void>(() => undefined);

  const api = useMemo(
    () =>
      createApi({
        baseUrl,
        getToken: () => tokenRef.current(),
        onUnauthorized: () => endRef.current(true),
        ...(fetch ? { fetch } : {}),
      }),
    [baseUrl, fetch],
  );
  const end = useCallback(
    (unauthorized: boolean) => {
      if (endedRef.current) return;
      endedRef.current = true;
      void client.cancelQueries();
      client.clear();
      clearWfvStorage();
      setSignedOut(true);
      signOutRef.current?.();
      if (unauthorized) unauthorizedRef.current?.();
    },
    [client],
  );
  endRef.current = end;
  const signOut = useCallback(() => end(false), [end]);
  const value = useMemo<WfvContextValue>(
    () => ({ api, signOut, getToken: () => tokenRef.current(), signedOut: () => endedRef.current, ...(cspNonce ? { cspNonce } : {}) }),
    [api, signOut, cspNonce],
  );

  if (signedOut) return null;
  return (
    <QueryClientProvider client={client}>
      <WfvContext.Provider value={value}>{children}</WfvContext.Provider>
    </QueryClientProvider>
  );
}
