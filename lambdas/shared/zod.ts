/** The validation library every module uses, set up once in config/zod.ts (config sits below lambdas and imports nothing from it). */
export * from '../../config/zod';
