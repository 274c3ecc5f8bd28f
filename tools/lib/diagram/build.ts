/**
 * Turns a plan into one diagram model per architecture: a cluster per component (nested as the
 * components nest), inside it the resources grouped by tier, glue folded into the resource it
 * configures, same-service resources of a component drawn once with a count, and one edge per pair of
 * components where a resource of the first depends on a resource of the second. Components of other
 * architectures that an architecture uses appear as dashed "shared" nodes naming what is used.
 * Everything is sorted, and ids are hashes of stable keys, so the same plan always gives the same model.
 */
import * as crypto from "crypto";
import type { ExportedResource, StackExport } from "../plan-runner";
import { GLUE, serviceLabel, Tier, TIERS, tierOf } from "./catalog";
import { nameOf, PlanModel } from "./plan-model";

export interface DiagramNode {
    id: string;
    label: string;
    tier: Tier;
    /** Resources drawn by this node (glue excluded). */
    count: number;
    /** Logical names of those resources, sorted. */
    names: string[];
    /** Glue folded into this node, as `type token -> count`. */
    folded: Record<string, number>;
}

export interface DiagramCluster {
    id: string;
    /** Component logical name. */
    name: string;
    /** Component type token (`platform:network:Network`). */
    type: string;
    nodes: DiagramNode[];
    clusters: DiagramCluster[];
}

/** A dependency between two components, drawn between representative nodes and clipped to the clusters. */
export interface DiagramEdge {
    from: string;
    to: string;
    /** Cluster the edge leaves from (absent when the tail is the architecture itself). */
    fromCluster?: string;
    /** Cluster the edge points at (absent for shared nodes and the architecture itself). */
    toCluster?: string;
}

export interface ExternalGroup {
    /** The other architecture. */
    architecture: string;
    /** One node per component of that architecture: label `Type · name` and the services used. */
    nodes: DiagramNode[];
}

export interface Diagram {
    architecture: string;
    stack: string;
    /** The architecture's own component; its direct resources are in `root.nodes`. */
    root: DiagramCluster;
    externals: ExternalGroup[];
    edges: DiagramEdge[];
    /** Cloud resources of the architecture, glue included. */
    resourceCount: number;
}

/** A node while the plan is walked: where it lives. */
type InternalNode = DiagramNode & { componentUrn: string; architecture: string };

const hash = (key: string) => crypto.createHash("sha256").update(key).digest("hex").slice(0, 12);

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byLabel = (a: DiagramNode, b: DiagramNode) =>
    a.label < b.label ? -1 : a.label > b.label ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Resolves glue to the resource it folds into, within the same architecture (glue whose owner is in
 * another architecture stays a node of its own, so each diagram shows what its architecture creates).
 */
export class GlueResolver {
    private readonly dependents = new Map<string, string[]>();

    constructor(private readonly model: PlanModel) {
        for (const r of model.cloudResources()) {
            for (const d of model.dependenciesOf(r)) {
                const list = this.dependents.get(d) ?? [];
                list.push(r.urn);
                this.dependents.set(d, list);
            }
        }
        for (const list of this.dependents.values()) list.sort();
    }

    isGlue(r: ExportedResource): boolean {
        return GLUE[r.type] !== undefined;
    }

    /** The resource `r` is drawn as (itself when it is not glue or has no owner in its architecture). */
    ownerOf(r: ExportedResource, seen = new Set<string>()): ExportedResource {
        const rule = GLUE[r.type];
        if (!rule || seen.has(r.urn)) return r;
        seen.add(r.urn);
        const architecture = this.model.architectureOf(r);
        const candidates =
            "owner" in rule ? this.model.propertyDependencies(r, rule.owner) : (this.dependents.get(r.urn) ?? []);
        for (const urn of candidates) {
            const owner = this.model.get(urn);
            if (!owner || !this.model.isCloudResource(owner) || this.model.architectureOf(owner) !== architecture)
                continue;
            return this.ownerOf(owner, seen);
        }
        return r;
    }
}

