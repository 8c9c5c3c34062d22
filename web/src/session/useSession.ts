/**
 * Sign-out from inside wfv's components: the query cache, the token and every wfv key in
 * localStorage and sessionStorage are cleared, the provider renders nothing, and the host's
 * `onSignOut` runs to forget its own token.
 */
import { useWfv } from "../provider/context";

export function useSession(): { signOut: () => void } {
  const { signOut } = useWfv();
  return { signOut };
}
