"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .action_config import ActionConfig
from .action_history import ActionHistory
from .action_history_entry import ActionHistoryEntry
from .action_history_entry_action_type_0 import ActionHistoryEntryActionType0
from .action_history_entry_change import ActionHistoryEntryChange
from .action_type_list import ActionTypeList
from .action_type_public import ActionTypePublic
from .action_type_public_config_schema_type_0 import ActionTypePublicConfigSchemaType0
from .archival_candidates import ArchivalCandidates
from .archival_candidates_skipped import ArchivalCandidatesSkipped
from .archival_run_list import ArchivalRunList
from .archival_run_public import ArchivalRunPublic
from .archival_run_public_skipped import ArchivalRunPublicSkipped
from .archival_run_public_status import ArchivalRunPublicStatus
from .archive_request import ArchiveRequest
from .as_of import AsOf
from .as_of_status import AsOfStatus
from .attempt_public import AttemptPublic
from .audit_list import AuditList
from .audit_public import AuditPublic
from .audit_public_details import AuditPublicDetails
from .breaking_impact import BreakingImpact
from .breaking_impact_bucket_type_0 import BreakingImpactBucketType0
from .breaking_impact_buckets_item import BreakingImpactBucketsItem
from .breaking_impact_kind import BreakingImpactKind
from .change_page import ChangePage
from .change_summary import ChangeSummary
from .comment_create import CommentCreate
from .compare_versions_format import CompareVersionsFormat
from .condition import Condition
from .condition_match import ConditionMatch
from .consistency_problem_public import ConsistencyProblemPublic
from .consistency_report_public import ConsistencyReportPublic
from .contact_assignment import ContactAssignment
from .delivery_list import DeliveryList
from .delivery_public import DeliveryPublic
from .delivery_public_state import DeliveryPublicState
from .document_problem import DocumentProblem
from .download_report_format import DownloadReportFormat
from .draft_commit import DraftCommit
from .draft_public import DraftPublic
from .draft_public_definition import DraftPublicDefinition
from .draft_save import DraftSave
from .draft_save_definition_type_0 import DraftSaveDefinitionType0
from .draft_save_patch_type_0 import DraftSavePatchType0
from .draft_saved import DraftSaved
from .draft_saved_definition_type_0 import DraftSavedDefinitionType0
from .element_change import ElementChange
from .element_change_classification import ElementChangeClassification
from .element_change_kind import ElementChangeKind
from .element_change_part import ElementChangePart
from .enroll_request import EnrollRequest
from .enroll_result import EnrollResult
from .execution_change import ExecutionChange
from .execution_change_cause import ExecutionChangeCause
from .execution_change_from_status_type_0 import ExecutionChangeFromStatusType0
from .execution_change_status import ExecutionChangeStatus
from .execution_list import ExecutionList
from .execution_public import ExecutionPublic
from .execution_public_status import ExecutionPublicStatus
from .execution_summary import ExecutionSummary
from .field_change import FieldChange
from .field_change_change import FieldChangeChange
from .field_error import FieldError
from .git_access import GitAccess
from .git_command import GitCommand
from .guard_policy import GuardPolicy
from .guard_verdict import GuardVerdict
from .guard_verdict_rate_type_0 import GuardVerdictRateType0
from .guard_verdict_state import GuardVerdictState
from .health import Health
from .impact_bucket_type_0 import ImpactBucketType0
from .impact_contact import ImpactContact
from .impact_counts import ImpactCounts
from .impact_page import ImpactPage
from .impact_page_bucket import ImpactPageBucket
from .impact_position import ImpactPosition
from .impact_position_bucket import ImpactPositionBucket
from .impact_preview import ImpactPreview
from .journey_event import JourneyEvent
from .journey_event_cause import JourneyEventCause
from .journey_event_from_status_type_0 import JourneyEventFromStatusType0
from .journey_event_status import JourneyEventStatus
from .journey_page import JourneyPage
from .kept_by import KeptBy
from .legal_hold_set import LegalHoldSet
from .list_executions_status_type_0 import ListExecutionsStatusType0
from .list_items_outcome_type_0 import ListItemsOutcomeType0
from .migration_create import MigrationCreate
from .migration_create_mapping import MigrationCreateMapping
from .migration_create_strategy import MigrationCreateStrategy
from .migration_halt import MigrationHalt
from .migration_item_list import MigrationItemList
from .migration_item_public import MigrationItemPublic
from .migration_item_public_outcome import MigrationItemPublicOutcome
from .migration_list import MigrationList
from .migration_plan import MigrationPlan
from .migration_public import MigrationPublic
from .migration_public_eta_reason_type_0 import MigrationPublicEtaReasonType0
from .migration_public_status import MigrationPublicStatus
from .migration_public_strategy import MigrationPublicStrategy
from .migration_resume import MigrationResume
from .outcomes import Outcomes
from .part_diff import PartDiff
from .pin_list import PinList
from .pin_public import PinPublic
from .pin_request import PinRequest
from .pin_result import PinResult
from .plan_row import PlanRow
from .plan_row_outcome import PlanRowOutcome
from .position_move import PositionMove
from .position_move_status import PositionMoveStatus
from .positions_request import PositionsRequest
from .positions_result import PositionsResult
from .problem import Problem
from .ready import Ready
from .ready_checks import ReadyChecks
from .revert_other import RevertOther
from .revert_other_list import RevertOtherList
from .revert_other_reason import RevertOtherReason
from .revert_plan import RevertPlan
from .revert_public import RevertPublic
from .revert_public_status import RevertPublicStatus
from .revert_request import RevertRequest
from .review_create import ReviewCreate
from .review_event_public import ReviewEventPublic
from .review_event_public_kind import ReviewEventPublicKind
from .review_list import ReviewList
from .review_public import ReviewPublic
from .review_public_status import ReviewPublicStatus
from .review_state import ReviewState
from .rollout_create import RolloutCreate
from .rollout_guard import RolloutGuard
from .rollout_public import RolloutPublic
from .rollout_public_halted_reason_type_0 import RolloutPublicHaltedReasonType0
from .rollout_public_state import RolloutPublicState
from .rollout_step import RolloutStep
from .rollout_version import RolloutVersion
from .rule import Rule
from .rule_op import RuleOp
from .skipped_commit import SkippedCommit
from .stale_move import StaleMove
from .stale_move_status import StaleMoveStatus
from .summary_row import SummaryRow
from .summary_row_status import SummaryRowStatus
from .trigger import Trigger
from .trigger_config import TriggerConfig
from .verdict_create import VerdictCreate
from .verdict_create_verdict import VerdictCreateVerdict
from .version_brief import VersionBrief
from .version_candidate import VersionCandidate
from .version_comparison import VersionComparison
from .version_comparison_parts import VersionComparisonParts
from .version_create import VersionCreate
from .version_detail import VersionDetail
from .version_detail_definition import VersionDetailDefinition
from .version_drain import VersionDrain
from .version_drain_state import VersionDrainState
from .version_enrolled import VersionEnrolled
from .version_enrolments import VersionEnrolments
from .version_list import VersionList
from .version_public import VersionPublic
from .version_publish import VersionPublish
from .version_status import VersionStatus
from .version_update import VersionUpdate
from .webhook_create import WebhookCreate
from .webhook_create_event_types_item import WebhookCreateEventTypesItem
from .webhook_created import WebhookCreated
from .webhook_list import WebhookList
from .webhook_public import WebhookPublic
from .workflow_create import WorkflowCreate
from .workflow_created import WorkflowCreated
from .workflow_definition import WorkflowDefinition
from .workflow_definition_settings import WorkflowDefinitionSettings
from .workflow_list import WorkflowList
from .workflow_public import WorkflowPublic
from .workflow_update import WorkflowUpdate

