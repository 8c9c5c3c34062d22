/**
 * git's unified patch of the pair, as text: whatever the documents hold stays text. It
 * scrolls, so it is a named region in the tab order: a keyboard can reach and scroll it.
 */
import { usePatch } from "./queries";

export function Patch({ workflowId, from, to }: { workflowId: string; from: number; to: number }) {
  const patch = usePatch(workflowId, from, to, true);
  if (patch.isPending) return <p className="text-muted-foreground text-sm">Reading git's patch…</p>;
  if (patch.isError) return <p role="alert">Could not read the patch: {patch.error.message}</p>;
  return (
    <pre role="region" tabIndex={0} aria-label={`git's patch from v${from} to v${to}`} className="bg-muted max-h-[640px] overflow-auto rounded-lg p-3 font-mono text-xs">
      {patch.data}
    </pre>
  );
}
