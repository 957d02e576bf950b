/** What a log line may say about an error, and the logger's own guard against free text and addresses. */
import { answerStatus, errorFields, maskEmails, stepErrorFields, WITHHELD } from '../../lambdas/shared/log-fields';
import { logger } from '../../lambdas/shared/observability';

describe('log fields', () => {
  it('describe a thrown error by name, code and status, never by its message', () => {
    const err = Object.assign(new Error('user ada@example.com not found'), { name: 'NotFound', code: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    expect(errorFields(err)).toEqual({ errorName: 'NotFound', errorCode: 'ResourceNotFoundException', status: 404 });
    expect(errorFields('ada@example.com is gone')).toEqual({ errorName: 'string' });
  });

  it.each([
    ['403 forbidden: Not Authorized to access ada@example.com', 403],
    ['target (http://127.0.0.1:4010/hook) answered 500: {"error":"down"}', 500],
    ['held: protected', undefined],
    [undefined, undefined],
  ])('find the status in the provider answer %p', (answer, status) => {
    expect(answerStatus(answer)).toBe(status);
  });

  it('describe a failed step without its message', () => {
    expect(stepErrorFields({ message: 'signing ada@example.com out: Google answered 403', retryable: false, providerAnswer: '403 forbidden: …', hold: 'protected' })).toEqual({
      retryable: false,
      status: 403,
      hold: 'protected',
    });
  });

  it('mask every address in a string', () => {
    expect(maskEmails('from ada.lovelace@example.com to g+1@mail.example.org')).toBe('from [email] to [email]');
  });
});

describe('the logger', () => {
  it('withholds free-text fields, masks addresses and reduces errors to name and status', () => {
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    logger.setLogLevel('DEBUG');
    try {
      logger.warn('step failed for ada@example.com', {
        runId: 'r-1',
        error: 'Not Authorized to access ada@example.com',
        providerAnswer: { status: 403, text: 'Ada Lovelace' },
        role: 'agent grace@example.com',
        cause: Object.assign(new Error('Ada Lovelace at ada@example.com'), { status: 502 }),
      });
    } finally {
      logger.setLogLevel('SILENT');
      out.mockRestore();
      err.mockRestore();
    }
    const line = JSON.parse(lines.join('').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ message: 'step failed for [email]', runId: 'r-1', error: WITHHELD, providerAnswer: WITHHELD, role: 'agent [email]', cause: { errorName: 'Error', status: 502 } });
    expect(lines.join('')).not.toMatch(/@example\.com|Lovelace/);
  });
});
