/**
 * Preloaded into the program by the Node.js language host (`Pulumi.yaml` runtime.options.nodeargs
 * `--require`), for `pulumi preview`/`up` and the offline plan alike.
 *
 * Works around a Node.js bug: `util.inspect(error, { colors: true })` loops forever, growing the heap
 * until it is exhausted, when a stack frame has `node_modules` followed by a path without a further
 * separator (https://github.com/nodejs/node/issues/64011, fixed by nodejs/node#64022; Node 20.20.2 has
 * it). The SDK's source maps name its frames `node_modules/@pulumi/<file>.ts` (its maps' sources are
 * `../<file>.ts`), and `@pulumi/pulumi/cmd/run` formats every unhandled error with
 * `util.inspect(err, { colors: true })`: any error thrown inside an `apply` hung the program instead
 * of reaching the user. Errors are therefore inspected without colors; other values are unchanged.
 */
"use strict";
const util = require("util");

const inspect = util.inspect;
function guardedInspect(value, options, ...rest) {
    if (value instanceof Error && options && typeof options === "object" && options.colors) {
        return inspect.call(this, value, { ...options, colors: false }, ...rest);
    }
    return inspect.call(this, value, options, ...rest);
}
Object.assign(guardedInspect, inspect);
util.inspect = guardedInspect;
