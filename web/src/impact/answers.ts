/** The impact preview of moving v1's live contacts to v2, as docs/impact.md's example, typed by the generated client. */
import type { components } from "../api/client";
import { json } from "../test/fakeApi";
import { WORKFLOW_ID } from "../test/answers";

type Preview = components["schemas"]["ImpactPreview"];
type Contact = components["schemas"]["ImpactContact"];

export const preview: Preview = {
  target_version: 2,
  from_versions: [1],
  total: 322,
  counts: { unchanged: 2, changed_in_place: 1, timer_earlier: 0, timer_later: 3, remapped: 2, exits: 312, fails: 0, pinned: 2 },
  positions: [
    { from_version: 1, from_action: "opened?", to_action: "opened?", bucket: "changed_in_place", count: 1, pinned: 0, old_duration: null, new_duration: null },
    { from_version: 1, from_action: "reminder", to_action: "bye", bucket: "remapped", count: 2, pinned: 0, old_duration: null, new_duration: null },
    { from_version: 1, from_action: "tips", to_action: null, bucket: "exits", count: 312, pinned: 2, old_duration: null, new_duration: null },
    { from_version: 1, from_action: "wait-1d", to_action: "wait-1d", bucket: "timer_later", count: 3, pinned: 0, old_duration: "P1D", new_duration: "P1DT6H" },
    { from_version: 1, from_action: "welcome", to_action: "welcome", bucket: "unchanged", count: 2, pinned: 0, old_duration: null, new_duration: null },
  ],
  contacts: null,
};

const waiting = (n: number): Contact => ({
  execution_id: `0f8e0000-0000-4000-8000-00000000000${n}`,
  contact_id: `c-${n}`,
  from_version: 1,
  from_action: "wait-1d",
  to_action: "wait-1d",
  reached_at: "2026-12-09T10:00:00Z",
  was_waking_at: "2026-12-10T10:00:00Z",
  wakes_at: "2026-12-10T16:00:00Z",
});

/** The timer_later bucket's contacts two to a page; other buckets answer the counts alone. */
function answer(request: Request): Response {
  const query = new URL(request.url).searchParams;
  if (query.get("bucket") !== "timer_later") return json(preview);
  const second = query.get("cursor") === "after-2";
  return json({
    ...preview,
    contacts: { bucket: "timer_later", items: second ? [waiting(3)] : [waiting(1), waiting(2)], next_cursor: second ? null : "after-2" },
  });
}

export const impactRoutes = { [`GET /api/v1/workflows/${WORKFLOW_ID}/versions/2/impact`]: answer };
