/**
 * RFC 7386 merge patches: once the store holds a revision, a save sends only what changed
 * since it (a few hundred bytes every second instead of the whole document), as the old
 * editor (service/api/ui/static/editor.js) did.
 */
type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject => value !== null && typeof value === "object" && !Array.isArray(value);
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
    if (JSON.stringify(from[name]) === JSON.stringify(value)) continue;
    if (holdsNull(value)) return null;
    const inner = isObject(from[name]) && isObject(value) ? mergePatch(from[name], value) : value;
    if (inner === null) return null;
    patch[name] = inner;
  }
  return patch;
}
