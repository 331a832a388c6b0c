/** The few line icons the UI uses, drawn inline (no icon font, no network). */
const PATHS = {
  chevron: 'M6 4l4 4-4 4',
  back: 'M10 12L6 8l4-4',
  plus: 'M8 3v10M3 8h10',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM14 14l-3.5-3.5',
  terminal: 'M2.5 3.5h11v9h-11zM5 6.5l2 1.5-2 1.5M8.5 10h2.5',
  file: 'M4 1.5h5l3 3v10H4zM9 1.5v3h3',
  alert: 'M8 2l6.5 11.5h-13zM8 6.5v3M8 11.5v.01',
  check: 'M3 8.5l3 3 7-7',
  x: 'M4 4l8 8M12 4l-8 8',
  stop: 'M4.5 4.5h7v7h-7z',
  send: 'M8 13V3M4 7l4-4 4 4',
  settings: 'M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM13 8a5 5 0 0 0-.1-1l1.4-1.1-1.4-2.4-1.7.6a5 5 0 0 0-1.7-1L9.2 1.5H6.8l-.3 1.6a5 5 0 0 0-1.7 1l-1.7-.6L1.7 5.9 3.1 7a5 5 0 0 0 0 2l-1.4 1.1 1.4 2.4 1.7-.6a5 5 0 0 0 1.7 1l.3 1.6h2.4l.3-1.6a5 5 0 0 0 1.7-1l1.7.6 1.4-2.4L12.9 9c.1-.3.1-.7.1-1z',
  sun: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  moon: 'M13.5 9.5A6 6 0 0 1 6.5 2.5a6 6 0 1 0 7 7z',
  monitor: 'M2 3h12v8H2zM6 14h4M8 11v3',
  chat: 'M2.5 3h11v8h-6l-3 2.5V11h-2z',
  folder: 'M1.5 3.5h5l1.5 1.5h6.5v8h-13z',
  plug: 'M5.5 1.5v3M10.5 1.5v3M3.5 4.5h9v3a4.5 4.5 0 0 1-9 0zM8 12v2.5',
  refresh: 'M13 3v3.5H9.5M3 13V9.5h3.5M12.4 6.5A5 5 0 0 0 3.5 5M3.6 9.5a5 5 0 0 0 8.9 1.5',
  sparkle: 'M8 1.5l1.6 4.9 4.9 1.6-4.9 1.6L8 14.5l-1.6-4.9L1.5 8l4.9-1.6z',
  list: 'M5 4h9M5 8h9M5 12h9M2 4h.01M2 8h.01M2 12h.01',
  image: 'M2 3h12v10H2zM2 11l3.5-3.5 3 3 2-2L14 12M10.5 6.5v.01',
  tool: 'M10 2.5a3 3 0 0 0-2.8 4.1L2.5 11.3l2.2 2.2 4.7-4.7A3 3 0 0 0 13.5 6l-2 .5-1.5-1.5.5-2z',
  computer: 'M2.5 3h11v7.5h-11zM1 13h14',
  phone: 'M4.5 1.5h7v13h-7zM7 12.5h2',
  pencil: 'M10.5 2.5l3 3-8 8H2.5v-3zM9 4l3 3',
  shield: 'M8 1.5l5.5 2v4c0 3.5-2.4 6-5.5 7-3.1-1-5.5-3.5-5.5-7v-4z',
  qr: 'M2 2h4.5v4.5H2zM9.5 2H14v4.5H9.5zM2 9.5h4.5V14H2zM9.5 9.5h2v2h-2zM12 12h2v2h-2zM12 9.5h2M9.5 12v2',
  copy: 'M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3',
  expand: 'M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4',
  help: 'M8 14.5A6.5 6.5 0 1 0 8 1.5a6.5 6.5 0 0 0 0 13zM6.2 6.2A1.9 1.9 0 1 1 8 8.6V9.8M8 11.8v.01',
  server: 'M2.5 2.5h11v4.5h-11zM2.5 9h11v4.5h-11zM5 4.75h.01M5 11.25h.01',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className, label }: { readonly name: IconName; readonly className?: string; readonly label?: string }) {
  return (
    <svg className={`icon${className ? ` ${className}` : ''}`} viewBox="0 0 16 16" aria-hidden={label ? undefined : true} role={label ? 'img' : undefined} aria-label={label}>
      <path d={PATHS[name]} />
    </svg>
  );
}
