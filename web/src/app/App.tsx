/**
 * The standalone app, composed from the package's components only: sign in by pasting a
 * token, then the workflows list beside a workflow's history and graph. Sign-out clears
 * everything and brings the sign-in form back, empty. So does any API answer 401 (the
 * provider's `onUnauthorized`), and the sign-in form then says the session ended.
 */
import { useState } from "react";

import { WfvProvider } from "../provider/WfvProvider";
import { useStoredToken } from "../session/useStoredToken";
import { WorkflowsList } from "../workflows/WorkflowsList";

import { SignIn } from "./SignIn";
import { SignOutButton } from "./SignOutButton";
import { WorkflowPage } from "./WorkflowPage";

export const SESSION_ENDED = "Your session ended; sign in again.";

export interface AppProps {
  baseUrl: string;
  /** Tests answer from recorded answers. */
  fetch?: (request: Request) => Promise<Response>;
  /** The style nonce the service put in the page (WfvProvider's `cspNonce`). */
  cspNonce?: string;
}

export function App({ baseUrl, fetch, cspNonce }: AppProps) {
  const [token, setToken] = useStoredToken();
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);

  if (!token) {
    const signIn = (next: string) => {
      setEnded(false);
      setToken(next);
    };
    return <SignIn onSignIn={signIn} notice={ended ? SESSION_ENDED : null} />;
  }
  const signedOut = () => {
    setWorkflowId(null);
    setToken(null);
  };
  return (
    <WfvProvider
      baseUrl={baseUrl}
      getToken={() => token}
      onSignOut={signedOut}
      onUnauthorized={() => setEnded(true)}
      {...(fetch ? { fetch } : {})}
      {...(cspNonce ? { cspNonce } : {})}
    >
      <div className="mx-auto flex max-w-7xl flex-col gap-4 p-4">
        <header className="flex items-center justify-between">
          <h1 className="text-xl font-semibold">wfv</h1>
          <SignOutButton />
        </header>
        <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
          <WorkflowsList selectedId={workflowId} onOpen={setWorkflowId} />
          <main className="min-w-0">
            {workflowId ? (
              <WorkflowPage key={workflowId} workflowId={workflowId} />
            ) : (
              <p className="text-muted-foreground">Choose a workflow, or create one.</p>
            )}
          </main>
        </div>
      </div>
    </WfvProvider>
  );
}
