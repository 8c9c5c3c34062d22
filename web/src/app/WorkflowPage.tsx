/**
 * One workflow: its history, and a version's graph (the current one until another version
 * is chosen in the history; the newest when none is current yet).
 * The Compare tab: two of its versions side by side (compare/ComparePicker).
 */
import { lazy, Suspense, useState } from "react";

import { useVersions } from "../api/queries";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../components/ui/tabs";
import { HistoryPanel } from "../history/HistoryPanel";

// React Flow is the largest part of the bundle: it loads when a graph is first shown.
const WorkflowGraph = lazy(() => import("../graph/WorkflowGraph").then((module) => ({ default: module.WorkflowGraph })));
// The compare screen draws two graphs: it loads with React Flow too, when first opened.
const ComparePicker = lazy(() => import("../compare/ComparePicker"));

export function WorkflowPage({ workflowId }: { workflowId: string }) {
  const versions = useVersions(workflowId);
  const [chosen, setChosen] = useState<number | null>(null);
  const [tab, setTab] = useState("history");
  const fallback = versions.data?.find((version) => version.is_current) ?? versions.data?.[0];
  const shown = chosen ?? fallback?.version_number ?? null;
  return (
    <Tabs value={tab} onValueChange={setTab}>
      <TabsList>
        <TabsTrigger value="history">History</TabsTrigger>
        <TabsTrigger value="graph">Graph{shown !== null ? ` (v${shown})` : ""}</TabsTrigger>
        <TabsTrigger value="compare">Compare</TabsTrigger>
      </TabsList>
      <TabsContent value="history">
        <HistoryPanel
          workflowId={workflowId}
          onSelectVersion={(version) => {
            setChosen(version.version_number);
            setTab("graph");
          }}
        />
      </TabsContent>
      <TabsContent value="graph">
        {shown !== null ? (
          <Suspense fallback={<p className="text-muted-foreground text-sm">Loading the graph…</p>}>
            <WorkflowGraph workflowId={workflowId} version={shown} />
          </Suspense>
        ) : (
          <p className="text-muted-foreground text-sm">This workflow has no version to draw.</p>
        )}
      </TabsContent>
      <TabsContent value="compare">
        <Suspense fallback={<p className="text-muted-foreground text-sm">Loading the comparison…</p>}>
          <ComparePicker workflowId={workflowId} />
        </Suspense>
      </TabsContent>
    </Tabs>
  );
}
