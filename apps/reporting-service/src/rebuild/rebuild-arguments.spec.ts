import { parseRebuildArguments } from './rebuild-arguments';

const stamp = { 'conduct.cases.v1': { '0': 68 } };
const noFiles = (path: string): string => {
  throw new Error(`ENOENT: no such file, open '${path}'`);
};

it('without arguments rebuilds to the end (no stamp)', () => {
  expect(parseRebuildArguments([], noFiles)).toEqual({});
});

it('takes --until as JSON, in either spelling', () => {
  expect(parseRebuildArguments(['--until', JSON.stringify(stamp)], noFiles)).toEqual({ until: stamp });
  expect(parseRebuildArguments([`--until=${JSON.stringify(stamp)}`], noFiles)).toEqual({ until: stamp });
});

it('takes --until-file holding a saved report', () => {
  const files: Record<string, string> = { 'cases.json': JSON.stringify({ generatedAt: 'x', positions: stamp, opened: 1 }) };
  expect(parseRebuildArguments(['--until-file', 'cases.json'], (path) => files[path] ?? noFiles(path))).toEqual({ until: stamp });
});

it('says which option is wrong and why', () => {
  expect(() => parseRebuildArguments(['--until', '{nope'], noFiles)).toThrow(/^--until: the stamp is not valid JSON/);
  expect(() => parseRebuildArguments(['--until', '{"conduct.cases.v1":{"0":-3}}'], noFiles)).toThrow(
    '--until: conduct.cases.v1[0]: offset -3 is negative',
  );
  expect(() => parseRebuildArguments(['--until-file', 'missing.json'], noFiles)).toThrow(/^--until-file: cannot read missing.json: ENOENT/);
  expect(() => parseRebuildArguments(['--until', '{}', '--until-file', 'x'], noFiles)).toThrow('give --until or --until-file, not both');
  expect(() => parseRebuildArguments(['--util', '{}'], noFiles)).toThrow(/--util.*usage: rebuild:reports/);
  expect(() => parseRebuildArguments(['--until'], noFiles)).toThrow(/usage/);
});
