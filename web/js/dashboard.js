// Dashboard: what I am reading now, the yearly goal, pages per day and the daily-log streak.
import { h, field, today, addDays, daysBetween, formatDay } from './dom.js';
import { get, post, put, onSubmit, problemBox } from './api.js';
import { barChart, heatmap } from './charts.js';

const CHART_DAYS = 30;
const HEATMAP_WEEKS = 26;

export async function dashboardPage(root) {
  const day = today();
  const year = Number(day.slice(0, 4));
  root.append(h('h1', {}, 'Dashboard'));
  const readingSection = h('section', { class: 'card', 'aria-labelledby': 'now-reading' }, h('h2', { id: 'now-reading' }, 'Reading now'));
  const goalSection = h('section', { class: 'card', 'aria-labelledby': 'goal-h' }, h('h2', { id: 'goal-h' }, `${year} goal`));
  const pagesSection = h('section', { class: 'card wide', 'aria-labelledby': 'pages-h' }, h('h2', { id: 'pages-h' }, `Pages per day, last ${CHART_DAYS} days`));
  const streakSection = h('section', { class: 'card wide', 'aria-labelledby': 'streak-h' }, h('h2', { id: 'streak-h' }, 'Daily log streak'));
  root.append(h('div', { class: 'grid' }, readingSection, goalSection, pagesSection, streakSection));

  // Stats may be missing on an older server; everything here can be worked out without them.
  const stats = await get(`/api/stats?year=${year}`).catch(() => null);
  await Promise.all([
    renderReading(readingSection, stats, day).catch((e) => readingSection.append(problemBox(e))),
    renderGoal(goalSection, stats, year).catch((e) => goalSection.append(problemBox(e))),
    renderPages(pagesSection, stats, day).catch((e) => pagesSection.append(problemBox(e))),
    renderStreak(streakSection, stats, day).catch((e) => streakSection.append(problemBox(e))),
  ]);
}

function pace(book, stats, day) {
  const fromStats = stats && (stats.currentlyReading || []).find((r) => r.bookId === book.id);
  if (fromStats && fromStats.pagesPerDay != null) {
    return { pagesPerDay: fromStats.pagesPerDay, projectedFinish: fromStats.projectedFinish };
  }
  const current = book.currentReading;
  if (!current || current.currentPage == null || !current.startedOn) return {};
  const days = Math.max(1, daysBetween(current.startedOn, day) + 1);
  const pagesPerDay = current.currentPage / days;
  let projectedFinish;
  if (book.pages && pagesPerDay > 0) {
    projectedFinish = addDays(day, Math.ceil((book.pages - current.currentPage) / pagesPerDay));
  }
  return { pagesPerDay, projectedFinish };
}

async function renderReading(section, stats, day) {
  const books = await get('/api/books?status=reading');
  if (!books.length) {
    section.append(h('p', {}, 'Nothing on the go. ', h('a', { href: '#/books' }, 'Start a book'), '.'));
    return;
  }
  const list = h('ul', { class: 'reading-list' });
  for (const book of books) {
    const current = book.currentReading || {};
    const percent = current.percent;
    const { pagesPerDay, projectedFinish } = pace(book, stats, day);
    const page = h('input', {
      name: 'page', type: 'number', min: 0, max: book.pages || undefined, inputmode: 'numeric',
      value: current.currentPage != null ? current.currentPage : '', required: true, class: 'page-input',
    });
    const form = h('form', { class: 'inline', 'aria-label': `Log pages of ${book.title}` },
      field('Now on page', page), h('button', { type: 'submit' }, 'Log pages'));
    onSubmit(form, async (values) => {
      await post(`/api/books/${book.id}/progress`, { page: Number(values.page) });
      section.closest('.page').dispatchEvent(new CustomEvent('refresh', { detail: `[data-book-id="${book.id}"] input` }));
    });
    list.append(h('li', { class: 'reading', dataset: { bookId: book.id } },
      h('a', { href: `#/books/${book.id}`, class: 'title' }, book.title),
      book.authors && book.authors.length ? h('span', { class: 'muted' }, ' · ' + book.authors.join(', ')) : null,
      // A percent needs the page count (or a percent logged); without one the page alone is shown.
      percent != null || current.currentPage == null
        ? h('div', { class: 'progress-row' },
          h('progress', { max: 100, value: percent || 0, 'aria-label': `${book.title} progress` }),
          h('span', { class: 'percent' }, `${Math.round(percent || 0)}%`))
        : null,
      h('p', { class: 'muted pace' },
        current.currentPage != null ? `Page ${current.currentPage}${book.pages ? ' of ' + book.pages : ''}` : 'No progress yet',
        pagesPerDay ? ` · ${pagesPerDay.toFixed(1)} pages/day` : '',
        projectedFinish ? ` · finish by ${formatDay(projectedFinish)}` : ''),
      form));
  }
  section.append(list);
}

