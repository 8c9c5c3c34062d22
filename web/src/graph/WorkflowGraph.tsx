/**
 * A version's document drawn as what it is, a graph: the trigger, one node per action, edges
 * for `next` and for the `then` / `else` of a branch, and the live contacts on each step
 * (read again every few seconds). Nodes and edges take the keyboard's focus (Tab), with an
 * accessible name that says the same as the picture.
 */
import { Background, Controls, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";

import { useExecutionSummary, useVersion } from "../api/queries";

import { readDocument } from "./document";
import { layout } from "./layout";
import { liveCounts } from "./liveCounts";
import StepNodeView from "./StepNodeView";

const nodeTypes = { step: StepNodeView };

export interface WorkflowGraphProps {
  workflowId: string;
  /** The version's number or id. */
  version: number | string;
  className?: string;
}

export function WorkflowGraph({ workflowId, version, className }: WorkflowGraphProps) {
  const detail = useVersion(workflowId, String(version));
  const summary = useExecutionSummary(workflowId);
  const document = useMemo(() => readDocument(detail.data?.definition), [detail.data]);
  const graph = useMemo(
    () => layout(document, liveCounts(summary.data, detail.data?.version_number ?? -1)),
    [document, summary.data, detail.data],
  );

  if (detail.isPending) return <p className="text-muted-foreground text-sm">Loading the graph…</p>;
  if (detail.isError) return <p role="alert">Could not read the version: {detail.error.message}</p>;
  const label = `Version ${detail.data.version_number} as a graph`;
  return (
    <section aria-label={label} className={className}>
      <div className="h-[480px] w-full rounded-lg border">
        <ReactFlow
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable
          edgesFocusable
          fitView
          minZoom={0.2}
          aria-label={label}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      {summary.isError ? (
        <p className="text-muted-foreground mt-2 text-sm">Live counts are unavailable: {summary.error.message}</p>
      ) : null}
      {document.problems.length > 0 ? (
        <div className="mt-2 text-sm" role="note">
          <p className="font-medium">This version is incomplete; what can be drawn is drawn.</p>
          <ul className="text-muted-foreground list-disc pl-5">
            {document.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
