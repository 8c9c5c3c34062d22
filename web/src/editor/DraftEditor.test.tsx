import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { SignOutButton } from "../app/SignOutButton";
import { clearWfvStorage } from "../session/storage";
import { json } from "../test/fakeApi";
import { renderWithApi } from "../test/render";

import { actionTypes, conflict, DRAFT_NUMBER, draftVersion, invalid, PATHS, saved, savedDraft, WELCOME, WORKFLOW_ID } from "./answers";
import { DraftEditor } from "./DraftEditor";
import { keptKey } from "./offline";
import type { TextEditorProps } from "./textEditor";

// CodeMirror measures a layout jsdom does not have: the editor's text is behind TextEditorProps
// (value + onChange), and here a plain textarea stands in for it, so the save logic is tested alone.
vi.mock("./CodeMirrorEditor", () => ({
  default: ({ id, label, value, onChange }: TextEditorProps) => (
    <textarea id={id} aria-label={label} value={value} onChange={(event) => onChange(event.target.value)} />
  ),
}));

const base = { [`GET ${PATHS.version}`]: draftVersion, [`GET ${PATHS.draft}`]: savedDraft };
const renamed = (name: string) => JSON.stringify({ ...WELCOME, name }, null, 2);

async function open(routes: Record<string, unknown>) {
  const view = renderWithApi(<DraftEditor workflowId={WORKFLOW_ID} versionNumber={DRAFT_NUMBER} />, { ...base, ...routes });
  const text = await screen.findByRole("textbox", { name: "Definition (JSON)" });
  const saves = () => view.sent.filter((request) => request.method === "POST" && request.path === PATHS.draft);
  return { ...view, text, saves };
}

const status = () => screen.getByRole("status");
const wait = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});

test("typing then a pause sends one save, a merge patch based on the revision restored, and says Saved", async () => {
  const { text, saves } = await open({ [`POST ${PATHS.draft}`]: saved(8) });
  expect(status()).toHaveTextContent("Saved");
  fireEvent.change(text, { target: { value: renamed("Wel") } });
  await wait(500);
  fireEvent.change(text, { target: { value: renamed("Welcome v2") } });
  expect(status()).toHaveTextContent("Unsaved changes");
  await wait(900);
  expect(saves()).toHaveLength(0);
  await wait(200);
  await waitFor(() => expect(status()).toHaveTextContent(/^Saved$/));
  expect(saves()).toHaveLength(1);
  // Based on the restored revision 7; only what changed since.
  expect(saves()[0]?.body).toEqual({ revision: 7, patch: { name: "Welcome v2" } });

  // The next save is based on the revision the store answered.
  fireEvent.change(text, { target: { value: renamed("Welcome v3") } });
  await wait(1100);
  await waitFor(() => expect(saves()).toHaveLength(2));
  expect(saves()[1]?.body).toEqual({ revision: 8, patch: { name: "Welcome v3" } });
});

test("a stale save shows the conflict and sends nothing more until the user keeps theirs", async () => {
  const answers = [json(conflict, 409), json(saved(10))];
  const { text, saves } = await open({ [`POST ${PATHS.draft}`]: () => answers.shift() });
  fireEvent.change(text, { target: { value: renamed("Mine") } });
  await wait(1100);
  await waitFor(() => expect(status()).toHaveTextContent("Someone else saved: reload or keep yours"));
  expect(status()).toHaveTextContent("/actions/welcome/name");
  fireEvent.change(text, { target: { value: renamed("Mine, still") } });
  await wait(3000);
  expect(saves()).toHaveLength(1);

  await userEvent.click(screen.getByRole("button", { name: "Keep mine" }));
  await waitFor(() => expect(status()).toHaveTextContent(/^Saved$/));
  expect(saves()).toHaveLength(2);
  // Mine, whole, over theirs: based on the revision the conflict named.
  expect(saves()[1]?.body).toEqual({ revision: 9, definition: { ...WELCOME, name: "Mine, still" } });
});

