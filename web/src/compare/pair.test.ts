import { defaultPair } from "./pair";

const v = (version_number: number, status: "draft" | "active" | "archived", is_current = false) => ({ version_number, status, is_current });

test("the current version against the newest draft", () => {
  expect(defaultPair([v(5, "draft"), v(4, "draft"), v(3, "active", true), v(2, "active")])).toEqual({ from: 3, to: 5 });
  // a draft older than the current one is still the newest draft
  expect(defaultPair([v(4, "active", true), v(3, "draft"), v(1, "active")])).toEqual({ from: 4, to: 3 });
});

test("without a draft: the current one against the newest, else the two newest; never one version twice", () => {
  expect(defaultPair([v(3, "active"), v(2, "active", true)])).toEqual({ from: 2, to: 3 });
  expect(defaultPair([v(3, "active", true), v(2, "active")])).toEqual({ from: 2, to: 3 });
  expect(defaultPair([v(2, "draft"), v(1, "draft")])).toEqual({ from: 1, to: 2 });
  expect(defaultPair([v(1, "active", true)])).toBeNull();
  expect(defaultPair([])).toBeNull();
});