__all__ = (
    "Action",
    "ActionConfig",
    "ActionHistory",
    "ActionHistoryEntry",
    "ActionHistoryEntryActionType0",
    "ActionHistoryEntryChange",
    "ActionTypeList",
    "ActionTypePublic",
    "ActionTypePublicConfigSchemaType0",
    "ArchivalCandidates",
    "ArchivalCandidatesSkipped",
    "ArchivalRunList",
    "ArchivalRunPublic",
    "ArchivalRunPublicSkipped",
    "ArchivalRunPublicStatus",
    "ArchiveRequest",
    "AsOf",
    "AsOfStatus",
    "AttemptPublic",
    "AuditList",
    "AuditPublic",
    "AuditPublicDetails",
    "BreakingImpact",
    "BreakingImpactBucketsItem",
    "BreakingImpactBucketType0",
    "BreakingImpactKind",
    "ChangePage",
    "ChangeSummary",
    "CommentCreate",
    "CompareVersionsFormat",
    "Condition",
    "ConditionMatch",
    "ConsistencyProblemPublic",
    "ConsistencyReportPublic",
    "ContactAssignment",
    "DeliveryList",
    "DeliveryPublic",
    "DeliveryPublicState",
    "DocumentProblem",
    "DownloadReportFormat",
    "DraftCommit",
    "DraftPublic",
    "DraftPublicDefinition",
    "DraftSave",
    "DraftSaved",
    "DraftSavedDefinitionType0",
    "DraftSaveDefinitionType0",
    "DraftSavePatchType0",
    "ElementChange",
    "ElementChangeClassification",
    "ElementChangeKind",
    "ElementChangePart",
    "EnrollRequest",
    "EnrollResult",
    "ExecutionChange",
    "ExecutionChangeCause",
    "ExecutionChangeFromStatusType0",
    "ExecutionChangeStatus",
    "ExecutionList",
    "ExecutionPublic",
    "ExecutionPublicStatus",
    "ExecutionSummary",
    "FieldChange",
    "FieldChangeChange",
    "FieldError",
    "GitAccess",
    "GitCommand",
    "GuardPolicy",
    "GuardVerdict",
    "GuardVerdictRateType0",
    "GuardVerdictState",
    "Health",
    "ImpactBucketType0",
    "ImpactContact",
    "ImpactCounts",
    "ImpactPage",
    "ImpactPageBucket",
    "ImpactPosition",
    "ImpactPositionBucket",
    "ImpactPreview",
    "JourneyEvent",
    "JourneyEventCause",
    "JourneyEventFromStatusType0",
    "JourneyEventStatus",
    "JourneyPage",
    "KeptBy",
    "LegalHoldSet",
    "ListExecutionsStatusType0",
    "ListItemsOutcomeType0",
    "MigrationCreate",
    "MigrationCreateMapping",
    "MigrationCreateStrategy",
    "MigrationHalt",
    "MigrationItemList",
    "MigrationItemPublic",
    "MigrationItemPublicOutcome",
    "MigrationList",
    "MigrationPlan",
    "MigrationPublic",
    "MigrationPublicEtaReasonType0",
    "MigrationPublicStatus",
    "MigrationPublicStrategy",
    "MigrationResume",
    "Outcomes",
    "PartDiff",
    "PinList",
    "PinPublic",
    "PinRequest",
    "PinResult",
    "PlanRow",
    "PlanRowOutcome",
    "PositionMove",
    "PositionMoveStatus",
    "PositionsRequest",
    "PositionsResult",
    "Problem",
    "Ready",
    "ReadyChecks",
    "RevertOther",
    "RevertOtherList",
    "RevertOtherReason",
    "RevertPlan",
    "RevertPublic",
    "RevertPublicStatus",
    "RevertRequest",
    "ReviewCreate",
    "ReviewEventPublic",
    "ReviewEventPublicKind",
    "ReviewList",
    "ReviewPublic",
    "ReviewPublicStatus",
    "ReviewState",
    "RolloutCreate",
    "RolloutGuard",
    "RolloutPublic",
    "RolloutPublicHaltedReasonType0",
    "RolloutPublicState",
    "RolloutStep",
    "RolloutVersion",
    "Rule",
    "RuleOp",
    "SkippedCommit",
    "StaleMove",
    "StaleMoveStatus",
    "SummaryRow",
    "SummaryRowStatus",
    "Trigger",
    "TriggerConfig",
    "VerdictCreate",
    "VerdictCreateVerdict",
    "VersionBrief",
    "VersionCandidate",
    "VersionComparison",
    "VersionComparisonParts",
    "VersionCreate",
    "VersionDetail",
    "VersionDetailDefinition",
    "VersionDrain",
    "VersionDrainState",
    "VersionEnrolled",
    "VersionEnrolments",
    "VersionList",
    "VersionPublic",
    "VersionPublish",
    "VersionStatus",
    "VersionUpdate",
    "WebhookCreate",
    "WebhookCreated",
    "WebhookCreateEventTypesItem",
    "WebhookList",
    "WebhookPublic",
    "WorkflowCreate",
    "WorkflowCreated",
    "WorkflowDefinition",
    "WorkflowDefinitionSettings",
    "WorkflowList",
    "WorkflowPublic",
    "WorkflowUpdate",
)
