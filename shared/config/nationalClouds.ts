import { z } from 'zod';

export const NationalCloudSchema = z.enum(['GLOBAL', 'USGOV', 'USGOV_DOD', 'CHINA']);
export type NationalCloud = z.infer<typeof NationalCloudSchema>;

export interface CloudEndpoints {
  /** Graph root; the token scope is `${graphBaseUrl}/.default`. */
  graphBaseUrl: string;
  /** Entra ID authority host. */
  authorityHost: string;
}

// Hosts per cloud: docs/GRAPH.md. China's login host: the Entra docs name login.partner.microsoftonline.cn while the
// Graph deployments page still shows login.chinacloudapi.cn (⚠); we follow the Entra docs, which is also
// what @azure/identity's AzureAuthorityHosts.AzureChina uses.
export const cloudEndpoints: Record<NationalCloud, CloudEndpoints> = {
  GLOBAL: { graphBaseUrl: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' },
  USGOV: { graphBaseUrl: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  USGOV_DOD: { graphBaseUrl: 'https://dod-graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  CHINA: {
    graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
    authorityHost: 'https://login.partner.microsoftonline.cn',
  },
};
