/**
 * The policy corpus: realistic insecure resources (each must be flagged by one named policy) and
 * secure resources (must pass the whole pack without any diagnostic). It measures what the issue
 * promises: at least 95 % detection and no false alarms.
 *
 * A corpus module is any file in this directory other than `types.ts`, `index.ts` and
 * `fixtures.ts`; it exports `corpus: CorpusModule`. Modules are discovered by `index.ts`, so a new
 * file needs no registration.
 */
import type { TestResource } from "../support/harness";

/** A realistic misconfiguration. */
export interface InsecureCase {
    /** Unique id, `<domain>/<what>` (e.g. `transit/alb-http-forward`). */
    id: string;
    /** What is wrong, as a reviewer would say it. */
    description: string;
    /** The policy that must flag it (at its default level). */
    policy: string;
    /** The resource that must be flagged (its URN must carry the violation). */
    target: TestResource;
    /** Everything sent through the pack for this case (includes `target`). */
    resources: TestResource[];
}

/** A realistic, correctly configured set of resources that must pass every policy. */
export interface SecureCase {
    id: string;
    description: string;
    resources: TestResource[];
}

/** What a corpus module exports. */
export interface CorpusModule {
    insecure: InsecureCase[];
    secure: SecureCase[];
}

/** Builds an insecure case whose resources are the target plus `context`. */
export function insecure(
    id: string,
    policy: string,
    description: string,
    target: TestResource,
    context: TestResource[] = [],
): InsecureCase {
    return { id, policy, description, target, resources: [...context, target] };
}

/** Builds a secure case. */
export function secure(id: string, description: string, resources: TestResource[]): SecureCase {
    return { id, description, resources };
}
