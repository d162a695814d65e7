import { collapseUnitWarnings } from '../../shared/warnings';

describe('warnings from many work units', () => {
  test('the same message from several units is given once, with the units named', () => {
    const out = collapseUnitWarnings([
      'example.bam: no read groups',
      '8:0-50000000: the SV scorer is not applied: no SA tags',
      '8:50000000-100000000: the SV scorer is not applied: no SA tags',
      '11:0-50000000: the SV scorer is not applied: no SA tags',
      '11:50000000-100000000: the SV scorer is not applied: no SA tags',
      '20:0-1000: 3 breakends without a mate',
    ]);
    expect(out).toEqual([
      'example.bam: no read groups',
      'the SV scorer is not applied: no SA tags (work units 8:0-50000000, 8:50000000-100000000, 11:0-50000000 and 1 more)',
      '20:0-1000: 3 breakends without a mate',
    ]);
  });
  test('nothing to collapse: unchanged', () => {
    expect(collapseUnitWarnings(['a', '1:0-10: b'])).toEqual(['a', '1:0-10: b']);
  });
});
