/** The stage's openproject settings: defaults, and a bad value named by its field. */
import { stageConfigSchema } from '../../../config/schema';
import { loadStageConfig } from '../../../config/stages';

const withOpenProject = (openproject: unknown) => stageConfigSchema.safeParse({ ...loadStageConfig('dev'), openproject });
const issues = (openproject: unknown) => {
  const res = withOpenProject(openproject);
  return res.success ? [] : res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the stage openproject settings', () => {
  it('takes an instance and its employee id field, 300 requests a minute by default; member tasks with the workflow’s default statuses', () => {
    const res = withOpenProject({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField4', memberTasks: { project: 'community', typeId: 8 } });
    expect(res.success && res.data.openproject).toEqual({
      baseUrl: 'https://pm.acme.io',
      employeeIdField: 'customField4',
      requestsPerMinute: 300,
      memberTasks: { project: 'community', typeId: 8, statuses: { inSpecification: 'In specification', scheduled: 'scheduled', inProgress: 'in progress' }, },
    });
    expect(loadStageConfig('local').openproject).toMatchObject({ employeeIdField: 'customField1', memberTasks: { project: 'community', typeId: 8 } });
  });

  it('names the field of a bad value', () => {
    expect(issues({ baseUrl: 'pm.acme.io', employeeIdField: 'customField1' })).toEqual([expect.stringMatching(/^openproject\.baseUrl: openproject\.baseUrl must be an http\(s\) URL/)]);
    expect(issues({ baseUrl: 'https://pm.acme.io', employeeIdField: 'Employee ID' })).toEqual([expect.stringMatching(/^openproject\.employeeIdField: .*customField<N>/)]);
    expect(issues({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1', requestsPerMinute: 0 })).toEqual([expect.stringMatching(/^openproject\.requestsPerMinute: .*positive/)]);
    expect(issues({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1', memberTasks: { project: 'Community Project', typeId: 8 } })).toEqual([expect.stringMatching(/^openproject\.memberTasks\.project: .*identifier/)]);
    expect(issues({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1', memberTasks: { project: 'community', typeId: 0 } })).toEqual([expect.stringMatching(/^openproject\.memberTasks\.typeId: /)]);
    expect(issues({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1', memberTasks: { project: 'community', typeId: 8, emailDomain: '@acme.io' } })).toEqual([expect.stringMatching(/^openproject\.memberTasks\.emailDomain: .*mail domain/)]);
    expect(issues({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1', token: 'x' })).toEqual([expect.stringMatching(/^openproject/)]);
  });

  it('polls the member tasks only when asked, every 1 to 60 minutes, naming the field of a bad value', () => {
    const tasks = (poll?: unknown) => ({ baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1', memberTasks: { project: 'community', typeId: 8, ...(poll === undefined ? {} : { poll }) } });
    const parsed = withOpenProject(tasks());
    expect(parsed.success && parsed.data.openproject?.memberTasks?.poll).toBeUndefined();
    const every5 = withOpenProject(tasks({ everyMinutes: 5 }));
    expect(every5.success && every5.data.openproject?.memberTasks?.poll).toEqual({ everyMinutes: 5 });
    expect(issues(tasks({ everyMinutes: 0 }))).toEqual(['openproject.memberTasks.poll.everyMinutes: openproject.memberTasks.poll.everyMinutes must be at least 1']);
    expect(issues(tasks({ everyMinutes: 90 }))).toEqual(['openproject.memberTasks.poll.everyMinutes: openproject.memberTasks.poll.everyMinutes must be at most 60']);
    expect(issues(tasks({ everyMinutes: 1.5 }))).toEqual([expect.stringMatching(/^openproject\.memberTasks\.poll\.everyMinutes: .*whole number/)]);
    expect(issues(tasks({ every: 5 }))).toEqual(expect.arrayContaining([expect.stringMatching(/^openproject\.memberTasks\.poll/)]));
  });
});
