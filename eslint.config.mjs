import tseslint from "typescript-eslint";
import nextPlugin from "@next/eslint-plugin-next";
import prettierConfig from "eslint-config-prettier";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      ".data/",
      "lib/db/generated/",
      "next-env.d.ts",
      "test-results/",
      "playwright-report/",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Config files are plain JavaScript outside the TypeScript project.
    files: ["**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests read JSON answers (`any` by nature) and assert on their shape; the unsafe-* rules would
    // only add casts there.
    files: ["**/*.test.ts", "e2e/**/*.ts", "test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // Fakes implement async interfaces without awaiting anything.
      "@typescript-eslint/require-await": "off",
      // Fake servers take async request handlers.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
    },
  },
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
    ignores: ["lib/scim/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "@prisma/*", "@/lib/*", "../*", "@/app/*"] }],
    },
  },
  // Turns off the stylistic rules Prettier owns (max-len among them: turned on again below).
  prettierConfig,
  {
    // Prettier formats (printWidth 120, checked by `npm run lint`); this catches what it cannot wrap:
    // comments. Strings, template literals (SQL, HTML) and URLs stay whole so they can be searched for.
    rules: {
      "max-len": [
        "error",
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
);
