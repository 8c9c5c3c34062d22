/**
 * RFC 7386 merge patches: once the store holds a revision, a save sends only what changed
 * since it (a few hundred bytes every second instead of the whole document), as the old
 * editor (service/api/ui/static/editor.js) did.
 */
type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject => value !== null && typeof value === "object" && !Array.isArray(value);
// JSON's equality: an object's members in any order (a text pasted or typed in another order
// is the same document), an array's items in order.
const same = (a: Json, b: Json): boolean => {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, at) => same(item, b[at]));
  if (isObject(a) && isObject(b)) {
    const names = Object.keys(a);
    return names.length === Object.keys(b).length && names.every((name) => name in b && same(a[name], b[name]));
  }
  return a === b;
};
// A null a merge patch would read as "remove": in an object's members; an array is taken whole.
const holdsNull = (value: Json): boolean => value === null || (isObject(value) && Object.values(value).some(holdsNull));

/**
 * The merge patch taking `from` to `to`, or null when none can say it: a null in `to` (a
 * merge patch reads null as "remove") or a top level that is not an object. Null: send the
 * whole definition.
 */
export function mergePatch(from: Json, to: Json): JsonObject | null {
  if (!isObject(from) || !isObject(to)) return null;
  const patch: JsonObject = {};
  for (const name of Object.keys(from)) if (!(name in to)) patch[name] = null;
  for (const [name, value] of Object.entries(to)) {
    if (name in from && same(from[name], value)) continue;
    if (holdsNull(value)) return null;
    const inner = isObject(from[name]) && isObject(value) ? mergePatch(from[name], value) : value;
    if (inner === null) return null;
    patch[name] = inner;
  }
  return patch;
}
