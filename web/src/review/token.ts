/**
 * Who the bearer token says the reader is, read only to explain disabled controls: the
 * server decides every request. A token with an `org_role` is mapped by the server's
 * WFV_ROLE_PERMISSIONS, which the browser cannot see, so its admin rights are unknown (null).
 */
import { byRole, claims } from "../session/claims";

export interface Identity {
  /** The token's `sub`; null when the token is not a JWT the browser can read. */
  userId: string | null;
  /** Whether the token holds `workflows:admin`; null when only the server can tell. */
  admin: boolean | null;
}

export function identityOf(token: string): Identity {
  const claimed = claims(token);
  if (!claimed) return { userId: null, admin: null };
  const userId = typeof claimed.sub === "string" ? claimed.sub : null;
  if (byRole(claimed)) return { userId, admin: null };
  const permissions = Array.isArray(claimed.permissions) ? claimed.permissions : [];
  return { userId, admin: permissions.includes("workflows:admin") };
}
