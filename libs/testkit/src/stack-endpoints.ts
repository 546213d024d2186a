import { inject } from 'vitest';
import type { Endpoints } from '@valuepulse/config';
import './global-setup.js';

/** The endpoints the integration project's global setup resolved and checked. */
export function stackEndpoints(): Endpoints {
  return inject('endpoints');
}
