// Vendor pages work without this script; with it: conditional questions appear as answers change, the N/A reason
// shows only for N/A, the ledger's plan fields only for △ and ×, an agreement's conditions only for "with conditions",
// "still true" ticks the previous answer, drafts save themselves, large uploads show progress, and a submit button cannot fire twice.
(() => {
  'use strict';

  const valuesOf = (form, item) => [...form.querySelectorAll(`[name="a.${CSS.escape(item)}.status"]:checked, [name="a.${CSS.escape(item)}.choice"]:checked`)].map((input) => input.value);

  const holds = (form, condition) => {
    if ('const' in condition) return condition.const === true;
    if ('not' in condition) return !holds(form, condition.not);
    if ('any' in condition) return condition.any.some((alternative) => holds(form, alternative));
    if ('item' in condition) return valuesOf(form, condition.item).some((value) => condition.anyOf.includes(value));
    return true;
  };

  const refresh = (form) => {
    for (const fieldset of form.querySelectorAll('fieldset[data-when]')) {
      const conditions = JSON.parse(fieldset.dataset.when);
      fieldset.hidden = !conditions.every((condition) => holds(form, condition));
    }
    for (const reason of form.querySelectorAll('[data-na-for]')) {
      const chosen = valuesOf(form, reason.dataset.naFor);
      reason.hidden = !chosen.includes('na');
    }
    for (const conditions of form.querySelectorAll('[data-conditions-for]')) {
      conditions.hidden = !valuesOf(form, conditions.dataset.conditionsFor).includes('agree-with-conditions');
    }
    for (const ledger of form.querySelectorAll('[data-ledger-for]')) {
      const chosen = valuesOf(form, ledger.dataset.ledgerFor);
      ledger.hidden = !ledger.dataset.ledgerWhen.split(' ').some((value) => chosen.includes(value));
      for (const part of ledger.querySelectorAll('.ledger-not-done')) part.hidden = !chosen.includes('not-done');
    }
  };

  // "Still true": tick the previous answer at once, so the ○/△/× (and what depends on it) shows before saving.
  const takeOverPrevious = (form, box) => {
    if (!box.checked) return;
    const values = (box.dataset.previous || '').split(' ').filter((value) => value);
    const item = CSS.escape(box.dataset.previousFor);
    const inputs = [...form.querySelectorAll(`[name="a.${item}.status"], [name="a.${item}.choice"]`)];
    if (values.length === 0 || !inputs.some((input) => values.includes(input.value))) return;
    for (const input of inputs) input.checked = values.includes(input.value);
  };

  const withoutFiles = (form) => {
    const data = new FormData(form);
    for (const [name, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(name);
    }
    return data;
  };

  const setupAutosave = (form) => {
    const url = form.dataset.autosave;
    const status = form.querySelector('.autosave');
    if (!url || !status) return;
    let timer;
    let busy = false;
    const save = async () => {
      if (busy) { timer = setTimeout(save, 1000); return; }
      busy = true;
      try {
        const data = withoutFiles(form);
        data.set('action', 'autosave');
        const response = await fetch(url, { method: 'POST', body: data, headers: { 'X-Autosave': '1' }, credentials: 'same-origin' });
        if (response.ok) {
          const result = await response.json();
          const at = new Date(result.savedAt);
          const time = at.toLocaleTimeString(document.documentElement.lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit' });
          status.textContent = document.documentElement.lang === 'en' ? `Draft saved at ${time}` : `${time} に下書きを保存しました`;
          const revision = form.querySelector('input[name="revision"]');
          if (revision) revision.value = result.revision;
        } else {
          status.textContent = document.documentElement.lang === 'en' ? 'Could not save automatically: use "Save draft".' : '自動保存できませんでした。「下書き保存」を押してください。';
        }
      } finally {
        busy = false;
      }
    };
    form.addEventListener('input', (event) => {
      if (event.target.type === 'file') return;
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    });
    form.addEventListener('submit', () => clearTimeout(timer));
  };

  const setupUploads = (form) => {
    const progress = form.querySelector('.upload-progress');
    if (!progress) return;
    form.addEventListener('submit', (event) => {
      const files = [...form.querySelectorAll('input[type=file]')].flatMap((input) => [...input.files]);
      const total = files.reduce((sum, file) => sum + file.size, 0);
      if (total < 512 * 1024) return; // Small uploads: a plain form post is fastest.
      event.preventDefault();
      const data = new FormData(form);
      if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
      const request = new XMLHttpRequest();
      // Not form.action: the submit buttons are named "action" and would shadow it.
      request.open('POST', form.getAttribute('action'));
      request.responseType = 'document';
      const bar = progress.querySelector('progress');
      progress.hidden = false;
      request.upload.addEventListener('progress', (e) => { if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100); });
      request.addEventListener('load', () => {
        // The response is the page the redirect led to: show it in place (its one-time messages included).
        history.replaceState(null, '', request.responseURL);
        document.replaceChild(document.importNode(request.response.documentElement, true), document.documentElement);
        init();
      });
      request.addEventListener('error', () => { progress.hidden = true; form.submit(); });
      request.send(data);
    });
  };

  const init = () => {
    for (const form of document.querySelectorAll('form')) {
      refresh(form);
      form.addEventListener('change', (event) => {
        if (event.target.matches('[data-previous-for]')) takeOverPrevious(form, event.target);
        refresh(form);
      });
      setupAutosave(form);
      setupUploads(form);
      form.addEventListener('submit', (event) => {
        const button = event.submitter;
        if (button && button.hasAttribute('data-once')) setTimeout(() => { button.disabled = true; }, 0);
      });
    }
    const summary = document.getElementById('error-summary') || document.getElementById('problems');
    if (summary) summary.focus();
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
