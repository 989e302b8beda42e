/** The meta key naming the Docker host an instance runs on (several engines). */
export const HOST_META_KEY = 'dt-host';
