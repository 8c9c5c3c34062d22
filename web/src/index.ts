"use client";

/**
 * wfv's web components for a host app (a CRM's Next.js pages): put them inside one
 * <WfvProvider baseUrl getToken>, and import "wfv-web/styles.css" once. docs/web.md.
 */
export { WfvProvider, type WfvProviderProps } from "./provider/WfvProvider";
export { useSession } from "./session/useSession";
export { useStoredToken } from "./session/useStoredToken";
export { clearWfvStorage, TOKEN_KEY } from "./session/storage";
export { WorkflowGraph, type WorkflowGraphProps } from "./graph/WorkflowGraph";
export { WorkflowsList, type WorkflowsListProps } from "./workflows/WorkflowsList";
export { HistoryPanel, type HistoryPanelProps, type VersionRow } from "./history/HistoryPanel";
export { JourneyLookup, type JourneyLookupProps } from "./journeys/JourneyLookup";
export { ImpactPreview, type ImpactPreviewProps } from "./impact/ImpactPreview";
export { RolloutPanel, type RolloutPanelProps } from "./rollout/RolloutPanel";
export { ApiError } from "./api/problem";
export { STARTER_DOCUMENT } from "./api/starter";
export { CompareView, type CompareViewProps } from "./compare/CompareView";
export { ReviewPanel, type ReviewPanelProps } from "./review/ReviewPanel";
export { AuditLog, type AuditLogProps } from "./audit/AuditLog";
export { MigrationWizard, type MigrationWizardProps } from "./migration/MigrationWizard";
export { DraftEditor, type DraftEditorProps } from "./editor/DraftEditor";
