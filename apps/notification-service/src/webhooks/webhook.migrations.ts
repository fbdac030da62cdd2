import { Migration } from '@conduct/service-runtime';

export const webhookMigrations: Migration[] = [];
