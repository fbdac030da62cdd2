import { ApplicabilityRule, PolicyPackVersion } from './policy-pack';

/*
 * docs/policy.md, written from the packs themselves: the text users read is the data the services
 * judge by. A unit test fails when the committed document differs (`npm run docs:policy` rewrites it).
 */

const FACTS: Record<string, string> = {
  approvalCovered: 'the publication is covered by a granted, unexpired approval',
  usedOfficialAccount: 'it went out through a registered official account',
  platformPermitted: 'the officer holds permission to use the platform',
};

/** When a clause catches conduct, in words. */
export function describeApplicability(rule: ApplicabilityRule): string {
  const parts: string[] = [];
  if (rule.anyUse) parts.push('any use of social media');
  if (rule.requiresOnDuty) parts.push('only conduct while on duty');
  if (rule.kinds) parts.push(`only ${rule.kinds.join(' or ')}`);
  if (rule.features) parts.push(`showing ${rule.features.join(' or ')}`);
  if (rule.platforms) parts.push(`on ${rule.platforms.join(' or ')}`);
  const applies = parts.join(', ');
  if (!rule.exemptWhen?.length) return applies;
  return `${applies}; not when ${rule.exemptWhen.map((fact) => FACTS[fact] ?? fact).join(' and ')}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function renderPack(pack: PolicyPackVersion): string {
  const lines = [
    `### ${pack.title} (\`${pack.packId}\` version ${pack.version}, in force from ${pack.effectiveFrom})`,
    '',
    pack.description,
    '',
    `Provinces: ${pack.provinces.join(', ')}.`,
    '',
    '| clause | category | what it says | applies to |',
    '| --- | --- | --- | --- |',
    ...pack.clauses.map(
      (clause) =>
        `| \`${clause.id}\` ${cell(clause.title)} | ${clause.category} | ${cell(clause.text)} | ${cell(describeApplicability(clause.appliesWhen))} |`,
    ),
    '',
    `- Takedown period: **${pack.takedownPeriodDays} days** from the notice served on the officer; a notice still pending then is recorded as missed and the case escalates one level up: ${pack.escalationChain.join(' → ')}.`,
    `- Appeal window: ${pack.appealWindowDays} days after the sanction.`,
    `- Sanctions: minor ${pack.sanctions.minor.join(', ')}; major ${pack.sanctions.major.join(', ')}.`,
    `- Due process (${pack.dueProcess.rule}): before a ${pack.dueProcess.requiredFor.join(' or ')} penalty, a show-cause notice, the officer's written reply within ${pack.dueProcess.showCauseReplyDays} days (or that period lapsing) and a personal hearing.`,
    `- Early intervention: an officer is flagged after ${pack.earlyIntervention.substantiatedFindings} substantiated findings within ${pack.earlyIntervention.withinDays} days.`,
  ];
  const choices = Object.entries(pack.choices ?? {});
  if (choices.length > 0) {
    lines.push('', 'Where the source is silent, this pack chose:', '', ...choices.map(([field, why]) => `- \`${field}\`: ${why}`));
  }
  return lines.join('\n');
}

export function renderPolicyDocument(packs: readonly PolicyPackVersion[]): string {
  const ordered = [...packs].sort((a, b) => a.packId.localeCompare(b.packId) || a.version - b.version);
  return [
    '# The social-media policy, as the services apply it',
    '',
    '<!-- Written by `npm run docs:policy` from libs/policy/src/packs; a unit test keeps it equal to them. -->',
    '',
    'Police forces in Pakistan have issued social-media policies for their personnel. Conduct holds each',
    "province's policy as a versioned **policy pack**: its clauses (with stable ids that cases, approvals",
    'and reports cite), when each clause applies, the takedown period, the appeal window, the sanctions',
    'and the escalation chain. A case is judged by the pack in force in its province when the conduct',
    'happened (`observedAt`), and keeps that pack for good; a later version judges only later conduct.',
    'A clause alleged where it cannot apply (an on-duty rule for an off-duty post) is refused with 422',
    'naming the clause.',
    '',
    '## Packs',
    '',
    ordered.map(renderPack).join('\n\n'),
    '',
  ].join('\n');
}
