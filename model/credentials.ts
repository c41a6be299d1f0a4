/**
 * Keys whose value is a credential, in any namespace (aws:accessKey, aws:secretKey, aws:token, dbPassword,
 * apiToken, ...): named by how they end, so settings about credentials (skipCredentialsValidation) are not.
 */
export const CREDENTIAL_KEY = /(password|passwd|passphrase|secret|secret_?key|token|api_?key|access_?key|private_?key)$/i;
