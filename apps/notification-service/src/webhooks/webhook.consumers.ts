import { ConsumerDefinition } from '@conduct/service-runtime';

export const webhookConsumers: ConsumerDefinition[] = [];
