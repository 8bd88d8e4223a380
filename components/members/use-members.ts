"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/api-client";
import type { MemberSummary } from "@/lib/members/list-members";

export type MembersPage = { members: MemberSummary[]; total: number; page: number; pageSize: number };

export const memberKeys = {
  all: (teamId: string) => ["teams", teamId, "members"] as const,
  list: (teamId: string, page: number) => [...memberKeys.all(teamId), "list", page] as const,
};

export function useMembers(teamId: string, page: number, initialData?: MembersPage) {
  return useQuery({
    queryKey: memberKeys.list(teamId, page),
    queryFn: () => fetchJson<MembersPage>(`/api/teams/${teamId}/members?page=${page}`),
    initialData,
  });
}

export type NewMember = { name: string; email: string; role: "ADMIN" | "USER"; password: string };

export function useAddMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (member: NewMember) => fetchJson<{ userId: string }>(`/api/teams/${teamId}/members`, { method: "POST", body: JSON.stringify(member) }),
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
