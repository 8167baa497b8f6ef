import { keyCredentialView, type KeyCredentialView, type StoredCertificate } from './certificateCredentials';
import { passwordCredentialView, type PasswordCredentialView, type StoredPassword } from './passwordCredentials';

/** An app registration (the `application` object in its home directory) with its credentials. */
export interface EntraApplication {
  objectId: string;
  appId: string;
  displayName: string;
  homeDirectoryId: string;
  /** signInAudience AzureADMultipleOrgs: other directories may consent to it. */
  multiTenant: boolean;
  /** Web redirect URIs; admin consent only redirects to one of these. */
  redirectUris: string[];
  keyCredentials: StoredCertificate[];
  passwordCredentials: StoredPassword[];
}

/** A copy safe to hand out: no certificate bytes, no secret hashes. */
export type ApplicationView = Omit<EntraApplication, 'keyCredentials' | 'passwordCredentials'> & {
  keyCredentials: KeyCredentialView[];
  passwordCredentials: PasswordCredentialView[];
};

export function applicationView(app: EntraApplication): ApplicationView {
  return {
    objectId: app.objectId,
    appId: app.appId,
    displayName: app.displayName,
    homeDirectoryId: app.homeDirectoryId,
    multiTenant: app.multiTenant,
    redirectUris: [...app.redirectUris],
    keyCredentials: app.keyCredentials.map(keyCredentialView),
    passwordCredentials: app.passwordCredentials.map(passwordCredentialView),
  };
}
