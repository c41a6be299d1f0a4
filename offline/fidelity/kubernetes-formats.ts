/**
 * What the API server validates beyond the OpenAPI schema, which the schema check cannot see: object names,
 * label keys and values, annotation keys and their total size, and a CronJob's schedule. The rules are
 * Kubernetes apimachinery's (pkg/util/validation: IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label,
 * IsQualifiedName, IsValidLabelValue; pkg/api/validation ValidateAnnotations, TotalAnnotationSizeLimitB 256 KiB)
 * and the CronJob controller's parser (robfig/cron v3, standard five fields and descriptors), as of Kubernetes 1.35.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ANNOTATIONS_LIMIT_BYTES = 256 * 1024;

/** Kinds whose names are DNS-1123 labels (63 characters) or, for a Service, DNS-1035 labels; the rest subdomains. */
const NAME_RULE: Record<string, "label" | "dns1035"> = {
    "core/v1:Namespace": "label",
    "core/v1:Service": "dns1035",
};

const isSubdomain = (value: string) => value.length <= 253 && DNS1123_SUBDOMAIN.test(value);

/** Why `name` is not a name the API server takes for `gvk`, or undefined. */
export function nameProblem(gvk: string, name: string): string | undefined {
    const rule = NAME_RULE[gvk];
    if (rule === "dns1035") return name.length <= 63 && DNS1035_LABEL.test(name) ? undefined : "not a DNS-1035 label (at most 63 lowercase letters, digits and '-', starting with a letter, ending alphanumeric)";
    if (rule === "label") return name.length <= 63 && DNS1123_LABEL.test(name) ? undefined : "not a DNS-1123 label (at most 63 lowercase letters, digits and '-', alphanumeric at both ends)";
    return isSubdomain(name) ? undefined : "not a DNS-1123 subdomain (at most 253 lowercase letters, digits, '-' and '.', alphanumeric at both ends)";
}

/** Why a label or annotation key is not a qualified name (`[prefix/]name`), or undefined. */
export function keyProblem(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
    if (prefix !== undefined && !isSubdomain(prefix)) return `prefix "${prefix}" is not a DNS-1123 subdomain`;
    if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) return `name "${name}" must be at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends`;
    return undefined;
}

/** Why a label value is not one, or undefined. */
export function labelValueProblem(value: string): string | undefined {
    return value === "" || (value.length <= 63 && QUALIFIED_NAME_PART.test(value)) ? undefined : "at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends (or empty)";
}

const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const FIELDS = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31, any: true },
    { name: "month", min: 1, max: 12, names: MONTHS, offset: 1 },
    { name: "day of week", min: 0, max: 6, names: DAYS, offset: 0, any: true },
];

/** Why a CronJob schedule is refused, or undefined. */
export function scheduleProblem(schedule: string): string | undefined {
    const text = schedule.trim();
    if (/^(CRON_)?TZ=/.test(text)) return "a time zone in the schedule is refused: set spec.timeZone";
    if (text.startsWith("@")) {
        if (DESCRIPTORS.has(text) || /^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
        return `unknown descriptor ${text}`;
    }
    const parts = text.split(/\s+/);
    if (parts.length !== 5) return `${parts.length} fields where cron takes 5 (minute hour day-of-month month day-of-week)`;
    for (const [i, part] of parts.entries()) {
        const field = FIELDS[i];
        for (const item of part.split(",")) {
            const [range, step, extra] = item.split("/");
            if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step)) || step === "0") return `${field.name} "${part}": bad step`;
            if (range === "*" || (range === "?" && field.any)) continue;
            const bounds = range.split("-");
            if (bounds.length > 2) return `${field.name} "${part}": bad range`;
            const values = bounds.map((b) => {
                const named = field.names?.indexOf(b.toUpperCase()) ?? -1;
                return named >= 0 ? named + (field.offset ?? 0) : /^\d+$/.test(b) ? Number(b) : Number.NaN;
            });
            if (values.some((v) => Number.isNaN(v) || v < field.min || v > field.max)) return `${field.name} "${part}" outside ${field.min}-${field.max}`;
            if (values.length === 2 && values[0] > values[1]) return `${field.name} "${part}": a range that ends before it starts`;
        }
    }
    return undefined;
}

/** Every format problem of one object's inputs, as `path: message`. */
export function formatProblems(gvk: string, inputs: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const metadata = (inputs.metadata ?? {}) as { name?: unknown; labels?: Record<string, unknown>; annotations?: Record<string, unknown> };
    if (typeof metadata.name === "string") {
        const problem = nameProblem(gvk, metadata.name);
        if (problem) problems.push(`metadata.name: "${metadata.name}" is ${problem}`);
    }
    const checkLabels = (labels: Record<string, unknown> | undefined, path: string) => {
        for (const [key, value] of Object.entries(labels ?? {})) {
            const keyIssue = keyProblem(key);
            if (keyIssue) problems.push(`${path}: key "${key}": ${keyIssue}`);
            if (typeof value === "string" && labelValueProblem(value)) problems.push(`${path}.${key}: "${value}" is not a label value: ${labelValueProblem(value)}`);
        }
    };
    checkLabels(metadata.labels, "metadata.labels");
    const spec = inputs.spec as { template?: { metadata?: { labels?: Record<string, unknown> } }; schedule?: unknown; jobTemplate?: { spec?: { template?: { metadata?: { labels?: Record<string, unknown> } } } } } | undefined;
    checkLabels(spec?.template?.metadata?.labels, "spec.template.metadata.labels");
    checkLabels(spec?.jobTemplate?.spec?.template?.metadata?.labels, "spec.jobTemplate.spec.template.metadata.labels");
    let annotationBytes = 0;
    for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
        const keyIssue = keyProblem(key);
        if (keyIssue) problems.push(`metadata.annotations: key "${key}": ${keyIssue}`);
        annotationBytes += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : 0);
    }
    if (annotationBytes > ANNOTATIONS_LIMIT_BYTES) problems.push(`metadata.annotations: ${annotationBytes} bytes, over the API server's 262144`);
    if (gvk.startsWith("batch/") && gvk.endsWith(":CronJob") && typeof spec?.schedule === "string") {
        const problem = scheduleProblem(spec.schedule);
        if (problem) problems.push(`spec.schedule: "${spec.schedule}": ${problem}`);
    }
    return problems;
}
