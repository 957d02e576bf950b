/** Public face of the Google Workspace emulator: the emulator class and the Google ids the rest of the code shares. */
export { GoogleWorkspaceEmulator, type GoogleEmulatorOptions, type SeedUserInput } from './emulator';
export type { SampleTenant, SampleUser } from './sample';
export type { GoogleState, UserRecord, DeviceRecord, GmailSettings, TransferRecord } from './state';
export { SUBJECT_HEADER } from './gmail';
export { DEVICE_ACTIONS } from './devices';
export { googleErrorBody, googleErrorShape } from './errors';
export * from './catalog';
