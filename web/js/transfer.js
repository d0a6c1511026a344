// Import a Goodreads CSV or a .bib file and see what happened to each row; download the backup and exports.
import { h, field, clear } from './dom.js';
import { post, onSubmit } from './api.js';

function importForm(title, path, accept, type, where) {
  const file = h('input', { name: 'file', type: 'file', accept, required: true });
  const report = h('div', { class: 'report', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, title), field('File', file), h('button', { type: 'submit' }, 'Import'), report);
  onSubmit(form, async (v) => {
    clear(report);
    if (!v.file || !v.file.size) throw new Error('Choose a file first.');
    const result = await post(path, v.file, type);
    const failed = result.failed || [];
    report.append(
      h('p', { role: 'status' }, `${result.created} created, ${result.updated} updated, ${result.skipped} skipped, ${failed.length} failed.`),
      failed.length ? h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, where === 'row' ? 'Row' : 'Line'), h('th', { scope: 'col' }, 'Problem'))),
        h('tbody', {}, failed.map((f) => h('tr', {}, h('td', {}, f[where]), h('td', {}, f.message))))) : null);
  });
  return form;
}

export function transferPage(root) {
  root.append(h('h1', {}, 'Import and export'),
    h('div', { class: 'grid' },
      importForm('Goodreads CSV', '/api/import/goodreads', '.csv,text/csv', 'text/csv', 'row'),
      importForm('BibTeX (.bib)', '/api/import/bibtex', '.bib,.bibtex,text/plain', 'text/plain', 'line'),
      h('section', { class: 'card', 'aria-labelledby': 'export-h' }, h('h2', { id: 'export-h' }, 'Download'),
        h('ul', {},
          h('li', {}, h('a', { href: '/api/export', download: 'lectern-backup.json' }, 'Full backup (JSON)')),
          h('li', {}, h('a', { href: '/api/export/goodreads', download: 'lectern-goodreads.csv' }, 'Books as Goodreads CSV')),
          h('li', {}, h('a', { href: '/api/export/bibtex', download: 'lectern.bib' }, 'Papers as BibTeX'))))));
}
