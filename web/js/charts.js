// Small SVG charts: enough for a bar chart, a line chart and a calendar heatmap, with text alternatives.
import { addDays, parseDay, formatDay } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

function title(text) {
  const t = s('title');
  t.textContent = text;
  return t;
}

function text(x, y, value, attrs = {}) {
  const t = s('text', { x, y, ...attrs });
  t.textContent = value;
  return t;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((m) => m >= value);
}

/** bars: [{label, value, title}]; one bar each, scaled to the largest. */
export function barChart(bars, { label, unit = '' } = {}) {
  const width = 600, height = 180, left = 36, bottom = 22, top = 8;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const slot = (width - left) / Math.max(1, bars.length);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  const plot = height - bottom - top;
  for (const tick of [0, max / 2, max]) {
    const y = top + plot - (tick / max) * plot;
    svg.append(s('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid' }));
    svg.append(text(left - 4, y + 4, Math.round(tick), { 'text-anchor': 'end', class: 'axis' }));
  }
  bars.forEach((bar, i) => {
    const barHeight = (bar.value / max) * plot;
    const x = left + i * slot + slot * 0.15;
    svg.append(s('rect', { x, y: top + plot - barHeight, width: slot * 0.7, height: Math.max(0, barHeight), class: 'bar' },
      title(bar.title || `${bar.label}: ${bar.value}${unit}`)));
    if (bar.tick) svg.append(text(x + slot * 0.35, height - 6, bar.tick, { 'text-anchor': 'middle', class: 'axis' }));
  });
  return svg;
}

/**
 * points: [{x: 'YYYY-MM-DD', y}] drawn over the days they span (or, with numericX, [{x: number, y}]),
 * y from 0 to max(y, yMax).
 */
export function lineChart(points, { label, yMax, numericX = false } = {}) {
  const width = 600, height = 180, left = 40, bottom = 22, top = 8, right = 8;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  if (!points.length) return svg;
  const xOf = (p) => (numericX ? p.x : parseDay(p.x).getTime());
  const xText = (p) => (numericX ? String(p.x) : formatDay(p.x));
  const first = xOf(points[0]);
  const last = xOf(points[points.length - 1]);
  const span = Math.max(1, last - first);
  const max = niceMax(Math.max(yMax || 0, ...points.map((p) => p.y)));
  const plot = height - bottom - top;
  const px = (p) => left + ((xOf(p) - first) / span) * (width - left - right);
  const py = (p) => top + plot - (p.y / max) * plot;
  for (const tick of [0, max / 2, max]) {
    const y = top + plot - (tick / max) * plot;
    svg.append(s('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'grid' }));
    svg.append(text(left - 4, y + 4, Math.round(tick), { 'text-anchor': 'end', class: 'axis' }));
  }
  svg.append(s('polyline', { points: points.map((p) => `${px(p)},${py(p)}`).join(' '), class: 'line' }));
  for (const p of points) {
    if (points.length <= 60) svg.append(s('circle', { cx: px(p), cy: py(p), r: 3, class: 'dot' }, title(`${xText(p)}: ${p.y}`)));
  }
  svg.append(text(left, height - 6, xText(points[0]), { class: 'axis' }));
  if (points.length > 1) {
    svg.append(text(width - right, height - 6, xText(points[points.length - 1]), { 'text-anchor': 'end', class: 'axis' }));
  }
  return svg;
}

/** A GitHub-style calendar: one column per week ending with `lastDay`, darker with more items that day. */
export function heatmap(countsByDay, lastDay, weeks, { label } = {}) {
  const cell = 13, gap = 3, top = 16, left = 30;
  const lastWeekday = parseDay(lastDay).getDay();
  const firstDay = addDays(lastDay, -(weeks - 1) * 7 - lastWeekday);
  const svg = s('svg', {
    viewBox: `0 0 ${left + weeks * (cell + gap)} ${top + 7 * (cell + gap)}`, class: 'heatmap', role: 'img', 'aria-label': label,
  });
  const weekday = (i) => parseDay(addDays(firstDay, i)).toLocaleDateString(undefined, { weekday: 'short' });
  for (const row of [1, 3, 5]) svg.append(text(0, top + row * (cell + gap) + cell - 2, weekday(row), { class: 'axis' }));
  const max = Math.max(1, ...Object.values(countsByDay));
  for (let i = 0, day = firstDay; day <= lastDay; i++, day = addDays(day, 1)) {
    const column = Math.floor(i / 7);
    // A month's name above the first week that starts in it.
    if (i % 7 === 0 && Number(day.slice(8)) <= 7 && column < weeks - 1) {
      svg.append(text(left + column * (cell + gap), top - 5, parseDay(day).toLocaleDateString(undefined, { month: 'short' }), { class: 'axis' }));
    }
    const count = countsByDay[day] || 0;
    const level = count === 0 ? 0 : Math.min(4, 1 + Math.floor((count / max) * 3.999));
    svg.append(s('rect', {
      x: left + column * (cell + gap), y: top + (i % 7) * (cell + gap), width: cell, height: cell, rx: 2,
      class: 'level' + level, 'data-day': day,
    }, title(`${formatDay(day)}: ${count ? count + ' items' : 'no log'}`)));
  }
  return svg;
}
