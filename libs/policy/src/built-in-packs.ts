import { parsePolicyPack } from './parse-policy-pack';
import { PolicyPackVersion } from './policy-pack';
import khyberPakhtunkhwaV1 from './packs/khyber-pakhtunkhwa-v1.json';
import punjabV1 from './packs/punjab-v1.json';
import sindhV1 from './packs/sindh-v1.json';
import sindhV2 from './packs/sindh-v2.json';

/**
 * The packs shipped with the code, parsed when this module loads: a broken pack file fails every
 * service at start-up (and the unit tests), never a case at run time. A deployment adds versions
 * with `new PolicyCatalogue([...BUILT_IN_PACKS, ...parsedExtras])`.
 */
export const BUILT_IN_PACKS: readonly PolicyPackVersion[] = Object.freeze(
  [sindhV1, sindhV2, khyberPakhtunkhwaV1, punjabV1].map((json) => parsePolicyPack(json)),
);
