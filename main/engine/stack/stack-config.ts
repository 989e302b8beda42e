/** What the demo stack is made of, with the defaults a user gets. */

export interface StackImages {
  consul: string;
  lb: string;
  web: string;
  /** Base of the locally built simple-web when `web` is the default and missing. */
  webBase: string;
}

export interface StackConfig {
  /** Prefix of every name and the value of the stack label. */
  project: string;
  lbPort: number;
  consulPort: number;
  images: StackImages;
  /** A user's own Consul (HOST:PORT) instead of the demo container. */
  consulAddress?: string;
  consulToken?: string;
  /** 1 (default): a Consul dev server; 3 or 5: a real cluster of server agents (consul-cluster.ts). */
  consulServers?: 1 | 3 | 5;
}

export const DEFAULT_WEB_IMAGE = 'discovery-tray/simple-web:latest';

export const DEFAULT_STACK_CONFIG: StackConfig = {
  project: 'discovery-tray',
  lbPort: 8080,
  consulPort: 8500,
  images: {
    consul: 'hashicorp/consul:1.20',
    lb: 'nginx:alpine',
    web: DEFAULT_WEB_IMAGE,
    webBase: 'python:3.12-alpine',
  },
};

export const STACK_LABEL = 'org.discovery-tray.stack';
export const ROLE_LABEL = 'org.discovery-tray.role';
export const INDEX_LABEL = 'org.discovery-tray.index';
export type StackRole = 'consul' | 'lb' | 'web';

export function stackNames(config: StackConfig): {
  network: string;
  consul: string;
  lb: string;
  web: (index: number) => string;
} {
  return {
    network: config.project,
    consul: `${config.project}-consul`,
    lb: `${config.project}-lb`,
    web: (index) => `${config.project}-web-${index}`,
  };
}

export function roleLabels(
  config: StackConfig,
  role: StackRole,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { [STACK_LABEL]: config.project, [ROLE_LABEL]: role, ...extra };
}
