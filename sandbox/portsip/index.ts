export { PortSipSandbox } from './PortSipSandbox';
export type {
  PasswordPolicy,
  PortSipSandboxOptions,
  SandboxAvatar,
  SandboxContact,
  SandboxFaults,
  SandboxPbxUser,
  SandboxStats,
} from './PortSipSandbox';
export type { NumberHolderType } from './NumberHolders';
