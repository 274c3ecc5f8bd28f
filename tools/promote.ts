/**
 * `npm run promote -- --from dev --to prod [--only <workload>]... [--dry-run] [--allow-downgrade] [--project DIR]`
 *
 * Copies `platform:releases` from `Pulumi.<from>.yaml` to `Pulumi.<to>.yaml` and nothing else, keeping
 * the target's comments, order and quoting; prints the diff; validates the result with the program's
 * own config validation before writing. Behaviour and refusals: tools/lib/promote.ts.
 *
 * Exit codes: 0 promoted / nothing to do / dry run; 1 a release would go down (without
 * `--allow-downgrade`); 2 the target config would be invalid; 3 unknown stack; 4 missing or unreadable
 * file; 5 an `--only` workload is not in the source; 64 usage error. Nothing is written unless it exits 0
 * without `--dry-run`.
 */
import { ARCHITECTURES } from "../stacks";
import { runPromote } from "./lib/promote";

process.exitCode = runPromote(process.argv.slice(2), {
    specs: ARCHITECTURES,
    io: { out: (text) => console.log(text), err: (text) => console.error(text) },
});