/** Builds the diagram of every architecture of the plan, sorted by architecture name. */
export function buildDiagrams(document: StackExport): Diagram[] {
    const model = new PlanModel(document);
    const glue = new GlueResolver(model);
    const stack = model.stackName;
    const cloud = model.cloudResources();

    /** Node key of a drawn (owner) resource: its component and its service label. */
    const componentUrnOf = (r: ExportedResource) => model.componentOf(r)?.urn ?? "";
    const nodeKey = (r: ExportedResource) => `${model.architectureOf(r)}|${componentUrnOf(r)}|${serviceLabel(r)}`;

    const nodes = new Map<string, InternalNode>();
    const nodeOf = (owner: ExportedResource): InternalNode => {
        const key = nodeKey(owner);
        let node = nodes.get(key);
        if (!node) {
            node = {
                id: `n${hash(`${stack}|${key}`)}`,
                label: serviceLabel(owner),
                tier: tierOf(owner.type),
                count: 0,
                names: [],
                folded: {},
                componentUrn: componentUrnOf(owner),
                architecture: model.architectureOf(owner),
            };
            nodes.set(key, node);
        }
        return node;
    };

    for (const r of cloud) {
        const owner = glue.ownerOf(r);
        const node = nodeOf(owner);
        if (owner === r) {
            node.count += 1;
            node.names.push(nameOf(r));
        } else {
            node.folded[r.type] = (node.folded[r.type] ?? 0) + 1;
        }
    }
    for (const node of nodes.values()) node.names.sort();

    // Component pairs: a resource (or glue folded into a node) depending on a resource of another component.
    const pairs = new Map<string, { from: InternalNode; to: InternalNode[] }>();
    for (const r of cloud) {
        const from = nodeOf(glue.ownerOf(r));
        for (const urn of model.dependenciesOf(r)) {
            const dep = model.get(urn);
            if (!dep || !model.isCloudResource(dep)) continue;
            const to = nodeOf(glue.ownerOf(dep));
            if (to.componentUrn === from.componentUrn) continue;
            const key = `${from.componentUrn}>${to.componentUrn}`;
            const pair = pairs.get(key) ?? { from, to: [] };
            if (!pair.to.includes(to)) pair.to.push(to);
            pairs.set(key, pair);
        }
    }
    const nodesOfComponent = (urn: string) =>
        [...nodes.values()].filter((n) => n.componentUrn === urn).sort((a, b) => (a.id < b.id ? -1 : 1));
    const clusterId = (urn: string) => `cluster_${hash(`${stack}|${urn}`)}`;

    const diagrams: Diagram[] = [];
    for (const architecture of model.architectures()) {
        const top = model.resources.find(
            (r) =>
                !r.custom &&
                model.architectureOf(r) === architecture &&
                nameOf(r) === architecture &&
                model.componentOf(r) === undefined,
        );
        if (!top) continue;
        const clusterOf = (component: ExportedResource): DiagramCluster => ({
            id: clusterId(component.urn),
            name: nameOf(component),
            type: component.type,
            nodes: nodesOfComponent(component.urn).map(strip).sort(byLabel),
            clusters: model
                .childrenOf(component.urn)
                .filter((c) => !c.custom && !model.isCloudResource(c))
                .map(clusterOf)
                .filter((c) => hasNodes(c))
                .sort(byName),
        });
        const root = clusterOf(top);
        const edgeList = new Map<string, DiagramEdge>();
        const shared = new Map<
            string,
            { architecture: string; component: ExportedResource; used: Set<string>; tiers: Tier[] }
        >();
        for (const pair of [...pairs.values()].filter((p) => p.from.architecture === architecture)) {
            const tail = nodesOfComponent(pair.from.componentUrn)[0];
            const fromCluster = pair.from.componentUrn === top.urn ? undefined : clusterId(pair.from.componentUrn);
            const target = pair.to[0];
            let edge: DiagramEdge;
            if (target.architecture === architecture) {
                const head = nodesOfComponent(target.componentUrn)[0];
                edge = {
                    from: tail.id,
                    to: head.id,
                    fromCluster,
                    toCluster: target.componentUrn === top.urn ? undefined : clusterId(target.componentUrn),
                };
            } else {
                const component = model.get(target.componentUrn)!;
                const entry = shared.get(component.urn) ?? {
                    architecture: target.architecture,
                    component,
                    used: new Set<string>(),
                    tiers: [],
                };
                for (const n of pair.to) {
                    entry.used.add(n.label);
                    entry.tiers.push(n.tier);
                }
                shared.set(component.urn, entry);
                edge = { from: tail.id, to: `x${hash(`${stack}|${architecture}|${component.urn}`)}`, fromCluster };
            }
            edgeList.set(`${edge.from}|${edge.to}|${edge.fromCluster ?? ""}|${edge.toCluster ?? ""}`, edge);
        }
        const sharedNodes = [...shared.values()].map((e) => ({
            architecture: e.architecture,
            node: {
                id: `x${hash(`${stack}|${architecture}|${e.component.urn}`)}`,
                label:
                    `${e.component.type.split(":").pop()} · ${nameOf(e.component)}\n` + [...e.used].sort().join(", "),
                tier: TIERS.find((t) => e.tiers.includes(t)) ?? "other",
                count: 1,
                names: [...e.used].sort(),
                folded: {},
            },
        }));
        const externals: ExternalGroup[] = [...new Set(sharedNodes.map((n) => n.architecture))].sort().map((arch) => ({
            architecture: arch,
            nodes: sharedNodes
                .filter((n) => n.architecture === arch)
                .map((n) => n.node)
                .sort(byLabel),
        }));
        diagrams.push({
            architecture,
            stack,
            root,
            externals,
            edges: [...edgeList.values()].sort((x, y) =>
                cmp(
                    `${x.from}|${x.to}|${x.fromCluster ?? ""}|${x.toCluster ?? ""}`,
                    `${y.from}|${y.to}|${y.fromCluster ?? ""}|${y.toCluster ?? ""}`,
                ),
            ),
            resourceCount: cloud.filter((r) => model.architectureOf(r) === architecture).length,
        });
    }
    return diagrams;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function strip(n: DiagramNode): DiagramNode {
    return {
        id: n.id,
        label: n.label,
        tier: n.tier,
        count: n.count,
        names: [...n.names],
        folded: Object.fromEntries(Object.entries(n.folded).sort()),
    };
}

function hasNodes(c: DiagramCluster): boolean {
    return c.nodes.length > 0 || c.clusters.some(hasNodes);
}

/** Nodes of a cluster grouped by tier, in TIERS order, empty tiers left out. */
export function nodesByTier(nodes: readonly DiagramNode[]): [Tier, DiagramNode[]][] {
    return TIERS.map((t) => [t, nodes.filter((n) => n.tier === t)] as [Tier, DiagramNode[]]).filter(
        ([, list]) => list.length > 0,
    );
}
