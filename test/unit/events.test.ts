import { blobCreatedEvent, parseBlobEvent } from '../../shared/events';
import { bamNameForIndex, indexCandidates, sampleIdFromBlobName } from '../../shared/layout';
import { asLagError, DependencyError, fromWireMessage, InputError, toWireMessage } from '../../shared/errors';

describe('BlobCreated events', () => {
  test('Event Grid schema, as JSON text or object', () => {
    const e = blobCreatedEvent('genomes', 'P 1.bam', '"0x1"', new Date(0));
    const expected = { kind: 'blob-created', event: { eventId: 'genomes/P 1.bam@"0x1"', container: 'genomes', blobName: 'P 1.bam', eTag: '"0x1"' } };
    expect(parseBlobEvent(e)).toEqual(expected);
    expect(parseBlobEvent(JSON.stringify(e))).toEqual(expected);
  });
  test('CloudEvents schema', () => {
    const parsed = parseBlobEvent({ type: 'Microsoft.Storage.BlobCreated', id: '1', subject: '/blobServices/default/containers/genomes/blobs/a%20b.bam', data: { eTag: 'x' } });
    expect(parsed).toMatchObject({ kind: 'blob-created', event: { blobName: 'a b.bam' } });
  });
  test.each([
    ['not json {', /not JSON/],
    [[{}], /batch/],
    [{ eventType: 'Microsoft.Storage.BlobDeleted', subject: '/blobServices/default/containers/genomes/blobs/a.bam' }, /not BlobCreated/],
    [{ eventType: 'Microsoft.Storage.BlobCreated', subject: '/x' }, /not a blob path/],
  ])('ignored with a reason: %j', (message, reason) => {
    const parsed = parseBlobEvent(message);
    expect(parsed.kind).toBe('ignored');
    expect(parsed.kind === 'ignored' && parsed.reason).toMatch(reason);
  });
});

describe('blob names', () => {
  test('sample ids', () => {
    expect(sampleIdFromBlobName('NA24385_chr1.bam')).toBe('NA24385_chr1');
    expect(sampleIdFromBlobName('run42/P-0001.bam')).toBe('run42_P-0001');
    expect(() => sampleIdFromBlobName('bad name?.bam')).toThrow(/cannot name a sample/);
  });
  test('index names', () => {
    expect(indexCandidates('a.bam')).toEqual(['a.bam.bai', 'a.bai']);
    expect(bamNameForIndex('a.bam.bai')).toBe('a.bam');
    expect(bamNameForIndex('a.bai')).toBe('a.bam');
    expect(bamNameForIndex('a.txt')).toBeNull();
  });
});

describe('errors across the durable boundary', () => {
  test('code, fault and message survive the wire, even wrapped by the host', () => {
    const wire = toWireMessage(new InputError('BAM_UNSORTED', 'x.bam is sorted by queryname'));
    const back = fromWireMessage(`Activity function 'profileGenome' failed: ${wire}\n    at stack line`);
    expect(back).toBeInstanceOf(InputError);
    expect(back?.code).toBe('BAM_UNSORTED');
    expect(back?.message).toBe('x.bam is sorted by queryname');
    expect(back?.retryable).toBe(false);
    expect(fromWireMessage(toWireMessage(new DependencyError('X', 'y')))?.retryable).toBe(true);
  });
  test('an unknown error is internal and retryable', () => {
    const e = asLagError(new TypeError('boom'));
    expect(e.fault).toBe('internal');
    expect(e.httpStatus).toBe(500);
  });
});
