"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/console-client/api-client";
import type { MembersPage } from "@/lib/members/list-members";

export type { MembersPage };

export const memberKeys = {
  all: (teamId: string) => ["teams", teamId, "members"] as const,
  /** `query` is the directory's URL query string (search, filters, cursor). */
  list: (teamId: string, query: string) => [...memberKeys.all(teamId), "list", query] as const,
};

export function useMembers(teamId: string, query: string, initialData?: MembersPage) {
  return useQuery({
    queryKey: memberKeys.list(teamId, query),
    queryFn: () => fetchJson<MembersPage>(`/api/teams/${teamId}/members${query ? `?${query}` : ""}`),
    initialData,
  });
}

export type NewMember = {
  name: string;
  email: string;
  role: "ADMIN" | "USER";
  password: string;
  confirmDuplicateEmail?: boolean;
};

export function useAddMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (member: NewMember) =>
      fetchJson<{ userId: string }>(`/api/teams/${teamId}/members`, { method: "POST", body: JSON.stringify(member) }),
    onSuccess: () => client.invalidateQueries({ queryKey: memberKeys.all(teamId) }),
  });
}

export function useSetMemberActive(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, active }: { userId: string; active: boolean }) =>
      fetchJson<void>(`/api/teams/${teamId}/members/${userId}`, { method: "PATCH", body: JSON.stringify({ active }) }),
    onSuccess: () => client.invalidateQueries({ queryKey: memberKeys.all(teamId) }),
  });
}

export function useSignOutEverywhere(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      fetchJson<{ sessionsEnded: number }>(`/api/teams/${teamId}/members/${userId}/session-revocation`, {
        method: "POST",
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: memberKeys.all(teamId) }),
  });
}
