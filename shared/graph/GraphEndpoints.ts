import { type CloudEndpoints, type NationalCloud, cloudEndpoints } from '../config/nationalClouds';

/**
 * Where Graph and Entra ID are for a tenant's cloud. In Azure always `cloudEndpoints`; tests point every cloud at
 * the local HTTPS stand-ins instead, whose self-signed certificate authority they name (`trustedCaPem`).
 */
export interface GraphEndpoints extends CloudEndpoints {
  /** A certificate authority trusted for these endpoints only (the stand-ins'); never set in Azure. */
  trustedCaPem?: string | undefined;
}

export type GraphEndpointsFor = (cloud: NationalCloud) => GraphEndpoints;

export const nationalCloudEndpoints: GraphEndpointsFor = (cloud) => cloudEndpoints[cloud];
