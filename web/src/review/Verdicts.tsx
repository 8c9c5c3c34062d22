/**
 * Approve or request changes. Approve is disabled for whoever created or edited the draft,
 * with the reason in text: the server refuses their approval anyway (403 self-approval),
 * and says so in its own words if the browser did not know.
 */
import { useId } from "react";

import { Button } from "../components/ui/button";

import type { Verdict } from "./queries";

export interface VerdictsProps {
  /** Why the reader cannot approve, or null. */
  cannotApprove: string | null;
  busy: boolean;
  error: Error | null;
  onVerdict: (verdict: Verdict) => void;
}

export function Verdicts({ cannotApprove, busy, error, onVerdict }: VerdictsProps) {
  const reasonId = useId();
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap gap-2">
        <Button disabled={busy || cannotApprove !== null} {...(cannotApprove ? { "aria-describedby": reasonId } : {})} onClick={() => onVerdict("approve")}>
          Approve
        </Button>
        <Button variant="outline" disabled={busy} onClick={() => onVerdict("request_changes")}>
          Request changes
        </Button>
      </div>
      {cannotApprove ? (
        <p id={reasonId} className="text-muted-foreground text-sm">
          {cannotApprove}
        </p>
      ) : null}
      {error ? <p role="alert">{error.message}</p> : null}
    </div>
  );
}
