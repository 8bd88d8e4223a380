"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fetchJson } from "@/lib/console-client/api-client";
import type { ProvisioningCheckResult } from "@/lib/provisioning/check";

export function useRunProvisioningCheck(teamId: string) {
  const router = useRouter();
  return useMutation({
    mutationFn: () => fetchJson<ProvisioningCheckResult>(`/api/teams/${teamId}/provisioning-check`, { method: "POST" }),
    // The server-rendered provisioning health panel shows the last result.
    onSuccess: () => router.refresh(),
  });
}
