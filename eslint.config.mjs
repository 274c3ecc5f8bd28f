// ESLint flat config (https://eslint.org/docs/latest/use/configure/configuration-files).
// - typescript-eslint's type-checked recommended rules, with the project service finding each file's
//   tsconfig (root tsconfig.json, policy-pack/tsconfig.json, bootstrap/tsconfig.json):
//   https://typescript-eslint.io/getting-started/typed-linting
// - @pulumi/eslint-plugin: it exports rules only (no shareable config), so both are enabled here:
//   an Output or OutputInstance inside a template literal is an error (use pulumi.interpolate).
// - eslint-config-prettier last: Prettier (`.prettierrc.json`, run by `npm run lint`) owns layout, so
//   no stylistic ESLint rule can disagree with it (https://github.com/prettier/eslint-config-prettier).
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import eslintConfigPrettier from "eslint-config-prettier/flat";
import tseslint from "typescript-eslint";

export default defineConfig(
    {
        ignores: [
            "**/node_modules/",
            "bin/",
            "**/plan/",
            "docs/",
            "**/*.d.ts",
            // A deliberately broken program: test/tools/plan.spec.ts plans it to prove that an Output
            // in a template literal fails the plan (PULUMI_ERROR_OUTPUT_STRING). Linting it would
            // report the very bug the test needs to keep.
            "test/fixtures/output-string/index.ts",
            // Plain CommonJS preloaded by node --require before any TypeScript loader (no tsconfig covers it).
            "tools/runtime/*.cjs",
        ],
    },
    js.configs.recommended,
    tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
    },
    {
        files: ["**/*.ts"],
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        files: ["**/*.{js,mjs,cjs}"],
        extends: [tseslint.configs.disableTypeChecked],
    },
    {
        // Specs read JSON documents (plans, IAM and bucket policy documents, OpenAPI bodies) and
        // assert their shape: the values are `any` by nature and the assertion is the check. Typing
        // every one would add casts, not safety. Only the `any`-flow rules are off here; floating
        // promises, template expressions and the Pulumi rules stay on for tests too.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
    eslintConfigPrettier,
);
