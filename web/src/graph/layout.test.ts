import incomplete from "../../../tests/examples/incomplete.json";
import welcome from "../../../tests/examples/welcome-small.json";

import { readDocument } from "./document";
import { layout, ROW_HEIGHT, TRIGGER_ID } from "./layout";

const rowOf = (nodes: ReturnType<typeof layout>["nodes"], id: string) => {
  const node = nodes.find((each) => each.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return Math.round(node.position.y / ROW_HEIGHT);
};

test("steps are laid out top-down by their depth from the trigger, branches side by side", () => {
  const { nodes, edges } = layout(readDocument(welcome), new Map());
  const rows = Object.fromEntries(nodes.map((node) => [node.id, rowOf(nodes, node.id)]));
  expect(rows[TRIGGER_ID]).toBe(0);
  expect(rows.welcome).toBeLessThan(rows["wait-1d"]!);
  expect(rows["wait-1d"]).toBeLessThan(rows["opened?"]!);
  expect(rows.tips).toBe(rows.reminder);
  const tips = nodes.find((node) => node.id === "tips")!;
  const reminder = nodes.find((node) => node.id === "reminder")!;
  expect(tips.position.x).toBeLessThan(reminder.position.x);
  expect(edges.map((edge) => [edge.source, edge.target, edge.label ?? null])).toEqual([
    [TRIGGER_ID, "welcome", null],
    ["welcome", "wait-1d", null],
    ["wait-1d", "opened?", null],
    ["opened?", "tips", "then"],
    ["opened?", "reminder", "else"],
  ]);
});

test("an incomplete draft is drawn as far as it goes: steps no path reaches below, dangling links reported", () => {
  const document = readDocument(incomplete);
  const { nodes, edges } = layout(document, new Map());
  expect(nodes.map((node) => node.id)).toEqual([TRIGGER_ID, "welcome", "wait-1d", "opened?", "tips", "reminder", "orphan"]);
  expect(edges.some((edge) => edge.target === "missing-step")).toBe(false);
  // the chain cut after welcome keeps its shape below it, beside the orphan
  const rows = Object.fromEntries(nodes.map((node) => [node.id, rowOf(nodes, node.id)]));
  expect(rows).toMatchObject({ welcome: 1, "wait-1d": 2, orphan: 2, "opened?": 3, tips: 4, reminder: 4 });
  expect(document.problems).toEqual(['"welcome" next names "missing-step", which is not an action']);
});

test("a document without trigger, with a repeated id, still gives the nodes it can", () => {
  const document = readDocument({ format: 1, actions: [{ id: "a", type: "wait" }, { id: "a", type: "goal" }, { type: "end" }] });
  expect(document.problems).toEqual([
    "the document has no trigger",
    'action id "a" is used twice: the second is not drawn',
    "action 3 has no id",
  ]);
  expect(layout(document, new Map()).nodes.map((node) => node.id)).toEqual(["a"]);
});

test("steps only a cycle reaches still get a row", () => {
  const document = readDocument({
    format: 1,
    trigger: { type: "webhook", next: null },
    actions: [
      { id: "a", type: "wait", next: "b" },
      { id: "b", type: "wait", next: "a" },
    ],
  });
  const { nodes, edges } = layout(document, new Map());
  expect(nodes.map((node) => [node.id, rowOf(nodes, node.id)])).toEqual([[TRIGGER_ID, 0], ["a", 1], ["b", 2]]);
  expect(edges.map((edge) => edge.id)).toEqual(["a->b:next", "b->a:next"]);
});

test("an if_else whose branches lead to one step is one edge saying both", () => {
  const document = readDocument({
    format: 1,
    trigger: { type: "webhook", next: "opened?" },
    actions: [
      { id: "opened?", type: "if_else", config: { then: "done", else: "done" } },
      { id: "done", type: "end" },
    ],
  });
  const { edges } = layout(document, new Map());
  expect(edges.map((edge) => [edge.source, edge.target, edge.label ?? null, edge.ariaLabel])).toEqual([
    [TRIGGER_ID, "opened?", null, "from the trigger to opened?"],
    ["opened?", "done", "then / else", "then / else: from opened? to done"],
  ]);
  expect(new Set(edges.map((edge) => edge.id)).size).toBe(edges.length);
});
