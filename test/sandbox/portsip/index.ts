export { PortSipSandbox } from './PortSipSandbox';
export type { PasswordPolicy, PortSipSandboxOptions, SandboxPbxUser } from './PortSipSandbox';
