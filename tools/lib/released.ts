/**
 * A committed stack as it reads after the first deployment's manual steps (docs/first-deploy.md):
 * every `unreleased` release pushed, and every domain's certificate issued. The documentation's
 * diagrams and the stack specs draw and test the working system from it, not the first run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { UNRELEASED } from "../../infra/config/keys";

/** Architectures with a `domain.certificateStatus` setting. */
export const DOMAIN_ARCHITECTURES = ["ticketing", "coffee-shop", "spotmusic"] as const;

/** The tag every unreleased workload is taken to have pushed. */
export const RELEASED = "1.0.0";

/** `Pulumi.<stack>.yaml` of `projectDir` with releases pushed and certificates issued. */
export function releasedStackYaml(projectDir: string, stack: string): string {
    const doc = parseDocument(fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8"));
    const releases = doc.getIn(["config", "platform:releases"]) as { items: { value: unknown }[] } | undefined;
    for (const item of releases?.items ?? []) if (String(item.value) === UNRELEASED) item.value = RELEASED;
    for (const arch of DOMAIN_ARCHITECTURES)
        if (doc.hasIn(["config", `platform:${arch}`, "domain"]))
            doc.setIn(["config", `platform:${arch}`, "domain", "certificateStatus"], "issued");
    return doc.toString();
}

/**
 * A scratch project that plans `projectDir`'s program with `stackYaml` as `Pulumi.<stack>.yaml`: the
 * real `Pulumi.yaml` with `main` pointing back at the program. Returns its directory.
 */
export function scratchProject(projectDir: string, stack: string, stackYaml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const project = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        `${project}\nmain: ${JSON.stringify(path.join(projectDir, "index.ts"))}\n`,
    );
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stackYaml);
    return dir;
}
