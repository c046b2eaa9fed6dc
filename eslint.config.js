import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  {
    ignores: ['**/build/**', '**/dist/**', '**/src/contract/types.ts', '**/src/generated/**', '.data/**', 'tmp/**', 'database/schema.ts', 'public/**'],
  },
  {
    rules: {
      // Limits are named TigerBeetle-style, snake_case with the unit last
      // (writer_batch_op_count_max), so a reader sees the unit in the name.
      '@typescript-eslint/naming-convention': 'off',
      // Tests read one field of a fresh answer on one line; splitting each
      // into a variable would double their length without clarity.
      '@unicorn/no-await-expression-member': 'off',
    },
  },
  {
    // The console and the wallet follow React's naming: PascalCase
    // components, camelCase providers and hooks (authProvider.ts, useConsole.ts).
    files: ['admin/**', 'wallet/**'],
    rules: { '@unicorn/filename-case': 'off' },
  }
)
