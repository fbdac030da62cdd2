import { Decider, DomainError } from '@conduct/decider';

/**
 * An officer's own record, apart from their cases: legal holds on their personal data and its
 * erasure (ADR 21). It lives on the officer's stream (streamType `officer`, id = service number),
 * which also holds their early-intervention flags; this decider passes over those.
 *
 * Erasure deletes the officer's key, so every name and address sealed under it reads `[erased]`
 * for good. It is refused while a case about the officer is open (the case still needs them) and
 * while a legal hold stands (litigation or an inquiry needs the record whole).
 */
export const OFFICER_STREAM_TYPE = 'officer';

export interface RecordKeeper {
  id: string;
}

export type OfficerRecordCommand =
  | { type: 'PlaceLegalHold'; data: { serviceNumber: string; holdId: string; reasons: string[]; actor: RecordKeeper; now: string } }
  | { type: 'ReleaseLegalHold'; data: { serviceNumber: string; holdId: string; reasons: string[]; actor: RecordKeeper; now: string } }
  | {
      type: 'ErasePersonalData';
      data: {
        serviceNumber: string;
        reasons: string[];
        /** The cases about the officer still open, as the service found them just before. */
        openCaseIds: string[];
        /** `retention`: the retention schedule's run erased it, not an administrator's request. */
        basis: 'request' | 'retention';
        actor: RecordKeeper;
        now: string;
      };
    };

export type OfficerRecordEvent =
  | { type: 'LegalHoldPlaced'; data: { serviceNumber: string; holdId: string; reasons: string[]; placedBy: string; placedAt: string } }
  | { type: 'LegalHoldReleased'; data: { serviceNumber: string; holdId: string; reasons: string[]; releasedBy: string; releasedAt: string } }
  | {
      type: 'PersonalDataErased';
      data: { serviceNumber: string; reasons: string[]; basis: 'request' | 'retention'; erasedBy: string; erasedAt: string };
    };

export interface LegalHold {
  holdId: string;
  reasons: string[];
  placedBy: string;
  placedAt: string;
}

export interface OfficerRecordState {
  holds: LegalHold[];
  /** The erasures recorded, latest last (a person named again after one gets a new key, which a later erasure deletes). */
  erasures: { erasedAt: string; erasedBy: string; basis: 'request' | 'retention' }[];
}

const initialState: OfficerRecordState = { holds: [], erasures: [] };

function requireReasons(reasons: string[]): void {
  if (reasons.length === 0 || reasons.some((reason) => reason.trim().length < 3)) {
    throw new DomainError('invalid', 'officer-record.reasons-required', 'Give the reasons, each a sentence', undefined, 'reasons');
  }
}

function decide(command: OfficerRecordCommand, state: OfficerRecordState): OfficerRecordEvent[] {
  const { data } = command;
  requireReasons(data.reasons);
  switch (command.type) {
    case 'PlaceLegalHold':
      if (state.holds.some((hold) => hold.holdId === command.data.holdId)) {
        throw new DomainError('conflict', 'officer-record.hold-exists', `Legal hold ${command.data.holdId} already stands`, undefined, 'holdId');
      }
      return [
        {
          type: 'LegalHoldPlaced',
          data: {
            serviceNumber: data.serviceNumber,
            holdId: command.data.holdId,
            reasons: data.reasons,
            placedBy: data.actor.id,
            placedAt: data.now,
          },
        },
      ];
    case 'ReleaseLegalHold':
      if (!state.holds.some((hold) => hold.holdId === command.data.holdId)) {
        throw new DomainError('not-found', 'officer-record.hold-not-found', `No legal hold ${command.data.holdId} stands on ${data.serviceNumber}`);
      }
      return [
        {
          type: 'LegalHoldReleased',
          data: {
            serviceNumber: data.serviceNumber,
            holdId: command.data.holdId,
            reasons: data.reasons,
            releasedBy: data.actor.id,
            releasedAt: data.now,
          },
        },
      ];
    case 'ErasePersonalData': {
      const { openCaseIds, basis } = command.data;
      if (openCaseIds.length > 0) {
        throw new DomainError(
          'conflict',
          'officer-record.open-cases',
          `${data.serviceNumber} has ${openCaseIds.length} open case(s): ${openCaseIds.join(', ')}; close them before erasing`,
        );
      }
      if (state.holds.length > 0) {
        throw new DomainError(
          'conflict',
          'officer-record.legal-hold',
          `Legal hold ${state.holds.map((hold) => hold.holdId).join(', ')} stands on ${data.serviceNumber}: release it before erasing`,
        );
      }
      return [
        {
          type: 'PersonalDataErased',
          data: { serviceNumber: data.serviceNumber, reasons: data.reasons, basis, erasedBy: data.actor.id, erasedAt: data.now },
        },
      ];
    }
  }
}

function evolve(state: OfficerRecordState, event: { type: string; data: object }): OfficerRecordState {
  const typed = event as OfficerRecordEvent;
  switch (typed.type) {
    case 'LegalHoldPlaced': {
      const { holdId, reasons, placedBy, placedAt } = typed.data;
      return { ...state, holds: [...state.holds, { holdId, reasons, placedBy, placedAt }] };
    }
    case 'LegalHoldReleased':
      return { ...state, holds: state.holds.filter((hold) => hold.holdId !== typed.data.holdId) };
    case 'PersonalDataErased': {
      const { erasedAt, erasedBy, basis } = typed.data;
      return { ...state, erasures: [...state.erasures, { erasedAt, erasedBy, basis }] };
    }
    default:
      // EarlyInterventionFlagRaised shares the stream: nothing of it bears on holds or erasure.
      return state;
  }
}

export const officerRecordDecider: Decider<OfficerRecordCommand, OfficerRecordState, OfficerRecordEvent> = {
  initialState,
  decide,
  evolve,
};
