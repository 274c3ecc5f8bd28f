/**
 * Types of `asl-validator` 4 (it ships none): `aslValidator(definition, options)` validates an Amazon
 * States Language definition against its JSON schemas, JSON paths and (by default) Resource ARNs.
 * https://github.com/ChristopheBougere/asl-validator#in-your-code
 */
declare module "asl-validator" {
    interface AslValidationResult {
        isValid: boolean;
        errors: { message?: string; instancePath?: string }[];
        errorsText(this: void, separator?: string): string;
    }
    function aslValidator(
        definition: unknown,
        options?: { checkPaths?: boolean; checkArn?: boolean },
    ): AslValidationResult;
    export = aslValidator;
}
