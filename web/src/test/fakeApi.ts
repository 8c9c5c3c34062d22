/**
 * A fake `fetch` answering from recorded API answers: routes are "METHOD /path" (the path
 * without the query), each answer a JSON body or a function of the request. Every request is
 * kept, with its parsed body, so a test can say what was sent. Nothing reaches the network.
 */
export interface Sent {
  method: string;
  path: string;
  search: string;
  authorization: string | null;
  body: unknown;
}

type Answer = unknown | ((request: Request) => Response | Promise<Response>);

export const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" },
  });

export function fakeApi(routes: Record<string, Answer>) {
  const sent: Sent[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = request.body ? await request.text() : "";
    sent.push({
      method: request.method,
      path: url.pathname,
      search: url.search,
      authorization: request.headers.get("Authorization"),
      body: text ? JSON.parse(text) : undefined,
    });
    const answer = routes[`${request.method} ${url.pathname}`];
    if (answer === undefined) {
      return json({ type: "/problems/not-found", title: "Not found", status: 404, detail: `no recorded answer for ${request.method} ${url.pathname}` }, 404);
    }
    return typeof answer === "function" ? answer(request) : json(answer);
  };
  return { fetch, sent };
}
