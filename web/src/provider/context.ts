/** What WfvProvider gives every component: the typed API client, sign-out, the page's style nonce. */
import { createContext, useContext } from "react";

import type { WfvClient } from "../api/client";

export interface WfvContextValue {
  api: WfvClient;
  signOut: () => void;
  /** The host's current bearer token, read to show what it permits (the server decides). */
  getToken: () => string | Promise<string>;
  /**
   * Whether this provider has signed out (by the user or after a 401): work still under way
   * as components close, such as the editor keeping unsent text, must then leave nothing.
   */
  signedOut: () => boolean;
  /** The nonce the page's Content-Security-Policy allows `<style>` elements with, if any. */
  cspNonce?: string;
}

export const WfvContext = createContext<WfvContextValue | null>(null);

export function useWfv(): WfvContextValue {
  const value = useContext(WfvContext);
  if (!value) throw new Error("wfv components must be inside <WfvProvider>");
  return value;
}
