/** cfn-lint on every deployed stage's synthesized templates: no error, and no warning that lib/cfn-lint-acknowledged.ts does not explain. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CFN_LINT_ACKNOWLEDGED } from '../../lib/cfn-lint-acknowledged';
import { buildStage, DEPLOYED_STAGES } from './build-stacks';

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
}

const onPath = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
/** A CI run (CI set, as .ci/run and Bitbucket Pipelines set it) must lint: it fails without cfn-lint rather than skip. */
const mustLint = Boolean(process.env.CI);
if (!onPath && !mustLint) console.warn('cfn-lint is not on PATH: the cfn-lint checks of the synthesized templates are skipped (pip install cfn-lint)');
const withCfnLint = onPath || mustLint ? describe : describe.skip;

if (mustLint) {
  it('has cfn-lint on PATH in CI, where the templates must be linted', () => {
    expect({ cfnLintOnPath: onPath }).toEqual({ cfnLintOnPath: true });
  });
}

/** cfn-lint's findings on some template files, every rule on. */
function lint(files: readonly string[]): Finding[] {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  // Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is cfn-lint failing.
  if (run.status === 1 || run.status === null) throw new Error(`cfn-lint failed: ${run.stderr}`);
  return JSON.parse(run.stdout || '[]') as Finding[];
}

const describeFinding = (f: Finding): string => `${f.Rule.Id} ${f.Filename.split('/').pop() ?? ''}: ${f.Message}`;

withCfnLint('cfn-lint on the synthesized templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  let findings: Finding[] = [];
  const files: string[] = [];

  beforeAll(() => {
    // Synthesized as bin/app.ts synthesizes each stage, with stub code in place of bundles, written to one folder.
    for (const stage of DEPLOYED_STAGES) {
      const assembly = buildStage(stage).app.synth();
      for (const stack of assembly.stacks) {
        const file = join(dir, `${stack.stackName}.template.json`);
        writeFileSync(file, JSON.stringify(stack.template, null, 1));
        files.push(file);
      }
    }
    findings = lint(files);
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lints every stack of both stages', () => {
    for (const stage of DEPLOYED_STAGES) expect(files.some((f) => f.includes(`AccountLifecycle-${stage}-Core`))).toBe(true);
    expect(files.length).toBeGreaterThanOrEqual(2 * 3);
  });

  it('finds no error', () => {
    expect(findings.filter((f) => f.Level === 'Error').map(describeFinding)).toEqual([]);
  });

  it('finds no warning or informational finding that is not acknowledged with a reason', () => {
    const acknowledged = new Set(CFN_LINT_ACKNOWLEDGED.map((a) => a.rule));
    expect(findings.filter((f) => f.Level !== 'Error' && !acknowledged.has(f.Rule.Id)).map(describeFinding)).toEqual([]);
  });

  it.each(CFN_LINT_ACKNOWLEDGED.map((a) => [a.rule, a] as const))('acknowledges %s for a reason, and it still fires', (rule, a) => {
    expect(rule).toMatch(/^[WI]\d{4}$/);
    expect(a.reason.length).toBeGreaterThanOrEqual(40);
    expect(findings.some((f) => f.Rule.Id === rule)).toBe(true);
  });

  it('reports the errors of a broken template: an out-of-range Fn::Select, a retired runtime (so the checks above can fail)', () => {
    const bad = join(dir, 'bad.template.json');
    writeFileSync(
      bad,
      JSON.stringify({
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: { Runtime: 'nodejs4.3', Handler: 'index.handler', Role: { 'Fn::Select': [7, { 'Fn::Split': [':', 'arn:aws:iam::1:role/x'] }] }, Code: { ZipFile: 'x' } },
          },
        },
      }),
    );
    expect(lint([bad]).filter((f) => f.Level === 'Error').length).toBeGreaterThan(0);
  });
});
