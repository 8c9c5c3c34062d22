// Version history: statuses, authors, live counts, and the actions a permission allows.
import { act, api, fill, guarded, h, label, lacks, show, state, statusOf, when, wid } from "./core.js";

export function historyView(panel) {
  const rows = state.versions.map((v) => {
    const st = statusOf(v);
    const draft = v.status === "draft";
    const buttons = [];
    if (draft) {
      buttons.push(guarded("Publish", lacks("workflows:edit"), () => act(async () => {
        await api(`/workflows/${wid()}/versions/${v.version_number}/publish`, { method: "POST", body: { lock_version: v.lock_version } });
        await show("history");
      }, `v${v.version_number} published`), { "data-action": "publish" }));
      buttons.push(guarded("Edit", lacks("workflows:edit"), () => show("editor", v.version_number)));
      buttons.push(guarded("Review", null, () => show("review", v.version_number)));
      buttons.push(guarded("Delete draft", lacks("workflows:edit"), () => act(async () => {
        await api(`/workflows/${wid()}/versions/${v.version_number}`, { method: "DELETE" });
        await show("history");
      }, `draft v${v.version_number} deleted`)));
    } else if (v.status === "archived") {
      buttons.push(guarded("Unarchive", lacks("workflows:admin"), () => act(async () => {
        await api(`/workflows/${wid()}/versions/${v.version_number}/unarchive`, { method: "POST" });
        await show("history");
      }, `v${v.version_number} unarchived`)));
    } else {
      buttons.push(guarded("Rollback", v.is_current ? "already current" : lacks("workflows:admin"), () => act(async () => {
        await api(`/workflows/${wid()}/versions/${v.version_number}/rollback`, { method: "POST" });
        await show("history");
      }, `rolled back to v${v.version_number}`)));
      buttons.push(guarded("Migrate here", lacks("workflows:edit"), () => show("migrate", v.version_number)));
    }
    return h("tr", { "data-version": v.version_number },
      h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => show("compare", v.version_number),
        "aria-label": `Compare v${v.version_number}` }, `v${v.version_number}`)),
      h("td", { "data-label": "Status" }, h("span", { class: `badge ${st}` }, st)),
      h("td", { "data-label": "Author" }, v.created_by),
      h("td", { "data-label": "Date" }, when(v.published_at || v.created_at)),
      h("td", { "data-label": "Active executions" }, String(v.active_executions ?? 0)),
      h("td", {}, h("div", { class: "actions" }, buttons)));
  });
  fill(panel,
    h("h3", {}, "Version history"),
    h("div", { class: "row" }, guarded("New draft", lacks("workflows:edit"), () => act(async () => {
      await api(`/workflows/${wid()}/versions`, { method: "POST" });
      await show("history");
    }, "new draft created"))),
    h("div", { class: "table-wrap" }, h("table", { id: "versions" },
      h("caption", { class: "muted" }, "Newest first. Active executions are contacts active or waiting on the version."),
      h("thead", {}, h("tr", {}, ["Version", "Status", "Author", "Date", "Active executions", "Actions"].map(
        (t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows))));
}
