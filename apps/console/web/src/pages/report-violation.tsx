import { FormEvent, useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { useConsole } from '../context';
import { pakistanLocalToIso } from '../lib/format';
import { textField } from '../lib/forms';
import { FormErrors, formErrors } from '../lib/problems';
import type { UnitPlacement } from '../lib/report-query';
import { sha256Hex } from '../lib/sha256';

interface PolicyInForce {
  packId: string;
  version: number;
  title: string;
  clauses: { id: string; title: string; category: string }[];
}

const PLATFORMS = ['tiktok', 'facebook', 'youtube', 'instagram', 'x', 'whatsapp'];
const KINDS = ['video', 'image', 'post', 'comment', 'share', 'live-stream'];
const FEATURES = ['uniform', 'vehicle', 'equipment', 'office-premises'];
/** The fields a refusal may name, as the API names them: errors land next to them. */
const FORM_FIELDS = [
  'officer.serviceNumber',
  'officer.name',
  'officer.rank',
  'officer.unitId',
  'jurisdiction',
  'platform',
  'contentUrl',
  'conduct.kinds',
  'conduct.features',
  'evidence.sha256',
  'evidence.archiveLocation',
  'clauses',
  'observedAt',
  'becameKnownAt',
  'description',
] as const;

/** Pakistan time now, as a datetime-local field's value. */
const pakistanNow = () => new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 16);

