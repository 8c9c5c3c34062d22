// Migration wizard: strategy, mapping, plan, confirm, live progress (SSE via fetch), summary.
import { act, api, fill, guarded, h, label, lacks, show, state, wid } from "./core.js";

const STEPS = ["Strategy", "Mapping", "Plan", "Confirm", "Progress", "Summary"];

export async function migrateView(panel, focus) {
  const targets = state.versions.filter((v) => v.status === "active");
  if (!targets.length) {
    fill(panel, h("h3", {}, "Migrate"), h("p", {}, "Publish a version first: only active versions take migrations."));
    return;
  }
  const target = targets.find((v) => v.version_number === focus) || targets.find((v) => v.is_current) || targets[0];
  const sources = state.versions.filter((v) => v.version_number !== target.version_number && v.status !== "draft");
  const targetDoc = await api(`/workflows/${wid()}/versions/${target.version_number}`);
  const targetActions = targetDoc.definition.actions.map((a) => a.id);
  const wizard = { step: 0, request: null, firstPlan: null, plan: null, migration: null };
  const body = h("div", { id: "wizard" });
  const steps = h("ol", { class: "steps", "aria-label": "Migration steps" });
  const goto = (step, content) => {
    wizard.step = step;
    fill(steps, ...STEPS.map((s, i) => h("li", { "aria-current": i === step ? "step" : null }, `${i + 1}. ${s}`)));
    fill(body, ...content);
    body.querySelector("button, input, select")?.focus();
  };
  const problem = (error) => h("p", { role: "alert", class: "warning" }, `${error.problem?.title || "Error"}: ${error.message}`);
  const dryRun = (request) => api(`/workflows/${wid()}/versions/${target.version_number}/migrate`, { method: "POST", body: { ...request, dry_run: true } });

  const strategyStep = () => {
    const strategy = h("select", { id: "mig-strategy" }, ["immediate", "gradual"].map((s) => h("option", { value: s }, s)));
    const step = h("input", { id: "mig-step", type: "number", min: 1, max: 100, value: 10 });
    const interval = h("input", { id: "mig-interval", type: "number", min: 1, value: 300 });
    const boxes = sources.map((v) => h("div", {}, h("span", {},
      h("input", { type: "checkbox", id: `src-${v.version_number}`, value: v.version_number, checked: (v.active_executions || 0) > 0 }),
      h("label", { for: `src-${v.version_number}` }, ` ${label(v)} — ${v.active_executions || 0} in flight`))));
    const error = h("div");
    goto(0, [
      h("fieldset", {}, h("legend", {}, `Move contacts to v${target.version_number} from`), boxes.length ? boxes : h("p", {}, "No other published version.")),
      h("div", { class: "row" },
        h("div", {}, h("label", { for: "mig-strategy" }, "Strategy"), strategy),
        h("div", {}, h("label", { for: "mig-step" }, "Gradual: % per step"), step),
        h("div", {}, h("label", { for: "mig-interval" }, "Gradual: seconds between steps"), interval)),
      error,
      h("button", { type: "button", onclick: async () => {
        const from = [...body.querySelectorAll("fieldset input:checked")].map((i) => Number(i.value));
        if (!from.length) { fill(error, h("p", { role: "alert" }, "Choose at least one source version.")); return; }
        wizard.request = { from_versions: from, strategy: strategy.value, mapping: {}, unmapped: "fail" };
        if (strategy.value === "gradual") Object.assign(wizard.request, { step_percent: Number(step.value), interval_seconds: Number(interval.value) });
        try {
          wizard.firstPlan = await dryRun(wizard.request);
          mappingStep(wizard.firstPlan);
        } catch (e) { fill(error, problem(e)); }
      } }, "Next: mapping"),
    ]);
  };

  const mappingStep = (plan) => {
    const positions = [...new Map(plan.unmappable.map((r) => [r.from_action, r])).values()];
    const counts = (action) => plan.unmappable.filter((r) => r.from_action === action).reduce((n, r) => n + r.count, 0);
    const error = h("div");
    const selects = positions.map((row, i) => {
      const id = `map-${i}`;
      return h("div", {}, h("label", { for: id }, `Contacts at '${row.from_action ?? "(none)"}' (${counts(row.from_action)}): no such action in v${target.version_number}`),
        h("select", { id, "data-from": row.from_action ?? "", required: true },
          h("option", { value: "" }, "— choose —"),
          targetActions.map((a) => h("option", { value: `to:${a}` }, `move to '${a}'`)),
          h("option", { value: "exit" }, "exit the workflow"),
          h("option", { value: "fail" }, "leave in place (reported as failed)")));
    });
    goto(1, [
      h("p", {}, positions.length ? "Each position without a counterpart in the target needs a choice." : "Every position has a counterpart: nothing to map."),
      h("div", { class: "stack" }, selects), error,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: strategyStep }, "Back"),
        h("button", { type: "button", onclick: async () => {
          const chosen = [...body.querySelectorAll("select[data-from]")];
          if (chosen.some((s) => !s.value)) { fill(error, h("p", { role: "alert" }, "Choose what happens to every listed position.")); return; }
          const mapping = {};
          const fallbacks = new Set();
          for (const s of chosen) {
            if (s.value.startsWith("to:")) mapping[s.dataset.from] = s.value.slice(3);
            else fallbacks.add(s.value);
          }
          if (fallbacks.size > 1) { fill(error, h("p", { role: "alert" }, "'exit' and 'leave in place' cannot be mixed in one migration: map the others to an action.")); return; }
          Object.assign(wizard.request, { mapping, unmapped: [...fallbacks][0] || "fail" });
          try { planStep(await dryRun(wizard.request)); } catch (e) { fill(error, problem(e)); }
        } }, "Next: dry run")),
    ]);
  };

  const planStep = (plan) => {
    wizard.plan = plan;
    const perTarget = new Map();
    for (const r of [...plan.plan, ...plan.unmappable]) {
      const key = r.outcome === "migrate" ? `→ ${r.to_action}` : r.outcome;
      perTarget.set(key, (perTarget.get(key) || 0) + r.count);
    }
    goto(2, [
      h("p", { id: "plan-total" }, `Dry run: ${plan.total} execution(s) would be considered.`),
      h("table", { id: "plan" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Target"), h("th", { scope: "col" }, "Count"))),
        h("tbody", {}, [...perTarget].map(([k, n]) => h("tr", {}, h("td", {}, k), h("td", {}, String(n)))))),
      plan.warnings.map((w) => h("div", { class: "warning" }, w)),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: () => mappingStep(wizard.firstPlan) }, "Back"),
        h("button", { type: "button", onclick: confirmStep }, "Next: confirm")),
    ]);
  };

  const confirmStep = () => {
    const r = wizard.request;
    const error = h("div");
    goto(3, [
      h("p", {}, `Move ${wizard.plan.total} execution(s) from ${r.from_versions.map((n) => `v${n}`).join(", ")} to v${target.version_number}, ${r.strategy}${r.strategy === "gradual" ? ` (${r.step_percent}% every ${r.interval_seconds}s)` : ""}; unmapped: ${r.unmapped}.`),
      error,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: () => planStep(wizard.plan) }, "Back"),
        guarded("Start migration", lacks("workflows:edit"), async () => {
          try {
            wizard.migration = await api(`/workflows/${wid()}/versions/${target.version_number}/migrate`, { method: "POST", body: r });
            progressStep();
          } catch (e) { fill(error, problem(e)); }
        })),
    ]);
  };

  // The ETA counts the gradual waits left; when there is none, the API says why.
  const ETA_REASONS = { queued: "not started yet", measuring: "measuring the rate", paused: "paused" };
  const etaText = (m) => {
    if (m.eta_seconds !== null && m.eta_seconds !== undefined) {
      const next = m.next_step_at ? `, next step at ${new Date(m.next_step_at).toLocaleTimeString()}` : "";
      return `${Math.ceil(m.eta_seconds)} s${next}`;
    }
    if (m.eta_reason === "halted" && m.halt) {
      const pct = (x) => `${+(x * 100).toFixed(1)}%`;
      return `none: halted in step ${m.halt.step}, ${m.halt.failed} of ${m.halt.processed} failed (${pct(m.halt.share)} > threshold ${pct(m.halt.threshold)})`;
    }
    return `none: ${ETA_REASONS[m.eta_reason] ?? m.eta_reason ?? "unknown"}`;
  };

  const progressStep = () => {
    const bar = h("progress", { id: "mig-bar", max: 1, value: 0, "aria-label": "migration progress" });
    const text = h("p", { id: "mig-progress", "aria-live": "polite" }, "Starting…");
    const controller = new AbortController();
    state.cleanup.push(() => controller.abort());
    const render = (m) => {
      const done = m.migrated + m.skipped + m.failed;
      bar.max = Math.max(m.total, 1);
      bar.value = done;
      const rate = m.rate_per_second ? `${m.rate_per_second.toFixed(1)}/s` : "—";
      text.textContent = `${m.status}: ${done} of ${m.total} (migrated ${m.migrated}, skipped ${m.skipped}, failed ${m.failed}) · rate ${rate} · ETA ${etaText(m)}`;
      wizard.migration = m;
    };
    goto(4, [bar, text, h("button", { type: "button", id: "mig-cancel", onclick: () => act(async () => {
      render(await api(`/workflows/${wid()}/migrations/${wizard.migration.id}/cancel`, { method: "POST" }));
    }, "cancel requested") }, "Cancel migration")]);
    // "end": the server closed the stream before the migration did (the token expired, or
    // an hour passed): reopen it after the hour; after the token, signing in again does.
    const follow = () => followEvents(`/workflows/${wid()}/migrations/${wizard.migration.id}/events`, controller.signal, (event, data) => {
      if (event === "progress") render(data);
      if (event === "done") summaryStep();
      if (event === "end" && data.reason === "time-limit") follow();
      else if (event === "end") text.textContent = `Progress stream ended (${data.reason}): sign in again to follow it.`;
    }).catch((e) => { if (e.name !== "AbortError") text.textContent = `Lost the progress stream: ${e.message}`; });
    follow();
  };

  const summaryStep = async () => {
    const id = wizard.migration.id;
    const [m, failed] = await Promise.all([
      api(`/workflows/${wid()}/migrations/${id}`), api(`/workflows/${wid()}/migrations/${id}/items?outcome=failed&limit=100`)]);
    goto(5, [
      h("p", { id: "mig-summary" }, `Migration ${m.status}: ${m.migrated} migrated, ${m.skipped} skipped, ${m.failed} failed of ${m.total}.`,
        m.status_reason ? ` (${m.status_reason})` : ""),
      failed.items.length ? h("table", { id: "mig-failed" }, h("caption", {}, "Failed executions"),
        h("thead", {}, h("tr", {}, ["Contact", "From action", "Reason"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, failed.items.map((i) => h("tr", {}, h("td", {}, i.contact_id), h("td", {}, i.from_action_id ?? ""), h("td", {}, i.reason)))))
        : h("p", {}, "No failures."),
      h("button", { type: "button", onclick: () => show("history") }, "Back to history"),
    ]);
  };

  fill(panel, h("h3", {}, `Migrate contacts to v${target.version_number}`), steps, body);
  strategyStep();
}

/** Server-sent events over fetch(): EventSource cannot send an Authorization header. */
async function followEvents(path, signal, onEvent) {
  const response = await api(path, { raw: true, headers: { Accept: "text/event-stream" } });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  signal.addEventListener("abort", () => reader.cancel().catch(() => {}));
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done || signal.aborted) return;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      onEvent(event, JSON.parse(data.join("\n") || "null"));
    }
  }
}
