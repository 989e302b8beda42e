import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { BuiltinTemplateName, TemplateHistoryView } from '../../contract/index';
import ConfigView from '../../renderer/src/components/ConfigView.vue';
import TemplatePicker from '../../renderer/src/components/TemplatePicker.vue';
import { createApiStub } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

const SAVED = Date.UTC(2026, 11, 5, 21, 30, 0);

/** A history as the engine answers it: an edited text is live, with two older versions to go back to. */
function history(live: 'edited' | BuiltinTemplateName = 'edited'): TemplateHistoryView {
  const edited = { id: 3, savedAt: SAVED, kind: 'edited' as const, label: 'edited.ctmpl', bytes: 1234 };
  const older = [
    {
      id: 2,
      savedAt: SAVED - 60_000,
      kind: 'builtin' as const,
      label: 'services-localhost',
      builtin: 'services-localhost' as const,
    },
    {
      id: 1,
      savedAt: SAVED - 120_000,
      kind: 'builtin' as const,
      label: 'classic',
      builtin: 'classic' as const,
    },
  ];
  return {
    builtins: ['classic', 'services-localhost'],
    versions:
      live === 'edited'
        ? [edited, ...older]
        : [{ id: 4, savedAt: SAVED + 1000, kind: 'builtin', label: live, builtin: live }, edited, ...older],
    live:
      live === 'edited'
        ? { origin: 'kept', kind: 'edited', label: 'edited.ctmpl' }
        : { origin: 'kept', kind: 'builtin', builtin: live, label: live },
  };
}

function stub(current = history()) {
  return createApiStub(
    {},
    {
      getTemplateHistory: () => current,
      selectTemplate: (req) => (current = history(req.name)),
      restoreTemplate: () => (current = history('services-localhost')),
      // Version 2: the live text (the stub's getTemplate) with its server line changed and a line added.
      getTemplateVersion: ({ id }) => ({
        id,
        label: 'services-localhost',
        source:
          id === 2
            ? 'upstream app {\n{{range service "backend.web"}}  server {{.Address}}:{{.Port}} weight=2;\n{{end}}}\n# routes\n'
            : 'upstream app {\n{{range service "backend.web"}}  server {{.Address}}:{{.Port}};\n{{end}}}\n',
      }),
    },
  );
}

