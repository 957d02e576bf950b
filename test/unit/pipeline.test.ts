/**
 * bitbucket-pipelines.yml: one build, one synth, and the deploy steps deploy that very cloud assembly, dev first and
 * prod by a person's hand, through OIDC. Read as Bitbucket reads it (YAML with its anchors resolved).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

interface Step {
  name?: string;
  deployment?: string;
  trigger?: string;
  oidc?: boolean;
  clone?: { enabled?: boolean };
  script?: string[];
  artifacts?: string[];
}
interface Pipelines {
  image?: string;
  pipelines: { default: { step: Step }[]; branches: Record<string, { step: Step }[]> };
}

const pipeline = load(readFileSync(join(__dirname, '../../bitbucket-pipelines.yml'), 'utf8')) as Pipelines;
const main = pipeline.pipelines.branches.main.map((s) => s.step);
const deploys = main.filter((s) => s.deployment !== undefined);
const script = (s: Step) => (s.script ?? []).join('\n');
/** Which stage's assembly a Bitbucket deployment environment deploys. */
const STAGE_OF: Record<string, string> = { test: 'dev', production: 'prod' };

const BUILDS = /\bnpm (ci|install|i|run|test)\b|\btsx\b|\btsc\b|\besbuild\b/;
const SYNTHS = /\bcdk(@[^\s"]+)?"? synth\b|\bsynth\b/;

describe('bitbucket-pipelines.yml', () => {
  it('builds, tests and synthesizes both stages once, in the first step of main, and keeps the assemblies as the artifact', () => {
    const [verify] = main;
    const text = script(verify);
    expect(text).toMatch(/^npm ci$/m);
    expect(text).toMatch(/^npm test$/m);
    expect(text).toMatch(/cdk synth -c stage=dev .*--output cdk\.out\/dev/);
    expect(text).toMatch(/cdk synth -c stage=prod .*--output cdk\.out\/prod/);
    expect(verify.artifacts).toEqual(expect.arrayContaining(['cdk.out/**']));
    expect(main.filter((s) => SYNTHS.test(script(s)))).toEqual([verify]);
  });

  it('runs the same verification on every other branch, without deploying', () => {
    expect(pipeline.pipelines.default.map((s) => s.step)).toEqual([main[0]]);
  });

  it('never synthesizes with placeholders allowed: what reaches a stage was built from the real settings', () => {
    for (const step of [...main, ...pipeline.pipelines.default.map((s) => s.step)]) expect(script(step)).not.toMatch(/allowPlaceholders/);
  });

  it('deploys dev, then prod on a manual trigger, each in its deployment environment', () => {
    expect(main.map((s) => s.deployment)).toEqual([undefined, 'test', 'production']);
    expect(deploys.map((s) => s.trigger)).toEqual([undefined, 'manual']);
  });

  it.each(['test', 'production'])('the %s deploy installs, builds and synthesizes nothing and deploys the artifact of its stage', (env) => {
    const step = deploys.find((s) => s.deployment === env)!;
    const text = script(step);
    expect(text).not.toMatch(BUILDS);
    expect(text).not.toMatch(SYNTHS);
    expect(step.clone?.enabled).toBe(false);
    const deployLines = (step.script ?? []).filter((l) => /\bcdk\b.*\bdeploy\b/.test(l));
    expect(deployLines).toHaveLength(1);
    expect(deployLines[0]).toMatch(new RegExp(`deploy --app cdk\\.out/${STAGE_OF[env]} `));
    expect(deployLines[0]).not.toMatch(/ -c /);
  });

  it.each(['test', 'production'])('the %s deploy signs in with the step OIDC token and the environment deploy role, no stored keys', (env) => {
    const step = deploys.find((s) => s.deployment === env)!;
    expect(step.oidc).toBe(true);
    expect(script(step)).toMatch(/BITBUCKET_STEP_OIDC_TOKEN.*> "\$AWS_WEB_IDENTITY_TOKEN_FILE"/);
    expect(script(step)).toMatch(/AWS_ROLE_ARN:\?/);
    expect(script(step)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });
});
