/** One step of the graph: its id (or "Trigger"), type, name, and a badge of the contacts on it now. */
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";

import { Badge } from "../components/ui/badge";
import { cn } from "../lib/utils";

import type { StepNode } from "./layout";

function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  return (
    <div
      className={cn(
        "bg-card text-card-foreground flex h-full w-full flex-col justify-center gap-0.5 rounded-lg border px-3 py-2 text-left shadow-xs",
        data.kind === "trigger" && "border-primary/60 bg-secondary",
        selected && "ring-ring ring-2",
      )}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="!opacity-0" />
      <div className="flex items-center justify-between gap-2">
        <span className="truncate font-mono text-sm font-semibold">{data.title}</span>
        <Badge variant={data.live > 0 ? "default" : "outline"} title="contacts live on this step" data-testid="live-count">
          {data.live}
        </Badge>
      </div>
      <span className="text-muted-foreground truncate text-xs">{data.type}</span>
      {data.name ? <span className="truncate text-xs">{data.name}</span> : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="!opacity-0" />
    </div>
  );
}

export default memo(StepNodeView);
