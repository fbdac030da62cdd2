import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidRecipientsSeedError, parseRecipientsSeed } from './recipients.seed';

const entry = { unitId: 'ps-clifton', role: 'SSP', name: 'SSP Karachi South', email: 'ssp.south@sindhpolice.local', language: 'en' };

describe('recipients seed file', () => {
  it('reads the seed file shipped for local runs', async () => {
    const file = join(__dirname, '../../../../../config/recipients.seed.json');
    const entries = await parseRecipientsSeed(file, readFileSync(file, 'utf8'));
    expect(entries.length).toBeGreaterThan(10);
    for (const unit of ['ps-clifton', 'ps-model-town', 'ps-gulbahar']) {
      expect(
        entries
          .filter((e) => e.unitId === unit && !e.serviceNumber)
          .map((e) => e.role)
          .sort(),
      ).toEqual(['DIG', 'MEDIA_TEAM', 'OFFICER', 'SSP', 'SUPERVISOR']);
    }
  });

  it('names the first bad entry and the field at fault', async () => {
    const json = JSON.stringify([entry, { ...entry, role: 'IGP' }]);
    await expect(parseRecipientsSeed('seed.json', json)).rejects.toThrow(/seed\.json: entry \[1\].*role must be one of/);
  });

  it('refuses unknown fields, non-arrays and broken JSON', async () => {
    await expect(parseRecipientsSeed('s', JSON.stringify([{ ...entry, phone: '1' }]))).rejects.toThrow(/entry \[0\].*phone/);
    await expect(parseRecipientsSeed('s', JSON.stringify(entry))).rejects.toThrow(InvalidRecipientsSeedError);
    await expect(parseRecipientsSeed('s', '[{')).rejects.toThrow(/not JSON/);
  });

  it('refuses a service number on anything but an OFFICER entry', async () => {
    await expect(parseRecipientsSeed('s', JSON.stringify([{ ...entry, serviceNumber: 'KHI-1' }]))).rejects.toThrow(
      /serviceNumber is only for role OFFICER/,
    );
  });
});
