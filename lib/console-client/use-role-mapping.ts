"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fetchJson } from "@/lib/console-client/api-client";
import type { RoleMapping, RoleMappingView } from "@/lib/provisioning/role-mapping";

export const roleMappingKeys = { detail: (teamId: string) => ["teams", teamId, "role-mapping"] as const };

export function useRoleMapping(teamId: string, initialData: RoleMappingView) {
  return useQuery({
    queryKey: roleMappingKeys.detail(teamId),
    queryFn: () => fetchJson<RoleMappingView>(`/api/teams/${teamId}/role-mapping`),
    initialData,
  });
}

export function useSaveRoleMapping(teamId: string) {
  const client = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: (mapping: RoleMapping) =>
      fetchJson<RoleMappingView>(`/api/teams/${teamId}/role-mapping`, { method: "PUT", body: JSON.stringify(mapping) }),
    onSuccess: (saved) => {
      client.setQueryData(roleMappingKeys.detail(teamId), saved);
      // The audit log on Settings records the change.
      router.refresh();
    },
  });
}
