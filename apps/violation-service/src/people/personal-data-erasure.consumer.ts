import { casesContracts } from '@conduct/cases-contracts';
import { ConsumerDefinition } from '@conduct/event-sourcing';
import { handlerFor } from '@conduct/messaging';
import { PersonalDataKeys } from '@conduct/personal-data';

/**
 * `consumer` also deletes the keys every PersonalDataErased names, as the erasure itself did:
 * should the process stop between recording the erasure and deleting the keys, this finishes it.
 * Only keys made up to the erasure: one made since (the person named in a new report) is not this
 * erasure's. It rides on a consumer of conduct.cases.v1 that is there anyway, rather than one
 * more consumer group reading the whole topic for one rare event.
 */
export function withPersonalDataErasure(consumer: ConsumerDefinition): ConsumerDefinition {
  return {
    ...consumer,
    handlers: (get) => ({
      ...(typeof consumer.handlers === 'function' ? consumer.handlers(get) : consumer.handlers),
      // recordedAt is the database's time of the append, as the keystore's created_at is.
      PersonalDataErased: handlerFor(casesContracts, 'PersonalDataErased', async ({ data, recordedAt }) => {
        await get(PersonalDataKeys).erase(data.serviceNumber, new Date(recordedAt));
      }),
    }),
  };
}
