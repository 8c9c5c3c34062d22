/**
 * The API client every component calls: openapi-fetch over the types generated from the
 * service's OpenAPI document (clients/typescript/src/schema.d.ts, imported as types only,
 * so no second copy exists and nothing of it reaches the bundle), with the bearer token
 * added as clients/typescript/src/client.ts does. `fetch` is injectable: tests answer from
 * recorded answers, never the network.
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "../../../clients/typescript/src/schema";

export type { components, paths };
export type Problem = components["schemas"]["Problem"];
export type WfvClient = Client<paths>;

/** What the API needs from a host: where it is, and the current bearer token. */
export interface ApiOptions {
  baseUrl: string;
  getToken: () => string | Promise<string>;
  fetch?: (request: Request) => Promise<Response>;
  /** Told of every 401: the token is no longer good (expired, revoked), whichever call found it. */
  onUnauthorized?: () => void;
}

export function createApi({ baseUrl, getToken, fetch, onUnauthorized }: ApiOptions): WfvClient {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  client.use({
    async onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${await getToken()}`);
      return request;
    },
    onResponse({ response }) {
      // Here rather than in each query: a 401 means the same thing on every route.
      if (response.status === 401) onUnauthorized?.();
      return undefined;
    },
  });
  return client;
}
