import { type PbxKind, type PbxSupports } from './ports/PbxProfile';
import { portSipProfile } from './portsip/portSipProfile';
import { threeCxProfile } from './threecx/threeCxProfile';

/**
 * What each product offers, known without connecting (a 3CX profile's extension length needs the PBX; what it
 * supports does not), so a configuration can be checked when it is written.
 */
const SUPPORTS: Record<PbxKind, PbxSupports> = {
  portsip: portSipProfile.supports,
  '3cx': threeCxProfile().supports,
};

export function pbxSupportsOf(kind: PbxKind): PbxSupports {
  return SUPPORTS[kind];
}
