import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { renderWithApi } from "../test/render";

import { WELCOME_ID, welcomeRoutes } from "./answers";
import ComparePicker from "./ComparePicker";

test("opens on the current version against the newest draft; any other pair can be picked, one version twice is refused", async () => {
  renderWithApi(<ComparePicker workflowId={WELCOME_ID} />, welcomeRoutes);
  const from = await screen.findByLabelText("From");
  const to = screen.getByLabelText("To");
  expect(from).toHaveValue("1");
  expect(to).toHaveValue("4");
  expect(within(to).getAllByRole("option").map((option) => option.textContent)).toEqual(["v4", "v3", "v2", "v1"]);
  expect(await screen.findByText("1 action moved")).toBeInTheDocument();

  await userEvent.selectOptions(to, "2");
  expect(await screen.findByText(/1 action removed, 2 modified; trigger changed; 3 breaking/)).toBeInTheDocument();
  await userEvent.selectOptions(from, "2");
  expect(screen.getByRole("alert")).toHaveTextContent("v2 and v2 are the same version: pick two different versions");
});
