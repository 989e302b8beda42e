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
  /** The PEM file of the CA that signed the user's https Consul's certificates (consul/consul-tls.ts). */
  consulCaFile?: string;
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

/**
 * The stack's network, named to sort before any other network name. The LB joins the user's
 * networks (the default "bridge", Compose's "<project>_default", …) to reach their containers, and
 * Docker (before 28, which has no gateway priority) makes a container's gateway network the one whose
 * name sorts first — and moves its published ports there. Were a joined network to sort first, every
 * join and leave would restart the LB's port proxy, and connections arriving then would be refused.
 * "0-" is the lowest start a Docker network name can have.
 */
export function stackNetworkName(project: string): string {
  return `0-${project}`;
}

export function stackNames(config: StackConfig): {
  network: string;
  consul: string;
  lb: string;
  web: (index: number) => string;
} {
  return {
    network: stackNetworkName(config.project),
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
