// The timeline under the map: a histogram of events per day (or week) with a brush. Dragging across
// it selects a date range; a click without a drag clears it.

const DAY_MS = 86400000;
// Above this many days the histogram bins by week, so a bar stays at least ~2 px wide on a phone.
const DAILY_BIN_MAX_DAYS = 180;
// A pointer that moves less than this many pixels between down and up is a click, not a drag.
const CLICK_SLOP_PX = 3;
const IN_RANGE = "#3b5b7a", OUT_OF_RANGE = "#c9d1d9", LABEL = "#333";

export function dayNumber(iso) { return Math.floor(Date.parse(iso + "T00:00:00Z") / DAY_MS); }
function isoOfDay(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

// Events count on their first day.
export function binEvents(events) {
  const days = events.filter((event) => event.start).map((event) => dayNumber(event.start));
  if (days.length === 0) return null;
  let first = Infinity, last = -Infinity;
  for (const day of days) { if (day < first) first = day; if (day > last) last = day; }
  const binDays = last - first > DAILY_BIN_MAX_DAYS ? 7 : 1;
  const bins = new Array(Math.floor((last - first) / binDays) + 1).fill(0);
  for (const day of days) bins[Math.floor((day - first) / binDays)] += 1;
  return { bins, first, last: first + bins.length * binDays - 1, binDays };
}

function canvasContext(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { context, width, height };
}

export class Timeline {
  // onRange(since, until) is called when a drag ends ("" and "" when a click clears the range).
  constructor(canvas, onRange) {
    this.canvas = canvas;
    this.onRange = onRange;
    this.histogram = null;
    this.range = { since: "", until: "" };
    this.attachBrush();
  }

  setEvents(events) {
    this.histogram = binEvents(events);
    // Said on the canvas itself, so that an empty timeline never looks like one that failed to draw.
    this.emptyText = events.length ? "no dated events to chart" : "no events match these filters";
    this.draw();
  }

  setRange(since, until) {
    this.range = { since, until };
    this.draw();
  }

  draw(range = this.range) {
    const { context, width, height } = canvasContext(this.canvas);
    context.clearRect(0, 0, width, height);
    const h = this.histogram;
    this.canvas.dataset.empty = String(!h);
    if (!h) {
      this.drawEmpty(context, width, height);
      return;
    }
    const low = range.since ? dayNumber(range.since) : -Infinity, high = range.until ? dayNumber(range.until) : Infinity;
    const peak = Math.max(...h.bins, 1), step = width / h.bins.length;
    h.bins.forEach((value, index) => {
      const first = h.first + index * h.binDays, last = first + h.binDays - 1;
      context.fillStyle = last >= low && first <= high ? IN_RANGE : OUT_OF_RANGE;
      const bar = (height - 16) * value / peak;
      context.fillRect(index * step, height - 14 - bar, Math.max(step - 1, 1), bar);
    });
    context.fillStyle = LABEL;
    context.font = "11px system-ui, sans-serif";
    context.textBaseline = "bottom";
    context.fillText(isoOfDay(h.first), 2, height);
    const end = isoOfDay(h.last);
    context.fillText(end, width - context.measureText(end).width - 2, height);
  }

  drawEmpty(context, width, height) {
    context.fillStyle = LABEL;
    context.font = "13px system-ui, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(this.emptyText || "", width / 2, height / 2);
    context.textAlign = "start";
  }

  dayAt(clientX) {
    const h = this.histogram;
    const box = this.canvas.getBoundingClientRect();
    const fraction = Math.min(Math.max((clientX - box.left) / box.width, 0), 0.999999);
    return h.first + Math.floor(fraction * h.bins.length) * h.binDays;
  }

  brushRange(startDay, endDay) {
    const low = Math.min(startDay, endDay), high = Math.max(startDay, endDay) + this.histogram.binDays - 1;
    return { since: isoOfDay(low), until: isoOfDay(high) };
  }

  // Pointer events cover mouse, pen and touch alike; the canvas has touch-action: none so a drag on a
  // phone selects a range instead of scrolling the page.
  attachBrush() {
    const canvas = this.canvas;
    let anchor = null, anchorX = 0;
    canvas.addEventListener("pointerdown", (e) => {
      if (!this.histogram) return;
      anchor = this.dayAt(e.clientX);
      anchorX = e.clientX;
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (anchor !== null) this.draw(this.brushRange(anchor, this.dayAt(e.clientX)));
    });
    canvas.addEventListener("pointerup", (e) => {
      if (anchor === null) return;
      const moved = Math.abs(e.clientX - anchorX) > CLICK_SLOP_PX;
      const range = moved ? this.brushRange(anchor, this.dayAt(e.clientX)) : { since: "", until: "" };
      anchor = null;
      this.onRange(range.since, range.until);
    });
    canvas.addEventListener("pointercancel", () => { anchor = null; this.draw(); });
  }
}
