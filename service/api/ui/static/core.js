// wfv web UI, the shared core: API access, auth, DOM helpers, navigation between screens.

export const API = "/api/v1";
export const TOKEN_KEY = "wfv.token";
export const SAVE_EVERY_MS = 3000;
export const ROLE_PERMISSIONS = {
  "org:admin": ["workflows:admin"], "org:member": ["workflows:edit"], "org:viewer": ["workflows:read"],
};
export const RANK = { "workflows:read": 1, "workflows:edit": 2, "workflows:admin": 3 };

export const $ = (sel) => document.querySelector(sel);
/** Screens register here (app.js); `show` opens one. */
export const views = {};
export const state = { token: null, claims: null, workflow: null, versions: [], view: "history", focus: null, cleanup: [] };

// ---------- DOM helper: text only, never innerHTML with server data ----------
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's children; arrays are flattened and null/false skipped. */
export function fill(el, ...items) {
  el.replaceChildren(...items.flat(Infinity).filter((x) => x !== null && x !== undefined && x !== false));
}

export function flash(message, ok = false) {
  const box = $("#flash");
  box.textContent = message;
  box.className = ok ? "flash ok" : "flash";
  box.hidden = !message;
}

// ---------- auth ----------
export function decodeClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(escape(atob(part + "===".slice((part.length + 3) % 4))));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

export function level(claims) {
  const perms = [...(claims?.permissions || [])];
  const role = claims?.org_role || claims?.o?.rol;
  if (role) perms.push(...(ROLE_PERMISSIONS[role] || ROLE_PERMISSIONS[`org:${role}`] || []));
  return Math.max(0, ...perms.map((p) => RANK[p] || 0));
}

/** null when allowed, else the reason shown next to the disabled button. */
export function lacks(permission) {
  return level(state.claims) >= RANK[permission] ? null : `needs ${permission}`;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, { method = "GET", body, headers = {}, raw = false } = {}) {
  const init = { method, headers: { Authorization: `Bearer ${state.token}`, ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${API}${path}`, init);
  if (response.status === 401) {
    signOut("Your token was refused (401): sign in again.");
    throw new ApiError(401, null);
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export function signOut(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { token: null, claims: null, workflow: null });
  stopView();
  $("#app").hidden = true;
  $("#sign-out").hidden = true;
  $("#who").textContent = "";
  $("#signin").hidden = false;
  flash(message);
}

export async function refreshVersions() {
  const { items } = await api(`/workflows/${state.workflow.id}/versions?limit=200`);
  state.versions = items;
  return items;
}

export function stopView() {
  for (const fn of state.cleanup.splice(0)) fn();
}

export async function show(view, focus = null) {
  stopView();
  state.view = view;
  state.focus = focus;
  for (const tab of document.querySelectorAll("#tabs button")) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
  const panel = $("#view");
  panel.setAttribute("aria-label", view);
  fill(panel, h("p", { class: "muted" }, "Loading…"));
  try {
    await refreshVersions();
    await views[view](panel, focus);
  } catch (error) {
    if (error.status !== 401) fill(panel, h("p", { role: "alert" }, `Error: ${error.message}`));
  }
}

export const statusOf = (v) => (v.is_current ? "current" : v.status);
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");
export const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
export const label = (v) => `v${v.version_number} (${statusOf(v)})`;
export const wid = () => state.workflow.id;

/** A button that is disabled, with its reason shown and announced, when `reason` is set. */
export function guarded(text, reason, onclick, extra = {}) {
  const id = `r${Math.random().toString(36).slice(2)}`;
  const button = h("button", { type: "button", disabled: Boolean(reason), "aria-describedby": reason ? id : null, onclick, ...extra }, text);
  return h("span", {}, button, reason ? h("span", { class: "reason", id }, reason) : null);
}

export async function act(fn, okMessage) {
  try {
    await fn();
    flash(okMessage, true);
  } catch (error) {
    if (error.status !== 401) flash(`${error.problem?.title || "Error"}: ${error.message}`);
  }
}
