/** The meta key naming the Docker host an instance runs on (several engines). */
export const HOST_META_KEY = 'dt-host';

/** What the local endpoint is called in `dt-host`, the status and a scale's placement. */
export const LOCAL_HOST_NAME = 'local';