test("after a conflict, Reload theirs replaces the text with the store's newest save", async () => {
  const theirs = { definition: { ...WELCOME, name: "Theirs" }, revision: 9, saved_at: "2026-12-07T09:04:00.000000Z" };
  const drafts = [savedDraft, theirs];
  const { text, saves } = await open({ [`POST ${PATHS.draft}`]: () => json(conflict, 409), [`GET ${PATHS.draft}`]: () => json(drafts.shift()) });
  fireEvent.change(text, { target: { value: renamed("Mine") } });
  await wait(1100);
  await userEvent.click(await screen.findByRole("button", { name: "Reload theirs" }));
  await waitFor(() => expect(text).toHaveValue(renamed("Theirs")));
  expect(status()).toHaveTextContent(/^Saved$/);
  expect(saves()).toHaveLength(1);
});

test("a save that cannot reach the server is kept in this browser, cleared at sign-out, and sent again online", async () => {
  let reachable = false;
  const { text, saves } = await open({
    [`POST ${PATHS.draft}`]: () => (reachable ? json(saved(8)) : Promise.reject(new TypeError("Failed to fetch"))),
  });
  fireEvent.change(text, { target: { value: renamed("On the train") } });
  await wait(1100);
  await waitFor(() => expect(status()).toHaveTextContent("Offline: kept in this browser"));
  const key = keptKey(WORKFLOW_ID, DRAFT_NUMBER);
  expect(JSON.parse(localStorage.getItem(key) ?? "null")).toMatchObject({ text: renamed("On the train") });

  reachable = true;
  act(() => {
    window.dispatchEvent(new Event("online"));
  });
  await waitFor(() => expect(status()).toHaveTextContent(/^Saved$/));
  expect(saves()).toHaveLength(2);
  expect(saves()[1]?.body).toEqual({ revision: 7, patch: { name: "On the train" } });
  // Sent: the browser's copy is no longer needed.
  expect(localStorage.getItem(key)).toBeNull();

  // And a kept copy is among what sign-out removes.
  localStorage.setItem(key, JSON.stringify({ text: "x", at: "2026-12-07T09:00:00Z" }));
  clearWfvStorage();
  expect(localStorage.getItem(key)).toBeNull();
});

test("while the browser is offline nothing is sent: the text is kept here, the indicator says so, and it goes once online", async () => {
  const onLine = vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
  const { text, saves } = await open({ [`POST ${PATHS.draft}`]: saved(8) });
  fireEvent.change(text, { target: { value: renamed("In a tunnel") } });
  await wait(1100);
  await waitFor(() => expect(status()).toHaveTextContent("Offline: kept in this browser"));
  expect(saves()).toHaveLength(0);
  expect(JSON.parse(localStorage.getItem(keptKey(WORKFLOW_ID, DRAFT_NUMBER)) ?? "null")).toMatchObject({ text: renamed("In a tunnel") });

  onLine.mockReturnValue(true);
  act(() => {
    window.dispatchEvent(new Event("online"));
  });
  await waitFor(() => expect(status()).toHaveTextContent(/^Saved$/));
  expect(saves()).toHaveLength(1);
  expect(localStorage.getItem(keptKey(WORKFLOW_ID, DRAFT_NUMBER))).toBeNull();
  onLine.mockRestore();
});

test("a copy kept in this browser, newer than the server's save, is offered back and saved once restored", async () => {
  localStorage.setItem(keptKey(WORKFLOW_ID, DRAFT_NUMBER), JSON.stringify({ text: renamed("Kept"), at: "2026-12-07T09:30:00Z" }));
  const { text, saves } = await open({ [`POST ${PATHS.draft}`]: saved(8) });
  const offer = screen.getByRole("region", { name: "Kept in this browser" });
  expect(offer).toHaveTextContent("newer than the server's copy");
  await userEvent.click(within(offer).getByRole("button", { name: "Restore them" }));
  expect(text).toHaveValue(renamed("Kept"));
  await wait(1100);
  await waitFor(() => expect(saves()).toHaveLength(1));
  expect(saves()[0]?.body).toEqual({ revision: 7, patch: { name: "Kept" } });
});

test("a copy older than the server's save is not offered", async () => {
  localStorage.setItem(keptKey(WORKFLOW_ID, DRAFT_NUMBER), JSON.stringify({ text: renamed("Old"), at: "2026-12-07T08:00:00Z" }));
  await open({});
  expect(screen.queryByRole("region", { name: "Kept in this browser" })).not.toBeInTheDocument();
});

