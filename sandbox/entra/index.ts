export { DuplicateKeyCredentialError, EntraSandbox } from './EntraSandbox';
export type {
  AccessTokenGrant,
  ApplicationView,
  EntraSandboxCounters,
  EntraSandboxOptions,
  KeyCredentialView,
  PasswordCredentialView,
  ProofKey,
  RegisterApplicationRequest,
} from './EntraSandbox';
