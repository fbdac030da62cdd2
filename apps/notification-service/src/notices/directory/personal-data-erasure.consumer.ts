import { casesContracts } from '@conduct/cases-contracts';
import { ConsumerDefinition } from '@conduct/event-sourcing';
import { handlerFor } from '@conduct/messaging';
import { RecipientDirectory } from './recipient-directory';

/**
 * `consumer` also acts on PersonalDataErased (violation-service deleted the officer's key): the
 * directory's own entry for them, which holds their name and address in clear, goes too, and its
 * edit history keeps the edits with both `[erased]`. What the notices recorded was sealed under the
 * key. It rides on the consumer of conduct.cases.v1 that is there anyway.
 */
export function withDirectoryErasure(consumer: ConsumerDefinition): ConsumerDefinition {
  return {
    ...consumer,
    handlers: (get) => ({
      ...(typeof consumer.handlers === 'function' ? consumer.handlers(get) : consumer.handlers),
      PersonalDataErased: handlerFor(casesContracts, 'PersonalDataErased', async ({ data }, manager) => {
        await get(RecipientDirectory).erasePerson(manager, data.serviceNumber, data.erasedAt);
      }),
    }),
  };
}
