/**
 * Preloaded into the program by the Node.js language host (`Pulumi.yaml` runtime.options.nodeargs
 * `--require`), for `pulumi preview`/`up` and the offline plan alike.
 *
 * Keeps source maps off the SDK's registration path. At every resource registration the SDK captures
 * the whole call stack (`Resource.callsites` in @pulumi/pulumi resource.js: `Error.stackTraceLimit =
 * Infinity; new Error().stack`) to send the engine the resource's source position. ts-node installs a
 * source-map-aware `Error.prepareStackTrace`, so each capture maps every frame through the source maps:
 * about a fifth of the program's CPU time (measured: 16.0 s against 12.3 s of user time for the prod
 * plan, same resources).
 *
 * This preload formats those captures, and only those, the way V8 does by default (positions in the
 * JavaScript ts-node emitted: same file, lines a few apart from the TypeScript, since erased types and
 * the CommonJS preamble move them). Every other stack, such as an error's reported to the user, is still
 * mapped. Set `PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS=1` to map the captures too (exact TypeScript
 * positions in the engine's resource source positions, at the cost above).
 */
"use strict";
const path = require("path");

const SDK_RESOURCE = path.join("@pulumi", "pulumi", "resource.js");

/** Whether V8 is formatting the stack `Resource.callsites` captures: its own frame comes first. */
function isRegistrationCapture(callsites) {
    const top = callsites[0];
    return (
        top !== undefined && top.getFunctionName() === "callsites" && (top.getFileName() ?? "").endsWith(SDK_RESOURCE)
    );
}

/** V8's default stack format: the error's string, then one `    at <frame>` line per call site. */
function v8Format(error, callsites) {
    return [String(error), ...callsites.map((c) => `    at ${c}`)].join("\n");
}

if (process.env.PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS !== "1") {
    let installed = Error.prepareStackTrace;
    function prepareStackTrace(error, callsites) {
        if (isRegistrationCapture(callsites) || installed === undefined) return v8Format(error, callsites);
        return installed(error, callsites);
    }
    // Source-map support (cmd/run's, then ts-node's) assigns Error.prepareStackTrace after this preload:
    // keep what it installs, and answer with the filter above.
    Object.defineProperty(Error, "prepareStackTrace", {
        configurable: true,
        get: () => prepareStackTrace,
        set: (fn) => {
            installed = fn === prepareStackTrace ? installed : fn;
        },
    });
}
