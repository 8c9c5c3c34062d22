import { mergePatch } from "./mergePatch";

test("a merge patch holds only what changed: members removed as null, objects by member, arrays whole", () => {
  const from = { name: "a", settings: { timezone: "UTC", allow_reentry: false }, actions: [{ id: "x" }], gone: 1 };
  const to = { name: "b", settings: { timezone: "Europe/Paris", allow_reentry: false }, actions: [{ id: "x" }, { id: "y" }] };
  expect(mergePatch(from, to)).toEqual({ gone: null, name: "b", settings: { timezone: "Europe/Paris" }, actions: [{ id: "x" }, { id: "y" }] });
});

test("the same members in another order are no change: no empty object, no array sent again", () => {
  const from = { trigger: { type: "tag_added", config: { tag: "t" }, next: "a" }, actions: [{ id: "a", type: "wait", next: null }], name: "x" };
  const to = { trigger: { next: "a", config: { tag: "t" }, type: "tag_added" }, actions: [{ next: null, type: "wait", id: "a" }], name: "y" };
  expect(mergePatch(from, to)).toEqual({ name: "y" });
});

test("a null in the new document cannot be said by a merge patch: the whole document goes", () => {
  expect(mergePatch({ a: { b: 1 } }, { a: { b: null } })).toBeNull();
  expect(mergePatch([], {})).toBeNull();
});
