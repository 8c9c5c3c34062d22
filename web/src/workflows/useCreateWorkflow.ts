/** Create a workflow from a name: its first version is a draft of the starter document. */
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { wfvKeys } from "../api/keys";
import { unwrap } from "../api/problem";
import { STARTER_DOCUMENT } from "../api/starter";
import { useWfv } from "../provider/context";

export function useCreateWorkflow() {
  const { api } = useWfv();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) =>
      unwrap(await api.POST("/api/v1/workflows", { body: { name, definition: STARTER_DOCUMENT } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: wfvKeys.workflows() }),
  });
}
