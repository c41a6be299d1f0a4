/**
 * How the Pulumi SDK encodes, in a resource's inputs, what it cannot show: a value unknown until apply, and a
 * secret (an envelope around its value, marked by the SDK's signature key). Taken from the SDK itself, so the
 * offline checks and the preview read them as the engine does.
 */
import { specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** The value the SDK sends for an input not known before apply. */
export const UNKNOWN = unknownValue;

/** A secret's envelope (as the SDK serialises it, and as a state export stores it with ciphertext). */
export const isSecretEnvelope = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && specialSigKey in value;

/** A secret's plain value; anything else as it is. */
export const unwrapSecret = (value: unknown): unknown => (isSecretEnvelope(value) ? value.value : value);
