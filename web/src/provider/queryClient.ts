/** The provider's own QueryClient: a refused request (4xx) is an answer, not an outage, so only other failures are tried again. */
import { QueryClient } from "@tanstack/react-query";

import { ApiError } from "../api/problem";

const RETRIES = 2;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) =>
          failures < RETRIES && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}
