/**
 * EKS managed add-on versions per Kubernetes minor (issue 25): a pin EKS does not offer for the cluster's minor
 * planned green, and CreateAddon/UpdateAddon refused it. Facts: model/data/eks-addon-versions.json.
 */
import { describe, expect, it } from "vitest";
import facts from "../model/data/eks-addon-versions.json";
import { EKS_MANAGED_ADDONS, EKS_VERSIONS } from "../model/aws-catalog";
import { addonVersionProblem, addonVersionRefusal, defaultAddonVersion, eksAddonFactsCover } from "../model/eks-addon-versions";
import { checkEksAddonVersions } from "../offline/fidelity/eks-addon-versions";
import type { RecordedResource } from "../offline/mocks";
import { SHARED_PLANS } from "./plan-list";
import { planOf } from "./plans";
import { withChanged } from "./helpers";

const ADDON = "aws:eks/addon:Addon";
const CLUSTER = "eks:index:Cluster";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const messages = (resources: RecordedResource[]) => checkEksAddonVersions(resources).findings.map((f) => `${f.resource}: ${f.message}`);

describe("EKS add-on versions", async () => {
    const records = await Promise.all(SHARED_PLANS.map((p) => planOf(p.key)));
    const prod = () => records[SHARED_PLANS.findIndex((p) => p.key === "prod")];

    it.each(SHARED_PLANS.map((p, i) => [p.key, i] as const))("%s: no finding, every add-on with a known default checked", (_, i) => {
        const report = checkEksAddonVersions(records[i].resources);
        expect(report.findings).toEqual([]);
        // vpc-cni, kube-proxy, coredns and the EBS CSI driver have a default for 1.35 in the facts; EFS has none.
        expect(report.rules).toBeGreaterThanOrEqual(4);
    });

    it("shows the default the facts give for the cluster's minor where AWS chooses (offline/mocks.ts)", () => {
        const minor = String(prod().resources.find((r) => r.type === CLUSTER)!.inputs.version);
        for (const addon of prod().resources.filter((r) => r.type === ADDON)) {
            const name = String(addon.inputs.addonName);
            expect(addon.inputs.addonVersion).toBe(defaultAddonVersion(name, minor) ?? `aws-default-for-${minor}`);
        }
        expect(defaultAddonVersion("kube-proxy", "1.35")).toMatch(/^v1\.35\.\d+-eksbuild\.\d+$/);
    });

    describe("refuses a pin not offered for the minor, in a real plan with one input changed", () => {
        it("kube-proxy of 1.33 on the 1.35 cluster", () => {
            const broken = withChanged(prod(), ADDON, "cluster-kube-proxy", (inputs) => (inputs.addonVersion = "v1.33.10-eksbuild.13"));
            expect(messages(broken)).toEqual([
                'aws:eks/addon:Addon "cluster-kube-proxy": kube-proxy v1.33.10-eksbuild.13 is kube-proxy of Kubernetes 1.33, EKS offers only kube-proxy 1.35 on a 1.35 cluster (CreateAddon/UpdateAddon: InvalidParameterException); allowed: v1.35.x-eksbuild.N up to v1.35.3-eksbuild.21 (the kube-proxy series EKS offers for Kubernetes 1.35)',
            ]);
        });
        it("a CoreDNS series of another minor (1.32's v1.11) on the 1.35 cluster", () => {
            const broken = withChanged(prod(), ADDON, "cluster-coredns", (inputs) => (inputs.addonVersion = "v1.11.4-eksbuild.40"));
            expect(messages(broken)).toEqual([
                expect.stringMatching(/^aws:eks\/addon:Addon "cluster-coredns": coredns v1\.11\.4-eksbuild\.40 is a v1\.11 build, offered for Kubernetes 1\.32; no source shows it offered for 1\.35 .*; allowed: v1\.13\.x-eksbuild\.N up to v1\.13\.2-eksbuild\.21 or v1\.14\.x-eksbuild\.N up to v1\.14\.3-eksbuild\.23 \(the coredns series EKS offers for Kubernetes 1\.35\)$/),
            ]);
        });
        it("the cluster moved to 1.34 while kube-proxy stays at 1.35's default", () => {
            const broken = withChanged(prod(), CLUSTER, prod().resources.find((r) => r.type === CLUSTER)!.name, (inputs) => (inputs.version = "1.34"));
            expect(messages(broken)).toEqual([expect.stringMatching(/"cluster-kube-proxy": kube-proxy v1\.35\.3-eksbuild\.21 is kube-proxy of Kubernetes 1\.35, EKS offers only kube-proxy 1\.34 on a 1\.34 cluster/)]);
        });
        it("a build newer than any the facts know is a finding asking to update them", () => {
            const broken = withChanged(prod(), ADDON, "cluster-vpc-cni", (inputs) => (inputs.addonVersion = "v1.99.0-eksbuild.1"));
            expect(messages(broken)).toEqual([expect.stringContaining("vpc-cni v1.99.0-eksbuild.1 is newer than the newest vpc-cni build the facts know (v1.23.0-eksbuild.1) for Kubernetes 1.35: unknown to the facts, update model/data/eks-addon-versions.json")]);
        });
        it("skips values not known before apply", () => {
            const unknown = withChanged(prod(), ADDON, "cluster-kube-proxy", (inputs) => (inputs.addonVersion = UNKNOWN));
            expect(messages(unknown)).toEqual([]);
            const cluster = prod().resources.find((r) => r.type === CLUSTER)!;
            expect(checkEksAddonVersions(withChanged(prod(), CLUSTER, cluster.name, (inputs) => (inputs.version = UNKNOWN)))).toEqual({ rules: 0, findings: [] });
        });
    });

    describe("the model function", () => {
        it.each([
            ["kube-proxy", "v1.35.3-eksbuild.2", "1.35"],
            ["kube-proxy", "v1.32.13-eksbuild.16", "1.32"],
            ["coredns", "v1.14.3-eksbuild.3", "1.35"],
            ["coredns", "v1.13.2-eksbuild.11", "1.35"],
            ["coredns", "v1.12.4-eksbuild.1", "1.34"],
            ["coredns", "v1.11.4-eksbuild.24", "1.32"],
            ["vpc-cni", "v1.20.1-eksbuild.3", "1.33"],
            ["aws-ebs-csi-driver", "v1.63.1-eksbuild.1", "1.35"],
            ["aws-efs-csi-driver", "v2.1.9-eksbuild.1", "1.35"],
        ])("accepts %s %s on %s", (addon, version, minor) => expect(addonVersionProblem(addon, version, minor)).toBeUndefined());

        it("refuses kube-proxy of 1.33 on 1.35, naming the add-on, the version, the minor and what is allowed", () => {
            expect(addonVersionProblem("kube-proxy", "v1.33.10-eksbuild.13", "1.35")).toBe(
                "kube-proxy v1.33.10-eksbuild.13 is kube-proxy of Kubernetes 1.33, EKS offers only kube-proxy 1.35 on a 1.35 cluster (CreateAddon/UpdateAddon: InvalidParameterException); allowed: v1.35.x-eksbuild.N up to v1.35.3-eksbuild.21 (the kube-proxy series EKS offers for Kubernetes 1.35)",
            );
        });
        it("refuses a CoreDNS series of another minor, both ways", () => {
            expect(addonVersionProblem("coredns", "v1.14.3-eksbuild.3", "1.32")).toMatch(/^coredns v1\.14\.3-eksbuild\.3 is a v1\.14 build, offered for Kubernetes 1\.35; no source shows it offered for 1\.32 .*; allowed: v1\.11\.x-eksbuild\.N up to v1\.11\.4-eksbuild\.40 \(the coredns series EKS offers for Kubernetes 1\.32\)$/);
            expect(addonVersionProblem("coredns", "v1.8.7-eksbuild.10", "1.35")).toMatch(/is a v1\.8 build, a series no source shows offered for Kubernetes 1\.35/);
        });
        it("refuses what is not an add-on version, and a minor or add-on without facts", () => {
            expect(addonVersionProblem("coredns", "1.12.4", "1.35")).toMatch(/^coredns 1\.12\.4 is not an EKS add-on version \(vX\.Y\.Z-eksbuild\.N\) on Kubernetes 1\.35; allowed: /);
            expect(addonVersionProblem("kube-proxy", "v1.36.0-eksbuild.25", "1.36")).toMatch(/^kube-proxy v1\.36\.0-eksbuild\.25: no facts for kube-proxy on Kubernetes 1\.36; allowed: /);
            expect(addonVersionProblem("istio", "v1.0.0-eksbuild.1", "1.35")).toMatch(/no facts for istio/);
        });
        it("reports problem and allowed apart for config errors", () => {
            expect(addonVersionRefusal("kube-proxy", "v1.34.6-eksbuild.13", "1.35")).toEqual({
                problem: "kube-proxy v1.34.6-eksbuild.13 is kube-proxy of Kubernetes 1.34, EKS offers only kube-proxy 1.35 on a 1.35 cluster (CreateAddon/UpdateAddon: InvalidParameterException)",
                allowed: "v1.35.x-eksbuild.N up to v1.35.3-eksbuild.21 (the kube-proxy series EKS offers for Kubernetes 1.35)",
            });
        });
    });

    describe("drift: the facts cover what the program registers", () => {
        it("every add-on the plans register and every add-on the catalogue names, on every supported minor", () => {
            const registered = new Set(records.flatMap((r) => r.resources.filter((x) => x.type === ADDON).map((x) => String(x.inputs.addonName))));
            expect([...registered].sort()).toEqual([...EKS_MANAGED_ADDONS].sort());
            for (const addon of new Set([...registered, ...EKS_MANAGED_ADDONS])) {
                for (const minor of Object.keys(EKS_VERSIONS)) expect(eksAddonFactsCover(addon, minor), `${addon} on ${minor}`).toBe(true);
            }
            // No facts for minors the catalogue dropped or does not have yet.
            for (const entry of Object.values(facts.addons)) expect(Object.keys(entry.minors).sort()).toEqual(Object.keys(EKS_VERSIONS).sort());
        });
        it("every default and every newest build the facts record passes the facts' own check", () => {
            for (const [addon, entry] of Object.entries(facts.addons)) {
                for (const [minor, m] of Object.entries(entry.minors)) {
                    if (m.default) expect(addonVersionProblem(addon, m.default, minor), `${addon} default on ${minor}`).toBeUndefined();
                }
                for (const [series, newest] of Object.entries(entry.newest as Record<string, { version: string }>)) {
                    expect(series === "*" || newest.version.startsWith(`${series}.`), `${addon} ${series}`).toBe(true);
                }
            }
        });
        it("kube-proxy's series for each minor is that minor", () => {
            for (const [minor, m] of Object.entries(facts.addons["kube-proxy"].minors)) expect(m.series).toEqual([`v${minor}`]);
        });
        it("is dated", () => expect(facts.derived).toMatch(/^\d{4}-\d{2}-\d{2}$/));
    });
});
