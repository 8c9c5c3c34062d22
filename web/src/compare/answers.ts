/**
 * Routes for the fake fetch from the compare answers recorded from `wfv serve`
 * (fixtures/, written by web/scripts/record_compare.py): the compare route answers by its
 * `from`, `to` and `format`, as the service does, and what was not recorded is a 404.
 */
import { json } from "../test/fakeApi";

import * as nurture from "./fixtures/nurture-50";
import * as welcome from "./fixtures/welcome-small";

type Recorded = typeof welcome | typeof nurture;

function routesOf(recorded: Recorded, pairs: Record<string, unknown>, details: Record<number, unknown>) {
  const base = `/api/v1/workflows/${recorded.workflowId}/versions`;
  const routes: Record<string, unknown> = { [`GET ${base}`]: recorded.versions };
  for (const [number, detail] of Object.entries(details)) routes[`GET ${base}/${number}`] = detail;
  routes[`GET ${base}/compare`] = (request: Request) => {
    const query = new URL(request.url).searchParams;
    const pair = `${query.get("from")}->${query.get("to")}`;
    if (query.get("format") === "patch") {
      return pair === "1->2"
        ? new Response(recorded.patch, { headers: { "Content-Type": "text/x-diff" } })
        : json({ title: "Not found", status: 404, detail: `no recorded patch for ${pair}` }, 404);
    }
    const answer = pairs[pair];
    return answer ? json(answer) : json({ title: "Not found", status: 404, detail: `no recorded comparison for ${pair}` }, 404);
  };
  return routes;
}

export const WELCOME_ID = welcome.workflowId;
export const NURTURE_ID = nurture.workflowId;

/** welcome-small: 1 → 2 (the examples' pair), 1 → 3 (equal content), 1 → 4 (two actions swapped). */
export const welcomeRoutes = routesOf(
  welcome,
  { "1->2": welcome.comparison, "1->3": welcome.equal, "1->4": welcome.moved },
  { 1: welcome.v1, 2: welcome.v2, 4: welcome.v4 },
);

/** nurture-50: 1 → 2. */
export const nurtureRoutes = routesOf(nurture, { "1->2": nurture.comparison }, { 1: nurture.v1, 2: nurture.v2 });
