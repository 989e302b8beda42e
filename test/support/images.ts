/**
 * The images the tests run. Defaults are the local images that
 * test/images/build-local-images.sh makes from Debian packages; on a machine
 * with a registry, point these at the public ones instead
 * (e.g. DT_TEST_CONSUL_IMAGE=hashicorp/consul:1.20 DT_TEST_LB_IMAGE=nginx:alpine).
 */
export const testImages = {
  consul: process.env.DT_TEST_CONSUL_IMAGE ?? 'discovery-tray-test/consul:latest',
  lb: process.env.DT_TEST_LB_IMAGE ?? 'discovery-tray-test/nginx:latest',
  web: process.env.DT_TEST_WEB_IMAGE ?? 'discovery-tray-test/simple-web:latest',
  haproxy: process.env.DT_TEST_HAPROXY_IMAGE ?? 'discovery-tray-test/haproxy:latest',
  busybox: process.env.DT_TEST_BUSYBOX_IMAGE ?? 'discovery-tray-test/busybox:latest',
  /** simple-web's base when a test builds it through the app. */
  python: process.env.DT_TEST_PYTHON_IMAGE ?? 'discovery-tray-test/python:latest',
};

/** Every container and network a test makes carries this label, so cleanup takes only ours. */
export const TEST_LABEL = 'org.discovery-tray.test';
