/**
 * Who the bearer token says the reader is, read only to explain disabled controls: the
 * server decides every request. A token with an `org_role` is mapped by the server's
 * WFV_ROLE_PERMISSIONS, which the browser cannot see, so its admin rights are unknown (null).
 */
export interface Identity {
  /** The token's `sub`; null when the token is not a JWT the browser can read. */
  userId: string | null;
  /** Whether the token holds `workflows:admin`; null when only the server can tell. */
  admin: boolean | null;
}

function claims(token: string): Record<string, unknown> | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const text = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function identityOf(token: string): Identity {
  const claimed = claims(token);
  if (!claimed) return { userId: null, admin: null };
  const userId = typeof claimed.sub === "string" ? claimed.sub : null;
  if ("org_role" in claimed || "o" in claimed) return { userId, admin: null };
  const permissions = Array.isArray(claimed.permissions) ? claimed.permissions : [];
  return { userId, admin: permissions.includes("workflows:admin") };
}
