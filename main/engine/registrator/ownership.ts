/**
 * The marker every service we register carries, so that cleanup only ever
 * touches what this engine registered (never a user's or another tool's).
 */
export const OWNER_META_KEY = 'dt-owner';
export const CONTAINER_META_KEY = 'dt-container';

export function ownerId(hostname: string): string {
  return `discovery-tray@${hostname}`;
}

export interface AgentServiceEntry {
  ID: string;
  Service: string;
  Address: string;
  Port: number;
  Tags?: string[] | null;
  Meta?: Record<string, string> | null;
}

export function isOwnedBy(entry: AgentServiceEntry, owner: string): boolean {
  return entry.Meta?.[OWNER_META_KEY] === owner;
}
