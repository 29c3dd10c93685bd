import type { FC } from 'hono/jsx';

// Charts as server-rendered SVG: pure functions of their numbers. Each is one image to assistive technology (role="img",
// named by its title); the page always gives the same numbers in a table too. Colours and sizes are SVG presentation
// attributes, which the console's CSP (style-src 'self') allows, unlike style attributes.

const ink = '#3b3b45';
const grid = '#d5d5db';
const axis = '#6b6b75';
// Both keep 3:1 or more against the white panel (non-text contrast) and differ in lightness as well as hue.
const barFill = '#0a4f99';
const partFill = '#b35900';

/** Axis ticks from 0 to a round number at or above `max`, in steps of 1, 2 or 5 × 10ⁿ (whole numbers: these are counts). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough)!);
  const ticks: number[] = [];
  for (let tick = 0; ticks.length === 0 || ticks[ticks.length - 1] < max; tick += step) ticks.push(tick);
  return ticks;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** A number short enough for an axis: `950`, `1.2K`, `15M`. */
export function compactNumber(value: number): string {
  return compact.format(value);
}

const round = (value: number) => Math.round(value * 100) / 100;

// Text is measured roughly (about 7 px a character at 12 px): enough to keep legend entries apart.
const textWidth = (text: string) => text.length * 7;

/** Colour keys for the bar and its part, right-aligned at `right`. */
const Legend: FC<{ right: number; names: [string, string] }> = ({ right, names }) => {
  const entryWidth = (name: string) => 16 + textWidth(name) + 12;
  const partX = right - entryWidth(names[1]);
  const valueX = partX - entryWidth(names[0]);
  return (
    <g>
      <rect x={valueX} y={4} width={12} height={12} fill={barFill} />
      <text x={valueX + 16} y={14} fill={ink}>
        {names[0]}
      </text>
      <rect x={partX} y={4} width={12} height={12} fill={partFill} />
      <text x={partX + 16} y={14} fill={ink}>
        {names[1]}
      </text>
    </g>
  );
};

export interface Bar {
  label: string;
  value: number;
  /** A part of the value drawn from the bottom of its bar in another colour (304s among requests). */
  part?: number;
}

/**
 * Vertical bars, one per label (days, oldest first), on a scale from 0 with gridlines; the name of the values above the
 * axis, a legend when bars have parts, and as many bar labels as fit (the last always).
 */
