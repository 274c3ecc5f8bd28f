/**
 * Imported first by the offline tools: makes the Pulumi SDK throw when an `Output` is turned into a
 * string (`${output}` instead of `pulumi.interpolate`), a bug that otherwise deploys the text
 * "Calling [toString] on an [Output<T>] is not supported". The SDK reads the variable when it loads,
 * so this module must come before any import of `@pulumi/pulumi`.
 */
process.env.PULUMI_ERROR_OUTPUT_STRING ??= "true";
