import tseslint from "typescript-eslint";
import nextPlugin from "@next/eslint-plugin-next";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "lib/db/generated/", "next-env.d.ts", "test-results/", "playwright-report/"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Dependencies point one way: nothing imports from app/.
    files: ["lib/**/*.ts", "components/**/*.tsx", "components/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@/app/*"] }] },
  },
  {
    // The SCIM protocol core stays framework-free so it can be unit-tested without HTTP or a database.
    // (After the block above: for lib/scim this rule replaces it, so it repeats "@/app/*".)
    files: ["lib/scim/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "@prisma/*", "@/lib/*", "../*", "@/app/*"] }],
    },
  },
);
