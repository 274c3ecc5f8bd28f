// ESLint flat config (https://eslint.org/docs/latest/use/configure/configuration-files).
// - typescript-eslint's type-checked recommended rules, with the project service finding each file's
//   tsconfig (root tsconfig.json, policy-pack/tsconfig.json, bootstrap/tsconfig.json):
//   https://typescript-eslint.io/getting-started/typed-linting
// - @pulumi/eslint-plugin: it exports rules only (no shareable config), so both are enabled here:
//   an Output or OutputInstance inside a template literal is an error (use pulumi.interpolate).
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    { ignores: ["**/node_modules/", "bin/", "**/plan/", "docs/", "**/*.d.ts"] },
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
);
