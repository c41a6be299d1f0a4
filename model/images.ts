/**
 * Why a container image reference is not pinned (no tag, or `latest`), or undefined when it is: a tag or a digest.
 * The service model refuses such images and the container-hardening pack flags them in any program.
 */
export function imageProblem(image: string): string | undefined {
    if (!image) return "no image";
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    if (colon < 0) return `image ${image} has no tag (implies latest)`;
    if (lastSegment.slice(colon + 1) === "latest") return `image ${image} uses the latest tag`;
    return undefined;
}
