import { type NationalCloud } from '../config/nationalClouds';

/**
 * The operator's one multi-tenant app registration (for service providers), from the SHARED_APP_* settings:
 * registered in the operator's own directory, consented by each customer directory's admin, and signing in
 * with one certificate the connector makes and rolls (SHARED_APP_CERTIFICATE_NAME).
 */
export interface SharedAppSettings {
  /** The app's client (application) id. */
  clientId: string;
  /** The app registration's object id in the operator's directory (addKey / removeKey act on it). */
  objectId: string;
  /** The operator's directory, where the app is registered (the rollover signs in there). */
  homeDirectoryId: string;
  /** The cloud the app lives in; customer tenants in other clouds cannot use it. */
  nationalCloud: NationalCloud;
  /** Where Entra sends the admin after consent (<PUBLIC_BASE_URL>/api/consent/callback; register it on the app). */
  consentRedirectUrl?: string | undefined;
}
