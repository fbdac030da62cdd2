import { capToStamp, InvalidStampError, parseStamp, pastStamp, stampDifferences, validateStamp } from './positions-stamp';

const topics = ['conduct.approvals.v1', 'conduct.cases.v1', 'conduct.notifications.v1'];
const stamp = { 'conduct.cases.v1': { '0': 68, '3': 43 }, 'conduct.approvals.v1': { '1': 0 } };

describe('parseStamp', () => {
  it('reads the positions JSON as a report prints it', () => {
    expect(parseStamp(JSON.stringify(stamp), topics)).toEqual(stamp);
  });

  it('takes the stamp of a whole JSON report', () => {
    const report = { generatedAt: '2026-11-25T14:39:46.923Z', filters: {}, positions: stamp, opened: 3 };
    expect(parseStamp(JSON.stringify(report), topics)).toEqual(stamp);
  });

  it("takes the stamp of a CSV report from its '# positions:' line", () => {
    const csv = [
      '# report: cases',
      '# generatedAt: 2026-11-25T14:39:52.415Z',
      '# filters: {}',
      `# positions: ${JSON.stringify(stamp)}`,
      'figure,key,value',
      'opened,,21',
      '',
    ].join('\r\n');
    expect(parseStamp(csv, topics)).toEqual(stamp);
  });

  it('refuses malformed JSON, saying so', () => {
    expect(() => parseStamp('{"conduct.cases.v1": {"0": 68}', topics)).toThrow(InvalidStampError);
    expect(() => parseStamp("{'conduct.cases.v1': 1}", topics)).toThrow(/not valid JSON/);
  });
});

describe('validateStamp', () => {
  it('refuses a topic the read models do not read, naming it and the ones they do', () => {
    expect(() => validateStamp({ 'conduct.cases.v2': { '0': 1 } }, topics)).toThrow(
      'unknown topic "conduct.cases.v2" (the read models read conduct.approvals.v1, conduct.cases.v1, conduct.notifications.v1)',
    );
  });

  it('refuses a negative offset, naming topic and partition', () => {
    expect(() => validateStamp({ 'conduct.cases.v1': { '2': -1 } }, topics)).toThrow('conduct.cases.v1[2]: offset -1 is negative');
  });

  it.each([
    ['not an object', [1, 2], /must be an object of topics/],
    ['null', null, /must be an object of topics/],
    ['a topic that is not an object', { 'conduct.cases.v1': 5 }, /conduct.cases.v1: expected an object of partition/],
    ['a partition that is not a number', { 'conduct.cases.v1': { one: 5 } }, /partition "one" is not a partition number/],
    ['a negative partition', { 'conduct.cases.v1': { '-1': 5 } }, /partition "-1"/],
    ['an offset given as text', { 'conduct.cases.v1': { '0': '5' } }, /offset "5" is not an integer/],
    ['a fractional offset', { 'conduct.cases.v1': { '0': 1.5 } }, /offset 1.5 is not an integer/],
  ])('refuses %s', (_case, value, message) => {
    expect(() => validateStamp(value, topics)).toThrow(message);
  });

  it('accepts an empty stamp (a report of read models that had applied nothing)', () => {
    expect(validateStamp({}, topics)).toEqual({});
  });
});

describe('pastStamp', () => {
  const past = pastStamp(stamp);
  it('takes a partition up to and including its offset', () => {
    expect(past({ topic: 'conduct.cases.v1', partition: 0, offset: '68' })).toBe(false);
    expect(past({ topic: 'conduct.cases.v1', partition: 0, offset: '69' })).toBe(true);
    expect(past({ topic: 'conduct.approvals.v1', partition: 1, offset: '0' })).toBe(false);
  });
  it('takes nothing of a partition or topic the stamp does not name', () => {
    expect(past({ topic: 'conduct.cases.v1', partition: 1, offset: '0' })).toBe(true);
    expect(past({ topic: 'conduct.notifications.v1', partition: 0, offset: '0' })).toBe(true);
  });
});

it('capToStamp ends each partition one past its stamp offset, at its low watermark when unnamed, never past its real end', () => {
  const watermarks = [
    { partition: 0, low: '0', high: '100' },
    { partition: 1, low: '5', high: '9' },
    { partition: 3, low: '0', high: '40' },
  ];
  expect(capToStamp('conduct.cases.v1', watermarks, stamp).map((w) => w.high)).toEqual(['69', '5', '40']);
});

it('stampDifferences lists every partition where positions and stamp disagree', () => {
  expect(stampDifferences(stamp, stamp)).toEqual([]);
  expect(stampDifferences(stamp, { 'conduct.cases.v1': { '0': 67, '3': 43, '4': 2 }, 'conduct.approvals.v1': { '1': 0 } })).toEqual([
    'conduct.cases.v1[0]: stamp 68, rebuilt 67',
    'conduct.cases.v1[4]: stamp none, rebuilt 2',
  ]);
});
