import { Button } from "../components/ui/button";
import { useSession } from "../session/useSession";

export function SignOutButton() {
  const { signOut } = useSession();
  return (
    <Button variant="outline" onClick={signOut}>
      Sign out
    </Button>
  );
}
