/**
 * One step of the graph: its id (or "Trigger"), type, name, and a badge of the contacts on it
 * now; in a comparison, its change (colour and word) and a badge of the live contacts a
 * breaking change there hits.
 */
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";

import { Badge } from "../components/ui/badge";
import { cn } from "../lib/utils";

import { CHANGES } from "./changes";
import type { StepNode } from "./layout";

function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const change = data.highlight?.change ?? null;
  const breaking = data.highlight?.breaking ?? null;
  return (
    <div
      data-change={change ?? undefined}
      className={cn(
        "bg-card text-card-foreground flex h-full w-full flex-col justify-center gap-0.5 rounded-lg border px-3 py-2 text-left shadow-xs",
        data.kind === "trigger" && "border-primary/60 bg-secondary",
        change && cn("border-2", CHANGES[change].step),
        selected && "ring-ring ring-2",
      )}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="!opacity-0" />
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-mono text-sm font-semibold">{data.title}</span>
        {data.live !== null ? (
          <Badge variant={data.live > 0 ? "default" : "outline"} title="contacts live on this step" data-testid="live-count">
            {data.live}
          </Badge>
        ) : null}
        {breaking ? (
          <Badge variant="destructive" title="a breaking change: live contacts here it hits (and pinned ones)" data-testid="breaking">
            ⚠ {breaking.live} live{breaking.pinned ? ` +${breaking.pinned} pinned` : ""}
          </Badge>
        ) : null}
      </div>
      <span className="text-muted-foreground truncate text-xs">
        {data.type}
        {change ? <span className="text-foreground font-medium"> · {CHANGES[change].word}</span> : null}
      </span>
      {data.name ? <span className="truncate text-xs">{data.name}</span> : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="!opacity-0" />
    </div>
  );
}

export default memo(StepNodeView);
