/** The impact preview (docs/impact.md): the counts of every bucket, and a bucket's contacts a keyset page at a time. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";

import type { components } from "../api/client";
import { unwrap } from "../api/problem";
import { useWfv } from "../provider/context";

export type Bucket = keyof components["schemas"]["ImpactCounts"];
export type ImpactPreview = components["schemas"]["ImpactPreview"];
export type ImpactContact = components["schemas"]["ImpactContact"];

/** What a migration would be given: `map` as source → target action ids, and the unmapped policy. */
export interface ImpactQuery {
  workflowId: string;
  from: number;
  to: number;
  map?: Record<string, string> | undefined;
  unmapped?: "fail" | "exit" | `to:${string}` | undefined;
}

export const CONTACTS_PAGE = 50;

function params({ workflowId, from, to, map, unmapped }: ImpactQuery) {
  return {
    path: { workflow_id: workflowId, version: String(to) },
    query: {
      from: [String(from)],
      ...(map ? { map: Object.entries(map).map(([source, target]) => `${source}:${target}`) } : {}),
      ...(unmapped ? { unmapped } : {}),
    },
  };
}

const key = (query: ImpactQuery) => ["wfv", "workflow", query.workflowId, "impact", query.to, query.from, query.map ?? null, query.unmapped ?? null] as const;

export function useImpact(query: ImpactQuery) {
  const { api } = useWfv();
  return useQuery({
    queryKey: key(query),
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}/impact", { params: params(query), signal })),
  });
}

export function useBucketContacts(query: ImpactQuery, bucket: Bucket) {
  const { api } = useWfv();
  return useInfiniteQuery({
    queryKey: [...key(query), bucket],
    initialPageParam: null as string | null,
    getNextPageParam: (page: ImpactPreview) => page.contacts?.next_cursor ?? null,
    queryFn: async ({ pageParam, signal }) => {
      const base = params(query);
      return unwrap(
        await api.GET("/api/v1/workflows/{workflow_id}/versions/{version}/impact", {
          params: { ...base, query: { ...base.query, bucket, limit: CONTACTS_PAGE, cursor: pageParam } },
          signal,
        }),
      );
    },
  });
}
