export function roleLabel(role: "ADMIN" | "USER"): string {
  return role === "ADMIN" ? "Administrator" : "User";
}

export const SIGN_IN_LABELS = { password: "Password", microsoft: "Microsoft Entra ID (single sign-on)" } as const;
