/**
 * The engine host's settings, shared by the window, every browser dashboard and the tray: one
 * schema that validates what a dashboard sends and what the settings file holds. Each field has
 * its own schema and default, so that one bad field in the file costs that field only; a new
 * setting is one more entry in SETTING_FIELDS.
 */
import * as z from 'zod';

/** The dashboard's and the tray's language: the system's, or one the user chose. */
export const LANGUAGE_CHOICES = ['system', 'en', 'zh-CN'] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Every setting: its validator (whose message says what is allowed) and its default. */
export const SETTING_FIELDS = {
  language: {
    schema: z.enum(LANGUAGE_CHOICES, {
      error: (issue) => `language must be one of ${LANGUAGE_CHOICES.join(', ')}; got ${shown(issue.input)}.`,
    }),
    default: 'system' as LanguageChoice,
  },
} as const;

export type SettingName = keyof typeof SETTING_FIELDS;

type FieldSchemas = { [K in SettingName]: (typeof SETTING_FIELDS)[K]['schema'] };
const fieldSchemas = Object.fromEntries(
  Object.entries(SETTING_FIELDS).map(([name, field]) => [name, field.schema]),
) as FieldSchemas;

/** The whole settings object, as getSettings answers it and the settings file holds it. */
export const settingsSchema = z.object(fieldSchemas);
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.fromEntries(
  Object.entries(SETTING_FIELDS).map(([name, field]) => [name, field.default]),
) as Settings;

export const SETTING_NAMES = Object.keys(SETTING_FIELDS) as SettingName[];

/** The fields of a settings patch (updateSettings): any of them, each optional. */
export const settingsPatchShape = Object.fromEntries(
  Object.entries(fieldSchemas).map(([name, schema]) => [name, schema.optional()]),
) as { [K in SettingName]: z.ZodOptional<FieldSchemas[K]> };
