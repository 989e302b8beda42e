/**
 * One entry of Consul's /v1/health/service answer, as far as the engine reads it. Every field is
 * optional: the answer comes from a server the engine does not control, and each reader checks
 * what it uses.
 */
export interface HealthEntry {
  Node?: { Node?: string; Address?: string };
  Service?: {
    ID?: string;
    Service?: string;
    Address?: string;
    Port?: number;
    Tags?: string[] | null;
    Meta?: Record<string, string> | null;
  };
  Checks?: { Status?: string; ServiceID?: string }[] | null;
}
