/**
 * The emulator's public surface: start it in a process, load or generate the organization it
 * serves, run its command line, and the shapes of what it records. Everything else is internal.
 */
export { startEmulator, type Emulator, type EmulatorOptions, type EmulatorState } from './server.ts';
export type { CloudTrailRecord, SnsMessage } from './store.ts';
export { FixtureError, defaultRootId, loadFixture, parseFixture, type Fixture, type FixtureAccount } from './fixture.ts';
export { generateOrganization, type GenerateOptions } from './generate.ts';
export { EMULATOR_OPTIONS, emulatorCommand, type EmulatorCommandIo } from './command.ts';
export { loadAlibabaFixture, parseAlibabaFixture, type AlibabaFixture } from './alibaba/fixture.ts';
export { generateAlibabaDirectory } from './alibaba/generate.ts';
export { popSignature } from './alibaba/service.ts';
