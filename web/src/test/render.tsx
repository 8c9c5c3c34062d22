/** Render inside a WfvProvider whose fetch answers from `routes` (see fakeApi). */
import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";

import { WfvProvider } from "../provider/WfvProvider";

import { fakeApi } from "./fakeApi";

export const BASE_URL = "https://wfv.test";
export const TOKEN = "header.payload.signature";

export function renderWithApi(ui: ReactNode, routes: Record<string, unknown>, { onSignOut }: { onSignOut?: () => void } = {}) {
  const api = fakeApi(routes);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <WfvProvider baseUrl={BASE_URL} getToken={() => TOKEN} fetch={api.fetch} queryClient={queryClient} {...(onSignOut ? { onSignOut } : {})}>
      {ui}
    </WfvProvider>,
  );
  return { ...view, sent: api.sent, queryClient };
}