describe('the template picker', () => {
  it('names the live template and lists the kept versions with time, kind and size', async () => {
    const { wrapper } = await mountWithStore(TemplatePicker, stub());
    expect(wrapper.find('[data-test="template-live"]').text()).toBe('Live template: edited.ctmpl');
    const rows = wrapper.findAll('[data-test="template-versions"] li');
    expect(rows).toHaveLength(3);
    expect(rows[0]!.text()).toContain('edited: edited.ctmpl');
    expect(rows[0]!.text()).toContain('1,234 bytes');
    expect(rows[0]!.text()).toContain('(in use)');
    expect(rows[0]!.find('button').exists()).toBe(false);
    expect(rows[1]!.text()).toContain('built-in: services-localhost');
    expect(rows[1]!.find('[data-test="template-restore-2"]').exists()).toBe(true);
  });

  it('picks a built-in through selectTemplate and re-reads the live text', async () => {
    const api = stub();
    const { wrapper } = await mountWithStore(TemplatePicker, api);
    const templateReads = api.getTemplate.mock.calls.length;
    await wrapper.find('[data-test="template-use-services-localhost"]').trigger('click');
    await flushPromises();
    expect(api.selectTemplate).toHaveBeenCalledWith({ name: 'services-localhost' });
    expect(api.getTemplate.mock.calls.length).toBeGreaterThan(templateReads);
    const use = wrapper.find('[data-test="template-use-services-localhost"]');
    expect(use.attributes('aria-pressed')).toBe('true');
    expect(use.attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="template-done"]').text()).toBe('Now in use.');
  });

  it('restores a kept version by its id', async () => {
    const api = stub();
    const { wrapper } = await mountWithStore(TemplatePicker, api);
    await wrapper.find('[data-test="template-restore-2"]').trigger('click');
    await flushPromises();
    expect(api.restoreTemplate).toHaveBeenCalledWith({ id: 2 });
    expect(wrapper.find('[data-test="template-live"]').text()).toBe('Live template: services-localhost');
    expect(wrapper.find('[data-test="template-done"]').text()).toBe('Restored.');
  });

  it('shows a kept version against the live text before restoring it, and hides it again', async () => {
    const api = stub();
    const { wrapper } = await mountWithStore(TemplatePicker, api);
    await wrapper.find('[data-test="template-show-2"]').trigger('click');
    await flushPromises();
    expect(api.getTemplateVersion).toHaveBeenCalledWith({ id: 2 });
    const preview = wrapper.find('[data-test="template-preview"]');
    expect(preview.text()).toContain('+ only in this version');
    expect(preview.findAll('[data-test="template-diff-removed"]').map((l) => l.text())).toEqual([
      '− {{range service "backend.web"}}  server {{.Address}}:{{.Port}};',
    ]);
    expect(preview.findAll('[data-test="template-diff-added"]').map((l) => l.text())).toEqual([
      '+ {{range service "backend.web"}}  server {{.Address}}:{{.Port}} weight=2;',
      '+ # routes',
    ]);
    expect(preview.findAll('[data-test="template-diff-same"]')).toHaveLength(2);
    expect(api.restoreTemplate).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="template-show-2"]').attributes('aria-expanded')).toBe('true');

    // Another version with the live text says so; the same button again hides the preview.
    await wrapper.find('[data-test="template-show-1"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="template-preview"]').text()).toContain('same text as the live template');
    await wrapper.find('[data-test="template-show-1"]').trigger('click');
    expect(wrapper.find('[data-test="template-preview"]').exists()).toBe(false);
  });

  it('resets to classic only after a confirmation, and a cancel changes nothing', async () => {
    const api = stub();
    const { wrapper } = await mountWithStore(TemplatePicker, api);
    await wrapper.find('[data-test="template-reset-classic"]').trigger('click');
    expect(wrapper.find('[data-test="template-reset-confirm"]').text()).toContain('classic');
    await wrapper.find('[data-test="template-reset-no"]').trigger('click');
    expect(api.selectTemplate).not.toHaveBeenCalled();
    await wrapper.find('[data-test="template-reset-classic"]').trigger('click');
    await wrapper.find('[data-test="template-reset-yes"]').trigger('click');
    await flushPromises();
    expect(api.selectTemplate).toHaveBeenCalledWith({ name: 'classic' });
    expect(wrapper.find('[data-test="template-reset-classic"]').attributes('disabled')).toBeDefined();
  });

  it('shows a refusal with the engine’s message and keeps the live choice', async () => {
    const api = stub();
    api.selectTemplate.mockResolvedValueOnce({
      error: { code: 'state-unwritable', message: 'The state folder /x is not writable: EACCES' },
    });
    const { wrapper } = await mountWithStore(TemplatePicker, api);
    await wrapper.find('[data-test="template-use-classic"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="template-picker-error"]').text()).toContain('EACCES');
    expect(wrapper.find('[data-test="template-live"]').text()).toBe('Live template: edited.ctmpl');
  });

  it('speaks Chinese from the catalogue', async () => {
    const api = stub();
    await api.updateSettings({ language: 'zh-CN' });
    const { wrapper } = await mountWithStore(TemplatePicker, api);
    expect(wrapper.find('[data-test="template-live"]').text()).toBe('当前模板：edited.ctmpl');
    expect(wrapper.find('[data-test="template-reset-classic"]').text()).toBe('重置为经典模板');
  });

  it('sits in the Config view', async () => {
    const { wrapper } = await mountWithStore(ConfigView, stub());
    expect(wrapper.find('[data-test="template-picker"]').exists()).toBe(true);
  });
});
