// wfv web UI: ES modules, no build step. Every screen talks to the public /api/v1; the
// token's permissions are decoded only to explain disabled buttons (the server decides).
import { $, TOKEN_KEY, api, decodeClaims, fill, flash, h, show, signOut, state, views } from "./core.js";
import { compareView } from "./compare.js";
import { editorView } from "./editor.js";
import { historyView } from "./history.js";
import { migrateView } from "./migrate.js";
import { reviewView } from "./review.js";

Object.assign(views, { history: historyView, compare: compareView, review: reviewView, migrate: migrateView, editor: editorView });

function signIn(token) {
  const claims = decodeClaims(token);
  if (!claims) {
    flash("That does not look like a JWT (three dot-separated parts).");
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  state.token = token;
  state.claims = claims;
  start();
}

async function start() {
  $("#signin").hidden = true;
  $("#app").hidden = false;
  $("#sign-out").hidden = false;
  const c = state.claims;
  const perms = [...(c.permissions || []), c.org_role || c.o?.rol].filter(Boolean).join(", ");
  $("#who").textContent = `${c.sub} @ ${c.org_id || c.o?.id || "?"} — ${perms || "no permissions"}`;
  flash("");
  await loadWorkflows();
}

async function loadWorkflows() {
  const list = $("#workflows");
  fill(list, h("li", { class: "muted" }, "Loading…"));
  try {
    const { items } = await api("/workflows?limit=200");
    fill(list, ...items.map((w) => h("li", {},
      h("button", { type: "button", "data-id": w.id, onclick: () => openWorkflow(w.id) }, w.name))));
    if (!items.length) fill(list, h("li", { class: "muted" }, "No workflows yet."));
  } catch (error) {
    fill(list, h("li", {}, `Could not list workflows: ${error.message}`));
  }
}

async function openWorkflow(id, view = "history") {
  state.workflow = await api(`/workflows/${id}`);
  for (const b of document.querySelectorAll("#workflows button")) b.setAttribute("aria-current", String(b.dataset.id === id));
  $("#workflow-title").textContent = state.workflow.name;
  $("#tabs").hidden = false;
  await show(view);
}


// ---------- boot ----------
$("#signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("#token").value.trim());
});
$("#sign-out").addEventListener("click", () => signOut());
for (const tab of document.querySelectorAll("#tabs button")) tab.addEventListener("click", () => show(tab.dataset.view));
const stored = sessionStorage.getItem(TOKEN_KEY);
if (stored) signIn(stored);
else $("#signin").hidden = false;
