/** Where local runs keep their key-encryption keys: beside the local secret file (`secrets.json` → `secrets.keys.json`). */
export function localKeysFile(localSecretsFile: string): string {
  return `${localSecretsFile.replace(/\.json$/i, '')}.keys.json`;
}
