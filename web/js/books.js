// Books: shelves by status, adding and editing, read-throughs with their progress chart, notes and the review.
import { h, field, clear, formatDay } from './dom.js';
import { get, post, put, patch, del, onSubmit, problemBox } from './api.js';
import { summarizeButton } from './model.js';
import { labelChip } from './labels.js';
import { lineChart } from './charts.js';

const SHELVES = [
  ['reading', 'Reading'], ['want', 'Want to read'], ['paused', 'Paused'], ['read', 'Read'], ['abandoned', 'Abandoned'],
];
const NOTE_KINDS = ['highlight', 'quote', 'idea', 'application'];

function list(text) {
  return String(text || '').split(',').map((s) => s.trim()).filter(Boolean);
}

function numberOrNull(text) {
  return text === undefined || String(text).trim() === '' ? null : Number(text);
}

function statusSelect(value) {
  return h('select', { name: 'status' }, SHELVES.map(([status, label]) => h('option', { value: status, selected: status === value }, label)));
}

export async function booksPage(root) {
  root.append(h('h1', {}, 'Books'));
  const title = h('input', { name: 'title', required: true, autocomplete: 'off' });
  const addForm = h('form', { class: 'card', 'aria-labelledby': 'add-book-h', novalidate: true },
    h('h2', { id: 'add-book-h' }, 'Add a book'),
    h('div', { class: 'row' },
      field('Title', title),
      field('Authors', h('input', { name: 'authors', autocomplete: 'off' }), 'Separate several with commas'),
      field('Pages', h('input', { name: 'pages', type: 'number', inputmode: 'numeric' })),
      field('ISBN', h('input', { name: 'isbn13', autocomplete: 'off' })),
      field('Shelf', statusSelect('want'))),
    h('button', { type: 'submit' }, 'Add book'));
  onSubmit(addForm, async (v) => {
    const book = await post('/api/books', {
      title: v.title, authors: list(v.authors), pages: numberOrNull(v.pages), isbn13: v.isbn13 || null, status: v.status,
    });
    location.hash = `#/books/${book.id}`;
  });

  const search = h('input', { name: 'q', type: 'search', placeholder: 'Title or author' });
  const searchForm = h('form', { class: 'inline', role: 'search' }, field('Find a book', search), h('button', { type: 'submit' }, 'Search'));
  const shelves = h('div', { class: 'shelves' });
  async function load(q) {
    const books = await get('/api/books' + (q ? '?q=' + encodeURIComponent(q) : ''));
    clear(shelves);
    for (const [status, label] of SHELVES) {
      const onShelf = books.filter((b) => b.status === status);
      if (!onShelf.length && status !== 'reading' && status !== 'want') continue;
      shelves.append(h('section', { class: 'shelf', 'aria-label': label },
        h('h2', {}, `${label} `, h('span', { class: 'count' }, `(${onShelf.length})`)),
        onShelf.length
          ? h('ul', { class: 'book-list' }, onShelf.map((b) => h('li', {},
            h('a', { href: `#/books/${b.id}` }, b.title),
            b.authors.length ? h('span', { class: 'muted' }, ' · ' + b.authors.join(', ')) : null,
            b.currentReading && b.currentReading.percent != null ? h('span', { class: 'chip' }, `${Math.round(b.currentReading.percent)}%`) : null,
            b.rating ? h('span', { class: 'chip' }, `★ ${b.rating}`) : null)))
          : h('p', { class: 'muted' }, 'None.')));
    }
  }
  onSubmit(searchForm, (v) => load(v.q));
  root.append(addForm, searchForm, shelves);
  await load();
}

