/**
 * A small layered layout, top-down: each step on the row of its depth from the trigger
 * (breadth first, so the shortest path decides), rows centred; steps no path reaches below
 * the rest (see `depths`), so an unfinished draft still shows all of them.
 *
 * Nodes carry their size and handles: React Flow can then draw edges without measuring the
 * DOM (as its server-side rendering does), which also holds in tests.
 */
import { type Edge, MarkerType, type Node, Position } from "@xyflow/react";

import type { ReadDocument, Step } from "./document";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 76;
const GAP_X = 40;
/** From one row's top to the next's. */
export const ROW_HEIGHT = NODE_HEIGHT + 70;
/** Not a possible action id (ids are letters, digits, - _ . ?): the trigger never collides. */
export const TRIGGER_ID = "@trigger";

export interface StepData extends Record<string, unknown> {
  kind: "trigger" | "action";
  /** The action's id, or the trigger's type. */
  title: string;
  type: string;
  name: string | null;
  /** Contacts on the step now; null where a screen does not count them (the compare view). */
  live: number | null;
  /** What a comparison says of the step, when a screen highlights one (see `Highlight`). */
  highlight?: Highlight;
}

/** A step's mark in a comparison: its change, and the live contacts a breaking change there hits. */
export interface Highlight {
  change: "added" | "removed" | "modified" | "moved" | null;
  breaking: { live: number; pinned: number } | null;
}

export type StepNode = Node<StepData, "step">;

const HANDLE = 8;
const handles: NonNullable<Node["handles"]> = [
  { type: "target", position: Position.Top, x: NODE_WIDTH / 2 - HANDLE / 2, y: -HANDLE / 2, width: HANDLE, height: HANDLE },
  {
    type: "source",
    position: Position.Bottom,
    x: NODE_WIDTH / 2 - HANDLE / 2,
    y: NODE_HEIGHT - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
];

/** Rows by breadth-first depth from the trigger; then the steps no path from it reaches,
 * from those nothing leads to (document order), on rows below: an unfinished draft keeps
 * its shape. Steps only a cycle reaches start a row of their own, so every step gets one. */
function depths(document: ReadDocument): Map<string, number> {
  const exits = new Map(document.steps.map((step) => [step.id, step.exits.map((exit) => exit.target)]));
  const depth = new Map<string, number>();
  const spread = (start: string, row: number) => {
    depth.set(start, row);
    const queue = [start];
    for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
      for (const target of exits.get(at) ?? []) {
        if (exits.has(target) && !depth.has(target)) {
          depth.set(target, (depth.get(at) ?? row) + 1);
          queue.push(target);
        }
      }
    }
  };
  const start = document.trigger?.next;
  if (start && exits.has(start)) spread(start, 1);
  const below = Math.max(0, ...depth.values()) + 1;
  const targets = new Set([...exits.values()].flat());
  for (const step of document.steps) if (!depth.has(step.id) && !targets.has(step.id)) spread(step.id, below);
  for (const step of document.steps) if (!depth.has(step.id)) spread(step.id, below);
  return depth;
}

/** `live`: contacts per step (null on the trigger), or null for no counts; `highlights`: marks per
 * node id (TRIGGER_ID for the trigger), for a comparison. */
export function layout(
  document: ReadDocument,
  live: ReadonlyMap<string | null, number> | null,
  highlights: ReadonlyMap<string, Highlight> = new Map(),
): { nodes: StepNode[]; edges: Edge[] } {
  const depth = depths(document);
  const rows: string[][] = [];
  for (const step of document.steps) (rows[depth.get(step.id) ?? 1] ??= []).push(step.id);
  if (document.trigger) rows[0] = [TRIGGER_ID];
  const widest = Math.max(1, ...rows.map((row) => row?.length ?? 0));
  const position = new Map<string, { x: number; y: number }>();
  rows.forEach((row, index) => {
    const offset = ((widest - row.length) * (NODE_WIDTH + GAP_X)) / 2;
    row.forEach((id, column) => position.set(id, { x: offset + column * (NODE_WIDTH + GAP_X), y: index * ROW_HEIGHT }));
  });

  const node = (id: string, fields: StepData): StepNode => {
    const highlight = highlights.get(id);
    const data: StepData = highlight ? { ...fields, highlight } : fields;
    return {
      id,
      type: "step",
      position: position.get(id) ?? { x: 0, y: 0 },
      data,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      handles,
      draggable: false,
      connectable: false,
      ariaLabel: `${data.kind === "trigger" ? "Trigger" : `Step ${data.title}`}, ${data.type}${data.name ? `, ${data.name}` : ""}${describe(data)}`,
    };
  };
  const nodes: StepNode[] = [];
  const edges: Edge[] = [];
  const known = new Set(document.steps.map((step) => step.id));
  if (document.trigger) {
    const { type, next } = document.trigger;
    nodes.push(node(TRIGGER_ID, { kind: "trigger", title: "Trigger", type, name: null, live: live ? (live.get(null) ?? 0) : null }));
    if (next && known.has(next)) edges.push(edge(TRIGGER_ID, next, ["next"]));
  }
  for (const step of document.steps) {
    nodes.push(node(step.id, { kind: "action", title: step.id, type: step.type, name: step.name, live: live ? (live.get(step.id) ?? 0) : null }));
    // An if_else whose branches both lead to one step gets one edge saying both: two would
    // be drawn on top of each other, one label hiding the other.
    const labels = new Map<string, Label[]>();
    for (const exit of step.exits) if (known.has(exit.target)) labels.set(exit.target, [...(labels.get(exit.target) ?? []), exit.label]);
    for (const [target, said] of labels) edges.push(edge(step.id, target, said));
  }
  return { nodes, edges };
}

/** The end of a node's accessible name: what the badges say. */
function describe({ live, highlight }: StepData): string {
  const said: string[] = [];
  if (highlight?.change) said.push(highlight.change);
  if (highlight?.breaking) {
    const { live: hit, pinned } = highlight.breaking;
    said.push(`breaking: ${hit} live${pinned ? `, ${pinned} pinned` : ""}`);
  }
  if (live !== null) said.push(`${live} live`);
  return said.length ? `: ${said.join(", ")}` : "";
}

type Label = Step["exits"][number]["label"];

function edge(source: string, target: string, labels: Label[]): Edge {
  const branches = labels.filter((label) => label !== "next");
  const label = branches.join(" / ");
  return {
    id: `${source}->${target}:${labels.join("+")}`,
    source,
    target,
    ...(label ? { label } : {}),
    ariaLabel: `${label ? `${label}: ` : ""}from ${source === TRIGGER_ID ? "the trigger" : source} to ${target}`,
    markerEnd: { type: MarkerType.ArrowClosed },
    focusable: true,
  };
}
