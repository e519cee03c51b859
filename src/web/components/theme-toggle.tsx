import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';
const STORAGE_KEY = 'store-platform.theme';

function initialTheme(): Theme {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies the theme to <html data-theme> (first render included) and remembers the choice. */
export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [
    theme,
    (t) => {
      localStorage.setItem(STORAGE_KEY, t);
      setTheme(t);
    },
  ];
}

export function ThemeToggle(props: { theme: Theme; onChange: (t: Theme) => void }) {
  const dark = props.theme === 'dark';
  return (
    <button type="button" className="icon-button theme-toggle" aria-pressed={dark} aria-label="Dark theme" title={dark ? 'Switch to the light theme' : 'Switch to the dark theme'} onClick={() => props.onChange(dark ? 'light' : 'dark')}>
      <span aria-hidden="true">{dark ? '☾' : '☀'}</span>
    </button>
  );
}