test("a commit's 422 shows each error next to its step, and all of them in a summary", async () => {
  const { sent } = await open({ [`POST ${PATHS.commit}`]: () => json(invalid, 422) });
  await userEvent.click(screen.getByRole("button", { name: "Commit as the version's next edit" }));
  const summary = await screen.findByRole("alert");
  expect(summary).toHaveTextContent("3 problems");
  expect(summary).toHaveTextContent("entry: Field required");
  expect(sent.find((request) => request.path === PATHS.commit)?.body).toEqual({ lock_version: 4, revision: 7 });
  // actions[1] is the step "wait-1d", actions[3] the step "tips" (welcome-small.json).
  const wait1d = screen.getByRole("listitem", { name: "wait-1d" });
  expect(wait1d).toHaveTextContent("actions.1.config.duration: Field required");
  const tips = screen.getByRole("listitem", { name: "tips" });
  expect(tips).toHaveTextContent("actions[3].config.template: String should have at least 1 character");
  expect(screen.getByRole("listitem", { name: "Welcome mail" })).not.toHaveTextContent("Field required");
});

test("a selected step's form, drawn from its action type's schema, edits the same document and is saved", async () => {
  const { text, saves } = await open({ "GET /api/v1/action-types": actionTypes, [`POST ${PATHS.draft}`]: saved(8) });
  await userEvent.click(within(screen.getByRole("listitem", { name: "Welcome mail" })).getByRole("button"));
  const form = await screen.findByRole("group", { name: "send_email settings" });
  expect(within(form).getByLabelText("template (required)")).toHaveValue("welcome");
  expect(within(form).getByLabelText("track_opens")).not.toBeChecked();
  expect(form).toHaveTextContent("Edit headers in the JSON view.");

  fireEvent.change(within(form).getByLabelText("template (required)"), { target: { value: "welcome-2" } });
  fireEvent.change(within(form).getByLabelText("priority"), { target: { value: "2" } });
  fireEvent.change(within(form).getByLabelText("retries"), { target: { value: "3" } });
  await userEvent.click(within(form).getByLabelText("track_opens"));
  const expected = { template: "welcome-2", priority: "high", retries: 3, track_opens: true };
  // The JSON view shows what the form wrote.
  expect(JSON.parse((text as HTMLTextAreaElement).value).actions[0].config).toEqual(expected);
  await wait(1100);
  await waitFor(() => expect(saves()).toHaveLength(1));
  const sentActions = (saves()[0]?.body as { patch: { actions: { config: unknown }[] } }).patch.actions;
  expect(sentActions[0]?.config).toEqual(expected);
  expect(sentActions).toHaveLength(WELCOME.actions instanceof Array ? WELCOME.actions.length : 0);
});

test("closing the editor before the pause ends keeps the text in this browser and sends it", async () => {
  const { text, saves, unmount } = await open({ [`POST ${PATHS.draft}`]: saved(8) });
  fireEvent.change(text, { target: { value: renamed("Closing") } });
  unmount();
  expect(JSON.parse(localStorage.getItem(keptKey(WORKFLOW_ID, DRAFT_NUMBER)) ?? "null")).toMatchObject({ text: renamed("Closing") });
  await waitFor(() => expect(saves()).toHaveLength(1));
  expect(saves()[0]?.body).toEqual({ revision: 7, patch: { name: "Closing" } });
});

test("signing out with typing not yet sent keeps no copy in this browser and sends nothing after", async () => {
  const view = renderWithApi(
    <>
      <SignOutButton />
      <DraftEditor workflowId={WORKFLOW_ID} versionNumber={DRAFT_NUMBER} />
    </>,
    { ...base, [`POST ${PATHS.draft}`]: saved(8) },
  );
  const text = await screen.findByRole("textbox", { name: "Definition (JSON)" });
  fireEvent.change(text, { target: { value: renamed("Typed, then signed out") } });
  await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
  await wait(1100);
  expect(localStorage.getItem(keptKey(WORKFLOW_ID, DRAFT_NUMBER))).toBeNull();
  expect(view.sent.filter((request) => request.method === "POST")).toEqual([]);
});
