/** Engine settings for this process: the stage's config, with the env overrides the local runtime uses. */
import { loadStageConfig } from '../../config/stages';
import type { StageConfig } from '../../config/schema';
import type { EngineSettings } from '../engine/ports';
import { ENV, type EnvName } from './env-names';

function intFromEnv(name: EnvName, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

export function stageFromEnv(): StageConfig {
  return loadStageConfig(process.env[ENV.stage] ?? 'local');
}

export function engineSettingsFromEnv(config: StageConfig = stageFromEnv()): EngineSettings {
  return {
    dueShards: intFromEnv(ENV.dueShards, config.dueShards),
    requeueAfterSeconds: intFromEnv(ENV.requeueAfterSeconds, config.requeueAfterSeconds),
    leaseSeconds: intFromEnv(ENV.leaseSeconds, config.leaseSeconds),
    retryBaseSeconds: intFromEnv(ENV.retryBaseSeconds, config.retryBaseSeconds),
    maxReceiveCount: config.maxReceiveCount,
    actionTimeoutSeconds: config.actionTimeoutSeconds,
    approveHires: config.approveHires,
    approveRehires: config.approveRehires,
    approvePersonalEmailChanges: config.approvePersonalEmailChanges,
    moverGraceDays: config.moverGraceDays,
    leaverNoticeDays: config.leaverNoticeDays,
    massChange: {
      threshold: intFromEnv(ENV.massChangeThreshold, config.massChange.threshold),
      windowMinutes: intFromEnv(ENV.massChangeWindowMinutes, config.massChange.windowMinutes),
    },
  };
}
