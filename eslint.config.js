// Lint: type-aware rules that catch lost promises, plus the layering rule from ARCHITECTURE.md
// (only drivers/linux/ may import the hardware libraries).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const HARDWARE_LIBRARIES = ['onoff', 'i2c-bus', 'serialport', '@serialport/*']

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises the runner itself tracks.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      // Implementations of promise-returning interfaces (HAL, Clock) are often async without awaiting.
      '@typescript-eslint/require-await': 'off',
      // A sleep rejects with its AbortSignal's reason, whatever that is (Clock contract).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [{ group: HARDWARE_LIBRARIES, message: 'Only drivers/linux/ may import hardware libraries (ARCHITECTURE.md, rooms).' }],
      }],
    },
  },
  {
    files: ['drivers/linux/**', 'test/drivers/linux/**', 'test/kernel/**', 'test/lint/fixtures-tmp/drivers/linux/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
)
