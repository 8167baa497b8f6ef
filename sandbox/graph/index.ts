export { GraphSandbox } from './GraphSandbox';
export type {
  GraphSandboxOptions,
  GraphSandboxStats,
  GroupPatch,
  LifecycleEventName,
  LifecycleTenantField,
  NotificationControls,
  NotificationDeliveryEvent,
  NotificationItem,
  NotificationStats,
  SandboxSubscription,
} from './GraphSandbox';
export type { SandboxGroup, SandboxUser } from './SandboxUser';
export { generateUsers } from './generateUsers';
export { demoCompany, DEMO_GROUP_IDS } from './demoCompany';
export { DEMO_SHARED_MAILBOX, seedDemoMailboxes } from './demoMailboxes';
export type {
  CalendarStats,
  DayOfWeek,
  EventPatchBody,
  NewEventBody,
  SandboxEvent,
  SandboxEventType,
  SandboxRecurrence,
  SandboxShowAs,
  SeedEventsBody,
} from './GraphSandbox';
export type {
  ContactPatch,
  MailboxLimits,
  MailboxRequestStats,
  PhotoInput,
  SandboxContact,
  SandboxContactFields,
  SandboxContactFolderInfo,
  SandboxPhysicalAddress,
} from './GraphSandbox';
