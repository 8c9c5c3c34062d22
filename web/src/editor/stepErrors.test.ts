import { ApiError } from "../api/problem";

import { fieldProblems, stepIndex } from "./stepErrors";

test("a step is found in dotted paths, bracketed paths and JSON pointers; other fields are the document's", () => {
  expect(stepIndex("actions.3.config.template")).toBe(3);
  expect(stepIndex("actions[12].config.template")).toBe(12);
  expect(stepIndex("/actions/0/config/duration")).toBe(0);
  expect(stepIndex("entry")).toBeNull();
  expect(stepIndex("actionsets.1")).toBeNull();
});

test("a 422's errors, publish problems (with the action id) and a lone field all become field problems", () => {
  const problem = new ApiError(422, {
    status: 422,
    detail: "invalid",
    errors: [{ field: "actions.2.next", message: "unknown action" }],
    problems: [{ pointer: "/actions/1/config/duration", message: "not a duration", action_id: "wait-1d" }],
  });
  expect(fieldProblems(problem)).toEqual([
    { field: "actions.2.next", message: "unknown action", step: 2, actionId: null },
    { field: "/actions/1/config/duration", message: "not a duration", step: 1, actionId: "wait-1d" },
  ]);
  const lone = new ApiError(422, { status: 422, detail: "the resulting definition is too large", field: "definition" });
  expect(fieldProblems(lone)).toEqual([{ field: "definition", message: "the resulting definition is too large", step: null, actionId: null }]);
});
