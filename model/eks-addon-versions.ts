/**
 * Which versions of each EKS managed add-on EKS offers per Kubernetes minor: CreateAddon and UpdateAddon refuse
 * any other (InvalidParameterException) while the offline plan, whose mocks accept anything, would show it green.
 * The facts, with their sources and limits, are model/data/eks-addon-versions.json: the sources give the latest
 * and default build per minor, not the whole list describe-addon-versions returns, so a version is refused when
 * its series is not one the facts show offered for the cluster's minor (kube-proxy: only its own minor), and
 * reported as unknown to the facts when it is newer than the newest build they know (update them).
 */
import facts from "./data/eks-addon-versions.json";

interface AddonFacts {
    rule: "same-minor" | "series-per-minor" | "any-series";
    newest: Record<string, { version: string; source: string }>;
    minors: Record<string, { series?: string[]; default: string | null }>;
}

const ADDONS = facts.addons as unknown as Record<string, AddonFacts>;

/** The add-ons and Kubernetes minors the facts cover. */
export const EKS_ADDON_FACTS_DERIVED = facts.derived;
export function eksAddonFactsCover(addon: string, kubernetesVersion: string): boolean {
    return ADDONS[addon]?.minors[kubernetesVersion] !== undefined;
}

/** The default version describe-addon-versions gives the add-on on that minor, when a source recorded it. */
export function defaultAddonVersion(addon: string, kubernetesVersion: string): string | undefined {
    return ADDONS[addon]?.minors[kubernetesVersion]?.default ?? undefined;
}

const VERSION = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/;
const parse = (version: string) => VERSION.exec(version)?.slice(1, 5).map(Number);
/** -1, 0 or 1 as a is older than, the same as, or newer than b (both well-formed). */
function compare(a: string, b: string): number {
    const [x, y] = [parse(a)!, parse(b)!];
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

/** What the facts allow for the add-on on that minor, in words. */
export function allowedAddonVersions(addon: string, kubernetesVersion: string): string {
    const known = ADDONS[addon];
    const minor = known?.minors[kubernetesVersion];
    if (!known || !minor) return `an add-on and Kubernetes minor with facts in model/data/eks-addon-versions.json (${Object.keys(ADDONS).join(", ")}; ${Object.keys(ADDONS["kube-proxy"].minors).join(", ")})`;
    const upTo = (series: string) => (known.newest[series] ? ` up to ${known.newest[series].version}` : "");
    if (minor.series) return minor.series.map((s) => `${s}.x-eksbuild.N${upTo(s)}`).join(" or ") + ` (the ${addon} series EKS offers for Kubernetes ${kubernetesVersion})`;
    const newest = known.newest["*"];
    return `vX.Y.Z-eksbuild.N${newest ? ` up to ${newest.version}` : ""}`;
}

/**
 * Why EKS would refuse (or these facts cannot vouch for) `version` of `addon` on a cluster of Kubernetes
 * `kubernetesVersion` ("1.35"), and what is allowed; undefined when it is offered. For config errors, which
 * report the two apart.
 */
export function addonVersionRefusal(addon: string, version: string, kubernetesVersion: string): { problem: string; allowed: string } | undefined {
    const known = ADDONS[addon];
    const minor = known?.minors[kubernetesVersion];
    const allowed = allowedAddonVersions(addon, kubernetesVersion);
    if (!known || !minor) return { problem: `${addon} ${version}: no facts for ${addon} on Kubernetes ${kubernetesVersion}`, allowed };
    const parts = parse(version);
    if (!parts) return { problem: `${addon} ${version} is not an EKS add-on version (vX.Y.Z-eksbuild.N) on Kubernetes ${kubernetesVersion}`, allowed };
    const series = `v${parts[0]}.${parts[1]}`;
    if (minor.series && !minor.series.includes(series)) {
        const offeredOn = Object.entries(known.minors).filter(([, m]) => m.series?.includes(series)).map(([k]) => k);
        const why = known.rule === "same-minor"
            ? `is kube-proxy of Kubernetes ${series.slice(1)}, EKS offers only kube-proxy ${kubernetesVersion} on a ${kubernetesVersion} cluster`
            : offeredOn.length > 0
                ? `is a ${series} build, offered for Kubernetes ${offeredOn.join(", ")}; no source shows it offered for ${kubernetesVersion}`
                : `is a ${series} build, a series no source shows offered for Kubernetes ${kubernetesVersion}`;
        return { problem: `${addon} ${version} ${why} (CreateAddon/UpdateAddon: InvalidParameterException)`, allowed };
    }
    const newest = known.newest[minor.series ? series : "*"];
    if (newest && compare(version, newest.version) > 0) {
        return {
            problem: `${addon} ${version} is newer than the newest ${addon}${minor.series ? ` ${series}` : ""} build the facts know (${newest.version}) for Kubernetes ${kubernetesVersion}: unknown to the facts, update model/data/eks-addon-versions.json from describe-addon-versions`,
            allowed,
        };
    }
    return undefined;
}

/**
 * Why EKS would refuse (or these facts cannot vouch for) `version` of `addon` on a cluster of Kubernetes
 * `kubernetesVersion` ("1.35"); undefined when it is offered. Messages name the add-on, the version, the minor
 * and the versions allowed.
 */
export function addonVersionProblem(addon: string, version: string, kubernetesVersion: string): string | undefined {
    const refusal = addonVersionRefusal(addon, version, kubernetesVersion);
    return refusal && `${refusal.problem}; allowed: ${refusal.allowed}`;
}
