"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/console-client/api-client";

export const ssoKeys = { status: (teamId: string) => ["teams", teamId, "sso"] as const };

export function useActivateSso(teamId: string) {
  return useMutation({
    mutationFn: () => fetchJson<{ authorizeUrl: string }>(`/api/teams/${teamId}/sso/activation`, { method: "POST" }),
    // Off to Microsoft: the browser comes back to Settings when consent is done.
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
}

export function useDeactivateSso(teamId: string, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<void>(`/api/teams/${teamId}/sso`, { method: "DELETE" }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ssoKeys.status(teamId) });
      onDone();
    },
  });
}

export function useDisconnectSso(teamId: string, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tenantId: string) =>
      fetchJson<{ tokensRevoked: number; sessionsEnded: number; membersUnlinked: number }>(
        `/api/teams/${teamId}/sso/disconnection`,
        { method: "POST", body: JSON.stringify({ tenantId }) },
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ssoKeys.status(teamId) });
      void client.invalidateQueries({ queryKey: ["teams", teamId] });
      onDone();
    },
  });
}
