// Type-checked linting plus the architecture rules (docs/adr/0001-monorepo-layout.md):
// domain libraries import nothing of Nest, TypeORM or Kafka, and a context never imports
// another context's domain. Nx tags on each project.json carry the rules.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const nx = require('@nx/eslint-plugin');

module.exports = tseslint.config(
  { ignores: ['node_modules', 'dist', '.cache', '.nx', 'coverage', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'class-validator', 'class-transformer'],
            },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'],
              bannedExternalImports: ['@nestjs/core', 'typeorm', 'pg', 'kafkajs'],
            },
            { sourceTag: 'type:shared', onlyDependOnLibsWithTags: ['type:shared', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:shared', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:shared', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:shared', 'type:domain', 'type:contracts', 'type:app'] },
            { sourceTag: 'scope:approvals', onlyDependOnLibsWithTags: ['scope:approvals', 'scope:shared'] },
            { sourceTag: 'scope:cases', onlyDependOnLibsWithTags: ['scope:cases', 'scope:shared', 'scope:approvals-contracts'] },
            {
              sourceTag: 'scope:notifications',
              onlyDependOnLibsWithTags: ['scope:notifications', 'scope:shared', 'scope:approvals-contracts', 'scope:cases-contracts'],
            },
            {
              sourceTag: 'scope:reporting',
              onlyDependOnLibsWithTags: [
                'scope:reporting',
                'scope:shared',
                'scope:approvals-contracts',
                'scope:cases-contracts',
                'scope:notifications-contracts',
              ],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The console reaches the services through their HTTP APIs only (docs/adr/0022-console.md).
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The end-to-end tests act as an integration would: through HTTP and the public contracts.
            {
              sourceTag: 'scope:system',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:approvals-contracts', 'scope:cases-contracts', 'scope:notifications-contracts'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'tools/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
