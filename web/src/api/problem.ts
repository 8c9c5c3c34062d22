/**
 * openapi-fetch answers `{ data, error }`; TanStack Query wants a thrown error. `unwrap`
 * turns an RFC 9457 problem into an `ApiError`, so every screen shows the server's own words.
 */
import type { Problem } from "./client";

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Partial<Problem>;

  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem ?? {};
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function unwrap<T>({ data, error, response }: Answer<T>): T {
  if (error !== undefined || data === undefined) {
    throw new ApiError(response.status, (error ?? undefined) as Partial<Problem> | undefined);
  }
  return data;
}
