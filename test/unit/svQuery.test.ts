import { RequestError } from '../../shared/errors';
import { buildSvQuery, parseSvFilters } from '../../shared/svQuery';

const parse = (q: string) => parseSvFilters(new URLSearchParams(q));

function rejects(q: string, parameter: string, message: RegExp): void {
  let caught: unknown;
  try {
    parse(q);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(RequestError);
  expect((caught as RequestError).parameter).toBe(parameter);
  expect((caught as RequestError).message).toMatch(message);
}

describe('SV filters from query parameters', () => {
  test('defaults', () => expect(parse('')).toEqual({ passOnly: false, pageSize: 100 }));

  test('every filter, with 1-based regions made 0-based half-open', () => {
    expect(parse('chromosome=chr7&region=chr7:72,700,001-74,200,000&type=del,DUP&minSize=1000&minScore=0.5&pass=true&pageSize=20&continuationToken=abc')).toEqual({
      chromosome: '7',
      region: { chromosome: '7', start: 72_700_000, end: 74_200_000 },
      types: ['DEL', 'DUP'],
      minSize: 1000,
      minScore: 0.5,
      passOnly: true,
      pageSize: 20,
      continuationToken: 'abc',
    });
  });

  test.each([
    ['type=DELETION', 'type', /'DELETION' is not an SV type/],
    ['minSize=-5', 'minSize', /not a whole number/],
    ['minSize=1e3', 'minSize', /not a whole number/],
    ['minScore=2', 'minScore', /between 0 and 1/],
    ['minScore=', 'minScore', /between 0 and 1/],
    ['pass=yes', 'pass', /true or false/],
    ['pageSize=0', 'pageSize', /out of range/],
    ['pageSize=5000', 'pageSize', /out of range/],
    ['region=7:200-100', 'region', /before start/],
    ['region=7', 'region', /chr:start-end/],
    ['chromosome=1&region=2:1-10', 'region', /contradicts/],
    ['chromosome=chr1;DROP', 'chromosome', /not a chromosome name/],
    ['colour=red', 'colour', /unknown parameter/],
  ])('%s → 400 naming %s', (q, parameter, message) => rejects(q, parameter, message));
});

describe('the Cosmos query', () => {
  test('is parameterised and always filters on the partition key in its text', () => {
    const spec = buildSvQuery('S1', 'run1', parse("type=DEL&minSize=50&chromosome=X&pass=true"));
    expect(spec.query).toContain('c.sampleId = @sampleId');
    expect(spec.query).toContain('c.runId = @runId');
    expect(spec.query).not.toMatch(/'S1'|'X'|'DEL'/);
    expect(spec.parameters).toEqual(
      expect.arrayContaining([
        { name: '@sampleId', value: 'S1' },
        { name: '@types', value: ['DEL'] },
        { name: '@minSize', value: 50 },
        { name: '@chromosome', value: 'X' },
      ]),
    );
  });
});
