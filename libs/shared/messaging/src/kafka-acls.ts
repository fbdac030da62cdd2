import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';
import { ANCHORS_TOPIC, deadLetterTopic, Topic, Topics } from './topics';

export type ConductService = 'approval-service' | 'violation-service' | 'notification-service' | 'reporting-service';

/**
 * What each service does on Kafka: it writes its own topic only, reads the topics its consumers
 * read, and writes the dead letters of what it reads (a consumer parks poison there); one that
 * writes a topic also writes `conduct.anchors.v1`, which reporting-service reads (the heads it
 * proves dossiers against). On a cluster
 * with an authorizer, `aclsFor` turns this table into the ACLs of the service's own user.
 */
export const SERVICE_TOPICS: Readonly<Record<ConductService, { writes: readonly Topic[]; reads: readonly Topic[] }>> = {
  'approval-service': { writes: [Topics.approvals], reads: [Topics.approvals] },
  'violation-service': { writes: [Topics.cases], reads: [Topics.approvals, Topics.cases] },
  'notification-service': { writes: [Topics.notifications], reads: [Topics.approvals, Topics.cases, Topics.notifications] },
  'reporting-service': { writes: [], reads: [Topics.approvals, Topics.cases, Topics.notifications] },
};

/** Who follows the anchors topic: reporting-service keeps every anchored head for the dossiers' proofs. */
const ANCHOR_READERS: readonly ConductService[] = ['reporting-service'];

export type Acl = Parameters<Admin['createAcls']>[0]['acl'][number];

/**
 * The ACLs of one service's Kafka user (`User:<principal>`): Write on its own topic and on the dead
 * letters of the topics it reads, Read on those topics, and Read on its consumer groups (every group
 * whose id starts with `groupPrefix`, KAFKA_GROUP_PREFIX and a dot; all groups without one).
 */
export function aclsFor(service: ConductService, principal: string, groupPrefix?: string): Acl[] {
  const { writes, reads } = SERVICE_TOPICS[service];
  const allow = (
    resourceType: AclResourceTypes,
    resourceName: string,
    operation: AclOperationTypes,
    pattern = ResourcePatternTypes.LITERAL,
  ): Acl => ({
    resourceType,
    resourceName,
    resourcePatternType: pattern,
    principal: `User:${principal}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  // A service that records events also publishes the anchors of its chains.
  const written = [...writes, ...reads.map(deadLetterTopic), ...(writes.length > 0 ? [ANCHORS_TOPIC] : [])];
  const read = [...reads, ...(ANCHOR_READERS.includes(service) ? [ANCHORS_TOPIC] : [])];
  return [
    ...written.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE)),
    ...written.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.DESCRIBE)),
    ...read.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ)),
    groupPrefix
      ? allow(AclResourceTypes.GROUP, `${groupPrefix}.`, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED)
      : allow(AclResourceTypes.GROUP, '*', AclOperationTypes.READ),
  ];
}

/** Grants every service its ACLs, through an admin client logged in as a super user. */
export async function grantServiceAcls(admin: Admin, principals: Readonly<Record<ConductService, string>>, groupPrefix?: string): Promise<Acl[]> {
  const acl = (Object.keys(SERVICE_TOPICS) as ConductService[]).flatMap((service) => aclsFor(service, principals[service], groupPrefix));
  await admin.createAcls({ acl });
  return acl;
}
