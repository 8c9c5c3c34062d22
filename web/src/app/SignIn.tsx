/**
 * Sign in by pasting a bearer token (`wfv token …`): the server checks it on the first call.
 * `notice` says why the form is back (the last session's token was refused), as a status.
 */
import { type FormEvent, useId, useState } from "react";

import { Button } from "../components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../components/ui/card";
import { Input } from "../components/ui/input";

const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export function SignIn({ onSignIn, notice = null }: { onSignIn: (token: string) => void; notice?: string | null }) {
  const [token, setToken] = useState("");
  const [refused, setRefused] = useState(false);
  const field = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!JWT.test(value)) {
      setRefused(true);
      return;
    }
    onSignIn(value);
  };
  return (
    <main className="mx-auto max-w-md p-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>Sign in to wfv</h1>
          </CardTitle>
          <CardDescription>Paste a bearer token. It stays in this tab only and is forgotten at sign-out.</CardDescription>
        </CardHeader>
        <CardContent>
          {notice ? (
            <p role="status" className="mb-3 text-sm font-medium">
              {notice}
            </p>
          ) : null}
          <form onSubmit={submit} className="grid gap-3">
            <label htmlFor={field} className="text-sm font-medium">
              Token
            </label>
            <Input
              id={field}
              type="password"
              autoComplete="off"
              value={token}
              aria-invalid={refused || undefined}
              onChange={(event) => {
                setToken(event.target.value);
                setRefused(false);
              }}
            />
            {refused ? (
              <p role="alert" className="text-destructive text-sm">
                That does not look like a JWT (three dot-separated parts).
              </p>
            ) : null}
            <Button type="submit">Sign in</Button>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}
