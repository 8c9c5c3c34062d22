/**
 * What the bearer token says it may do, read only to explain a disabled control: the
 * server decides every request. A token with an `org_role` is mapped by the server's
 * WFV_ROLE_PERMISSIONS, which the browser cannot see, so it is never judged here.
 */
const EDIT = ["workflows:edit", "workflows:admin"];

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

/** Why the token cannot edit, or null when it can (or when only the server can tell). */
export function cannotEditReason(token: string): string | null {
  const claimed = claims(token);
  if (!claimed || "org_role" in claimed || "o" in claimed) return null;
  const permissions = Array.isArray(claimed.permissions) ? claimed.permissions.filter((item): item is string => typeof item === "string") : [];
  if (permissions.some((permission) => EDIT.includes(permission))) return null;
  const held = permissions.length ? permissions.join(", ") : "none";
  return `Your token's permissions (${held}) do not include workflows:edit, which rollouts need.`;
}
