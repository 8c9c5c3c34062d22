/**
 * The document a new workflow starts from: a trigger and no actions. A valid draft (the API
 * keeps incomplete drafts; publishing waits for actions); tests/web/test_web.py checks it
 * against the service's own model, so it cannot drift from the format.
 */
import type { components } from "./client";
import starter from "./starter.json";

export const STARTER_DOCUMENT: components["schemas"]["WorkflowDefinition"] = starter;
