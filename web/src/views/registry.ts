/**
 * The tabs, in order, and how each view's code arrives: every view but the explorer is its own chunk, fetched when
 * the tab is first opened, so the explorer's first render waits only for the frame and the canvas.
 */
import type { Component } from 'svelte';
import type { ViewName } from '../lib/state/url-state.ts';
import type { ViewProps } from './drawing.ts';

export interface ViewEntry {
  name: ViewName;
  label: string;
  /** Reads the account graph (to draw on it, or for its name suggestions): fetch it, show its loading and failure. */
  accountGraph: boolean;
  /** The view's side panel and drawing; none for the explorer, which is the frame itself. */
  load: (() => Promise<{ default: Component<ViewProps> }>) | null;
}

export const VIEWS: readonly ViewEntry[] = [
  { name: 'explore', label: 'Explore', accountGraph: true, load: null },
  { name: 'who-can', label: 'Who can', accountGraph: false, load: () => import('./WhoCanView.svelte') },
  { name: 'what-if', label: 'What if', accountGraph: true, load: () => import('./WhatIfView.svelte') },
  { name: 'blast', label: 'Blast radius', accountGraph: true, load: () => import('./BlastView.svelte') },
  { name: 'paths', label: 'Paths', accountGraph: true, load: () => import('./PathsView.svelte') },
  { name: 'findings', label: 'Findings', accountGraph: true, load: () => import('./FindingsView.svelte') },
  {
    name: 'rightsize',
    label: 'Right-size',
    accountGraph: true,
    load: () => import('./RightsizeView.svelte'),
  },
];

export function viewEntry(name: ViewName): ViewEntry {
  return VIEWS.find((v) => v.name === name) ?? VIEWS[0]!;
}
