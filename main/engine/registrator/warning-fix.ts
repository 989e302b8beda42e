/**
 * The one-line fix for a registrator warning, where one change settles it. The warnings are the
 * registrator's own sentences (service-spec.ts), so the settings they name are read back from them;
 * a warning this does not recognise gets no fix rather than a guess (its text says what is wrong).
 */
import type { WarningView } from '../../../contract/index.js';

/** `… <winner> overrides <loser>; the service <key> is "…"` (conflictWarnings in service-spec.ts). */
const OVERRIDE = /: ((?:env|label) .+?) overrides ((?:env|label) .+?); the service (name|tags|id) is /;

export function warningFix(message: string): string | undefined {
  const override = OVERRIDE.exec(message);
  if (override) {
    const [, winner, loser, key] = override;
    return `remove ${loser} from the container (${winner} decides the service ${key}), or remove ${winner} to keep ${loser}`;
  }
  return undefined;
}

export function warningView(message: string): WarningView {
  const fix = warningFix(message);
  return fix ? { message, fix } : { message };
}
