import { BUILT_IN_PACKS } from './built-in-packs';
import { parsePolicyPack } from './parse-policy-pack';
import { PolicyCatalogue } from './policy-catalogue';
import { ConflictingPolicyPacksError, InvalidInstantError, NoPolicyInForceError } from './policy-errors';
import { ConductFacts } from './policy-pack';
import punjabV1 from './packs/punjab-v1.json';
import sindhV2 from './packs/sindh-v2.json';

const catalogue = PolicyCatalogue.builtIn();

/** A TikTok post seen in March 2025, off duty, showing nothing in particular. */
const offDutyPost: ConductFacts = { observedAt: '2025-03-03T12:00:00Z', onDuty: false, kinds: ['post'], platform: 'tiktok' };

describe('PolicyCatalogue', () => {
  describe('built in', () => {
    it('holds the four shipped versions, newest first', () => {
      expect(catalogue.packs().map((p) => `${p.packId} v${p.version}`)).toEqual(['sindh v2', 'khyber-pakhtunkhwa v1', 'punjab v1', 'sindh v1']);
      expect(BUILT_IN_PACKS).toHaveLength(4);
    });

    it('finds a version a case recorded', () => {
      expect(catalogue.find('sindh', 1)?.effectiveFrom).toBe('2024-01-01');
      expect(catalogue.find('sindh', 3)).toBeUndefined();
    });
  });

  describe('versionInForce', () => {
    it('refuses a moment before the first version, naming province and moment', () => {
      expect(() => catalogue.versionInForce('sindh', '2023-12-31T23:59:59Z')).toThrow(NoPolicyInForceError);
      try {
        catalogue.versionInForce('punjab', new Date('2024-06-01T00:00:00Z'));
      } catch (error) {
        expect(error).toMatchObject({ province: 'punjab', at: '2024-06-01T00:00:00.000Z', code: 'policy.none-in-force', kind: 'invalid' });
      }
      expect.assertions(2);
    });

    it('picks the older version between two versions', () => {
      expect(catalogue.versionInForce('sindh', '2024-01-01').version).toBe(1);
      expect(catalogue.versionInForce('sindh', '2024-12-31T23:59:59.999Z').version).toBe(1);
    });

    it('picks the newer version from its first moment on', () => {
      expect(catalogue.versionInForce('sindh', '2025-01-01T00:00:00Z').version).toBe(2);
      expect(catalogue.versionInForce('sindh', new Date('2026-06-01T00:00:00Z')).version).toBe(2);
    });

    it('selects by province', () => {
      expect(catalogue.versionInForce('khyber-pakhtunkhwa', '2025-03-03').packId).toBe('khyber-pakhtunkhwa');
      expect(catalogue.versionInForce('punjab', '2025-03-03').packId).toBe('punjab');
      expect(() => catalogue.versionInForce('balochistan', '2025-03-03')).toThrow(NoPolicyInForceError);
      const errorOf = (run: () => unknown): unknown => {
        try {
          run();
        } catch (error) {
          return error;
        }
        return undefined;
      };
      // A province no pack covers names the request field; a date before a known province's first pack does not.
      expect(errorOf(() => catalogue.versionInForce('atlantis', '2025-03-03'))).toMatchObject({
        field: 'jurisdiction.province',
        code: 'policy.none-in-force',
      });
      expect(errorOf(() => catalogue.versionInForce('sindh', '2023-12-31T23:59:59Z'))).toMatchObject({
        field: undefined,
        code: 'policy.none-in-force',
      });
    });

    it('honours an effectiveFrom given in Pakistan time', () => {
      const pkt = new PolicyCatalogue([parsePolicyPack({ ...punjabV1, effectiveFrom: '2025-01-01T00:00:00+05:00' })]);
      expect(pkt.versionInForce('punjab', '2024-12-31T19:00:00Z').version).toBe(1);
      expect(() => pkt.versionInForce('punjab', '2024-12-31T18:59:59Z')).toThrow(NoPolicyInForceError);
    });

    it('refuses a moment that is not an ISO date or instant', () => {
      expect(() => catalogue.versionInForce('sindh', '03/03/2025')).toThrow(InvalidInstantError);
      expect(() => catalogue.versionInForce('sindh', new Date('nonsense'))).toThrow(InvalidInstantError);
    });

    it('lets a deployment add a newer version to the built-in ones', () => {
      const sindhV3 = parsePolicyPack({ ...sindhV2, version: 3, effectiveFrom: '2026-01-01', takedownPeriodDays: 3 });
      const extended = new PolicyCatalogue([...BUILT_IN_PACKS, sindhV3]);
      expect(extended.versionInForce('sindh', '2025-12-31').version).toBe(2);
      expect(extended.versionInForce('sindh', '2026-01-01').takedownPeriodDays).toBe(3);
    });
  });

  describe('consistency', () => {
    it('refuses the same pack version twice', () => {
      expect(() => new PolicyCatalogue([...BUILT_IN_PACKS, parsePolicyPack(sindhV2)])).toThrow(ConflictingPolicyPacksError);
    });

    it('refuses a higher version that takes effect earlier', () => {
      const v3 = parsePolicyPack({ ...sindhV2, version: 3, effectiveFrom: '2024-06-01' });
      expect(() => new PolicyCatalogue([...BUILT_IN_PACKS, v3])).toThrow('versions of a pack must take effect in version order');
    });

    it('refuses two versions of a pack on the same date', () => {
      const v3 = parsePolicyPack({ ...sindhV2, version: 3 });
      expect(() => new PolicyCatalogue([...BUILT_IN_PACKS, v3])).toThrow(ConflictingPolicyPacksError);
    });

    it('refuses two packs that take effect for the same province at the same moment', () => {
      const rival = parsePolicyPack({ ...punjabV1, packId: 'punjab-rival' });
      expect(() => new PolicyCatalogue([...BUILT_IN_PACKS, rival])).toThrow(
        /punjab(-rival)? v1 and punjab(-rival)? v1 both take effect for punjab at 2025-01-01/,
      );
    });

    it('lets another pack take over a province from a later date', () => {
      const successor = parsePolicyPack({ ...punjabV1, packId: 'punjab-2026', effectiveFrom: '2026-01-01' });
      const extended = new PolicyCatalogue([...BUILT_IN_PACKS, successor]);
      expect(extended.versionInForce('punjab', '2025-06-01').packId).toBe('punjab');
      expect(extended.versionInForce('punjab', '2026-06-01').packId).toBe('punjab-2026');
    });
  });

  describe('evaluate', () => {
    it('names the pack version it judged by, chosen by observedAt', () => {
      const result = catalogue.evaluate('sindh', { ...offDutyPost, observedAt: '2024-06-01T08:00:00+05:00' }, ['SND-4']);
      expect(result).toEqual({
        packId: 'sindh',
        version: 1,
        observedAt: '2024-06-01T03:00:00.000Z',
        clauses: [{ clauseId: 'SND-4', applies: true, reasons: [] }],
      });
    });

    it('evaluates every clause of the pack when none is alleged', () => {
      expect(catalogue.evaluate('sindh', offDutyPost).clauses.map((c) => c.clauseId)).toEqual([
        'SND-1',
        'SND-2',
        'SND-3',
        'SND-4',
        'SND-5',
        'SND-6',
        'SND-7',
      ]);
    });

    it('refuses a province with no pack in force', () => {
      expect(() => catalogue.evaluate('sindh', { ...offDutyPost, observedAt: '2023-01-01' }, ['SND-1'])).toThrow(NoPolicyInForceError);
    });
  });
});
