// Compare two versions side by side, breaking changes as warnings, or git's patch.
import { $, api, fill, h, label, state, wid } from "./core.js";

export function versionSelect(id, text, selected, filter = () => true) {
  const select = h("select", { id }, state.versions.filter(filter).map((v) =>
    h("option", { value: v.version_number, selected: v.version_number === selected }, label(v))));
  return h("div", {}, h("label", { for: id }, text), select);
}

function describe(change, side) {
  const name = change.element_id ? `${change.part.replace(/s$/, "")} '${change.element_id}'` : change.part;
  const type = side === "old" ? change.old_type : change.new_type;
  const index = side === "old" ? change.old_index : change.new_index;
  const bits = [name, type ? `(${type})` : "", change.kind === "moved" && index !== null ? `at #${index + 1}` : ""];
  return bits.filter(Boolean).join(" ");
}

function changeRow(change) {
  const fields = change.fields?.length
    ? h("details", {}, h("summary", {}, `${change.fields.length} field change(s)`),
      h("ul", { class: "fields" }, change.fields.map((f) =>
        h("li", {}, h("code", {}, f.path), `: ${f.change} `, JSON.stringify(f.old ?? null), " → ", JSON.stringify(f.new ?? null)))))
    : null;
  const tag = (text) => h("span", { class: "kind" }, text, " ");
  const cls = `${change.kind} ${change.classification}`;
  const left = change.kind === "added" ? h("div", { class: "cell empty" })
    : h("div", { class: `cell ${change.kind}`, "data-kind": change.kind }, tag(change.kind), describe(change, "old"));
  const right = change.kind === "removed" ? h("div", { class: "cell empty" })
    : h("div", { class: `cell ${change.kind}`, "data-kind": change.kind }, tag(change.kind), describe(change, "new"),
      h("span", { class: "muted" }, ` · ${change.classification}`), fields);
  if (change.kind === "removed") left.append(h("span", { class: "muted" }, ` · ${change.classification}`));
  left.dataset.cls = cls;
  return [left, right];
}

export async function compareView(panel, focus) {
  const numbers = state.versions.map((v) => v.version_number);
  const to = focus && numbers.includes(focus) ? focus : numbers[0];
  const from = numbers.find((n) => n < to) ?? numbers[numbers.length - 1];
  const out = h("div", { id: "compare-result", "aria-live": "polite" });
  const patchToggle = h("input", { type: "checkbox", id: "patch-toggle" });
  const run = async () => {
    const a = $("#cmp-from").value;
    const b = $("#cmp-to").value;
    fill(out, h("p", { class: "muted" }, "Comparing…"));
    try {
      if (patchToggle.checked) {
        const text = await (await api(`/workflows/${wid()}/versions/compare?from=${a}&to=${b}&format=patch`, { raw: true })).text();
        fill(out, h("pre", { class: "patch", "aria-label": "unified patch" }, text.split("\n").map((line) =>
          h("span", { class: line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "rem" : line.startsWith("@@") ? "hunk" : null }, `${line}\n`))));
        return;
      }
      const cmp = await api(`/workflows/${wid()}/versions/compare?from=${a}&to=${b}`);
      const changes = Object.values(cmp.parts).flatMap((p) => [...p.removed, ...p.added, ...p.modified, ...p.moved]);
      fill(out,
        h("p", {}, h("strong", {}, cmp.summary || "No changes.")),
        cmp.breaking.map((b) => h("div", { class: "warning", role: "note", "data-breaking": b.kind },
          h("strong", {}, `Breaking (${b.live_contacts} live contact${b.live_contacts === 1 ? "" : "s"}): `), b.warning)),
        changes.length ? h("div", { class: "diff", role: "table", "aria-label": "side-by-side changes" },
          h("div", { class: "head", role: "columnheader" }, `v${cmp.from_version.version_number}`),
          h("div", { class: "head", role: "columnheader" }, `v${cmp.to_version.version_number}`),
          changes.flatMap(changeRow)) : null);
    } catch (error) {
      fill(out, h("p", { role: "alert" }, `Error: ${error.message}`));
    }
  };
  patchToggle.addEventListener("change", run);
  fill(panel,
    h("h3", {}, "Compare versions"),
    h("div", { class: "row" },
      versionSelect("cmp-from", "From", from), versionSelect("cmp-to", "To", to),
      h("button", { type: "button", onclick: run }, "Compare"),
      h("div", {}, h("span", {}, patchToggle, h("label", { for: "patch-toggle" }, " Unified patch")))),
    out);
  await run();
}
