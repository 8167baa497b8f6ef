export { PortSipSandbox } from './PortSipSandbox';
export type { PasswordPolicy, PortSipSandboxOptions, SandboxFaults, SandboxPbxUser, SandboxStats } from './PortSipSandbox';
export type { NumberHolderType } from './NumberHolders';
