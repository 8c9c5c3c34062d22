/** git's unified patch of the pair, as text: whatever the documents hold stays text. */
import { usePatch } from "./queries";

export function Patch({ workflowId, from, to }: { workflowId: string; from: number; to: number }) {
  const patch = usePatch(workflowId, from, to, true);
  if (patch.isPending) return <p className="text-muted-foreground text-sm">Reading git's patch…</p>;
  if (patch.isError) return <p role="alert">Could not read the patch: {patch.error.message}</p>;
  return (
    <pre aria-label={`git's patch from v${from} to v${to}`} className="bg-muted max-h-[640px] overflow-auto rounded-lg p-3 font-mono text-xs">
      {patch.data}
    </pre>
  );
}
