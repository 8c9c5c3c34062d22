/**
 * One side of a comparison: a version's graph (the WorkflowGraph machinery: document, layout,
 * node view) with each step marked by its change. Selecting a step, by click or by Enter on
 * a focused one, selects the same step on both sides (the selection is the view's).
 */
import { Background, type NodeChange, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";

import { useVersion } from "../api/queries";
import { readDocument } from "../graph/document";
import { type Highlight, layout, type StepNode } from "../graph/layout";
import StepNodeView from "../graph/StepNodeView";

const nodeTypes = { step: StepNodeView };

export interface CompareGraphProps {
  workflowId: string;
  version: number;
  highlights: ReadonlyMap<string, Highlight>;
  selected: string | null;
  onSelect: (key: string | null) => void;
}

export function CompareGraph({ workflowId, version, highlights, selected, onSelect }: CompareGraphProps) {
  const detail = useVersion(workflowId, String(version));
  const graph = useMemo(() => layout(readDocument(detail.data?.definition), null, highlights), [detail.data, highlights]);
  const nodes = useMemo(() => graph.nodes.map((node) => ({ ...node, selected: node.id === selected })), [graph.nodes, selected]);
  // Clicks and the keyboard (Enter, Escape) both arrive as select changes.
  const onNodesChange = (changes: NodeChange<StepNode>[]) => {
    const picks = changes.filter((change) => change.type === "select");
    const chosen = picks.find((change) => change.selected);
    if (chosen) onSelect(chosen.id);
    else if (picks.some((change) => change.id === selected)) onSelect(null);
  };

  const label = `Version ${version} as a graph, steps marked by change`;
  if (detail.isPending) return <p className="text-muted-foreground text-sm">Loading v{version}…</p>;
  if (detail.isError) return <p role="alert">Could not read v{version}: {detail.error.message}</p>;
  return (
    <section aria-label={label} className="min-w-0">
      <h3 className="mb-1 text-sm font-medium">v{version}</h3>
      <div className="h-[480px] w-full rounded-lg border">
        <ReactFlow
          nodes={nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable
          edgesFocusable
          multiSelectionKeyCode={null}
          fitView
          minZoom={0.2}
          aria-label={label}
        >
          <Background />
        </ReactFlow>
      </div>
    </section>
  );
}
