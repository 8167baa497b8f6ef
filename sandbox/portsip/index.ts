export { PortSipSandbox } from './PortSipSandbox';
export type {
  PasswordPolicy,
  PortSipApiVersion,
  PortSipSandboxOptions,
  SandboxAvatar,
  SandboxContact,
  SandboxFaults,
  SandboxPbxUser,
  SandboxPresence,
  SandboxStats,
} from './PortSipSandbox';
export type { NumberHolderType } from './NumberHolders';
