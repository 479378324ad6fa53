/**
 * "Preparing the library…" in words (pure): what the server says it is doing on a first start — making
 * the demo library, looking for files, reading them, taking their artwork — with files done of total
 * when it knows them.
 */
import type { ScanProgress } from '../api/library';
import { countOf } from '../sync/words';

export interface PreparationView {
  /** One line under the title. */
  text: string;
  /** For a progress bar, when the total is known. */
  done?: number;
  total?: number;
}

export function describePreparation(p: ScanProgress | undefined): PreparationView {
  if (!p || p.Phase === 'Idle') return { text: 'The server is reading your media for the first time.' };
  const known = p.Total > 0;
  const of = `${p.Done.toLocaleString('en')} of ${countOf(p.Total, 'file')}`;
  const bar = known ? { done: p.Done, total: p.Total } : {};
  switch (p.Phase) {
    case 'GeneratingDemo':
      return { text: known ? `Making the demo library: ${of}` : 'Making the demo library', ...bar };
    case 'Walking':
      return { text: 'Looking for media files', ...bar };
    case 'Probing':
      return { text: known ? `Reading files: ${of}` : 'Reading files', ...bar };
    case 'Images':
      return { text: known ? `Taking artwork: ${of}` : 'Taking artwork', ...bar };
  }
}
