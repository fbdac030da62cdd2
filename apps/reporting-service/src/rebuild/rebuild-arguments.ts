import { parseArgs } from 'node:util';
import { Positions, READ_MODEL_TOPICS } from '../generations/generations';
import { InvalidStampError, parseStamp } from '../generations/positions-stamp';

export interface RebuildArguments {
  /** Rebuild up to this stamp into a snapshot instead of switching over. */
  until?: Positions;
}

/**
 * `rebuild:reports [--until '<positions JSON>' | --until-file <path>]`. The file may hold the
 * positions JSON, a whole JSON report, or a CSV report (its `# positions:` line).
 */
export function parseRebuildArguments(argv: string[], readFile: (path: string) => string): RebuildArguments {
  let values: { until?: string; 'until-file'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { until: { type: 'string' }, 'until-file': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new InvalidStampError(
      `${error instanceof Error ? error.message : String(error)} (usage: rebuild:reports [--until '<positions JSON>' | --until-file <path>])`,
    );
  }
  const { until, 'until-file': file } = values;
  if (until !== undefined && file !== undefined) throw new InvalidStampError('give --until or --until-file, not both');
  if (until !== undefined) return { until: withOption('--until', () => parseStamp(until, READ_MODEL_TOPICS)) };
  if (file !== undefined) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new InvalidStampError(`--until-file: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { until: withOption(`--until-file ${file}`, () => parseStamp(text, READ_MODEL_TOPICS)) };
  }
  return {};
}

function withOption(option: string, parse: () => Positions): Positions {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidStampError) throw new InvalidStampError(`${option}: ${error.message}`);
    throw error;
  }
}
