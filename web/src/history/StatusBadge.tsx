/** A version's status, with "current" for the version new contacts enrol on. */
import type { components } from "../api/client";
import { Badge } from "../components/ui/badge";

type Version = Pick<components["schemas"]["VersionPublic"], "status" | "is_current">;

const VARIANT = { current: "default", active: "secondary", draft: "outline", archived: "outline" } as const;

export function statusOf(version: Version): keyof typeof VARIANT {
  return version.is_current ? "current" : version.status;
}

export function StatusBadge({ version }: { version: Version }) {
  const status = statusOf(version);
  return (
    <Badge variant={VARIANT[status]} className={status === "archived" ? "text-muted-foreground" : undefined}>
      {status}
    </Badge>
  );
}
