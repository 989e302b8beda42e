// @ts-check
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An import that leaves the folder upwards (out of contract/). */
const UP_AND_OUT = [{ regex: '^\\.\\./', message: 'the contract stands alone' }];
const ELECTRON = { regex: '^electron$', message: 'only main/app and preload may import electron' };
const NODE_AND_NATIVE = [
  { regex: '^node:', message: 'no Node-only imports here' },
  ELECTRON,
  { regex: '^(dockerode|consul|tar-stream)$', message: 'no engine libraries here' },
];
/** The folders under main/ that this layer must not reach, from anywhere below it. */
function above(...folders) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})(/|\\.js$)`, message: 'a layer above this one' };
}
const FRONT_ENDS = [{ regex: '^(\\.\\./)+(preload|renderer)/', message: 'the front ends sit above main' }];

/** One layer's rule: its files may not import these. */
function layer(files, why, patterns) {
  return [
    {
      files: [files],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: patterns.map(({ regex, message }) => ({ regex, message: `${why}: ${message}` })) },
        ],
      },
    },
  ];
}

/** The layers (docs/ARCHITECTURE.md): each may import only what sits below it. */
export const LAYER_RULES = [
  ...layer('contract/**/*.ts', 'the contract imports nothing but zod', [...UP_AND_OUT, ...NODE_AND_NATIVE]),
  // The catalogue sits one folder down (contract/i18n/): it may reach the contract's own files
  // (error codes, views) with one `../`, never past the contract.
  ...layer('contract/i18n/*.ts', 'the contract imports nothing but zod', [
    { regex: '^\\.\\./\\.\\./', message: 'the contract stands alone' },
    ...NODE_AND_NATIVE,
  ]),
  ...layer('main/engine/**/*.ts', 'the engine imports nothing above it', [
    above('service', 'app', 'server', 'cli'),
    ...FRONT_ENDS,
    ELECTRON,
  ]),
  ...layer('main/service/**/*.ts', 'the service sits under every front end', [
    above('app', 'server', 'cli'),
    ...FRONT_ENDS,
    ELECTRON,
  ]),
  ...layer('main/server/**/*.ts', 'the control API is no part of the desktop shell or the CLI', [
    above('app', 'cli'),
    ...FRONT_ENDS,
    ELECTRON,
  ]),
  ...layer('main/cli/**/*.ts', 'the CLI is no part of the desktop shell', [
    above('app'),
    ...FRONT_ENDS,
    ELECTRON,
  ]),
  ...layer('main/app/**/*.ts', 'the desktop shell does not reach into the CLI or the page', [
    above('cli'),
    ...FRONT_ENDS,
  ]),
  ...layer('preload/**/*.ts', 'the preload is a bridge over the contract only', [
    { regex: '^(\\.\\./)+(main|renderer)/', message: 'the preload speaks the contract only' },
    ...NODE_AND_NATIVE.filter((rule) => rule.regex !== '^electron$'),
  ]),
  ...layer('renderer/**/*.{ts,vue}', 'the dashboard knows the contract only', [
    { regex: '^(\\.\\./)+(main|preload)/', message: 'the dashboard speaks the contract only' },
    ...NODE_AND_NATIVE,
  ]),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/tmp/**', '.scratch/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The dashboard: Vue single-file components in TypeScript, browser globals.
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['renderer/**/*.{ts,vue}', 'test/renderer/**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
      },
    },
  },
  {
    files: ['**/*.vue'],
    rules: {
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
      // Formatting is Prettier's job.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: { '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }] },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...LAYER_RULES,
);
