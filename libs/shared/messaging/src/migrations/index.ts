import { CreateInbox1764000000200 } from './1764000000200-create-inbox';
import { CreateRelayCheckpoints1764000000100 } from './1764000000100-create-relay-checkpoints';
import { CreateStreamOrder1764000000300 } from './1764000000300-create-stream-order';
import { SeedStreamVersions1764000000301 } from './1764000000301-seed-stream-versions';

export { CreateInbox1764000000200, CreateRelayCheckpoints1764000000100, CreateStreamOrder1764000000300, SeedStreamVersions1764000000301 };

/** Run after the event store's migrations (the relay reads `events`). */
export const messagingMigrations = [
  CreateRelayCheckpoints1764000000100,
  CreateInbox1764000000200,
  CreateStreamOrder1764000000300,
  SeedStreamVersions1764000000301,
];