/** "Report a violation": the clauses offered are the pack's in force for the unit's province on the day it happened. */
export function ReportViolation() {
  const { t, navigate } = useConsole();
  const [units, setUnits] = useState<(UnitPlacement & { name?: string })[]>([]);
  const [unitId, setUnitId] = useState('');
  const [observedAt, setObservedAt] = useState(pakistanNow);
  const [policy, setPolicy] = useState<PolicyInForce | undefined>();
  const [clauses, setClauses] = useState<string[]>([]);
  const [kinds, setKinds] = useState<string[]>(['video']);
  const [features, setFeatures] = useState<string[]>([]);
  const [evidenceHash, setEvidenceHash] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const unit = units.find((candidate) => candidate.unitId === unitId);

  useEffect(() => {
    api<{ items: (UnitPlacement & { name?: string })[] }>('/api/approval/units').then(
      ({ body }) => setUnits(body.items),
      () => setUnits([]),
    );
  }, []);
  useEffect(() => {
    const at = pakistanLocalToIso(observedAt);
    if (!unit || !at) return setPolicy(undefined);
    api<PolicyInForce>(`/bff/policy?province=${encodeURIComponent(unit.province)}&at=${encodeURIComponent(at)}`).then(
      ({ body }) => {
        setPolicy(body);
        setClauses((chosen) => chosen.filter((id) => body.clauses.some((clause) => clause.id === id)));
      },
      () => setPolicy(undefined),
    );
  }, [unit, observedAt]);

  const toggle = (list: string[], value: string, set: (next: string[]) => void) =>
    set(list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);
  const fieldError = (field: (typeof FORM_FIELDS)[number]) =>
    errors.fields[field] ? (
      <span className="field-error" id={`${field}-error`}>
        {errors.fields[field]}
      </span>
    ) : null;
  const described = (field: (typeof FORM_FIELDS)[number]) => ({
    'data-field': field,
    ...(errors.fields[field] ? { 'aria-describedby': `${field}-error`, 'aria-invalid': true } : {}),
  });
  // Editing a field takes its refusal away: what is left on screen is still to be fixed.
  const clearFieldError = (target: EventTarget) => {
    const field = target instanceof HTMLElement ? target.dataset['field'] : undefined;
    if (field && errors.fields[field]) {
      const fields = { ...errors.fields };
      delete fields[field];
      setErrors({ ...errors, fields });
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => textField(form, name);
    const body = {
      officer: { serviceNumber: text('serviceNumber'), name: text('name'), rank: text('rank'), unitId },
      jurisdiction: unit ? { province: unit.province, range: unit.range ?? undefined, district: unit.district ?? undefined, unitId } : undefined,
      platform: text('platform'),
      contentUrl: text('contentUrl'),
      conduct: {
        kinds,
        features,
        usedOfficialAccount: form.get('usedOfficialAccount') === 'on',
        platformPermitted: form.get('platformPermitted') === 'on',
      },
      evidence: { sha256: evidenceHash, capturedAt: new Date().toISOString(), archiveLocation: text('archiveLocation') },
      clauses,
      observedAt: pakistanLocalToIso(observedAt) ?? observedAt,
      becameKnownAt: pakistanLocalToIso(text('becameKnownAt')) ?? text('becameKnownAt'),
      onDuty: form.get('onDuty') === 'on',
      description: text('description'),
    };
    setBusy(true);
    try {
      const { body: reported } = await api<{ caseId: string }>('/api/violation/cases', { method: 'POST', body });
      navigate(`/cases/${reported.caseId}`);
    } catch (failure) {
      setErrors(failure instanceof ApiError ? formErrors(failure.problem, FORM_FIELDS) : { fields: {}, general: String(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t('report.title')}</h1>
      {errors.general && (
        <p role="alert" className="error">
          {errors.general}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} onChange={(event) => clearFieldError(event.target)} noValidate>
        <fieldset>
          <legend>{t('report.officer')}</legend>
          <label>
            {t('report.serviceNumber')}
            <input name="serviceNumber" required {...described('officer.serviceNumber')} />
          </label>

          {fieldError('officer.serviceNumber')}
          <label>
            {t('report.name')}
            <input name="name" required {...described('officer.name')} />
          </label>

          {fieldError('officer.name')}
          <label>
            {t('report.rank')}
            <input name="rank" required {...described('officer.rank')} />
          </label>

          {fieldError('officer.rank')}
          <label>
            {t('report.unit')}
            <select name="unitId" value={unitId} onChange={(event) => setUnitId(event.target.value)} required {...described('jurisdiction')}>
              <option value="">–</option>
              {units.map((candidate) => (
                <option key={candidate.unitId} value={candidate.unitId}>
                  {candidate.name ?? candidate.unitId} ({[candidate.district, candidate.province].filter(Boolean).join(', ')})
                </option>
              ))}
            </select>
          </label>

          {fieldError('officer.unitId')}
          {fieldError('jurisdiction')}
        </fieldset>
        <fieldset>
          <legend>{t('report.contentUrl')}</legend>
          <label>
            {t('report.platform')}
            <select name="platform" defaultValue="tiktok" {...described('platform')}>
              {PLATFORMS.map((platform) => (
                <option key={platform}>{platform}</option>
              ))}
            </select>
          </label>

          {fieldError('platform')}
          <label>
            {t('report.contentUrl')}
            <input name="contentUrl" type="url" required {...described('contentUrl')} />
          </label>

          {fieldError('contentUrl')}
          <fieldset className="choices">
            <legend>{t('report.kinds')}</legend>
            {KINDS.map((kind) => (
              <label key={kind} className="inline">
                <input type="checkbox" checked={kinds.includes(kind)} onChange={() => toggle(kinds, kind, setKinds)} /> {kind}
              </label>
            ))}
            {fieldError('conduct.kinds')}
          </fieldset>
          <fieldset className="choices">
            <legend>{t('report.features')}</legend>
            {FEATURES.map((feature) => (
              <label key={feature} className="inline">
                <input type="checkbox" checked={features.includes(feature)} onChange={() => toggle(features, feature, setFeatures)} /> {feature}
              </label>
            ))}
            {fieldError('conduct.features')}
          </fieldset>
          <label className="inline">
            <input type="checkbox" name="onDuty" /> {t('report.onDuty')}
          </label>
          <label className="inline">
            <input type="checkbox" name="usedOfficialAccount" /> {t('report.usedOfficialAccount')}
          </label>
          <label className="inline">
            <input type="checkbox" name="platformPermitted" /> {t('report.platformPermitted')}
          </label>
          <label>
            {t('report.observedAt')}
            <input
              type="datetime-local"
              name="observedAt"
              value={observedAt}
              onChange={(event) => setObservedAt(event.target.value)}
              {...described('observedAt')}
            />
          </label>

          {fieldError('observedAt')}
          <label>
            {t('report.becameKnownAt')}
            <input type="datetime-local" name="becameKnownAt" defaultValue={pakistanNow()} {...described('becameKnownAt')} />
          </label>

          {fieldError('becameKnownAt')}
        </fieldset>
        <fieldset className="choices">
          <legend>{t('report.clauses')}</legend>
          {policy && <p className="hint">{t('report.policy', { title: policy.title, version: policy.version })}</p>}
          {policy?.clauses.map((clause) => (
            <label key={clause.id} className="inline clause">
              <input type="checkbox" checked={clauses.includes(clause.id)} onChange={() => toggle(clauses, clause.id, setClauses)} />{' '}
              <strong>{clause.id}</strong> {clause.title}
            </label>
          ))}
          {fieldError('clauses')}
        </fieldset>
        <fieldset>
          <legend>{t('report.evidence')}</legend>
          <label>
            {t('report.evidence')}
            <input
              type="file"
              aria-describedby="evidence-help"
              onChange={(event) => {
                const file = event.target.files?.[0];
                void (file ? file.arrayBuffer().then(sha256Hex) : Promise.resolve('')).then(setEvidenceHash);
              }}
            />
          </label>
          <p id="evidence-help" className="hint">
            {t('report.evidenceHelp')}
          </p>
          <output className="hash" data-testid="evidence-sha256">
            {evidenceHash ? `SHA-256 ${evidenceHash}` : ''}
          </output>
          {fieldError('evidence.sha256')}
          <label>
            {t('report.archiveLocation')}
            <input name="archiveLocation" required {...described('evidence.archiveLocation')} />
          </label>

          {fieldError('evidence.archiveLocation')}
        </fieldset>
        <label>
          {t('report.description')}
          <textarea name="description" rows={3} required {...described('description')} />
        </label>

        {fieldError('description')}
        <button type="submit" disabled={busy}>
          {t('report.submit')}
        </button>
      </form>
    </section>
  );
}
