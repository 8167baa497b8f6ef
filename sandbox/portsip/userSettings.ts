import { z } from 'zod';

const FORWARD_RULES = [
  'available_office_hours_forward_rule',
  'available_non_office_hours_forward_rule',
  'available_no_answer_forward_rule',
  'busy_office_hours_forward_rule',
  'busy_non_office_hours_forward_rule',
  'busy_no_answer_forward_rule',
  'dnd_office_hours_forward_rule',
  'dnd_non_office_hours_forward_rule',
  'away_office_hours_forward_rule',
  'away_non_office_hours_forward_rule',
  'lunch_office_hours_forward_rule',
  'lunch_non_office_hours_forward_rule',
  'trip_office_hours_forward_rule',
  'trip_non_office_hours_forward_rule',
  'offline_office_hours_forward_rule',
  'offline_non_office_hours_forward_rule',
] as const;

const flag = z.boolean().nullish();
const jsonObject = z.record(z.string(), z.unknown()).nullish();
const jsonObjects = z.array(z.record(z.string(), z.unknown())).nullish();

/** `outbound_caller_ids[]`: the spec's fields and limits; other fields (v22.6 `display_name`) are kept as given. */
const outboundCallerIds = z
  .array(
    z
      .object({
        provider_id: z.string({ error: 'is required' }).min(1, 'must not be empty'),
        caller_id: z.string({ error: 'is required' }).min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
        preferred: flag,
        description: z.string().max(1024, 'must be at most 1024 characters').nullish(),
      })
      .loose(),
  )
  .nullish();

/**
 * The user's call settings from the spec (create, update and GET by id share them). The sync does not use
 * them; the sandbox checks their types, keeps them and returns them, so a client sending one wrongly fails
 * as it would on a real PBX. null (or absence) means the spec's default.
 */
export const UserSettingsSchema = z.object({
  enable_audio_recording: flag,
  enable_video_recording: flag,
  enable_dnd: flag,
  enable_acb: flag,
  enable_hot_desking: flag,
  anonymous_outbound_calls: flag,
  delivery_outbound_cid: flag,
  sms: z.enum(['DISABLE', 'ALLOW', 'ALLOW_WITH_SENDER_ID']).nullish(),
  outbound_caller_ids: outboundCallerIds,
  custom_options: z.string().nullish(),
  office_hours: jsonObject,
  ...(Object.fromEntries(FORWARD_RULES.map((name) => [name, jsonObject])) as Record<(typeof FORWARD_RULES)[number], typeof jsonObject>),
  custom_forward_rules: z.array(z.unknown()).nullish(),
  voicemail_prompt: z.string().nullish(),
  enable_voicemail_pin: flag,
  voicemail_pin: z.string().nullish(),
  enable_voicemail_notify: flag,
  voicemail_play_datetime: z.enum(['DISABLE', '12_HOUR_CLOCK', '24_HOUR_CLOCK']).nullish(),
  interface: z.enum(['WEB_DOMAIN', 'PUBLIC_IPV4', 'PUBLIC_IPV6', 'PRIVATE_IPV4', 'PRIVATE_IPV6', 'SBC_DOMAIN']).nullish(),
  preferred_transport: z.enum(['UDP', 'TCP', 'TLS']).nullish(),
  blfs: jsonObjects,
});
export type UserSettings = z.infer<typeof UserSettingsSchema>;
export type UserSettingName = keyof UserSettings;

export const USER_SETTING_NAMES = Object.keys(UserSettingsSchema.shape) as UserSettingName[];

/** What GET /users/{id} shows for a setting never given: the spec's default, else null ("blank"). */
const DEFAULTS: Partial<Record<UserSettingName, unknown>> = {
  enable_audio_recording: false,
  enable_video_recording: false,
  enable_dnd: false,
  enable_acb: false,
  enable_hot_desking: false,
  anonymous_outbound_calls: false,
  delivery_outbound_cid: true,
  sms: 'DISABLE',
  outbound_caller_ids: [],
  custom_forward_rules: [],
  enable_voicemail_pin: true,
  enable_voicemail_notify: false,
  blfs: [],
};

export function settingsForDisplay(settings: UserSettings): Record<UserSettingName, unknown> {
  const shown = {} as Record<UserSettingName, unknown>;
  for (const name of USER_SETTING_NAMES) shown[name] = settings[name] ?? DEFAULTS[name] ?? null;
  return shown;
}
