/** Each bucket in plain words, in the order of docs/impact.md's table, worst last. */
import type { Bucket } from "./queries";

export const BUCKETS: Bucket[] = ["unchanged", "changed_in_place", "timer_earlier", "timer_later", "remapped", "exits", "fails", "pinned"];

const SENTENCES: Record<Bucket, [one: string, many: string]> = {
  unchanged: ["stays on a step that does not change", "stay on steps that do not change"],
  changed_in_place: ["stays on a step that changes", "stay on steps that change"],
  timer_earlier: ["will wake earlier (a shorter wait)", "will wake earlier (a shorter wait)"],
  timer_later: ["will wake later (a longer wait)", "will wake later (a longer wait)"],
  remapped: ["will move to another step", "will move to another step"],
  exits: ["will exit", "will exit"],
  fails: ["will fail: its step has no target", "will fail: their steps have no target"],
  pinned: ["is pinned and stays where it is", "are pinned and stay where they are"],
};

/** "312 contacts will exit", "1 contact stays on a step that changes". */
export function sentence(bucket: Bucket, count: number): string {
  const [one, many] = SENTENCES[bucket];
  return count === 1 ? `1 contact ${one}` : `${count.toLocaleString("en")} contacts ${many}`;
}