export async function bookPage(root, id) {
  const book = await get(`/api/books/${id}`);
  root.append(h('p', {}, h('a', { href: '#/books' }, '← Books')), h('h1', {}, book.title),
    h('p', { class: 'muted' }, [book.authors.join(', '), book.pages ? `${book.pages} pages` : null, book.year].filter(Boolean).join(' · ')));
  const refresh = (focus) => root.dispatchEvent(new CustomEvent('refresh', { detail: focus }));

  // Status and progress.
  const statusForm = h('form', { class: 'inline' }, field('Shelf', statusSelect(book.status)), h('button', { type: 'submit' }, 'Move'));
  onSubmit(statusForm, async (v) => {
    await post(`/api/books/${id}/status`, { status: v.status });
    refresh('select[name=status]');
  });
  const progressForm = h('form', { class: 'inline', id: 'progress-form' },
    field('Now on page', h('input', { name: 'page', type: 'number', inputmode: 'numeric', min: 0, max: book.pages || undefined })),
    field('or percent', h('input', { name: 'percent', type: 'number', min: 0, max: 100, step: 0.1 })),
    field('Date', h('input', { name: 'date', type: 'date' })),
    h('button', { type: 'submit' }, 'Log progress'));
  onSubmit(progressForm, async (v) => {
    const body = { page: numberOrNull(v.page), percent: numberOrNull(v.percent), date: v.date || null };
    await post(`/api/books/${id}/progress`, body);
    refresh('#progress-form input');
  });
  const current = book.currentReading;
  root.append(h('section', { class: 'card', 'aria-labelledby': 'status-h' }, h('h2', { id: 'status-h' }, 'Reading'),
    current && current.percent != null
      ? h('div', { class: 'progress-row' }, h('progress', { max: 100, value: current.percent, 'aria-label': 'Progress' }), h('span', {}, `${Math.round(current.percent)}%`))
      : null,
    statusForm, progressForm));

  const sections = h('div', { class: 'grid' });
  root.append(sections);
  const readingsSection = h('section', { class: 'card wide', 'aria-labelledby': 'readings-h' }, h('h2', { id: 'readings-h' }, 'Read-throughs'));
  const notesSection = h('section', { class: 'card', 'aria-labelledby': 'notes-h' }, h('h2', { id: 'notes-h' }, 'Notes'));
  const reviewSection = h('section', { class: 'card', 'aria-labelledby': 'review-h' }, h('h2', { id: 'review-h' }, 'Review'));
  const editSection = h('section', { class: 'card', 'aria-labelledby': 'edit-h' }, h('h2', { id: 'edit-h' }, 'Edit'));
  sections.append(readingsSection, notesSection, reviewSection, editSection);
  await Promise.all([
    renderReadings(readingsSection, book).catch((e) => readingsSection.append(problemBox(e))),
    renderNotes(notesSection, id).catch((e) => notesSection.append(problemBox(e))),
    renderReview(reviewSection, book).catch((e) => reviewSection.append(problemBox(e))),
  ]);
  renderEdit(editSection, book, refresh);
}

async function renderReadings(section, book) {
  const readings = await get(`/api/books/${book.id}/readings`);
  if (!readings.length) {
    section.append(h('p', { class: 'muted' }, 'Not started yet.'));
    return;
  }
  for (const reading of [...readings].reverse()) {
    const points = (reading.progress || [])
      .map((p) => ({ x: p.date, y: p.page != null ? p.page : book.pages && p.percent != null ? Math.round(p.percent * book.pages / 100) : null }))
      .filter((p) => p.y != null)
      .sort((a, b) => (a.x < b.x ? -1 : 1));
    section.append(h('div', { class: 'reading-through' },
      h('h3', {}, `${formatDay(reading.startedOn)} – ${reading.finishedOn ? formatDay(reading.finishedOn) : 'now'} `, h('span', { class: 'chip' }, reading.status)),
      points.length
        ? lineChart(points, { label: `Pages reached from ${reading.startedOn}: ${points.map((p) => p.x + ' page ' + p.y).join(', ')}`, yMax: book.pages || 0 })
        : h('p', { class: 'muted' }, 'No progress logged.')));
  }
}

async function renderNotes(section, bookId) {
  const notes = h('ul', { class: 'notes' });
  const form = h('form', { novalidate: true },
    field('Note', h('textarea', { name: 'text', rows: 3, required: true })),
    h('div', { class: 'row' },
      field('Kind', h('select', { name: 'kind' }, NOTE_KINDS.map((k) => h('option', { value: k }, k)))),
      field('Page', h('input', { name: 'page', type: 'number', inputmode: 'numeric', min: 1 }))),
    h('button', { type: 'submit' }, 'Add note'));
  onSubmit(form, async (v) => {
    const note = await post(`/api/books/${bookId}/notes`, { text: v.text, kind: v.kind, page: numberOrNull(v.page) });
    notes.prepend(noteItem(note));
    form.reset();
    form.querySelector('textarea').focus();
  });
  section.append(form, notes, summarizeButton('Summarize my notes', { bookId: Number(bookId) }));
  for (const note of await get(`/api/books/${bookId}/notes`)) notes.append(noteItem(note));
}