export const BarChart: FC<{ title: string; bars: Bar[]; valueName: string; partName?: string; width?: number; height?: number }> = ({
  title,
  bars,
  valueName,
  partName,
  width = 560,
  height = 260,
}) => {
  const margin = { top: 28, right: 12, bottom: 30, left: 52 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const ticks = niceTicks(Math.max(0, ...bars.map((bar) => bar.value)));
  const scaleTop = ticks[ticks.length - 1];
  const y = (value: number) => round(margin.top + plotHeight - (value / scaleTop) * plotHeight);
  const barHeight = (value: number) => (value > 0 ? Math.max(1, round((value / scaleTop) * plotHeight)) : 0);
  const slot = bars.length > 0 ? plotWidth / bars.length : plotWidth;
  const barWidth = round(slot >= 4 ? Math.min(48, slot * 0.8) : slot);
  const left = (index: number) => round(margin.left + index * slot + (slot - barWidth) / 2);
  const labelEvery = Math.ceil(bars.length / 6);
  const baseline = margin.top + plotHeight;
  return (
    <svg class="chart" role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`} font-size="12">
      <title>{title}</title>
      <text x={margin.left} y={14} fill={ink}>
        {valueName}
      </text>
      {partName && <Legend right={width - margin.right} names={[valueName, partName]} />}
      {ticks.map((tick) => (
        <g>
          <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke={grid} />
          <text x={margin.left - 6} y={y(tick) + 4} text-anchor="end" fill={ink}>
            {compactNumber(tick)}
          </text>
        </g>
      ))}
      {bars.map((bar, index) => (
        <g>
          <rect x={left(index)} y={round(baseline - barHeight(bar.value))} width={barWidth} height={barHeight(bar.value)} fill={barFill} />
          {bar.part !== undefined && bar.part > 0 && (
            <rect x={left(index)} y={round(baseline - barHeight(bar.part))} width={barWidth} height={barHeight(bar.part)} fill={partFill} />
          )}
          {(bars.length - 1 - index) % labelEvery === 0 && (
            <text x={round(left(index) + barWidth / 2)} y={baseline + 18} text-anchor="middle" fill={ink}>
              {bar.label}
            </text>
          )}
        </g>
      ))}
      <line x1={margin.left} x2={width - margin.right} y1={baseline} y2={baseline} stroke={axis} />
      {bars.length === 0 && (
        <text x={margin.left + plotWidth / 2} y={margin.top + plotHeight / 2} text-anchor="middle" fill={ink}>
          No data
        </text>
      )}
    </svg>
  );
};

/** Horizontal bars, one row per label, largest first as given, each with its value at its end and a scale below. */
export const HorizontalBarChart: FC<{ title: string; bars: { label: string; value: number }[]; width?: number }> = ({
  title,
  bars,
  width = 520,
}) => {
  const row = 26;
  const margin = { top: 6, right: 52, bottom: 24, left: 160 };
  const rows = Math.max(1, bars.length);
  const height = margin.top + rows * row + margin.bottom;
  const plotWidth = width - margin.left - margin.right;
  const ticks = niceTicks(Math.max(0, ...bars.map((bar) => bar.value)));
  const scaleTop = ticks[ticks.length - 1];
  const x = (value: number) => round(margin.left + (value / scaleTop) * plotWidth);
  const baseline = margin.top + rows * row;
  // Long names are cut on the chart; the table beside has them whole.
  const short = (label: string) => (label.length > 22 ? `${label.slice(0, 21)}…` : label);
  return (
    <svg class="chart" role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`} font-size="12">
      <title>{title}</title>
      {ticks.map((tick) => (
        <g>
          <line x1={x(tick)} x2={x(tick)} y1={margin.top} y2={baseline} stroke={grid} />
          <text x={x(tick)} y={baseline + 16} text-anchor="middle" fill={ink}>
            {compactNumber(tick)}
          </text>
        </g>
      ))}
      {bars.map((bar, index) => {
        const top = margin.top + index * row;
        return (
          <g>
            <text x={margin.left - 8} y={top + row / 2 + 4} text-anchor="end" fill={ink}>
              {short(bar.label)}
            </text>
            <rect x={margin.left} y={top + 4} width={round(x(bar.value) - margin.left)} height={row - 8} fill={barFill} />
            <text x={x(bar.value) + 4} y={top + row / 2 + 4} fill={ink}>
              {compactNumber(bar.value)}
            </text>
          </g>
        );
      })}
      <line x1={margin.left} x2={margin.left} y1={margin.top} y2={baseline} stroke={axis} />
      {bars.length === 0 && (
        <text x={margin.left + plotWidth / 2} y={margin.top + row / 2 + 4} text-anchor="middle" fill={ink}>
          No data
        </text>
      )}
    </svg>
  );
};

/** A word-sized line of values (days, oldest first) from 0 to their largest, the last one marked: a trend at a glance. */
export const Sparkline: FC<{ label: string; values: number[]; width?: number; height?: number }> = ({
  label,
  values,
  width = 120,
  height = 28,
}) => {
  const pad = 3;
  const scaleTop = Math.max(1, ...values);
  const x = (index: number) => round(values.length === 1 ? width / 2 : pad + (index * (width - 2 * pad)) / (values.length - 1));
  const y = (value: number) => round(height - pad - (value / scaleTop) * (height - 2 * pad));
  const last = values.length - 1;
  return (
    <svg class="sparkline" role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{label}</title>
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke={grid} />
      {values.length > 1 && (
        <polyline
          points={values.map((value, index) => `${x(index)},${y(value)}`).join(' ')}
          fill="none"
          stroke={barFill}
          stroke-width="1.5"
          stroke-linejoin="round"
        />
      )}
      {values.length > 0 && <circle cx={x(last)} cy={y(values[last])} r="2.5" fill={barFill} />}
    </svg>
  );
};
