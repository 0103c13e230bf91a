// A take's markers as WebVTT chapters (W3C WebVTT, "chapters" kind): one cue per moment of
// the video, from a marker to the next (markers at the same moment share one cue, their
// titles joined by " · ", since chapters may not overlap), the last one to the end of the
// take. Chapter titles allow no markup, so & < > are escaped and line breaks flattened;
// escaping `>` also keeps a title from ever reading as a `-->` timing line. Checked in the
// tests with webvtt-parser in chapters mode.
import type { Marker, Take } from './contract.js';

/** `hh:mm:ss.mmm` (hours may pass 99, as WebVTT allows). */
export function timestamp(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(t % 1000, 3)}`;
}

export function cueText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim() || '(untitled)';
}

/** A WebVTT comment may not contain `-->` nor a blank line. */
const noteText = (text: string) => text.replace(/-->/g, '->').replace(/[\r\n]+/g, ' ');

/** How long the last chapter lasts when the take is still running and nothing follows it. */
const OPEN_CHAPTER_MS = 1000;

export function toWebVtt(take: Take, markers: readonly Marker[], now: number): string {
  const moments: Array<{ offset: number; ids: string[]; titles: string[] }> = [];
  for (const m of [...markers].sort((a, b) => (a.offsetMs ?? 0) - (b.offsetMs ?? 0))) {
    const offset = Math.max(0, m.offsetMs ?? 0);
    const lastMoment = moments[moments.length - 1];
    if (lastMoment && lastMoment.offset === offset) {
      lastMoment.ids.push(m.id);
      lastMoment.titles.push(m.title);
    } else moments.push({ offset, ids: [m.id], titles: [m.title] });
  }
  const end = (take.endedAt ?? now) - take.startedAt;
  const what = take.scenario ? `scenario ${take.scenario} (session ${take.session})` : 'started by hand';
  const lines = ['WEBVTT', '', `NOTE Understudy ${take.id}: ${noteText(what)}, from ${new Date(take.startedAt).toISOString()}`, ''];
  moments.forEach((moment, i) => {
    const next = moments[i + 1]?.offset ?? Math.max(end, moment.offset + OPEN_CHAPTER_MS);
    lines.push(moment.ids.join(' '), `${timestamp(moment.offset)} --> ${timestamp(next)}`, moment.titles.map(cueText).join(' · '), '');
  });
  return lines.join('\n');
}
