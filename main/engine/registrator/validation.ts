/**
 * What may travel from a container's settings into Consul (and from there into
 * an nginx config). Anything outside these shapes is refused with a warning:
 * a crafted SERVICE_TAGS must not be able to add an nginx directive.
 */

export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
export const SERVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,255}$/;
export const TAG_PATTERN = /^[A-Za-z0-9_.:/=+@-]{1,128}$/;
export const META_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
export const META_VALUE_MAX = 512;
/** Go's time.ParseDuration syntax, which Consul uses for check intervals. */
export const GO_DURATION_PATTERN = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
export const HTTP_PATH_PATTERN = /^\/[A-Za-z0-9_.~!$&'()*+,;=:@/%?-]{0,2047}$/;

// Control characters (including newlines) never belong in a meta value.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function isSafeMetaValue(value: string): boolean {
  return value.length <= META_VALUE_MAX && !CONTROL_CHARACTERS.test(value);
}

export function isIPv4(address: string): boolean {
  const parts = address.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
