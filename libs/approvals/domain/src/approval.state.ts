import { ApprovalEvent, ApprovalRequestDetails, PublicationDetails } from './approval.events';

/** An approval request's state, folded from its events. */
export interface Grant {
  validFrom: string;
  validUntil: string;
  conditions: string[];
  decidedBy: string;
}

export interface Requested {
  request: ApprovalRequestDetails;
}
export interface Decided extends Requested {
  grant: Grant;
}

export type ApprovalState =
  | { status: 'none' }
  | ({ status: 'pending' } & Requested)
  | ({ status: 'rejected' } & Requested)
  | ({ status: 'withdrawn' } & Requested)
  | ({ status: 'granted' } & Decided)
  | ({ status: 'revoked' } & Decided)
  | ({ status: 'expired' } & Decided)
  | ({ status: 'published'; publication: PublicationDetails } & Decided);

export type ApprovalStatus = ApprovalState['status'];

export const initialApprovalState: ApprovalState = { status: 'none' };

export function evolveApproval(state: ApprovalState, event: ApprovalEvent): ApprovalState {
  switch (event.type) {
    case 'ApprovalRequested':
      return { status: 'pending', request: event.data };
    case 'ApprovalGranted':
      if (state.status !== 'pending') return state;
      return {
        status: 'granted',
        request: state.request,
        grant: {
          validFrom: event.data.validFrom,
          validUntil: event.data.validUntil,
          conditions: event.data.conditions,
          decidedBy: event.data.decidedBy,
        },
      };
    case 'ApprovalRejected':
      return state.status === 'pending' ? { status: 'rejected', request: state.request } : state;
    case 'ApprovalWithdrawn':
      return state.status === 'pending' ? { status: 'withdrawn', request: state.request } : state;
    case 'ApprovalRevoked':
      return state.status === 'granted' ? { status: 'revoked', request: state.request, grant: state.grant } : state;
    case 'ApprovalExpired':
      return state.status === 'granted' ? { status: 'expired', request: state.request, grant: state.grant } : state;
    case 'ContentPublished': {
      if (state.status !== 'granted') return state;
      const { recordedAt: _recordedAt, ...publication } = event.data;
      return { status: 'published', request: state.request, grant: state.grant, publication };
    }
    case 'PublicationRefused':
      return state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
