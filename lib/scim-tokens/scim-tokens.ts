import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { generateToken } from "./token-format";
import {
  computeExpiry,
  computeOverlapEnd,
  issueTokenSchema,
  rotateTokenSchema,
  tokenStatus,
  type TokenStatus,
} from "./token-policy";

export type ScimTokenSummary = {
  id: string;
  name: string;
  last4: string;
  createdByName: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  overlapEndsAt: string | null;
  status: TokenStatus;
};

/** The one time a token's secret exists outside the caller's hands: returned once, never stored. */
export type IssuedScimToken = { token: ScimTokenSummary; secret: string };

type Tx = Parameters<Parameters<Awaited<ReturnType<typeof getDb>>["$transaction"]>[0]>[0];

const SELECT = {
  id: true,
  name: true,
  last4: true,
  createdByName: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  replacedAt: true,
  overlapEndsAt: true,
} as const;

function summarise(
  row: {
    id: string;
    name: string;
    last4: string;
    createdByName: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    expiresAt: Date | null;
    revokedAt: Date | null;
    replacedAt: Date | null;
    overlapEndsAt: Date | null;
  },
  now: Date,
): ScimTokenSummary {
  return {
    id: row.id,
    name: row.name,
    last4: row.last4,
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    overlapEndsAt: row.overlapEndsAt?.toISOString() ?? null,
    status: tokenStatus(row, now),
  };
}

/** An Administrator, or the operations CLI (id null). */
export type TokenActor = Pick<SessionUser, "teamId" | "name" | "role"> & { id: string | null };

function assertAdmin(actor: TokenActor) {
  if (actor.role !== "ADMIN")
    throw new AppError("forbidden", "Only team Administrators can manage provisioning tokens.");
}

async function createToken(
  tx: Tx,
  actor: TokenActor,
  name: string,
  expiresAt: Date | null,
  now: Date,
): Promise<IssuedScimToken> {
  const generated = generateToken();
  const row = await tx.scimToken.create({
    data: {
      teamId: actor.teamId,
      name,
      tokenHash: generated.hash,
      last4: generated.last4,
      createdById: actor.id,
      createdByName: actor.name,
      createdAt: now,
      expiresAt,
    },
    select: SELECT,
  });
  return { token: summarise(row, now), secret: generated.token };
}

export async function listScimTokens(teamId: string, now = new Date()): Promise<ScimTokenSummary[]> {
  const db = await getDb();
  const rows = await db.scimToken.findMany({
    where: { teamId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: SELECT,
    take: 100,
  });
  return rows.map((r) => summarise(r, now));
}

// New secrets only while single sign-on is on; listing and revoking stay available when it is off,
// so a leaked token can always be revoked.
async function assertSsoActive(tx: Tx, teamId: string) {
  const sso = await tx.ssoConnection.findUnique({ where: { teamId }, select: { active: true } });
  if (!sso?.active) throw new AppError("conflict", "Turn single sign-on on to generate provisioning tokens.");
}

export async function issueScimToken(actor: TokenActor, input: unknown, now = new Date()): Promise<IssuedScimToken> {
  assertAdmin(actor);
  const { name, expiresInDays } = parseInput(issueTokenSchema, input);
  const db = await getDb();
  return db.$transaction(async (tx) => {
    await assertSsoActive(tx, actor.teamId);
    const issued = await createToken(tx, actor, name, computeExpiry(now, expiresInDays), now);
    await tx.auditEvent.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "scim_token.issue",
        targetType: "scim_token",
        targetId: issued.token.id,
        outcome: "success",
        details: { name, expiresAt: issued.token.expiresAt },
      },
    });
    return issued;
  });
}

/**
 * Issues a replacement with the same name and expiry policy, and keeps the old token working for
 * the overlap window so the admin can paste the new one into Entra without a gap.
 */
export async function rotateScimToken(
  actor: TokenActor,
  tokenId: string,
  input: unknown,
  now = new Date(),
): Promise<IssuedScimToken> {
  assertAdmin(actor);
  const { overlapHours } = parseInput(rotateTokenSchema, input ?? {});
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const old = await tx.scimToken.findFirst({
      where: { id: tokenId, teamId: actor.teamId },
      select: { ...SELECT, teamId: true },
    });
    if (old) await assertSsoActive(tx, actor.teamId);
    if (!old || old.revokedAt || old.replacedAt || (old.expiresAt && old.expiresAt <= now))
      throw new AppError("not_found", "No such active token in your team.");
    const lifetime = old.expiresAt ? old.expiresAt.getTime() - old.createdAt.getTime() : null;
    const issued = await createToken(
      tx,
      actor,
      old.name,
      lifetime === null ? null : new Date(now.getTime() + lifetime),
      now,
    );
    const overlapEndsAt = computeOverlapEnd(now, overlapHours);
    // Guarded on replacedAt: two concurrent rotations of one token cannot both succeed.
    const { count } = await tx.scimToken.updateMany({
      where: { id: old.id, replacedAt: null, revokedAt: null },
      data: { replacedAt: now, overlapEndsAt, replacedById: issued.token.id },
    });
    if (count !== 1) throw new AppError("not_found", "No such active token in your team.");
    await tx.auditEvent.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "scim_token.rotate",
        targetType: "scim_token",
        targetId: old.id,
        outcome: "success",
        details: { name: old.name, replacementId: issued.token.id, overlapEndsAt: overlapEndsAt.toISOString() },
      },
    });
    return issued;
  });
}

export async function revokeScimToken(actor: TokenActor, tokenId: string, now = new Date()): Promise<void> {
  assertAdmin(actor);
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const { count } = await tx.scimToken.updateMany({
      where: { id: tokenId, teamId: actor.teamId, revokedAt: null },
      data: { revokedAt: now, revokedById: actor.id },
    });
    if (count !== 1) throw new AppError("not_found", "No such token in your team, or it is already revoked.");
    const row = await tx.scimToken.findUniqueOrThrow({ where: { id: tokenId }, select: { name: true } });
    await tx.auditEvent.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "scim_token.revoke",
        targetType: "scim_token",
        targetId: tokenId,
        outcome: "success",
        details: { name: row.name },
      },
    });
  });
}
