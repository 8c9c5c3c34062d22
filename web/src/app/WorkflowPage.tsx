/**
 * One workflow: its history, and a version's graph (the current one until another version
 * is chosen in the history; the newest when none is current yet).
 * The Compare tab: two of its versions side by side (compare/ComparePicker).
 * Journeys, the impact of moving the current version's contacts to the newest draft, and
 * the rollout are tabs too, each loaded when first opened (the initial bundle stays small).
 * So is the audit trail (audit/AuditLog).
 * The Edit tab: the newest draft's working copy, auto-saved (editor/DraftEditor).
 */
import { lazy, Suspense, useState } from "react";

import { useVersions } from "../api/queries";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../components/ui/tabs";
import { HistoryPanel } from "../history/HistoryPanel";

// React Flow is the largest part of the bundle: it loads when a graph is first shown.
const WorkflowGraph = lazy(() => import("../graph/WorkflowGraph").then((module) => ({ default: module.WorkflowGraph })));
// The compare screen draws two graphs: it loads with React Flow too, when first opened.
const ComparePicker = lazy(() => import("../compare/ComparePicker"));
const JourneyLookup = lazy(() => import("../journeys/JourneyLookup").then((module) => ({ default: module.JourneyLookup })));
const ImpactPreview = lazy(() => import("../impact/ImpactPreview").then((module) => ({ default: module.ImpactPreview })));
const RolloutPanel = lazy(() => import("../rollout/RolloutPanel").then((module) => ({ default: module.RolloutPanel })));
// The review of the newest draft: its changes inline, comments on its steps, verdicts, the approval rule.
const ReviewPanel = lazy(() => import("../review/ReviewPanel").then((module) => ({ default: module.ReviewPanel })));
const AuditLog = lazy(() => import("../audit/AuditLog").then((module) => ({ default: module.AuditLog })));
// The migration wizard: what moves to which version, previewed, confirmed, then followed.
const MigrationWizard = lazy(() => import("../migration/MigrationWizard").then((module) => ({ default: module.MigrationWizard })));
// The draft editor brings CodeMirror: it loads when the Edit tab is first opened.
const DraftEditor = lazy(() => import("../editor/DraftEditor").then((module) => ({ default: module.DraftEditor })));
const loading = <p className="text-muted-foreground text-sm">Loading…</p>;

export function WorkflowPage({ workflowId }: { workflowId: string }) {
  const versions = useVersions(workflowId);
  const [chosen, setChosen] = useState<number | null>(null);
  const [tab, setTab] = useState("history");
  const fallback = versions.data?.find((version) => version.is_current) ?? versions.data?.[0];
  const shown = chosen ?? fallback?.version_number ?? null;
  const current = versions.data?.find((version) => version.is_current);
  const newestDraft = versions.data?.find((version) => version.status === "draft");
  return (
    <Tabs value={tab} onValueChange={setTab}>
      <TabsList className="h-auto max-w-full flex-wrap justify-start">
        <TabsTrigger value="history">History</TabsTrigger>
        <TabsTrigger value="graph">Graph{shown !== null ? ` (v${shown})` : ""}</TabsTrigger>
        <TabsTrigger value="compare">Compare</TabsTrigger>
        <TabsTrigger value="journeys">Journeys</TabsTrigger>
        <TabsTrigger value="impact">Impact</TabsTrigger>
        <TabsTrigger value="rollout">Rollout</TabsTrigger>
        <TabsTrigger value="review">Review</TabsTrigger>
        <TabsTrigger value="audit">Audit</TabsTrigger>
        <TabsTrigger value="migrate">Migrate</TabsTrigger>
        <TabsTrigger value="edit">Edit</TabsTrigger>
      </TabsList>
      <TabsContent value="history">
        <HistoryPanel
          workflowId={workflowId}
          onReview={() => setTab("review")}
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
      <TabsContent value="journeys">
        <Suspense fallback={loading}>
          <JourneyLookup workflowId={workflowId} />
        </Suspense>
      </TabsContent>
      <TabsContent value="impact">
        {current && newestDraft ? (
          <Suspense fallback={loading}>
            <ImpactPreview workflowId={workflowId} from={current.version_number} to={newestDraft.version_number} />
          </Suspense>
        ) : (
          <p className="text-muted-foreground text-sm">The impact preview needs a current version and a draft.</p>
        )}
      </TabsContent>
      <TabsContent value="rollout">
        <Suspense fallback={loading}>
          <RolloutPanel workflowId={workflowId} />
        </Suspense>
      </TabsContent>
      <TabsContent value="review">
        {newestDraft ? (
          <Suspense fallback={loading}>
            <ReviewPanel workflowId={workflowId} versionNumber={newestDraft.version_number} />
          </Suspense>
        ) : (
          <p className="text-muted-foreground text-sm">The review needs a draft: this workflow has none.</p>
        )}
      </TabsContent>
      <TabsContent value="audit">
        <Suspense fallback={loading}>
          <AuditLog workflowId={workflowId} />
        </Suspense>
      </TabsContent>
      <TabsContent value="migrate">
        <Suspense fallback={loading}>
          <MigrationWizard workflowId={workflowId} />
        </Suspense>
      </TabsContent>
      <TabsContent value="edit">
        {newestDraft ? (
          <Suspense fallback={loading}>
            <DraftEditor workflowId={workflowId} versionNumber={newestDraft.version_number} />
          </Suspense>
        ) : (
          <p className="text-muted-foreground text-sm">Editing needs a draft: this workflow has none (create one from the history).</p>
        )}
      </TabsContent>
    </Tabs>
  );
}
