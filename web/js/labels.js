// A label chip (the classifier's or the user's own) that the user can correct; the correction becomes training data.
import { h, field } from './dom.js';
import { onSubmit } from './api.js';

/**
 * item: {label, confidence, userLabel, unsure}; save(label) answers the updated item, drawn again in place. An unsure
 * label (the classifier's calibrated confidence is below one half: more likely wrong than right) is drawn as a question,
 * "book?", dashed, so it never reads as a fact.
 */
export function labelChip(item, save) {
  const unsure = !!(item.label && item.unsure && !item.userLabel);
  const sure = `Classifier, ${Math.round((item.confidence || 0) * 100)}% sure`;
  const chip = h('button', {
    type: 'button', class: 'chip label' + (item.userLabel ? ' mine' : '') + (unsure ? ' unsure' : ''),
    title: item.label
      ? (item.userLabel ? 'Your label' : unsure ? `Unsure: ${sure}` : sure) + ' · click to correct'
      : 'Add a label',
    'aria-label': item.label
      ? (unsure ? `Unsure label ${item.label}; correct it` : `Label ${item.label}; correct it`)
      : 'Add a label',
  }, item.label ? (unsure ? `${item.label}?` : item.label) : '+ label');
  chip.addEventListener('click', () => {
    const input = h('input', { name: 'label', value: item.label || '', autocomplete: 'off', size: 12 });
    const form = h('form', { class: 'inline label-form' }, field('Label', input), h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', class: 'link', onclick: () => { form.replaceWith(chip); chip.focus(); } }, 'Cancel'));
    onSubmit(form, async (v) => {
      const updated = await save(v.label.trim());
      const fresh = labelChip(updated, save);
      form.replaceWith(fresh);
      fresh.focus();
    });
    chip.replaceWith(form);
    input.focus();
  });
  return chip;
}
