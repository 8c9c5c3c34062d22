// The review thread of a draft; publish gated exactly as the API gates it.
import { act, api, fill, guarded, h, label, lacks, show, state, when, wid } from "./core.js";
import { versionSelect } from "./compare.js";

export async function reviewView(panel, focus) {
  const drafts = state.versions.filter((v) => v.status === "draft");
  if (!drafts.length) {
    fill(panel, h("h3", {}, "Review"), h("p", {}, "No draft to review."));
    return;
  }
  const number = drafts.some((v) => v.version_number === focus) ? focus : drafts[0].version_number;
  const version = drafts.find((v) => v.version_number === number);
  const picker = versionSelect("review-version", "Draft", number, (v) => v.status === "draft");
  picker.querySelector("select").addEventListener("change", (e) => show("review", Number(e.target.value)));
  const { items } = await api(`/workflows/${wid()}/versions/${number}/reviews`);
  const review = items.find((r) => r.status === "open");
  const body = [h("h3", {}, `Review of v${number}`), h("div", { class: "row" }, picker)];
  if (!review) {
    body.push(h("p", {}, "No open review."), guarded("Open review", lacks("workflows:edit"), () => act(async () => {
      await api(`/workflows/${wid()}/versions/${number}/reviews`, { method: "POST" });
      await show("review", number);
    }, "review opened")));
    fill(panel, ...body);
    return;
  }
  const s = review.state;
  const problems = s.problems.map((p) => `${p.pointer}: ${p.message}`);
  const missing = s.publishable ? null : `cannot publish yet: ${[...s.missing, ...problems].join("; ")}`;
  const commentBody = h("textarea", { id: "comment-body", rows: 3, required: true });
  const anchor = h("input", { id: "comment-action", placeholder: "e.g. welcome", pattern: "[A-Za-z0-9_.?\\-]{1,64}" });
  const post = (path, payload, message) => act(async () => {
    await api(`/workflows/${wid()}/reviews/${review.id}/${path}`, { method: "POST", body: payload });
    await show("review", number);
  }, message);
  body.push(
    h("p", {}, `${review.title} — opened by ${review.opened_by}, ${when(review.opened_at)}`),
    h("p", { id: "review-state" }, `Approvals: ${s.approved_by.length} of ${s.required_approvals} required`,
      s.approved_by.length ? ` (${s.approved_by.join(", ")})` : "",
      s.changes_requested_by.length ? ` · changes requested by ${s.changes_requested_by.join(", ")}` : "",
      s.stale_approvals.length ? ` · stale: ${s.stale_approvals.join(", ")}` : ""),
    s.missing.length ? h("ul", { id: "review-missing", class: "warning" }, s.missing.map((m) => h("li", {}, m))) : null,
    s.problems.length ? h("div", { id: "review-problems", class: "warning" },
      h("p", {}, s.problems_truncated ? `The document has more than ${s.problems.length} problems; the first:` : "The document cannot be published as it is:"),
      h("ul", {}, s.problems.map((p) => h("li", {}, h("code", {}, p.pointer), p.action_id ? ` (action ${p.action_id})` : "", ` ${p.message}`)))) : null,
    h("ol", { class: "thread", id: "thread" }, review.events.map((e) => h("li", { class: e.kind },
      h("strong", {}, e.author_id), ` ${e.kind.replace("_", " ")}`, e.stale ? " (stale)" : "",
      e.action_id ? h("span", {}, " on ", h("code", {}, e.action_id)) : null,
      h("span", { class: "muted" }, ` · ${when(e.created_at)}`), e.body ? h("p", {}, e.body) : null))),
    h("form", { class: "stack", onsubmit: (ev) => {
      ev.preventDefault();
      post("comments", { body: commentBody.value, action_id: anchor.value || null }, "comment added");
    } },
    h("label", { for: "comment-body" }, "Comment"), commentBody,
    h("label", { for: "comment-action" }, "On action (optional)"), anchor,
    h("div", { class: "actions" },
      guarded("Comment", lacks("workflows:edit"), null, { type: "submit" }),
      guarded("Approve", lacks("workflows:edit"), () => post("verdicts", { verdict: "approve", body: commentBody.value || null }, "approved")),
      guarded("Request changes", lacks("workflows:edit"), () => post("verdicts", { verdict: "request_changes", body: commentBody.value || null }, "changes requested")))),
    h("h4", {}, "Publish"),
    guarded("Publish", lacks("workflows:edit") || missing, () => act(async () => {
      await api(`/workflows/${wid()}/versions/${number}/publish`, { method: "POST", body: { lock_version: version.lock_version } });
      await show("history");
    }, `v${number} published`), { id: "review-publish" }));
  fill(panel, ...body);
}
