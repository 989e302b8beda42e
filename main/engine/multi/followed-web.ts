/** The demo's web on each followed host, for the web replica set: a RemoteWeb while the host is connected. */
import type Dockerode from 'dockerode';
import type { StackConfig } from '../stack/stack-config.js';
import type { Stack } from '../stack/stack.js';
import type { FollowedWeb } from '../stack/web-replicas.js';
import type { Timeline } from '../timeline.js';
import type { FollowedHosts } from './followed-hosts.js';
import { RemoteWeb } from './remote-web.js';

export function followedWeb(
  followed: FollowedHosts,
  context: { local: Dockerode; config: StackConfig; timeline: Timeline; stack: Stack },
): () => FollowedWeb[] {
  return () =>
    followed.list().map((host) => {
      const connection = host.connection();
      return {
        name: host.name,
        web: connection
          ? new RemoteWeb({
              name: host.name,
              docker: connection.docker,
              local: context.local,
              config: context.config,
              timeline: context.timeline,
              ensureLocalImage: () => context.stack.ensureWebImage(),
            })
          : undefined,
      };
    });
}
