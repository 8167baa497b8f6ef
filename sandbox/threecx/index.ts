export { ThreeCxSandbox } from './ThreeCxSandbox';
export type { NonUserDnType, SimContact, SimUser, ThreeCxFaults, ThreeCxSandboxOptions, ThreeCxStats } from './ThreeCxSandbox';
