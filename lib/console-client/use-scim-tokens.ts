"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fetchJson } from "@/lib/console-client/api-client";
import type { IssuedScimToken, ScimTokenSummary } from "@/lib/scim-tokens/scim-tokens";

export const scimTokenKeys = { list: (teamId: string) => ["teams", teamId, "scim-tokens"] as const };

export function useScimTokens(teamId: string, initialData: ScimTokenSummary[]) {
  return useQuery({
    queryKey: scimTokenKeys.list(teamId),
    queryFn: async () => (await fetchJson<{ tokens: ScimTokenSummary[] }>(`/api/teams/${teamId}/scim-tokens`)).tokens,
    initialData,
  });
}

function useTokenMutation<V, R>(teamId: string, request: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: request,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: scimTokenKeys.list(teamId) });
      // The server-rendered audit log on the same page records the change.
      router.refresh();
    },
  });
}

export const useIssueScimToken = (teamId: string) =>
  useTokenMutation(teamId, (input: { name: string; expiresInDays: number | "never" }) =>
    fetchJson<IssuedScimToken>(`/api/teams/${teamId}/scim-tokens`, { method: "POST", body: JSON.stringify(input) }),
  );

export const useRotateScimToken = (teamId: string) =>
  useTokenMutation(teamId, ({ tokenId, overlapHours }: { tokenId: string; overlapHours: number }) =>
    fetchJson<IssuedScimToken>(`/api/teams/${teamId}/scim-tokens/${tokenId}/rotation`, {
      method: "POST",
      body: JSON.stringify({ overlapHours }),
    }),
  );

export const useRevokeScimToken = (teamId: string) =>
  useTokenMutation(teamId, (tokenId: string) =>
    fetchJson<void>(`/api/teams/${teamId}/scim-tokens/${tokenId}`, { method: "DELETE" }),
  );
