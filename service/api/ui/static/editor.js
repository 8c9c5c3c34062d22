// Draft editor with auto-save, offline keeping and recovery.
import { ApiError, SAVE_EVERY_MS, act, api, clock, fill, guarded, h, label, lacks, show, state, when, wid } from "./core.js";
import { versionSelect } from "./compare.js";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
// A null a merge patch would read as "remove": in an object's members; an array is taken whole.
const holdsNull = (v) => v === null || (isObject(v) && Object.values(v).some(holdsNull));

// An RFC 7386 merge patch taking `from` to `to`, or null when none can: a null in `to`
// (a merge patch reads null as "remove") or a top level that is not an object.
export function mergePatch(from, to) {
  if (!isObject(from) || !isObject(to)) return null;
  const patch = {};
  for (const name of Object.keys(from)) if (!(name in to)) patch[name] = null;
  for (const [name, value] of Object.entries(to)) {
    if (JSON.stringify(from[name]) === JSON.stringify(value)) continue;
    if (holdsNull(value)) return null;
    patch[name] = isObject(from[name]) && isObject(value) ? mergePatch(from[name], value) : value;
    if (patch[name] === null) return null;
  }
  return patch;
}

export async function editorView(panel, focus) {
  const drafts = state.versions.filter((v) => v.status === "draft");
  if (!drafts.length) {
    fill(panel, h("h3", {}, "Edit draft"), h("p", {}, "No draft: create one from the history."));
    return;
  }
  const number = drafts.some((v) => v.version_number === focus) ? focus : drafts[0].version_number;
  const base = `/workflows/${wid()}/versions/${number}`;
  const version = await api(base);
  let saved = null;
  try { saved = await api(`${base}/draft`); } catch (e) { if (e.status !== 404) throw e; }
  const localKey = `wfv.unsaved.${state.claims.sub}.${wid()}.${number}`;
  const pretty = (doc) => JSON.stringify(doc, null, 2);
  // `base`: the document the store holds as `revision`, which a patch is computed against.
  const ed = { revision: saved ? saved.revision : 0, base: saved ? saved.definition : version.definition, timer: null, busy: false };
  ed.lastSaved = pretty(ed.base);
  const text = h("textarea", { id: "draft-text", class: "code", spellcheck: "false", "aria-describedby": "save-status" }, ed.lastSaved);
  const status = h("p", { id: "save-status", class: "save-status", role: "status", "aria-live": "polite" },
    saved ? `saved at ${clock(saved.saved_at)} (revision ${saved.revision})` : "no unsaved changes");
  const notices = h("div");
  const setStatus = (msg, cls = "") => { status.textContent = msg; status.className = `save-status ${cls}`; };
  const keepLocal = () => localStorage.setItem(localKey, JSON.stringify({ text: text.value, revision: ed.revision, at: new Date().toISOString() }));

  const save = async () => {
    if (!state.token || ed.busy || text.value === ed.lastSaved) return;
    let definition;
    try { definition = JSON.parse(text.value); } catch (e) { setStatus(`not saved: invalid JSON (${e.message})`, "error"); return; }
    const sent = text.value;
    ed.busy = true;
    setStatus("saving…");
    // Only what changed (a merge patch) when it can say it; the whole document otherwise,
    // and again at once when the store no longer has the patch's base (409 draft-base-unknown).
    const post = (body) => api(`${base}/draft`, { method: "POST", body: { revision: ed.revision, ...body } });
    try {
      const patch = ed.revision > 0 ? mergePatch(ed.base, definition) : null;
      let answer;
      try {
        answer = patch ? await post({ patch }) : await post({ definition });
      } catch (e) {
        if (!(patch && e instanceof ApiError && e.problem.resend === "definition")) throw e;
        answer = await post({ definition });
      }
      ed.revision = answer.revision;
      ed.lastSaved = sent;
      ed.base = answer.merged && answer.definition ? answer.definition : definition;
      if (answer.merged && answer.definition && text.value === sent) {
        text.value = ed.lastSaved = pretty(answer.definition);
        fill(notices, h("p", { class: "notice" }, "Merged with a save from another tab."));
      }
      if (text.value === sent) localStorage.removeItem(localKey);
      setStatus(`saved at ${clock(answer.saved_at)}`, "saved");
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) {
        if (e.problem.revision !== undefined && e.problem.conflicts) {
          fill(notices, h("div", { class: "warning" }, `Conflict with another save at ${e.problem.conflicts.join(", ")}. `,
            h("button", { type: "button", onclick: () => { ed.revision = e.problem.revision; ed.base = null; ed.lastSaved = ""; fill(notices); save(); } }, "Overwrite with mine")));
        }
        setStatus(`not saved: ${e.message}`, "error");
      } else {
        keepLocal();
        setStatus("offline, will retry", "offline");
      }
    } finally {
      ed.busy = false;
    }
  };

  text.addEventListener("input", () => { if (!navigator.onLine) { keepLocal(); setStatus("offline, will retry", "offline"); } });
  const online = () => save();
  window.addEventListener("online", online);
  ed.timer = setInterval(save, SAVE_EVERY_MS);
  state.cleanup.push(() => { clearInterval(ed.timer); window.removeEventListener("online", online); save(); });

  const local = JSON.parse(localStorage.getItem(localKey) || "null");
  if (local && local.text !== ed.lastSaved) {
    const newer = saved && new Date(saved.saved_at) > new Date(local.at);
    fill(notices, h("div", { class: "notice", id: "recovery" },
      `Unsaved changes from ${when(local.at)} are kept in this browser${newer ? " (a newer draft was saved since)" : ""}. `,
      h("button", { type: "button", onclick: () => { text.value = local.text; fill(notices); save(); } }, "Recover them"), " ",
      h("button", { type: "button", class: "secondary", onclick: () => { localStorage.removeItem(localKey); fill(notices); } }, "Discard")));
  }
  const commit = guarded("Commit as the version's next edit", lacks("workflows:edit"), () => act(async () => {
    await save();
    await api(`${base}/draft/commit`, { method: "POST", body: { lock_version: version.lock_version, revision: ed.revision } });
    await show("history");
  }, `draft v${number} committed`));
  const picker = versionSelect("editor-version", "Draft", number, (v) => v.status === "draft");
  picker.querySelector("select").addEventListener("change", (e) => show("editor", Number(e.target.value)));
  fill(panel, h("h3", {}, `Edit draft v${number}`), h("div", { class: "row" }, picker), notices,
    h("label", { for: "draft-text" }, "Definition (JSON, auto-saved every few seconds)"), text, status, commit);
}
