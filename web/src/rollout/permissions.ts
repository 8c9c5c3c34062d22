/**
 * What the bearer token says it may do, read only to explain a disabled control: the
 * server decides every request. A token with an `org_role` is mapped by the server's
 * WFV_ROLE_PERMISSIONS, which the browser cannot see, so it is never judged here.
 */
import { byRole, claims } from "../session/claims";

const EDIT = ["workflows:edit", "workflows:admin"];

/** Why the token cannot edit, or null when it can (or when only the server can tell). */
export function cannotEditReason(token: string): string | null {
  const claimed = claims(token);
  if (!claimed || byRole(claimed)) return null;
  const permissions = Array.isArray(claimed.permissions) ? claimed.permissions.filter((item): item is string => typeof item === "string") : [];
  if (permissions.some((permission) => EDIT.includes(permission))) return null;
  const held = permissions.length ? permissions.join(", ") : "none";
  return `Your token's permissions (${held}) do not include workflows:edit, which changing a live workflow needs.`;
}
