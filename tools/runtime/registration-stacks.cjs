/**
 * Preloaded into the program by the Node.js language host (`Pulumi.yaml` runtime.options.nodeargs
 * `--require`), for `pulumi preview`/`up` and the offline plan alike.
 *
 * Keeps source maps off the stacks the SDK captures for its own bookkeeping. ts-node installs a
 * source-map-aware `Error.prepareStackTrace`, so every captured stack maps each of its frames through the
 * source maps. The SDK captures two kinds by the thousand in a plan:
 *
 * - at every resource registration, the whole call stack (`Resource.callsites` in @pulumi/pulumi
 *   resource.js: `Error.stackTraceLimit = Infinity; new Error().stack`), to send the engine the resource's
 *   source position;
 * - for every promise it tracks (`debuggablePromise` in @pulumi/pulumi runtime/debuggable.js: `new
 *   Error().stack`), a stack it prints only when `PULUMI_DEBUG_PROMISE_LEAKS` is set and a promise leaks.
 *
 * Mapping them was about two fifths of the program's CPU time (prod plan, same resources: registration
 * captures 16.0 s against 12.3 s of user time; the promise captures a further 3.5 s of a 20 s profile).
 * This preload formats those captures, and only those, the way V8 does by default (positions in the
 * JavaScript ts-node emitted: same file, lines a few apart from the TypeScript, since erased types and the
 * CommonJS preamble move them). Every other stack, such as an error's reported to the user, is still
 * mapped. `PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS=1` maps both kinds (exact TypeScript positions, at the
 * cost above); `PULUMI_DEBUG_PROMISE_LEAKS` maps the promise captures, the ones it prints.
 */
"use strict";
const path = require("path");

/** The SDK's bookkeeping captures: the function that takes each, its file, and the variable that maps it. */
const SDK_CAPTURES = [
    { fn: "callsites", file: path.join("@pulumi", "pulumi", "resource.js") },
    {
        fn: "debuggablePromise",
        file: path.join("@pulumi", "pulumi", "runtime", "debuggable.js"),
        mappedBy: "PULUMI_DEBUG_PROMISE_LEAKS",
    },
].filter((capture) => !capture.mappedBy || !process.env[capture.mappedBy]);

/** Whether V8 is formatting a stack one of SDK_CAPTURES takes: the capturing function's frame comes first. */
function isSdkCapture(callsites) {
    const top = callsites[0];
    if (top === undefined) return false;
    const fn = top.getFunctionName();
    const file = top.getFileName() ?? "";
    return SDK_CAPTURES.some((capture) => capture.fn === fn && file.endsWith(capture.file));
}

/** V8's default stack format: the error's string, then one `    at <frame>` line per call site. */
function v8Format(error, callsites) {
    return [String(error), ...callsites.map((c) => `    at ${c}`)].join("\n");
}

if (process.env.PULUMI_PLATFORM_MAPPED_SOURCE_POSITIONS !== "1") {
    let installed = Error.prepareStackTrace;
    function prepareStackTrace(error, callsites) {
        if (isSdkCapture(callsites) || installed === undefined) return v8Format(error, callsites);
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
