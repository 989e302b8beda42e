/**
 * A consul-template compatible template engine: Go's text/template language
 * with consul-template's functions, rendering against a TemplateDataSource
 * and reporting the Consul data each render depended on.
 */
export type {
  CatalogServiceEntry,
  CompiledTemplate,
  RenderLimits,
  RenderOptions,
  RenderResult,
  ServiceInstance,
  ServiceQuery,
  TemplateDataSource,
  TemplateDependency,
} from './types.js';
export { DEFAULT_RENDER_LIMITS } from './types.js';
export { TemplateRenderError, TemplateSyntaxError } from './errors.js';
export { compileTemplate, renderTemplate } from './template.js';
export { parseServiceQuery } from './service-query.js';