export function noteItem(note) {
  return h('li', {},
    h('p', {}, note.text),
    h('p', { class: 'muted' },
      note.kind ? h('span', { class: 'chip' }, note.kind) : null,
      note.page ? ` p. ${note.page}` : '', ' ',
      labelChip(note, (label) => patch(`/api/notes/${note.id}`, { label }))));
}

/** Stars drawn for a rating of 0.25..5; the number is what assistive technology reads. */
function stars(rating) {
  return h('span', { class: 'stars', 'aria-hidden': 'true' },
    h('span', { class: 'stars-on', style: `width: ${(rating / 5) * 100}%` }, '★★★★★'), '★★★★★');
}

async function renderReview(section, book) {
  let review = null;
  if (book.rating != null) review = await get(`/api/books/${book.id}/review`).catch(() => null);
  const initial = review ? review.rating : 3;
  const shown = h('span', { class: 'rating-value' });
  const range = h('input', { name: 'rating', type: 'range', min: 0.5, max: 5, step: 0.5, value: initial });
  const preview = h('span', {});
  // A StoryGraph import keeps quarter stars (4.25); the slider sets half stars, so the exact value shows until it moves.
  let exact = review && review.rating * 2 !== Math.round(review.rating * 2) ? review.rating : null;
  const quarterHint = exact == null ? null : h('p', { class: 'hint' },
    `Imported as ${exact} stars (StoryGraph's quarter stars), kept exactly. Ratings set here are half stars: saving sets the slider's value.`);
  const update = () => {
    const value = exact ?? Number(range.value);
    clear(preview).append(stars(value));
    shown.textContent = `${value} of 5`;
    range.setAttribute('aria-valuetext', `${value} stars`);
  };
  range.addEventListener('input', () => { exact = null; update(); });
  update();
  const form = h('form', { novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'rating-range' }, 'Rating ', shown), preview, range, quarterHint),
    field('Review', h('textarea', { name: 'text', rows: 4, value: review && review.text ? review.text : '' })),
    h('button', { type: 'submit' }, 'Save review'),
    h('p', { class: 'saved', role: 'status' }));
  range.id = 'rating-range';
  onSubmit(form, async (v) => {
    await put(`/api/books/${book.id}/review`, { rating: Number(v.rating), text: v.text || null });
    form.querySelector('.saved').textContent = 'Saved.';
  });
  section.append(form);
}

function renderEdit(section, book, refresh) {
  const form = h('form', { novalidate: true },
    field('Title', h('input', { name: 'title', value: book.title, required: true })),
    field('Authors', h('input', { name: 'authors', value: book.authors.join(', ') }), 'Separate several with commas'),
    h('div', { class: 'row' },
      field('Pages', h('input', { name: 'pages', type: 'number', value: book.pages != null ? book.pages : '' })),
      field('Year', h('input', { name: 'year', type: 'number', value: book.year != null ? book.year : '' }))),
    field('ISBN', h('input', { name: 'isbn13', value: book.isbn13 || '' })),
    field('Tags', h('input', { name: 'tags', value: (book.tags || []).join(', ') }), 'Separate several with commas'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Save changes'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!confirm(`Delete "${book.title}"?`)) return;
        await del(`/api/books/${book.id}`);
        location.hash = '#/books';
      } }, 'Delete book')));
  onSubmit(form, async (v) => {
    await patch(`/api/books/${book.id}`, {
      version: book.version, title: v.title, authors: list(v.authors), pages: numberOrNull(v.pages), year: numberOrNull(v.year),
      isbn13: v.isbn13 || null, tags: list(v.tags),
    });
    refresh('#edit-h');
  });
  section.append(form);
}
