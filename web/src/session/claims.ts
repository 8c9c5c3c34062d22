/**
 * The claims of a bearer token, read by the browser only to explain disabled controls (the
 * server verifies and decides every request); null when the token is not a JWT it can read.
 * A token with an `org_role` is mapped by the server's WFV_ROLE_PERMISSIONS, which the
 * browser cannot see: callers treat its rights as unknown.
 */
export function claims(token: string): Record<string, unknown> | null {
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

/** Whether only the server can tell what the token may do (an organisation role). */
export function byRole(claimed: Record<string, unknown>): boolean {
  return "org_role" in claimed || "o" in claimed;
}