async function renderGoal(section, stats, year) {
  const goalInput = h('input', { name: 'books', id: 'goal-books', type: 'number', min: 1, max: 1000, value: stats && stats.goal ? stats.goal : '', required: true });
  const form = h('form', { class: 'inline' }, field('Books this year', goalInput), h('button', { type: 'submit' }, 'Set goal'));
  onSubmit(form, async (values) => {
    await put(`/api/goals/${year}`, { books: Number(values.books) });
    section.closest('.page').dispatchEvent(new CustomEvent('refresh', { detail: '#goal-books' }));
  });
  if (stats && stats.goal) {
    const expected = stats.expectedByToday != null ? stats.expectedByToday : 0;
    section.append(
      h('p', { class: 'big' }, `${stats.booksRead} of ${stats.goal} books`),
      h('div', { class: 'goal-bar' },
        h('progress', { max: stats.goal, value: Math.min(stats.booksRead, stats.goal), 'aria-label': 'Books read this year' }),
        h('span', { class: 'expected', style: `left: ${Math.min(100, (expected / stats.goal) * 100)}%`, title: 'Where you should be today' })),
      h('p', { class: stats.onTrack ? 'ok' : 'warn' },
        `${stats.onTrack ? 'On track' : 'Behind'}: you should have read ${Number(expected).toFixed(1)} by today.`));
  } else if (stats) {
    section.append(h('p', {}, `${stats.booksRead || 0} books read this year. Set a goal to see where you should be.`));
  } else {
    section.append(h('p', { class: 'muted' }, 'Yearly stats are not available on this server yet.'));
  }
  section.append(form);
  if (stats && stats.pagesRead != null) {
    section.append(h('p', { class: 'muted' }, `${stats.pagesRead} pages this year`,
      stats.pagesPerDay7 != null ? ` · ${stats.pagesPerDay7.toFixed(1)} pages/day this week` : ''));
  }
}

/** Page where each progress entry stands, in pages (a percent counts when the book's length is known). */
function pageOf(entry, book) {
  if (entry.page != null) return entry.page;
  if (entry.percent != null && book.pages) return Math.round((entry.percent * book.pages) / 100);
  return null;
}

/** Pages read per day: each progress entry adds what it moved past the one before it in the same read-through. */
export function pagesPerDay(readingsByBook) {
  const byDay = {};
  for (const { book, readings } of readingsByBook) {
    for (const reading of readings) {
      const entries = [...(reading.progress || [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      let before = 0;
      for (const entry of entries) {
        const page = pageOf(entry, book);
        if (page == null) continue;
        byDay[entry.date] = (byDay[entry.date] || 0) + Math.max(0, page - before);
        before = page;
      }
    }
  }
  return byDay;
}

async function renderPages(section, stats, day) {
  const since = addDays(day, -CHART_DAYS + 1);
  const books = await get('/api/books?status=reading,paused,read&limit=100');
  // Read books last touched before the window cannot have pages in it.
  const recent = books.filter((b) => b.status !== 'read' || !b.updatedAt || b.updatedAt.slice(0, 10) >= since).slice(0, 30);
  const readings = await Promise.all(recent.map(async (book) => ({ book, readings: await get(`/api/books/${book.id}/readings`) })));
  const byDay = pagesPerDay(readings);
  const bars = [];
  let total = 0;
  for (let i = 0; i < CHART_DAYS; i++) {
    const d = addDays(since, i);
    const value = byDay[d] || 0;
    total += value;
    bars.push({ label: formatDay(d), value, tick: (CHART_DAYS - 1 - i) % 7 === 0 ? d.slice(5) : '', title: `${formatDay(d)}: ${value} pages` });
  }
  const average = stats && stats.pagesPerDay30 != null ? stats.pagesPerDay30 : total / CHART_DAYS;
  section.append(
    h('p', { class: 'muted' }, `${total} pages in ${CHART_DAYS} days · ${average.toFixed(1)} a day`),
    barChart(bars, { label: `Pages read per day over the last ${CHART_DAYS} days: ${total} in all`, unit: ' pages' }));
}

async function renderStreak(section, stats, day) {
  const from = addDays(day, -(HEATMAP_WEEKS * 7 + 6));
  const logs = await get(`/api/logs?from=${from}&to=${day}`);
  const counts = {};
  for (const log of logs) {
    counts[log.date] = ['finished', 'workingOn', 'plan', 'other'].reduce((n, s) => n + (log[s] || []).length, 0);
  }
  // Today's log may not be written yet, so a streak that reaches yesterday still counts.
  let streak = 0;
  let d = counts[day] ? day : addDays(day, -1);
  while (counts[d]) {
    streak++;
    d = addDays(d, -1);
  }
  if (stats && stats.logStreakDays != null) streak = stats.logStreakDays;
  section.append(
    h('p', { class: 'big', id: 'streak' }, `${streak} day${streak === 1 ? '' : 's'} in a row`),
    heatmap(counts, day, HEATMAP_WEEKS, { label: `Daily logs over the last ${HEATMAP_WEEKS} weeks: ${logs.length} days logged` }),
    h('p', {}, h('a', { href: '#/log' }, counts[day] ? "Today's log" : "Write today's log")));
}
