/** Public face of the Google Workspace emulator: the emulator class and the Google ids the rest of the code shares. */
export { GoogleWorkspaceEmulator, type GoogleEmulatorOptions, type SeedUserInput, type UserView } from './emulator';
export { openSampleTenant, seedSample, type SampleTenant, type SampleUser } from './sample';
export type { GoogleState, MailMessageRecord, UserRecord, DeletedUserRecord, DeviceRecord, DriveFileRecord, GmailSettings, TransferRecord } from './state';
export { UNDELETE_WINDOW_MS } from './users';
export { SUBJECT_HEADER, type MailView } from './gmail';
export { DEVICE_ACTIONS } from './devices';
export { googleErrorBody, googleErrorShape } from './errors';
export * from './catalog';
