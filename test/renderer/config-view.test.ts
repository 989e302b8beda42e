import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ConfigView from '../../renderer/src/components/ConfigView.vue';
import { createApiStub, engineStatus } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

describe('Config', () => {
  it('shows the rendered config and the change from the previous one', async () => {
    const { wrapper } = await mountWithStore(ConfigView, createApiStub());
    expect(wrapper.find('[data-test="config-current"]').text()).toContain('server 172.18.0.5:80;');
    const diff = wrapper.find('[data-test="config-diff"]');
    const lines = diff
      .findAll('.code-line')
      .map((l) => ({ kind: l.classes().find((c) => c.startsWith('diff-')), text: l.text() }));
    expect(lines).toEqual([
      { kind: 'diff-removed', text: '-   server 127.0.0.1:65535; # force a 502' },
      { kind: 'diff-added', text: '+   server 172.18.0.5:80;' },
    ]);
    expect(wrapper.text()).toContain('#1 → #2');
    expect(wrapper.find('[data-test="config-error"]').exists()).toBe(false);
  });

  it('says when there is nothing to compare yet', async () => {
    const status = engineStatus();
    delete status.lb.previousConfig;
    const { wrapper } = await mountWithStore(ConfigView, createApiStub({ status }));
    expect(wrapper.find('[data-test="config-diff-empty"]').text()).toContain('first config');
  });

  it('shows the last nginx -t error with its lines, the offending one marked', async () => {
    const status = engineStatus();
    status.lb.lastError = {
      at: Date.now(),
      message: 'unknown directive "bogus_directive" in /etc/nginx/conf.d/default.conf:4',
      line: 4,
      excerpt: ['3 | upstream app {', '4 |   bogus_directive on;', '5 |   server 172.18.0.5:80;'],
    };
    const { wrapper } = await mountWithStore(ConfigView, createApiStub({ status }));
    const error = wrapper.find('[data-test="config-error"]');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain('nginx refused the new config');
    expect(error.text()).toContain('unknown directive "bogus_directive"');
    expect(error.text()).toContain('(line 4)');
    const lines = error.findAll('[data-test="config-error-excerpt"] .code-line');
    expect(lines.map((l) => l.text())).toEqual([
      '3 | upstream app {',
      '4 |   bogus_directive on;',
      '5 |   server 172.18.0.5:80;',
    ]);
    expect(lines.map((l) => l.classes().includes('line-error'))).toEqual([false, true, false]);
    expect(error.text()).toContain('last good config keeps serving');
  });

  it('shows a template error with line and column', async () => {
    const status = engineStatus();
    status.template.lastError = { at: Date.now(), message: 'unexpected "}" in range', line: 2, column: 7 };
    const { wrapper } = await mountWithStore(ConfigView, createApiStub({ status }));
    expect(wrapper.find('[data-test="config-error"]').text()).toContain('The template does not render');
    expect(wrapper.find('[data-test="config-error"]').text()).toContain('(line 2, column 7)');
  });

  it('edits and applies the template, and shows a refusal from the API', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(ConfigView, api);
    const editor = wrapper.find('[data-test="template-editor"]');
    expect((editor.element as HTMLTextAreaElement).value).toContain('range service "backend.web"');
    expect(wrapper.find('[data-test="template-apply"]').attributes('disabled')).toBeDefined();
    await editor.setValue('{{range service "backend.web"}');
    api.setTemplate.mockResolvedValueOnce({
      error: {
        message: 'The template was not changed: line 1, column 30: unclosed action',
        code: 'bad-template',
      },
    });
    await wrapper.find('[data-test="template-apply"]').trigger('click');
    await flushPromises();
    expect(api.setTemplate).toHaveBeenCalledWith({ source: '{{range service "backend.web"}' });
    expect(wrapper.find('[data-test="template-error"]').text()).toContain('unclosed action');
    await wrapper.find('[data-test="template-reset"]').trigger('click');
    expect((editor.element as HTMLTextAreaElement).value).toContain('range service "backend.web"}}');
  });
});
