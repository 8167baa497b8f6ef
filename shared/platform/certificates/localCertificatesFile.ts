/** Where local runs keep the connector's certificates: beside the local secret file (`secrets.json` → `secrets.certificates.json`). */
export function localCertificatesFile(localSecretsFile: string): string {
  return `${localSecretsFile.replace(/\.json$/i, '')}.certificates.json`;
}
